// SPDX-License-Identifier: GPL-3.0-or-later
#include "sseformat.h"

#include <limits>

namespace lm::api::sse {

namespace {
// Longer than any int64 in decimal: refused before parsing, so a hostile value costs nothing.
constexpr std::size_t kMaxIdLength = 19;

void appendField(std::string &out, std::string_view name, std::string_view value)
{
    out += name;
    out += ": ";
    out += value;
    out += '\n';
}

// An event name or id must stay on one line: a newline would inject another field.
std::string_view firstLine(std::string_view text)
{
    const auto end = text.find_first_of("\r\n");
    return end == std::string_view::npos ? text : text.substr(0, end);
}
} // namespace

std::string formatEvent(qint64 id, std::string_view event, std::string_view data)
{
    std::string out;
    out.reserve(data.size() + event.size() + 40);
    if (id >= 0)
        appendField(out, "id", std::to_string(id));
    if (!event.empty())
        appendField(out, "event", firstLine(event));
    std::size_t start = 0;
    while (true) {
        const auto end = data.find_first_of("\r\n", start);
        if (end == std::string_view::npos) {
            appendField(out, "data", data.substr(start));
            break;
        }
        appendField(out, "data", data.substr(start, end - start));
        start = end + 1;
        if (data[end] == '\r' && start < data.size() && data[start] == '\n')
            ++start;
    }
    out += '\n';
    return out;
}

std::string formatRetry(qint64 milliseconds)
{
    return "retry: " + std::to_string(std::max<qint64>(0, milliseconds)) + "\n\n";
}

std::string_view pingComment()
{
    return ": ping\n\n";
}

std::optional<qint64> parseLastEventId(std::string_view text)
{
    if (text.empty() || text.size() > kMaxIdLength)
        return std::nullopt;
    qint64 value = 0;
    for (char c : text) {
        if (c < '0' || c > '9')
            return std::nullopt;
        const int digit = c - '0';
        if (value > (std::numeric_limits<qint64>::max() - digit) / 10)
            return std::nullopt;
        value = value * 10 + digit;
    }
    return value;
}

std::optional<qint64> lastEventIdFrom(const HttpRequest &request)
{
    if (const auto header = request.header("last-event-id"); !header.empty())
        return parseLastEventId(header);
    if (request.query.empty() || request.query.find("lastEventId") == std::string::npos)
        return std::nullopt;
    const QString value = request.queryParameter(QStringLiteral("lastEventId"));
    if (value.size() > qsizetype(kMaxIdLength))
        return std::nullopt;
    return parseLastEventId(value.toStdString());
}

void setSseHeaders(HttpResponse &response)
{
    response.setHeader("Content-Type", "text/event-stream");
    response.setHeader("Cache-Control", "no-cache");
    response.setHeader("X-Accel-Buffering", "no");
    response.setHeader("Connection", "keep-alive");
}

HttpResponse sseResponse(StreamStarter start)
{
    HttpResponse response;
    response.status = 200;
    setSseHeaders(response);
    response.stream = std::move(start);
    return response;
}

} // namespace lm::api::sse
