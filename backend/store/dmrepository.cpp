// SPDX-License-Identifier: GPL-3.0-or-later
#include "dmrepository.h"

#include <QHash>

namespace lm::store {

namespace {
// Must stay the expression of approvals_dm_queue_idx (migration 0008) for the index to serve the order.
const QString kRiskRank
    = QStringLiteral("(CASE risk_level WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END)");

/// `%text%` for LIKE … ESCAPE '\', the user's wildcards taken literally.
QString likePattern(const QString &text)
{
    QString escaped = text.toLower();
    escaped.replace(QLatin1Char('\\'), QStringLiteral("\\\\"));
    escaped.replace(QLatin1Char('%'), QStringLiteral("\\%"));
    escaped.replace(QLatin1Char('_'), QStringLiteral("\\_"));
    return QLatin1Char('%') + escaped + QLatin1Char('%');
}
} // namespace

Result<Page<QString>> DmRepository::queuePage(const DmQueueQuery &query)
{
    QString sql = QStringLiteral("SELECT id FROM approvals WHERE status = ?");
    QStringList binds {query.status};
    const auto add = [&](const QString &value, QLatin1String condition) {
        if (value.isEmpty())
            return;
        sql += QStringLiteral(" AND ") + condition;
        binds.append(value);
    };
    add(query.type, QLatin1String("type = ?"));
    add(query.riskLevel, QLatin1String("risk_level = ?"));
    add(query.tenantId, QLatin1String("tenant_id = ?"));
    if (!query.search.isEmpty())
        add(likePattern(query.search), QLatin1String("LOWER(title) LIKE ? ESCAPE '\\'"));
    // Keyset on (rank, expires_at, id) from the cursor's row: risk and expiry never change, so the
    // position holds while rows come and go.
    if (!query.afterId.isEmpty())
        add(query.afterId,
            QLatin1String(
                "("
                "(CASE risk_level WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END)"
                ", expires_at, id) > (SELECT (CASE c.risk_level WHEN 'high' THEN 0 WHEN "
                "'medium' THEN 1 ELSE 2 END), c.expires_at, c.id FROM approvals c WHERE c.id = ?)"));
    sql += QStringLiteral(" ORDER BY ") + kRiskRank + QStringLiteral(", expires_at, id LIMIT ")
        + QString::number(query.limit + 1);
    auto q = m_db.query(sql);
    for (const QString &value : std::as_const(binds))
        q.bind(value);
    if (auto r = q.exec(); !r.ok())
        return r.error();
    QList<QString> ids;
    while (q.next())
        ids.append(q.string(0));
    return toPage(std::move(ids), query.limit);
}

Result<QList<DmTenantOverview>> DmRepository::overview(qint64 nowMs, qint64 monthStartMs)
{
    constexpr qint64 day = 24LL * 3600 * 1000;
    QList<DmTenantOverview> out;
    QHash<QString, qsizetype> index;
    {
        auto q = m_db.query(QStringLiteral("SELECT id, name FROM tenants ORDER BY name, id"));
        if (auto r = q.exec(); !r.ok())
            return r.error();
        while (q.next()) {
            index.insert(q.string(0), out.size());
            DmTenantOverview t;
            t.tenantId = q.string(0);
            t.tenantName = q.string(1);
            out.append(t);
        }
    }
    const auto each = [&](SqlQuery &q, const auto &fill) -> Result<void> {
        if (auto r = q.exec(); !r.ok())
            return r;
        while (q.next()) {
            if (const auto it = index.constFind(q.string(0)); it != index.constEnd())
                fill(out[*it], q);
        }
        return {};
    };

    auto approvals = m_db.query(
        QStringLiteral("SELECT tenant_id, COUNT(*), SUM(CASE WHEN risk_level = 'high' THEN 1 ELSE 0 END),"
                       " SUM(CASE WHEN expires_at <= ? THEN 1 ELSE 0 END)"
                       " FROM approvals WHERE status = 'pending' GROUP BY tenant_id"));
    approvals.bind(nowMs + day);
    if (auto r = each(approvals,
            [](DmTenantOverview &t, const SqlQuery &q) {
                t.pending = int(q.int64(1));
                t.highRisk = int(q.int64(2));
                t.expiringIn24h = int(q.int64(3));
            });
        !r.ok())
        return r.error();

    auto activities = m_db.query(QStringLiteral(
        "SELECT tenant_id, SUM(CASE WHEN status = 'in_progress' THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN status = 'blocked' THEN 1 ELSE 0 END)"
        " FROM activities WHERE status IN ('in_progress', 'failed', 'blocked') GROUP BY tenant_id"));
    if (auto r = each(activities,
            [](DmTenantOverview &t, const SqlQuery &q) {
                t.inProgress = int(q.int64(1));
                t.failed = int(q.int64(2));
                t.blocked = int(q.int64(3));
            });
        !r.ok())
        return r.error();

    auto spend = m_db.query(QStringLiteral(
        "SELECT tenant_id, SUM(cost_micros) FROM runs WHERE started_at >= ? GROUP BY tenant_id"));
    spend.bind(monthStartMs);
    if (auto r
        = each(spend, [](DmTenantOverview &t, const SqlQuery &q) { t.monthToDateMicros = q.int64(1); });
        !r.ok())
        return r.error();

    auto caps = m_db.query(
        QStringLiteral("SELECT tenant_id, SUM(budget_cap_micros) FROM campaigns"
                       " WHERE status = 'active' AND budget_cap_micros IS NOT NULL GROUP BY tenant_id"));
    if (auto r = each(caps, [](DmTenantOverview &t, const SqlQuery &q) { t.capMicros = q.int64(1); });
        !r.ok())
        return r.error();
    return out;
}

Result<QList<EventRecord>> DmRepository::tenantEventsAfter(qint64 afterSeq, int limit)
{
    auto q = m_db.query(QStringLiteral("SELECT seq, tenant_id, type, data, created_at FROM events"
                                       " WHERE topic = 'tenant' AND seq > ? ORDER BY seq LIMIT ")
        + QString::number(limit));
    q.bind(afterSeq);
    if (auto r = q.exec(); !r.ok())
        return r.error();
    QList<EventRecord> out;
    while (q.next()) {
        EventRecord e;
        e.seq = q.int64(0);
        e.tenantId = q.string(1);
        e.type = q.string(2);
        e.data = q.value(3).toByteArray();
        e.createdAtMs = q.int64(4);
        out.append(e);
    }
    return out;
}

} // namespace lm::store
