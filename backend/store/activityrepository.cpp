// SPDX-License-Identifier: GPL-3.0-or-later
#include "activityrepository.h"

#include "store/sqljson.h"

namespace lm::store {

namespace {
const QString kColumns = QStringLiteral(
    "a.id, a.tenant_id, a.campaign_id, a.deliverable_id, a.period_id, a.parent_id, a.title, a.type, a.status,"
    " a.block_reason, a.agent_role, a.assignee_user_id, a.input_prompt, a.wake_reason, a.wake_note, "
    "a.approval_id,"
    " a.output_document_id, a.output_preview, a.cost_micros, a.retry_count, a.started_at, a.completed_at,"
    " a.created_at, a.updated_at, c.name, COALESCE(ag.name, u.name, ''), d.type");
const QString kFrom
    = QStringLiteral(" FROM activities a JOIN campaigns c ON c.id = a.campaign_id"
                     " LEFT JOIN agent_configs ag ON ag.tenant_id = a.tenant_id AND ag.role = a.agent_role"
                     " LEFT JOIN users u ON u.id = a.assignee_user_id"
                     " LEFT JOIN deliverables d ON d.id = a.deliverable_id WHERE ");

Activity readActivity(const SqlQuery &q)
{
    Activity a;
    a.id = q.string(0);
    a.tenantId = q.string(1);
    a.campaignId = q.string(2);
    a.deliverableId = q.string(3);
    a.periodId = q.string(4);
    a.parentId = q.string(5);
    a.title = q.string(6);
    a.type = q.string(7);
    a.status = q.string(8);
    a.blockReason = q.string(9);
    a.agentRole = q.string(10);
    a.assigneeUserId = q.string(11);
    a.inputPrompt = q.string(12);
    a.wakeReason = q.string(13);
    a.wakeNote = q.string(14);
    a.approvalId = q.string(15);
    a.outputDocumentId = q.string(16);
    a.outputPreview = q.string(17);
    a.costMicros = q.int64(18);
    a.retryCount = int(q.int64(19));
    a.startedAtMs = q.optionalInt64(20);
    a.completedAtMs = q.optionalInt64(21);
    a.createdAtMs = q.int64(22);
    a.updatedAtMs = q.int64(23);
    a.campaignName = q.string(24);
    a.assigneeName = q.string(25);
    a.deliverableType = q.string(26);
    return a;
}

Result<QList<Activity>> readAll(SqlQuery &q)
{
    if (auto r = q.exec(); !r.ok())
        return r.error();
    QList<Activity> out;
    while (q.next())
        out.append(readActivity(q));
    return out;
}
} // namespace

Result<void> ActivityRepository::insert(const Activity &a)
{
    auto q = m_db.query(QStringLiteral(
        "INSERT INTO activities (id, tenant_id, campaign_id, deliverable_id, period_id, parent_id, title, "
        "type,"
        " status, block_reason, agent_role, assignee_user_id, input_prompt, wake_reason, wake_note, "
        "approval_id,"
        " output_document_id, output_preview, cost_micros, retry_count, started_at, completed_at, created_at,"
        " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    q.bind(a.id)
        .bind(a.tenantId)
        .bind(a.campaignId)
        .bindNullableString(a.deliverableId)
        .bindNullableString(a.periodId)
        .bindNullableString(a.parentId)
        .bind(a.title)
        .bind(a.type)
        .bind(a.status)
        .bindNullableString(a.blockReason)
        .bindNullableString(a.agentRole)
        .bindNullableString(a.assigneeUserId)
        .bind(a.inputPrompt)
        .bindNullableString(a.wakeReason)
        .bindNullableString(a.wakeNote)
        .bindNullableString(a.approvalId)
        .bindNullableString(a.outputDocumentId)
        .bindNullableString(a.outputPreview)
        .bind(a.costMicros)
        .bind(a.retryCount)
        .bindNullableInt(a.startedAtMs)
        .bindNullableInt(a.completedAtMs)
        .bind(a.createdAtMs)
        .bind(a.updatedAtMs);
    return q.exec();
}

Result<std::optional<Activity>> ActivityRepository::find(const TenantScope &scope, const QString &id)
{
    auto q = m_db.query(QStringLiteral("SELECT ") + kColumns + kFrom + QStringLiteral("a.id = ? AND ")
        + scope.condition(QStringLiteral("a.tenant_id")));
    q.bind(id);
    scope.bind(q);
    auto rows = readAll(q);
    if (!rows.ok())
        return rows.error();
    if (rows->isEmpty())
        return std::optional<Activity>();
    return std::optional<Activity>(rows->first());
}

Result<Page<Activity>> ActivityRepository::list(
    const TenantScope &scope, const ActivityFilter &filter, const PageRequest &page)
{
    QString sql
        = QStringLiteral("SELECT ") + kColumns + kFrom + scope.condition(QStringLiteral("a.tenant_id"));
    QVariantList binds;
    const auto add = [&](const QString &value, const char *column) {
        if (value.isEmpty())
            return;
        sql += QStringLiteral(" AND a.") + QLatin1String(column) + QStringLiteral(" = ?");
        binds.append(value);
    };
    add(filter.status, "status");
    add(filter.agentRole, "agent_role");
    add(filter.campaignId, "campaign_id");
    add(filter.deliverableId, "deliverable_id");
    add(filter.wakeReason, "wake_reason");
    add(filter.parentId, "parent_id");
    sql += QStringLiteral(" AND ") + keysetCondition(page, QStringLiteral("a.id"))
        + keysetOrder(page, QStringLiteral("a.id"));
    auto q = m_db.query(sql);
    scope.bind(q);
    for (const QVariant &v : binds)
        q.bind(v);
    if (!page.afterId.isEmpty())
        q.bind(page.afterId);
    auto rows = readAll(q);
    if (!rows.ok())
        return rows.error();
    return toPage(std::move(*rows), page.limit);
}

Result<void> ActivityRepository::saveTransition(
    const TenantScope &scope, const Activity &a, const QString &expectedStatus)
{
    auto q = m_db.query(
        QStringLiteral(
            "UPDATE activities SET status = ?, block_reason = ?, agent_role = ?, assignee_user_id = ?, "
            "wake_reason = ?,"
            " wake_note = ?, approval_id = ?, output_document_id = ?, output_preview = ?, retry_count = ?,"
            " started_at = ?, completed_at = ?, updated_at = ? WHERE id = ? AND status = ? AND ")
        + scope.condition(QStringLiteral("tenant_id")));
    q.bind(a.status)
        .bindNullableString(a.blockReason)
        .bindNullableString(a.agentRole)
        .bindNullableString(a.assigneeUserId)
        .bindNullableString(a.wakeReason)
        .bindNullableString(a.wakeNote)
        .bindNullableString(a.approvalId)
        .bindNullableString(a.outputDocumentId)
        .bindNullableString(a.outputPreview)
        .bind(a.retryCount)
        .bindNullableInt(a.startedAtMs)
        .bindNullableInt(a.completedAtMs)
        .bind(a.updatedAtMs)
        .bind(a.id)
        .bind(expectedStatus);
    scope.bind(q);
    if (auto r = q.exec(); !r.ok())
        return r;
    if (q.rowsAffected() != 1)
        return ApiError::conflict(QStringLiteral("activity changed meanwhile"));
    return {};
}

Result<qint64> ActivityRepository::addCost(
    const TenantScope &scope, const QString &id, qint64 micros, qint64 nowMs)
{
    auto q = m_db.query(QStringLiteral("UPDATE activities SET cost_micros = cost_micros + ?, updated_at = ?"
                                       " WHERE id = ? AND ")
        + scope.condition(QStringLiteral("tenant_id")) + QStringLiteral(" RETURNING cost_micros"));
    q.bind(micros).bind(nowMs).bind(id);
    scope.bind(q);
    if (auto r = q.exec(); !r.ok())
        return r.error();
    if (!q.next())
        return ApiError::notFound(QStringLiteral("activity not found"));
    return q.int64(0);
}

Result<QList<Activity>> ActivityRepository::inCampaignWithStatus(
    const TenantScope &scope, const QString &campaignId, const QStringList &statuses)
{
    const QString placeholders = sqlPlaceholders(statuses.size());
    auto q = m_db.query(QStringLiteral("SELECT ") + kColumns + kFrom
        + QStringLiteral("a.campaign_id = ? AND a.status IN (") + placeholders + QStringLiteral(") AND ")
        + scope.condition(QStringLiteral("a.tenant_id")) + QStringLiteral(" ORDER BY a.id"));
    q.bind(campaignId);
    for (const QString &s : statuses)
        q.bind(s);
    scope.bind(q);
    return readAll(q);
}

Result<QList<Activity>> ActivityRepository::subtasks(const TenantScope &scope, const QString &parentId)
{
    auto q = m_db.query(QStringLiteral("SELECT ") + kColumns + kFrom + QStringLiteral("a.parent_id = ? AND ")
        + scope.condition(QStringLiteral("a.tenant_id")) + QStringLiteral(" ORDER BY a.id"));
    q.bind(parentId);
    scope.bind(q);
    return readAll(q);
}

Result<ActivityCounts> ActivityRepository::counts(const TenantScope &scope, const QString &campaignId)
{
    auto q = m_db.query(
        QStringLiteral(
            "SELECT COUNT(*), SUM(CASE WHEN status = 'in_progress' THEN 1 ELSE 0 END),"
            " SUM(CASE WHEN status IN ('created', 'assigned', 'reassigned') THEN 1 ELSE 0 END),"
            " SUM(CASE WHEN status = 'done' THEN 1 ELSE 0 END) FROM activities WHERE campaign_id = ? AND ")
        + scope.condition(QStringLiteral("tenant_id")));
    q.bind(campaignId);
    scope.bind(q);
    if (auto r = q.exec(); !r.ok())
        return r.error();
    ActivityCounts c;
    if (q.next())
        c = {int(q.int64(0)), int(q.int64(1)), int(q.int64(2)), int(q.int64(3))};
    return c;
}

Result<void> ActivityRepository::insertComment(const ActivityComment &c)
{
    auto q = m_db.query(QStringLiteral("INSERT INTO activity_comments (id, tenant_id, activity_id, type, "
                                       "author_type, author_id, author_name,"
                                       " body, mentions, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    q.bind(c.id)
        .bind(c.tenantId)
        .bind(c.activityId)
        .bind(c.type)
        .bind(c.authorType)
        .bind(c.authorId)
        .bind(c.authorName)
        .bind(c.text)
        .bind(jsonText(c.mentions))
        .bind(c.createdAtMs);
    return q.exec();
}

Result<QList<ActivityComment>> ActivityRepository::comments(
    const TenantScope &scope, const QString &activityId)
{
    auto q = m_db.query(
        QStringLiteral("SELECT id, tenant_id, activity_id, type, author_type, author_id, author_name,"
                       " body, mentions, created_at FROM activity_comments WHERE activity_id = ? AND ")
        + scope.condition(QStringLiteral("tenant_id")) + QStringLiteral(" ORDER BY id"));
    q.bind(activityId);
    scope.bind(q);
    if (auto r = q.exec(); !r.ok())
        return r.error();
    QList<ActivityComment> out;
    while (q.next())
        out.append({q.string(0), q.string(1), q.string(2), q.string(3), q.string(4), q.string(5), q.string(6),
            q.string(7), arrayFromJson(q.string(8)), q.int64(9)});
    return out;
}

} // namespace lm::store
