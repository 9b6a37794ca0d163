// SPDX-License-Identifier: GPL-3.0-or-later
#include "multipart.h"

#include <algorithm>
#include <cctype>

namespace lm::api {

namespace {

constexpr std::size_t kMaxBoundary = 70; // RFC 2046
constexpr std::size_t kMaxPartHeaders = 8 * 1024;

ApiError malformed(const QString &issue)
{
    return ApiError::validation(
        QStringLiteral("body"), issue, QStringLiteral("The multipart body is not valid"));
}

std::string lower(std::string_view s)
{
    std::string out(s);
    std::transform(
        out.begin(), out.end(), out.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return out;
}

std::string_view trim(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

} // namespace

std::string headerParameter(std::string_view value, std::string_view parameter)
{
    // Parameters follow the first ';'. Quoted values may hold ';' and escaped quotes.
    std::size_t i = value.find(';');
    while (i != std::string_view::npos && i < value.size()) {
        ++i;
        while (i < value.size() && (value[i] == ' ' || value[i] == '\t'))
            ++i;
        const std::size_t eq = value.find('=', i);
        if (eq == std::string_view::npos)
            return {};
        const std::string key = lower(trim(value.substr(i, eq - i)));
        std::size_t j = eq + 1;
        std::string parsed;
        if (j < value.size() && value[j] == '"') {
            ++j;
            while (j < value.size() && value[j] != '"') {
                if (value[j] == '\\' && j + 1 < value.size())
                    ++j;
                parsed.push_back(value[j++]);
            }
            j = value.find(';', j);
        } else {
            const std::size_t end = value.find(';', j);
            parsed = std::string(trim(value.substr(j, end == std::string_view::npos ? end : end - j)));
            j = end;
        }
        if (key == parameter)
            return parsed;
        i = j;
    }
    return {};
}

Result<MultipartForm> MultipartForm::parse(std::string_view contentType, std::string_view body, int maxParts)
{
    const std::string type = lower(trim(contentType.substr(0, contentType.find(';'))));
    if (type != "multipart/form-data")
        return ApiError::validation(QStringLiteral("body"), QStringLiteral("expected multipart/form-data"),
            QStringLiteral("The request must be multipart/form-data"));
    const std::string boundary = headerParameter(contentType, "boundary");
    if (boundary.empty() || boundary.size() > kMaxBoundary)
        return malformed(QStringLiteral("missing or invalid boundary"));

    const std::string delimiter = "--" + boundary;
    // The body starts with the first delimiter (a preamble before it is allowed and ignored).
    std::size_t pos = body.find(delimiter);
    if (pos == std::string_view::npos)
        return malformed(QStringLiteral("no boundary in body"));
    pos += delimiter.size();

    MultipartForm form;
    const std::string next = "\r\n" + delimiter;
    while (true) {
        if (body.substr(pos, 2) == "--")
            return form; // the closing delimiter; an epilogue is ignored
        // Transport padding, then CRLF.
        while (pos < body.size() && (body[pos] == ' ' || body[pos] == '\t'))
            ++pos;
        if (body.substr(pos, 2) != "\r\n")
            return malformed(QStringLiteral("boundary not followed by CRLF"));
        pos += 2;
        if (int(form.m_parts.size()) >= maxParts)
            return malformed(QStringLiteral("too many parts"));

        const std::size_t headersEnd = body.find("\r\n\r\n", pos);
        // A part without headers starts with the empty line at once.
        const bool noHeaders = body.substr(pos, 2) == "\r\n";
        if (!noHeaders && (headersEnd == std::string_view::npos || headersEnd - pos > kMaxPartHeaders))
            return malformed(QStringLiteral("part headers not terminated"));
        MultipartPart part;
        std::string disposition;
        if (!noHeaders) {
            std::string_view headers = body.substr(pos, headersEnd - pos);
            while (!headers.empty()) {
                const std::size_t eol = headers.find("\r\n");
                const std::string_view line = headers.substr(0, eol);
                headers = eol == std::string_view::npos ? std::string_view() : headers.substr(eol + 2);
                const std::size_t colon = line.find(':');
                if (colon == std::string_view::npos)
                    return malformed(QStringLiteral("malformed part header"));
                const std::string name = lower(trim(line.substr(0, colon)));
                const std::string_view value = trim(line.substr(colon + 1));
                if (name == "content-disposition")
                    disposition = std::string(value);
                else if (name == "content-type")
                    part.contentType = lower(value);
            }
            pos = headersEnd + 4;
        } else {
            pos += 2;
        }
        if (lower(trim(std::string_view(disposition).substr(0, disposition.find(';')))) != "form-data")
            return malformed(QStringLiteral("part without form-data disposition"));
        part.name = QString::fromStdString(headerParameter(disposition, "name"));
        if (part.name.isEmpty())
            return malformed(QStringLiteral("part without a name"));
        const std::string lowered = lower(disposition);
        part.hasFilename = lowered.find("filename=") != std::string::npos;
        part.filename = QString::fromStdString(headerParameter(disposition, "filename"));

        const std::size_t end = body.find(next, pos);
        if (end == std::string_view::npos)
            return malformed(QStringLiteral("part not terminated by the boundary"));
        part.data = body.substr(pos, end - pos);
        form.m_parts.push_back(std::move(part));
        pos = end + next.size();
    }
}

const MultipartPart *MultipartForm::part(const QString &name) const
{
    for (const auto &p : m_parts) {
        if (p.name == name)
            return &p;
    }
    return nullptr;
}

QString MultipartForm::text(const QString &name) const
{
    const MultipartPart *p = part(name);
    return p ? QString::fromUtf8(p->data.data(), qsizetype(p->data.size())) : QString();
}

} // namespace lm::api
