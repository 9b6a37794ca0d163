// SPDX-License-Identifier: GPL-3.0-or-later
#include "dmroutes.h"

#include "api/handlers/dashboard/dashboardsupport.h"
#include "api/handlers/dm/dmsupport.h"

namespace lm::api {

namespace dm {

services::Actor actorOf(const RequestContext &ctx, store::Store &store)
{
    services::Actor actor;
    actor.type = QStringLiteral("human");
    actor.id = ctx.principal->userId;
    actor.name
        = dashboard::UserNames(store, store::TenantScope::forAccount(ctx.principal->tenantId)).name(actor.id);
    actor.ip = ctx.clientIp();
    actor.requestId = ctx.requestId;
    return actor;
}

QJsonObject tenantRef(store::Store &store, const QString &tenantId)
{
    auto tenant = store.tenants.find(store::TenantScope::allTenants(), tenantId);
    const QString name = tenant.ok() && tenant->has_value() ? (*tenant)->name : QString();
    return {{QStringLiteral("id"), tenantId}, {QStringLiteral("name"), name}};
}

} // namespace dm

Result<void> registerDmRoutes(Router &router, const DashboardDeps &deps)
{
    std::vector<RouteSpec> routes;
    dm::addOverviewRoutes(routes, deps);
    dm::addApprovalRoutes(routes, deps);
    dm::addActivityRoutes(routes, deps);
    dm::addStreamRoutes(routes, deps);
    for (auto &route : routes) {
        if (auto r = router.add(std::move(route)); !r.ok())
            return r;
    }
    return {};
}

} // namespace lm::api
