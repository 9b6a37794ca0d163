// SPDX-License-Identifier: GPL-3.0-or-later
#include "analyticsrepository.h"

namespace lm::store {

Result<QList<SpendRow>> AnalyticsRepository::spend(const TenantScope &scope, qint64 fromMs, qint64 toMs)
{
    auto q = m_db.query(
        QStringLiteral(
            "SELECT r.started_at, r.cost_micros, r.agent_role, ag.name, r.model, a.campaign_id, c.name, "
            "a.type"
            " FROM runs r JOIN activities a ON a.id = r.activity_id"
            " LEFT JOIN campaigns c ON c.id = a.campaign_id"
            " LEFT JOIN agent_configs ag ON ag.tenant_id = r.tenant_id AND ag.role = r.agent_role WHERE ")
        + scope.condition(QStringLiteral("r.tenant_id"))
        + QStringLiteral(
            " AND r.started_at >= ? AND r.started_at < ? AND r.cost_micros > 0 ORDER BY r.started_at"));
    scope.bind(q);
    q.bind(fromMs).bind(toMs);
    if (auto r = q.exec(); !r.ok())
        return r.error();
    QList<SpendRow> out;
    while (q.next())
        out.append({q.int64(0), q.int64(1), q.string(2), q.string(3), q.string(4), q.string(5), q.string(6),
            q.string(7)});
    return out;
}

Result<BudgetTotals> AnalyticsRepository::budget(const TenantScope &scope)
{
    auto q = m_db.query(
        QStringLiteral("SELECT COALESCE(SUM(budget_cap_micros), 0), COALESCE(SUM(spent_micros), 0),"
                       " COUNT(*) FROM campaigns WHERE ")
        + scope.condition(QStringLiteral("tenant_id"))
        + QStringLiteral(" AND budget_cap_micros IS NOT NULL AND status <> 'archived'"));
    scope.bind(q);
    if (auto r = q.exec(); !r.ok())
        return r.error();
    BudgetTotals t;
    if (q.next()) {
        t.capMicros = q.int64(0);
        t.spentMicros = q.int64(1);
        t.cappedCampaigns = int(q.int64(2));
    }
    return t;
}

Result<QList<TenantMember>> AnalyticsRepository::members(const TenantScope &scope)
{
    auto q = m_db.query(QStringLiteral("SELECT id, name, role, status FROM users WHERE ")
        + scope.condition(QStringLiteral("tenant_id"))
        + QStringLiteral(" AND status <> 'deleted' ORDER BY created_at, id"));
    scope.bind(q);
    if (auto r = q.exec(); !r.ok())
        return r.error();
    QList<TenantMember> out;
    while (q.next())
        out.append({q.string(0), q.string(1), q.string(2), q.string(3)});
    return out;
}

Result<int> AnalyticsRepository::completedBetween(
    const TenantScope &scope, const QString &deliverableId, qint64 fromMs, qint64 toMs)
{
    auto q = m_db.query(QStringLiteral("SELECT COUNT(*) FROM activities WHERE ")
        + scope.condition(QStringLiteral("tenant_id"))
        + QStringLiteral(
            " AND deliverable_id = ? AND status = 'done' AND completed_at >= ? AND completed_at < ?"));
    scope.bind(q);
    q.bind(deliverableId).bind(fromMs).bind(toMs);
    if (auto r = q.exec(); !r.ok())
        return r.error();
    return q.next() ? int(q.int64(0)) : 0;
}

} // namespace lm::store
