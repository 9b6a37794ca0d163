// SPDX-License-Identifier: GPL-3.0-or-later
#include "dashboardroutes.h"

#include "api/handlers/dashboard/dashboardsupport.h"
#include "api/handlers/dashboard/intakesupport.h"
#include "api/handlers/dashboard/insightsupport.h"
#include "core/ulid.h"

namespace lm::api {

namespace dashboard {

QString UserNames::name(const QString &userId)
{
    if (userId.isEmpty())
        return {};
    if (auto it = m_names.constFind(userId); it != m_names.constEnd())
        return *it;
    auto user = m_store.users.find(m_scope, userId);
    const QString name = user.ok() && user->has_value() ? (*user)->name : QString();
    m_names.insert(userId, name);
    return name;
}

services::Actor actorOf(const RequestContext &ctx, store::Store &store)
{
    services::Actor actor;
    actor.type = QStringLiteral("human");
    actor.id = ctx.principal->userId;
    actor.name = UserNames(store, scopeOf(ctx)).name(actor.id);
    actor.ip = ctx.clientIp();
    actor.requestId = ctx.requestId;
    return actor;
}

store::AuditEntry auditEntry(const RequestContext &ctx, const QString &action, const QString &targetType,
    const QString &targetId, const QJsonObject &changes, qint64 nowMs)
{
    store::AuditEntry audit;
    audit.id = Ulid::generate();
    audit.tenantId = ctx.principal->tenantId;
    audit.actorId = ctx.principal->userId;
    audit.actorType = QStringLiteral("user");
    audit.impersonatorId = ctx.principal->impersonatorId;
    audit.action = action;
    audit.targetType = targetType;
    audit.targetId = targetId;
    audit.ip = ctx.clientIp();
    audit.requestId = ctx.requestId;
    audit.changes = changes;
    audit.createdAtMs = nowMs;
    return audit;
}

} // namespace dashboard

Result<void> registerDashboardEngineRoutes(Router &router, const DashboardDeps &deps)
{
    std::vector<RouteSpec> routes;
    dashboard::addCampaignRoutes(routes, deps);
    dashboard::addActivityRoutes(routes, deps);
    dashboard::addApprovalRoutes(routes, deps);
    dashboard::addTeamRoutes(routes, deps);
    dashboard::addAgentConfigRoutes(routes, deps);
    dashboard::addSkillRoutes(routes, deps);
    dashboard::addIntegrationRoutes(routes, deps);
    dashboard::addLeadRoutes(routes, deps);
    dashboard::addContentRequestRoutes(routes, deps);
    dashboard::addChannelRoutes(routes, deps);
    dashboard::addLogRoutes(routes, deps);
    dashboard::addAnalyticsRoutes(routes, deps);
    dashboard::addRecurringRoutes(routes, deps);
    dashboard::addChatRoutes(routes, deps);
    for (auto &route : routes) {
        if (auto r = router.add(std::move(route)); !r.ok())
            return r;
    }
    return {};
}

} // namespace lm::api
