// SPDX-License-Identifier: GPL-3.0-or-later
#include "requestframing.h"

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>

#include <cctype>

namespace lm::api {

namespace http = boost::beast::http;

void resetParser(std::optional<RequestParser> &parser, std::size_t headerLimit)
{
    parser.emplace();
    parser->header_limit(std::uint32_t(headerLimit));
    // No body limit while reading the header: the route's limit is applied once it is known.
    parser->body_limit(boost::none);
}

HttpRequest requestHead(const http::request_header<> &header, const std::string &remoteIp)
{
    HttpRequest request;
    request.methodText = std::string(header.method_string());
    request.method = parseMethod(request.methodText);
    request.target = std::string(header.target());
    const auto q = request.target.find('?');
    request.path = request.target.substr(0, q);
    if (q != std::string::npos)
        request.query = request.target.substr(q + 1);
    request.remoteIp = remoteIp;
    request.headers.reserve(16);
    for (const auto &field : header) {
        std::string name(field.name_string());
        for (char &c : name)
            c = char(std::tolower(static_cast<unsigned char>(c)));
        request.headers.emplace_back(std::move(name), std::string(field.value()));
    }
    return request;
}

bool applyBodyLimit(RequestParser &parser, std::size_t limit)
{
    const auto length = parser.content_length();
    if (length && *length > limit)
        return false;
    parser.body_limit(limit);
    return true;
}

FramedRequest frameRequest(std::string_view bytes, std::size_t headerLimit, const HttpDispatcher &dispatcher)
{
    using Status = FramedRequest::Status;
    FramedRequest out;
    std::optional<RequestParser> parser;
    resetParser(parser, headerLimit);
    // Feeds the parser what is left; the status for an error, nullopt to go on.
    const auto feed = [&]() -> std::optional<Status> {
        boost::beast::error_code ec;
        const std::size_t used = parser->put(boost::asio::buffer(bytes.data(), bytes.size()), ec);
        bytes.remove_prefix(used);
        if (ec == http::error::need_more || (!ec && used == 0))
            return Status::Incomplete;
        if (ec == http::error::header_limit)
            return Status::HeadersTooLarge;
        if (ec == http::error::body_limit)
            return Status::PayloadTooLarge;
        if (ec)
            return Status::Malformed;
        return std::nullopt;
    };
    while (!parser->is_header_done()) {
        if (const auto status = feed()) {
            out.status = *status;
            return out;
        }
    }
    out.request = requestHead(parser->get(), "127.0.0.1");
    if (!applyBodyLimit(*parser, dispatcher.bodyLimitFor(out.request.method, out.request.path))) {
        out.status = Status::PayloadTooLarge;
        return out;
    }
    while (!parser->is_done()) {
        if (const auto status = feed()) {
            out.status = *status;
            return out;
        }
    }
    out.request.body = std::move(parser->get().body());
    out.status = Status::Complete;
    return out;
}

} // namespace lm::api
