// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "api/http.h"
#include "core/apierror.h"

#include <functional>

namespace lm::api {

/// Delivers a response back to the connection; may be called from any thread, exactly once.
using Responder = std::function<void(HttpResponse)>;

/// What the HTTP engine hands requests to. The engine knows sockets and HTTP framing; everything
/// about routes, auth and errors lives behind this interface.
class HttpDispatcher
{
public:
    virtual ~HttpDispatcher() = default;
    /// The body limit for a request, known once its header is read (route override or default).
    [[nodiscard]] virtual std::size_t bodyLimitFor(HttpMethod method, std::string_view path) const = 0;
    /// Handles a complete request.
    virtual void dispatch(HttpRequest request, Responder respond) = 0;
    /// The response for a problem the engine found itself (400, 408, 413, 431); `request` holds
    /// whatever of the header was read.
    [[nodiscard]] virtual HttpResponse engineError(const ApiError &error, const HttpRequest &request) = 0;
};

} // namespace lm::api
