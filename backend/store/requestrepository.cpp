// SPDX-License-Identifier: GPL-3.0-or-later
#include "requestrepository.h"

#include "store/sqljson.h"

namespace lm::store {

namespace {
const QString kColumns = QStringLiteral(
    "r.id, r.tenant_id, r.kind, r.topic, r.target_keyword, r.brief, r.channel_id, r.platforms, "
    "r.schedule_for,"
    " r.priority, r.status, r.activity_id, r.campaign_id, r.created_by, r.created_at, r.updated_at, c.name,"
    " a.status");
const QString kFrom
    = QStringLiteral(" FROM content_requests r"
                     " LEFT JOIN channels c ON c.id = r.channel_id AND c.tenant_id = r.tenant_id"
                     " LEFT JOIN activities a ON a.id = r.activity_id AND a.tenant_id = r.tenant_id");
// The status a client sees: production ends when the activity does.
const QString kReportedStatus = QStringLiteral(
    "(CASE WHEN r.status = 'in_production' AND a.status = 'done' THEN 'completed' ELSE r.status END)");

ContentRequest readRequest(const SqlQuery &q)
{
    ContentRequest r;
    r.id = q.string(0);
    r.tenantId = q.string(1);
    r.kind = q.string(2);
    r.topic = q.string(3);
    r.targetKeyword = q.string(4);
    r.brief = q.string(5);
    r.channelId = q.string(6);
    r.platforms = stringListFromJson(q.string(7));
    r.scheduleForMs = q.optionalInt64(8);
    r.priority = q.string(9);
    r.status = q.string(10);
    r.activityId = q.string(11);
    r.campaignId = q.string(12);
    r.createdBy = q.string(13);
    r.createdAtMs = q.int64(14);
    r.updatedAtMs = q.int64(15);
    r.channelName = q.string(16);
    r.activityStatus = q.string(17);
    if (r.status == QLatin1String("in_production") && r.activityStatus == QLatin1String("done"))
        r.status = QStringLiteral("completed");
    return r;
}
} // namespace

Result<void> ContentRequestRepository::insert(const ContentRequest &r)
{
    auto q = m_db.query(QStringLiteral(
        "INSERT INTO content_requests (id, tenant_id, kind, topic, target_keyword, brief, channel_id, "
        "platforms,"
        " schedule_for, priority, status, activity_id, campaign_id, created_by, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    q.bind(r.id)
        .bind(r.tenantId)
        .bind(r.kind)
        .bind(r.topic)
        .bindNullableString(r.targetKeyword)
        .bindNullableString(r.brief)
        .bindNullableString(r.channelId)
        .bind(jsonText(r.platforms))
        .bindNullableInt(r.scheduleForMs)
        .bind(r.priority)
        .bind(r.status)
        .bindNullableString(r.activityId)
        .bindNullableString(r.campaignId)
        .bind(r.createdBy)
        .bind(r.createdAtMs)
        .bind(r.updatedAtMs);
    return q.exec();
}

Result<std::optional<ContentRequest>> ContentRequestRepository::find(
    const TenantScope &scope, const QString &id)
{
    auto q = m_db.query(QStringLiteral("SELECT ") + kColumns + kFrom + QStringLiteral(" WHERE r.id = ? AND ")
        + scope.condition(QStringLiteral("r.tenant_id")));
    q.bind(id);
    scope.bind(q);
    if (auto r = q.exec(); !r.ok())
        return r.error();
    if (!q.next())
        return std::optional<ContentRequest>();
    return std::optional<ContentRequest>(readRequest(q));
}

Result<Page<ContentRequest>> ContentRequestRepository::list(
    const TenantScope &scope, const ContentRequestFilter &filter, const PageRequest &page)
{
    QString sql = QStringLiteral("SELECT ") + kColumns + kFrom + QStringLiteral(" WHERE ")
        + scope.condition(QStringLiteral("r.tenant_id")) + QStringLiteral(" AND r.kind = ?");
    if (!filter.status.isEmpty())
        sql += QStringLiteral(" AND ") + kReportedStatus + QStringLiteral(" = ?");
    if (!filter.platform.isEmpty())
        sql += QStringLiteral(" AND r.platforms LIKE ?");
    sql += QStringLiteral(" AND ") + keysetCondition(page, QStringLiteral("r.id"))
        + keysetOrder(page, QStringLiteral("r.id"));
    auto q = m_db.query(sql);
    scope.bind(q);
    q.bind(filter.kind);
    if (!filter.status.isEmpty())
        q.bind(filter.status);
    if (!filter.platform.isEmpty())
        q.bind(
            QStringLiteral("%\"") + filter.platform + QStringLiteral("\"%")); // an enum value: no wildcards
    if (!page.afterId.isEmpty())
        q.bind(page.afterId);
    if (auto r = q.exec(); !r.ok())
        return r.error();
    QList<ContentRequest> rows;
    while (q.next())
        rows.append(readRequest(q));
    return toPage(std::move(rows), page.limit);
}

Result<void> ContentRequestRepository::startProduction(const TenantScope &scope, const QString &id,
    const QString &activityId, const QString &campaignId, qint64 nowMs)
{
    auto q
        = m_db.query(QStringLiteral("UPDATE content_requests SET status = 'in_production', activity_id = ?,"
                                    " campaign_id = ?, updated_at = ? WHERE id = ? AND ")
            + scope.condition(QStringLiteral("tenant_id")));
    q.bind(activityId).bind(campaignId).bind(nowMs).bind(id);
    scope.bind(q);
    if (auto r = q.exec(); !r.ok())
        return r;
    if (q.rowsAffected() != 1)
        return ApiError::notFound(QStringLiteral("request not found"));
    return {};
}

} // namespace lm::store
