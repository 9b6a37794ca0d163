// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "api/http.h"
#include "core/principal.h"

#include <QJsonObject>
#include <QString>

#include <optional>

namespace lm::api {

struct RouteSpec;

/// The audit row of a cross-tenant read (DM, admin, CLI surfaces): what the handler read, in
/// which tenant. The audit stage writes it once the handler has answered with success.
struct ReadAudit
{
    QString action; ///< e.g. dm.approval.read
    QString tenantId; ///< the object's tenant; empty for a platform row (lists, overviews, streams)
    QString targetType = QStringLiteral("platform");
    QString targetId;
    QJsonObject details;
};

/// What a handler knows about the request it serves.
struct RequestContext
{
    const HttpRequest &request;
    QString requestId;
    std::vector<std::pair<std::string, std::string>> params; ///< `:name` path parameters, decoded
    std::optional<Principal> principal; ///< set on every route that is not open
    qint64 receivedAtMs = 0;
    const RouteSpec *route = nullptr; ///< the matched route (its access policy, options)
    QString idempotencyKey; ///< the key the idempotency stage claimed for this request, if any
    std::optional<ReadAudit> readAudit; ///< set by handlers of cross-tenant routes (audit stage)

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
    /// Records what a cross-tenant route read, for the audit stage to write (the route's default
    /// row otherwise).
    void auditRead(ReadAudit audit) { readAudit = std::move(audit); }
};

} // namespace lm::api
