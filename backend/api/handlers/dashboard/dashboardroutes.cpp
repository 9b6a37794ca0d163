// SPDX-License-Identifier: GPL-3.0-or-later
#include "dashboardroutes.h"

#include "api/handlers/dashboard/dashboardsupport.h"
#include "api/handlers/dashboard/insightsupport.h"
#include "api/handlers/dashboard/intakesupport.h"
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

QStringList stringArray(JsonFields &f, const QJsonValue &v, const QString &field, int maxItems, int maxChars,
    const QStringList &allowed, ArrayItems keep)
{
    if (v.isUndefined() || v.isNull())
        return {};
    if (!v.isArray()) {
        f.addIssue(field, QStringLiteral("must_be_array"));
        return {};
    }
    const QJsonArray items = v.toArray();
    if (items.size() > maxItems) {
        f.addIssue(field, QStringLiteral("too_many"));
        return {};
    }
    QStringList out;
    for (qsizetype i = 0; i < items.size(); ++i) {
        const QString name = QStringLiteral("%1[%2]").arg(field).arg(i);
        const QString sent = items[i].toString();
        const QString item = keep == ArrayItems::Trimmed ? sent.trimmed() : sent;
        if (!items[i].isString() || sent.trimmed().isEmpty())
            f.addIssue(name, QStringLiteral("must_be_string"));
        else if (item.size() > maxChars)
            f.addIssue(name, QStringLiteral("too_long"));
        else if (!allowed.isEmpty() && !allowed.contains(item))
            f.addIssue(name, QStringLiteral("invalid"));
        else if (keep == ArrayItems::AsSent || !out.contains(item))
            out.append(item);
    }
    return out;
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
