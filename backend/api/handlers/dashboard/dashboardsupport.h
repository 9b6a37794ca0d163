// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "api/handlers/dashboard/dashboardroutes.h"
#include "api/json.h"
#include "services/approvalservice.h"
#include "store/store.h"

#include <QHash>

#include <vector>

namespace lm::api::dashboard {

inline constexpr std::string_view kPrefix = "/dashboard/v1";
/// Body limit of the writing routes: a 20,000-character brief may arrive as `\uXXXX` escapes (6 bytes each).
inline constexpr std::size_t kBodyLimit = 256 * 1024;

/// The route pattern under the Dashboard prefix.
[[nodiscard]] inline std::string path(std::string_view rest)
{
    return std::string(kPrefix) + std::string(rest);
}

/// Every tenant role may read.
[[nodiscard]] inline AccessPolicy tenantUsers()
{
    return AccessPolicy::surface(Surface::Dashboard, {Role::Admin, Role::Member, Role::Reviewer});
}
/// Spec "admin only".
[[nodiscard]] inline AccessPolicy adminsOnly()
{
    return AccessPolicy::surface(Surface::Dashboard, {Role::Admin});
}
/// Approval decisions: admins, and reviewers (whose job it is); members cannot resolve.
[[nodiscard]] inline AccessPolicy approvers()
{
    return AccessPolicy::surface(Surface::Dashboard, {Role::Admin, Role::Reviewer});
}

/// The caller's tenant: every read and write of these routes is scoped to it.
[[nodiscard]] inline store::TenantScope scopeOf(const RequestContext &ctx)
{
    return store::TenantScope::tenant(ctx.principal->tenantId);
}

/// A string, or JSON null when empty.
[[nodiscard]] inline QJsonValue nullable(const QString &s)
{
    return s.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(s);
}

/// User names by id, looked up once per request.
class UserNames
{
public:
    UserNames(store::Store &store, store::TenantScope scope)
        : m_store(store)
        , m_scope(std::move(scope))
    { }
    /// The user's name, or empty when the user is not in the tenant.
    [[nodiscard]] QString name(const QString &userId);

private:
    store::Store &m_store;
    store::TenantScope m_scope;
    QHash<QString, QString> m_names;
};

/// The caller as the services' Actor (name, ip and request id for the audit log).
[[nodiscard]] services::Actor actorOf(const RequestContext &ctx, store::Store &store);

/// An audit row for a mutation of the caller.
[[nodiscard]] store::AuditEntry auditEntry(const RequestContext &ctx, const QString &action,
    const QString &targetType, const QString &targetId, const QJsonObject &changes, qint64 nowMs);

/// `{from, to}` for an audit row's changes.
[[nodiscard]] inline QJsonObject change(const QJsonValue &from, const QJsonValue &to)
{
    return {{QStringLiteral("from"), from}, {QStringLiteral("to"), to}};
}

/// How stringArray() keeps the items it accepts.
enum class ArrayItems
{
    Trimmed, ///< trimmed, duplicates dropped (tags, platforms)
    AsSent, ///< as sent, repeats kept (ids and references)
};

/// An optional array of short, non-empty strings; problems go to `f` under `field` (or
/// `field[i]`). `allowed`, when not empty, is the enum every item must be from.
[[nodiscard]] QStringList stringArray(JsonFields &f, const QJsonValue &v, const QString &field, int maxItems,
    int maxChars, const QStringList &allowed = {}, ArrayItems keep = ArrayItems::Trimmed);

/// The activity statuses of the spec (filter values).
[[nodiscard]] inline const QStringList &activityStatuses()
{
    static const QStringList statuses {QStringLiteral("created"), QStringLiteral("assigned"),
        QStringLiteral("in_progress"), QStringLiteral("awaiting_approval"),
        QStringLiteral("awaiting_subtask"), QStringLiteral("awaiting_review"), QStringLiteral("blocked"),
        QStringLiteral("done"), QStringLiteral("reassigned"), QStringLiteral("failed")};
    return statuses;
}

/// The activity detail of GET /activities/:id (comments, runs, subtasks), read in `scope`.
[[nodiscard]] Result<QJsonObject> activityDetailJson(
    store::Store &store, const store::TenantScope &scope, const store::Activity &a, qint64 nowMs);

void addCampaignRoutes(std::vector<RouteSpec> &routes, const DashboardDeps &deps);
void addActivityRoutes(std::vector<RouteSpec> &routes, const DashboardDeps &deps);
void addApprovalRoutes(std::vector<RouteSpec> &routes, const DashboardDeps &deps);
void addTeamRoutes(std::vector<RouteSpec> &routes, const DashboardDeps &deps);
void addAgentConfigRoutes(std::vector<RouteSpec> &routes, const DashboardDeps &deps);
void addSkillRoutes(std::vector<RouteSpec> &routes, const DashboardDeps &deps);
void addIntegrationRoutes(std::vector<RouteSpec> &routes, const DashboardDeps &deps);

} // namespace lm::api::dashboard
