// SPDX-License-Identifier: GPL-3.0-or-later
#include "campaignrepository.h"

#include "store/sqljson.h"

namespace lm::store {

namespace {
const QString kCampaignColumns = QStringLiteral(
    "id, tenant_id, name, brief, status, budget_cap_micros, spent_micros, budget_alert_sent, start_date,"
    " end_date, attachments, created_by, created_at, updated_at");

Campaign readCampaign(const SqlQuery &q)
{
    Campaign c;
    c.id = q.string(0);
    c.tenantId = q.string(1);
    c.name = q.string(2);
    c.brief = q.string(3);
    c.status = q.string(4);
    c.budgetCapMicros = q.optionalInt64(5);
    c.spentMicros = q.int64(6);
    c.budgetAlertSent = q.int64(7) != 0;
    c.startDate = q.string(8);
    c.endDate = q.string(9);
    c.attachments = stringListFromJson(q.string(10));
    c.createdBy = q.string(11);
    c.createdAtMs = q.int64(12);
    c.updatedAtMs = q.int64(13);
    return c;
}

const QString kDeliverableColumns
    = QStringLiteral("id, tenant_id, campaign_id, type, quantity, platform_ids, template_id, created_at");

Deliverable readDeliverable(const SqlQuery &q)
{
    Deliverable d;
    d.id = q.string(0);
    d.tenantId = q.string(1);
    d.campaignId = q.string(2);
    d.type = q.string(3);
    d.quantity = int(q.int64(4));
    d.platformIds = stringListFromJson(q.string(5));
    d.templateId = q.string(6);
    d.createdAtMs = q.int64(7);
    return d;
}
} // namespace

Result<void> CampaignRepository::insert(const Campaign &c)
{
    auto q = m_db.query(QStringLiteral("INSERT INTO campaigns (") + kCampaignColumns
        + QStringLiteral(") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    q.bind(c.id)
        .bind(c.tenantId)
        .bind(c.name)
        .bind(c.brief)
        .bind(c.status)
        .bindNullableInt(c.budgetCapMicros)
        .bind(c.spentMicros)
        .bind(c.budgetAlertSent ? 1 : 0)
        .bindNullableString(c.startDate)
        .bindNullableString(c.endDate)
        .bind(jsonText(c.attachments))
        .bind(c.createdBy)
        .bind(c.createdAtMs)
        .bind(c.updatedAtMs);
    return q.exec();
}

Result<std::optional<Campaign>> CampaignRepository::find(const TenantScope &scope, const QString &id)
{
    auto q = m_db.query(QStringLiteral("SELECT ") + kCampaignColumns
        + QStringLiteral(" FROM campaigns WHERE id = ? AND ") + scope.condition(QStringLiteral("tenant_id")));
    q.bind(id);
    scope.bind(q);
    if (auto r = q.exec(); !r.ok())
        return r.error();
    if (!q.next())
        return std::optional<Campaign>();
    return std::optional<Campaign>(readCampaign(q));
}

Result<Page<Campaign>> CampaignRepository::list(
    const TenantScope &scope, const QString &status, const PageRequest &page)
{
    QString sql = QStringLiteral("SELECT ") + kCampaignColumns + QStringLiteral(" FROM campaigns WHERE ")
        + scope.condition(QStringLiteral("tenant_id"))
        + (status.isEmpty() ? QStringLiteral(" AND status <> 'archived'") : QStringLiteral(" AND status = ?"))
        + QStringLiteral(" AND ") + keysetCondition(page, QStringLiteral("id"))
        + keysetOrder(page, QStringLiteral("id"));
    auto q = m_db.query(sql);
    scope.bind(q);
    if (!status.isEmpty())
        q.bind(status);
    if (!page.afterId.isEmpty())
        q.bind(page.afterId);
    if (auto r = q.exec(); !r.ok())
        return r.error();
    QList<Campaign> rows;
    while (q.next())
        rows.append(readCampaign(q));
    return toPage(std::move(rows), page.limit);
}

Result<void> CampaignRepository::setStatus(
    const TenantScope &scope, const QString &id, const QString &status, qint64 nowMs)
{
    auto q = m_db.query(QStringLiteral("UPDATE campaigns SET status = ?, updated_at = ? WHERE id = ? AND ")
        + scope.condition(QStringLiteral("tenant_id")));
    q.bind(status).bind(nowMs).bind(id);
    scope.bind(q);
    if (auto r = q.exec(); !r.ok())
        return r;
    if (q.rowsAffected() != 1)
        return ApiError::notFound(QStringLiteral("campaign not found"));
    return {};
}

Result<void> CampaignRepository::update(const TenantScope &scope, const Campaign &c)
{
    auto q = m_db.query(QStringLiteral("UPDATE campaigns SET name = ?, brief = ?, budget_cap_micros = ?,"
                                       " status = ?, updated_at = ? WHERE id = ? AND ")
        + scope.condition(QStringLiteral("tenant_id")));
    q.bind(c.name)
        .bind(c.brief)
        .bindNullableInt(c.budgetCapMicros)
        .bind(c.status)
        .bind(c.updatedAtMs)
        .bind(c.id);
    scope.bind(q);
    if (auto r = q.exec(); !r.ok())
        return r;
    if (q.rowsAffected() != 1)
        return ApiError::notFound(QStringLiteral("campaign not found"));
    return {};
}

Result<Campaign> CampaignRepository::addSpend(
    const TenantScope &scope, const QString &id, qint64 micros, qint64 nowMs)
{
    auto q = m_db.query(QStringLiteral("UPDATE campaigns SET spent_micros = spent_micros + ?, updated_at = ?"
                                       " WHERE id = ? AND ")
        + scope.condition(QStringLiteral("tenant_id")) + QStringLiteral(" RETURNING ") + kCampaignColumns);
    q.bind(micros).bind(nowMs).bind(id);
    scope.bind(q);
    if (auto r = q.exec(); !r.ok())
        return r.error();
    if (!q.next())
        return ApiError::notFound(QStringLiteral("campaign not found"));
    return readCampaign(q);
}

Result<bool> CampaignRepository::markBudgetAlertSent(const TenantScope &scope, const QString &id)
{
    auto q = m_db.query(
        QStringLiteral(
            "UPDATE campaigns SET budget_alert_sent = 1 WHERE id = ? AND budget_alert_sent = 0 AND ")
        + scope.condition(QStringLiteral("tenant_id")));
    q.bind(id);
    scope.bind(q);
    if (auto r = q.exec(); !r.ok())
        return r.error();
    return q.rowsAffected() == 1;
}

Result<void> CampaignRepository::insertDeliverable(const Deliverable &d)
{
    auto q = m_db.query(QStringLiteral("INSERT INTO deliverables (") + kDeliverableColumns
        + QStringLiteral(") VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
    q.bind(d.id)
        .bind(d.tenantId)
        .bind(d.campaignId)
        .bind(d.type)
        .bind(d.quantity)
        .bind(jsonText(d.platformIds))
        .bindNullableString(d.templateId)
        .bind(d.createdAtMs);
    return q.exec();
}

Result<QList<Deliverable>> CampaignRepository::deliverables(
    const TenantScope &scope, const QString &campaignId)
{
    auto q = m_db.query(QStringLiteral("SELECT ") + kDeliverableColumns
        + QStringLiteral(" FROM deliverables WHERE campaign_id = ? AND ")
        + scope.condition(QStringLiteral("tenant_id")) + QStringLiteral(" ORDER BY id"));
    q.bind(campaignId);
    scope.bind(q);
    if (auto r = q.exec(); !r.ok())
        return r.error();
    QList<Deliverable> out;
    while (q.next())
        out.append(readDeliverable(q));
    return out;
}

Result<std::optional<Deliverable>> CampaignRepository::findDeliverable(
    const TenantScope &scope, const QString &id)
{
    auto q = m_db.query(QStringLiteral("SELECT ") + kDeliverableColumns
        + QStringLiteral(" FROM deliverables WHERE id = ? AND ")
        + scope.condition(QStringLiteral("tenant_id")));
    q.bind(id);
    scope.bind(q);
    if (auto r = q.exec(); !r.ok())
        return r.error();
    if (!q.next())
        return std::optional<Deliverable>();
    return std::optional<Deliverable>(readDeliverable(q));
}

Result<void> CampaignRepository::insertPeriod(const DeliverablePeriod &p)
{
    auto q = m_db.query(QStringLiteral(
        "INSERT INTO deliverable_periods (id, tenant_id, deliverable_id, period_start, period_end, target,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)"));
    q.bind(p.id)
        .bind(p.tenantId)
        .bind(p.deliverableId)
        .bind(p.periodStart)
        .bind(p.periodEnd)
        .bind(p.target)
        .bind(p.createdAtMs);
    return q.exec();
}

Result<QList<DeliverablePeriod>> CampaignRepository::periods(
    const TenantScope &scope, const QString &deliverableId)
{
    auto q
        = m_db.query(QStringLiteral("SELECT id, tenant_id, deliverable_id, period_start, period_end, target,"
                                    " created_at FROM deliverable_periods WHERE deliverable_id = ? AND ")
            + scope.condition(QStringLiteral("tenant_id")) + QStringLiteral(" ORDER BY period_start"));
    q.bind(deliverableId);
    scope.bind(q);
    if (auto r = q.exec(); !r.ok())
        return r.error();
    QList<DeliverablePeriod> out;
    while (q.next())
        out.append(
            {q.string(0), q.string(1), q.string(2), q.string(3), q.string(4), int(q.int64(5)), q.int64(6)});
    return out;
}

Result<PeriodProgress> CampaignRepository::periodProgress(const QString &periodId)
{
    auto q = m_db.query(
        QStringLiteral("SELECT SUM(CASE WHEN status = 'done' THEN 1 ELSE 0 END),"
                       " SUM(CASE WHEN status IN ('done', 'failed', 'created') THEN 0 ELSE 1 END)"
                       " FROM activities WHERE period_id = ? AND parent_id IS NULL"));
    q.bind(periodId);
    if (auto r = q.exec(); !r.ok())
        return r.error();
    PeriodProgress p;
    if (q.next()) {
        p.completed = int(q.int64(0));
        p.inProgress = int(q.int64(1));
    }
    return p;
}

} // namespace lm::store
