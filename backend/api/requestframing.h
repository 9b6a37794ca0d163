// SPDX-License-Identifier: GPL-3.0-or-later
// How the HTTP engine frames a request: Beast's parser under our limits, and the head it hands on.
// Beast's types stay in the engine (httpserver.cpp, requestframing.cpp) and the HTTP fuzzer.
#pragma once

#include "api/dispatcher.h"

#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <optional>
#include <string_view>

namespace lm::api {

using RequestParser = boost::beast::http::request_parser<boost::beast::http::string_body>;

/// A fresh parser for the next request: the header limit, and no body limit until the route is known.
void resetParser(std::optional<RequestParser> &parser, std::size_t headerLimit);
/// The head of a parsed header: method, target split into path and query, lower-cased header names.
[[nodiscard]] HttpRequest requestHead(
    const boost::beast::http::request_header<> &header, const std::string &remoteIp);
/// Applies the route's body limit once the header is read; false when Content-Length already exceeds it.
[[nodiscard]] bool applyBodyLimit(RequestParser &parser, std::size_t limit);

/// One request framed out of a byte string.
struct FramedRequest
{
    enum class Status
    {
        Complete,
        Incomplete, ///< the bytes end before the request does
        HeadersTooLarge, ///< 431
        PayloadTooLarge, ///< 413
        Malformed ///< 400
    };
    Status status = Status::Incomplete;
    HttpRequest request; ///< the head once read; the body when complete
};

/// Frames the first request of `bytes` with the engine's steps (parser, limits, head, route body
/// limit), synchronously: the engine runs the same steps on a socket. The fuzzer's entry point.
[[nodiscard]] FramedRequest frameRequest(
    std::string_view bytes, std::size_t headerLimit, const HttpDispatcher &dispatcher);

} // namespace lm::api
