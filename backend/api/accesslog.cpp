// SPDX-License-Identifier: GPL-3.0-or-later
#include "accesslog.h"

#include "core/logging.h"

#include <QDir>
#include <QFileInfo>

namespace lm::api {

AccessLog::AccessLog(const QString &path)
{
    if (path.isEmpty())
        return;
    if (path == QLatin1String("-")) {
        m_file = stderr;
        return;
    }
    QDir().mkpath(QFileInfo(path).absolutePath());
    m_file = std::fopen(QFile::encodeName(path).constData(), "a");
    if (!m_file)
        qCWarning(lmApi) << "cannot open access log" << path;
    m_ownsFile = m_file != nullptr;
}

AccessLog::~AccessLog()
{
    flush();
    if (m_ownsFile)
        std::fclose(m_file);
}

void AccessLog::write(const std::string &line)
{
    if (!m_file)
        return;
    std::lock_guard lock(m_mutex);
    std::fwrite(line.data(), 1, line.size(), m_file);
    std::fputc('\n', m_file);
}

void AccessLog::flush()
{
    if (!m_file)
        return;
    std::lock_guard lock(m_mutex);
    std::fflush(m_file);
}

std::string jsonEscape(std::string_view text)
{
    std::string out;
    out.reserve(text.size() + 2);
    for (char c : text) {
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", c);
                out += buf;
            } else {
                out += c;
            }
        }
    }
    return out;
}

} // namespace lm::api
