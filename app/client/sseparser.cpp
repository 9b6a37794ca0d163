// SPDX-License-Identifier: GPL-3.0-or-later
#include "sseparser.h"

namespace lm::client {

void SseParser::reset()
{
    m_buffer.clear();
    m_data.clear();
    m_type.clear();
    m_hasData = false;
    m_skipLf = false;
}

QList<SseEvent> SseParser::feed(const QByteArray &bytes)
{
    QList<SseEvent> out;
    for (const char c : bytes) {
        if (m_skipLf) {
            m_skipLf = false;
            if (c == '\n')
                continue;
        }
        if (c == '\r' || c == '\n') {
            m_skipLf = c == '\r';
            line(m_buffer, out);
            m_buffer.clear();
        } else {
            m_buffer.append(c);
        }
    }
    return out;
}

void SseParser::line(const QByteArray &l, QList<SseEvent> &out)
{
    if (l.isEmpty()) { // dispatch
        if (m_hasData) {
            SseEvent e;
            e.id = m_lastEventId;
            if (!m_type.isEmpty())
                e.type = m_type;
            e.data = m_data;
            out.append(e);
        }
        m_data.clear();
        m_type.clear();
        m_hasData = false;
        return;
    }
    if (l.startsWith(':')) {
        ++m_comments;
        return;
    }
    const qsizetype colon = l.indexOf(':');
    const QByteArray field = colon < 0 ? l : l.left(colon);
    QByteArray value = colon < 0 ? QByteArray() : l.mid(colon + 1);
    if (value.startsWith(' '))
        value.remove(0, 1);
    if (field == "data") {
        if (m_hasData)
            m_data.append('\n');
        m_data.append(value);
        m_hasData = true;
    } else if (field == "event") {
        m_type = QString::fromUtf8(value);
    } else if (field == "id") {
        if (!value.contains('\0'))
            m_lastEventId = QString::fromUtf8(value);
    } else if (field == "retry") {
        bool ok = false;
        const int ms = value.toInt(&ok);
        if (ok && ms >= 0)
            m_retryMs = ms;
    }
}

} // namespace lm::client
