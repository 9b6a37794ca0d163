// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "api/http.h"
#include "core/principal.h"

#include <QString>

#include <optional>

namespace lm::api {

/// What a handler knows about the request it serves.
struct RequestContext
{
    const HttpRequest &request;
    QString requestId;
    std::vector<std::pair<std::string, std::string>> params; ///< `:name` path parameters, decoded
    std::optional<Principal> principal; ///< set on every route that is not open
    qint64 receivedAtMs = 0;

    /// A path parameter by name, or empty.
    [[nodiscard]] QString param(std::string_view name) const
    {
        for (const auto &[n, v] : params) {
            if (n == name)
                return QString::fromStdString(v);
        }
        return {};
    }
    [[nodiscard]] QString clientIp() const { return QString::fromStdString(request.remoteIp); }
};

} // namespace lm::api
