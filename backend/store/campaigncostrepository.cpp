// SPDX-License-Identifier: GPL-3.0-or-later
#include "campaigncostrepository.h"

namespace lm::store {

namespace {
/// Activities of one campaign joined to their runs (runs_activity_idx), those of `statusCondition`.
QString costSql(const TenantScope &scope, const QString &select, const QString &statusCondition)
{
    return QStringLiteral("SELECT ") + select
        + QStringLiteral(
            " FROM activities a LEFT JOIN runs r ON r.activity_id = a.id WHERE a.campaign_id = ? AND ")
        + statusCondition + QStringLiteral(" AND ") + scope.condition(QStringLiteral("a.tenant_id"));
}
} // namespace

Result<QList<workflow::FinishedCostGroup>> CampaignCostRepository::finishedCosts(
    const TenantScope &scope, const QString &campaignId)
{
    auto q = m_db.query(costSql(scope,
                            QStringLiteral("a.status, COALESCE(a.agent_role, ''), COUNT(DISTINCT a.id),"
                                           " COALESCE(SUM(r.cost_micros), 0)"),
                            QStringLiteral("a.status IN ('done', 'failed')"))
        + QStringLiteral(" GROUP BY a.status, COALESCE(a.agent_role, '')"));
    q.bind(campaignId);
    scope.bind(q);
    if (auto r = q.exec(); !r.ok())
        return r.error();
    QList<workflow::FinishedCostGroup> out;
    while (q.next())
        out.append({q.string(0), q.string(1), int(q.int64(2)), q.int64(3)});
    return out;
}

Result<QList<workflow::OpenActivityCost>> CampaignCostRepository::openCosts(
    const TenantScope &scope, const QString &campaignId)
{
    auto q = m_db.query(
        costSql(scope, QStringLiteral("COALESCE(a.agent_role, ''), COALESCE(SUM(r.cost_micros), 0)"),
            QStringLiteral("a.status NOT IN ('done', 'failed')"))
        + QStringLiteral(" GROUP BY a.id, a.agent_role"));
    q.bind(campaignId);
    scope.bind(q);
    if (auto r = q.exec(); !r.ok())
        return r.error();
    QList<workflow::OpenActivityCost> out;
    while (q.next())
        out.append({q.string(0), q.int64(1), std::nullopt});
    return out;
}

} // namespace lm::store
