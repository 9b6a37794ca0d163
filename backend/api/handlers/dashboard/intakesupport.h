// SPDX-License-Identifier: GPL-3.0-or-later
// What the lead, content request and channel routes share (docs/api/dashboard-intake.md).
#pragma once

#include "api/handlers/dashboard/dashboardsupport.h"

#include <QUrl>

namespace lm::api::dashboard {

/// Tenant roles that create and change leads, requests and channel connections: the spec's
/// default roles (admin | member); reviewers read.
[[nodiscard]] inline AccessPolicy intakeWriters()
{
    return AccessPolicy::surface(Surface::Dashboard, {Role::Admin, Role::Member});
}

/// A decoded query parameter (`+` is a space, as forms send it); nullopt when absent.
[[nodiscard]] inline std::optional<QString> queryValue(const HttpRequest &request, const QString &name)
{
    const QByteArray query = QByteArray::fromStdString(request.query);
    for (const QByteArray &pair : query.split('&')) {
        const qsizetype eq = pair.indexOf('=');
        QByteArray key = eq < 0 ? pair : pair.left(eq);
        key.replace('+', ' ');
        if (QUrl::fromPercentEncoding(key) != name)
            continue;
        QByteArray value = eq < 0 ? QByteArray() : pair.mid(eq + 1);
        value.replace('+', ' ');
        return QUrl::fromPercentEncoding(value);
    }
    return std::nullopt;
}

void addLeadRoutes(std::vector<RouteSpec> &routes, const DashboardDeps &deps);
void addContentRequestRoutes(std::vector<RouteSpec> &routes, const DashboardDeps &deps);
void addChannelRoutes(std::vector<RouteSpec> &routes, const DashboardDeps &deps);

} // namespace lm::api::dashboard
