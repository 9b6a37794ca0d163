// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "api/handlers/dm/dmroutes.h"
#include "services/approvalservice.h"
#include "store/store.h"

#include <vector>

namespace lm::api::dm {

inline constexpr std::string_view kPrefix = "/dm/v1";
/// Bulk bodies carry up to 100 ids and a 4,000-character note (possibly as `\uXXXX` escapes).
inline constexpr std::size_t kBodyLimit = 64 * 1024;

/// The route pattern under the DM prefix.
[[nodiscard]] inline std::string path(std::string_view rest)
{
    return std::string(kPrefix) + std::string(rest);
}

/// DM reviewers and super-admins with the `dm` surface; tenant roles are refused.
[[nodiscard]] inline AccessPolicy reviewers()
{
    return AccessPolicy::surface(Surface::Dm, {Role::DmReviewer, Role::SuperAdmin});
}

/// The platform caller as the services' Actor (their name is read in the platform scope).
[[nodiscard]] services::Actor actorOf(const RequestContext &ctx, store::Store &store);

/// `{id, name}` of a tenant (name empty when it is gone).
[[nodiscard]] QJsonObject tenantRef(store::Store &store, const QString &tenantId);

void addOverviewRoutes(std::vector<RouteSpec> &routes, const DashboardDeps &deps);
void addApprovalRoutes(std::vector<RouteSpec> &routes, const DashboardDeps &deps);
void addActivityRoutes(std::vector<RouteSpec> &routes, const DashboardDeps &deps);
void addStreamRoutes(std::vector<RouteSpec> &routes, const DashboardDeps &deps);

} // namespace lm::api::dm
