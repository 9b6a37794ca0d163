// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "api/http.h"

#include <QtGlobal>

#include <optional>
#include <string>
#include <string_view>

namespace lm::api::sse {

/// One event in the text/event-stream format: `id:` (when id ≥ 0), `event:` (when not empty), one
/// `data:` line per line of data (CR, LF and CRLF all split), then a blank line.
[[nodiscard]] std::string formatEvent(qint64 id, std::string_view event, std::string_view data);
/// A `retry:` line telling the client how long to wait before reconnecting.
[[nodiscard]] std::string formatRetry(qint64 milliseconds);
/// The keep-alive comment sent to idle streams.
[[nodiscard]] std::string_view pingComment();

/// A Last-Event-ID value: decimal digits only, a non-negative int64, at most 19 characters.
/// Anything else (empty, sign, spaces, garbage, overflow) is absent.
[[nodiscard]] std::optional<qint64> parseLastEventId(std::string_view text);
/// The request's resume point: the `last-event-id` header, else the `lastEventId` query parameter
/// (EventSource cannot set headers on its first connect), each parsed strictly.
[[nodiscard]] std::optional<qint64> lastEventIdFrom(const HttpRequest &request);

/// Sets the headers every SSE response carries (content type, no caching, no proxy buffering).
void setSseHeaders(HttpResponse &response);
/// A 200 text/event-stream response whose body is produced by `start`.
[[nodiscard]] HttpResponse sseResponse(StreamStarter start);

} // namespace lm::api::sse
