// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "api/streaming.h"

#include <QString>

#include <array>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lm::api {

enum class HttpMethod : quint8
{
    Get,
    Head,
    Post,
    Put,
    Patch,
    Delete,
    Options,
    Other
};
inline constexpr std::size_t kHttpMethodCount = 8;

[[nodiscard]] std::string_view methodName(HttpMethod method);
[[nodiscard]] HttpMethod parseMethod(std::string_view name);

/// A complete HTTP request as the engine hands it over (no Beast types beyond the engine).
struct HttpRequest
{
    HttpMethod method = HttpMethod::Other;
    std::string methodText;
    std::string target; ///< as sent: path and query
    std::string path; ///< target without the query
    std::string query; ///< after '?', undecoded
    std::vector<std::pair<std::string, std::string>> headers; ///< names lower-cased
    std::string body;
    std::string remoteIp;

    /// The first header of that (lower-case) name, or empty.
    [[nodiscard]] std::string_view header(std::string_view lowerName) const;
    /// A decoded query parameter (first occurrence), or empty.
    [[nodiscard]] QString queryParameter(const QString &name) const;
};

/// A complete response, or the head of a streaming one.
struct HttpResponse
{
    int status = 200;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    /// Set: a streaming response. The engine sends status and headers with chunked encoding, no
    /// body, then calls this with the channel that writes the chunks (see streaming.h).
    StreamStarter stream;

    void setHeader(std::string name, std::string value);
    [[nodiscard]] std::string_view header(std::string_view name) const;
};

} // namespace lm::api
