// SPDX-License-Identifier: GPL-3.0-or-later
#include "reportrepository.h"

namespace lm::store {

namespace {
const QString kColumns = QStringLiteral(
    "id, tenant_id, campaign_id, activity_id, recurring_task_id, title, type, status, period_start,"
    " period_end, delivered_at, delivered_by, delivery_channel, created_at");

Report readRow(SqlQuery &q, bool withContent)
{
    Report r;
    r.id = q.string(0);
    r.tenantId = q.string(1);
    r.campaignId = q.string(2);
    r.activityId = q.string(3);
    r.recurringTaskId = q.string(4);
    r.title = q.string(5);
    r.type = q.string(6);
    r.status = q.string(7);
    r.periodStart = q.string(8);
    r.periodEnd = q.string(9);
    r.deliveredAtMs = q.optionalInt64(10);
    r.deliveredBy = q.string(11);
    r.deliveryChannel = q.string(12);
    r.createdAtMs = q.int64(13);
    if (withContent)
        r.content = q.string(14);
    return r;
}
} // namespace

Result<void> ReportRepository::insert(const Report &r)
{
    auto q = m_db.query(QStringLiteral("INSERT INTO reports (") + kColumns
        + QStringLiteral(", content) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    q.bind(r.id)
        .bind(r.tenantId)
        .bindNullableString(r.campaignId)
        .bindNullableString(r.activityId)
        .bindNullableString(r.recurringTaskId)
        .bind(r.title)
        .bind(r.type)
        .bind(r.status)
        .bind(r.periodStart)
        .bind(r.periodEnd)
        .bindNullableInt(r.deliveredAtMs)
        .bindNullableString(r.deliveredBy)
        .bindNullableString(r.deliveryChannel)
        .bind(r.createdAtMs)
        .bind(r.content);
    return q.exec();
}

Result<std::optional<Report>> ReportRepository::find(const TenantScope &scope, const QString &id)
{
    auto q = m_db.query(QStringLiteral("SELECT ") + kColumns + QStringLiteral(", content FROM reports WHERE ")
        + scope.condition(QStringLiteral("tenant_id")) + QStringLiteral(" AND id = ?"));
    scope.bind(q);
    q.bind(id);
    if (auto r = q.exec(); !r.ok())
        return r.error();
    if (!q.next())
        return std::optional<Report>();
    return std::optional<Report>(readRow(q, true));
}

Result<Page<Report>> ReportRepository::list(
    const TenantScope &scope, const ReportFilter &filter, const PageRequest &page)
{
    QString sql = QStringLiteral("SELECT ") + kColumns + QStringLiteral(" FROM reports WHERE ")
        + scope.condition(QStringLiteral("tenant_id")) + QStringLiteral(" AND ")
        + keysetCondition(page, QStringLiteral("id"));
    QVariantList binds;
    const auto where = [&](const QString &condition, const QString &value) {
        if (value.isEmpty())
            return;
        sql += QStringLiteral(" AND ") + condition;
        binds.append(value);
    };
    where(QStringLiteral("status = ?"), filter.status);
    where(QStringLiteral("campaign_id = ?"), filter.campaignId);
    where(QStringLiteral("type = ?"), filter.type);
    where(QStringLiteral("period_start >= ?"), filter.startDate);
    where(QStringLiteral("period_end <= ?"), filter.endDate);
    sql += keysetOrder(page, QStringLiteral("id"));
    auto q = m_db.query(sql);
    scope.bind(q);
    if (!page.afterId.isEmpty())
        q.bind(page.afterId);
    for (const QVariant &b : std::as_const(binds))
        q.bind(b);
    if (auto r = q.exec(); !r.ok())
        return r.error();
    QList<Report> rows;
    while (q.next())
        rows.append(readRow(q, false));
    return toPage(std::move(rows), page.limit);
}

} // namespace lm::store
