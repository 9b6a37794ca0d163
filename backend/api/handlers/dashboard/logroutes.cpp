// SPDX-License-Identifier: GPL-3.0-or-later
// /dashboard/v1/audit-log and /dashboard/v1/logs: who changed what, and what the engine did.
#include "api/handlers/dashboard/insightsupport.h"

namespace lm::api::dashboard {

namespace {
constexpr int kAuditDefaultLimit = 50;
constexpr int kLogsDefaultLimit = 100;

const QStringList kLevels {
    QStringLiteral("debug"), QStringLiteral("info"), QStringLiteral("warn"), QStringLiteral("error")};
const QStringList kCategories {QStringLiteral("agent"), QStringLiteral("tool"), QStringLiteral("approval"),
    QStringLiteral("system"), QStringLiteral("billing")};

/// user | agent | system as the spec names them (a failed anonymous login is the system's record).
QString actorTypeOf(const store::AuditEntry &e)
{
    if (e.actorType == QLatin1String("user") || e.actorType == QLatin1String("agent"))
        return e.actorType;
    return QStringLiteral("system");
}

QJsonValue changesOf(const store::AuditEntry &e)
{
    return e.changes.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(e.changes);
}
} // namespace

void addLogRoutes(std::vector<RouteSpec> &routes, const DashboardDeps &deps)
{
    store::Store &store = deps.store;

    routes.push_back({HttpMethod::Get, path("/audit-log"), tenantUsers(),
        [&store](RequestContext &ctx) -> Result<HttpResponse> {
            ListQuery query(ctx.request);
            QList<FieldIssue> issues;
            store::AuditFilter filter;
            filter.entityType = query.textFilter(QStringLiteral("entityType"));
            filter.entityId = query.textFilter(QStringLiteral("entityId"));
            filter.userId = query.textFilter(QStringLiteral("userId"));
            filter.action = query.textFilter(QStringLiteral("action"));
            filter.fromMs = timeBound(queryParam(ctx.request, QStringLiteral("filter[startDate]")),
                QStringLiteral("filter[startDate]"), false, issues);
            filter.toMs = timeBound(queryParam(ctx.request, QStringLiteral("filter[endDate]")),
                QStringLiteral("filter[endDate]"), true, issues);
            const store::PageRequest page = pageWithDefault(query, ctx.request, kAuditDefaultLimit);
            if (auto v = queryProblems(query, issues); !v.ok())
                return v.error();
            const auto scope = scopeOf(ctx);
            auto rows = store.insight.auditSearch.list(scope, filter, page);
            if (!rows.ok())
                return rows.error();
            UserNames names(store, scope);
            QHash<QString, QString> agentNames;
            if (auto agents = store.agents.list(scope); agents.ok()) {
                for (const auto &a : std::as_const(*agents))
                    agentNames.insert(a.role, a.name);
            }
            QJsonArray data;
            for (const auto &e : std::as_const(rows->items)) {
                const QString type = actorTypeOf(e);
                QString actorName;
                if (type == QLatin1String("user"))
                    actorName = names.name(e.actorId);
                else if (type == QLatin1String("agent"))
                    actorName = agentNames.value(e.actorId, e.actorId);
                else
                    actorName = QStringLiteral("System");
                data.append(QJsonObject {{QStringLiteral("id"), e.id},
                    {QStringLiteral("entityType"), e.targetType}, {QStringLiteral("entityId"), e.targetId},
                    {QStringLiteral("action"), e.action}, {QStringLiteral("actorType"), type},
                    {QStringLiteral("actorId"), e.actorId}, {QStringLiteral("actorName"), actorName},
                    {QStringLiteral("changes"), changesOf(e)}, {QStringLiteral("ip"), nullable(e.ip)},
                    {QStringLiteral("createdOn"), isoTimestamp(e.createdAtMs)}});
            }
            const QString last = rows->items.isEmpty() ? QString() : rows->items.last().id;
            return jsonResponse(200, pageJson(data, rows->hasMore, last, page));
        }});

    routes.push_back({HttpMethod::Get, path("/logs"), tenantUsers(),
        [&store](RequestContext &ctx) -> Result<HttpResponse> {
            ListQuery query(ctx.request);
            QList<FieldIssue> issues;
            store::LogFilter filter;
            filter.level = query.enumFilter(QStringLiteral("level"), kLevels);
            filter.category = query.enumFilter(QStringLiteral("category"), kCategories);
            filter.agentRole = query.textFilter(QStringLiteral("agentRole"));
            filter.activityId = query.textFilter(QStringLiteral("activityId"));
            filter.fromMs = timeBound(queryParam(ctx.request, QStringLiteral("filter[startDate]")),
                QStringLiteral("filter[startDate]"), false, issues);
            filter.toMs = timeBound(queryParam(ctx.request, QStringLiteral("filter[endDate]")),
                QStringLiteral("filter[endDate]"), true, issues);
            const store::PageRequest page = pageWithDefault(query, ctx.request, kLogsDefaultLimit);
            if (auto v = queryProblems(query, issues); !v.ok())
                return v.error();
            auto rows = store.insight.logs.list(scopeOf(ctx), filter, page);
            if (!rows.ok())
                return rows.error();
            QJsonArray data;
            for (const auto &e : std::as_const(rows->items))
                data.append(QJsonObject {{QStringLiteral("id"), e.id}, {QStringLiteral("level"), e.level},
                    {QStringLiteral("category"), e.category}, {QStringLiteral("message"), e.message},
                    {QStringLiteral("context"), e.context},
                    {QStringLiteral("activityId"), nullable(e.activityId)},
                    {QStringLiteral("agentRole"), nullable(e.agentRole)},
                    {QStringLiteral("createdOn"), isoTimestamp(e.createdAtMs)}});
            const QString last = rows->items.isEmpty() ? QString() : rows->items.last().id;
            return jsonResponse(200, pageJson(data, rows->hasMore, last, page));
        }});
}

} // namespace lm::api::dashboard
