// SPDX-License-Identifier: GPL-3.0-or-later
#include "recurringtaskrepository.h"

#include "store/sqljson.h"

namespace lm::store {

namespace {
const QString kColumns = QStringLiteral(
    "id, tenant_id, template_key, name, description, assignee_type, agent_role, activity_type, periodicity,"
    " trigger_kind, is_active, variables, variable_values, next_run_at, last_run_at, created_at, updated_at");

QList<RecurringTask> readAll(SqlQuery &q)
{
    QList<RecurringTask> out;
    while (q.next()) {
        RecurringTask t;
        t.id = q.string(0);
        t.tenantId = q.string(1);
        t.templateKey = q.string(2);
        t.name = q.string(3);
        t.description = q.string(4);
        t.assigneeType = q.string(5);
        t.agentRole = q.string(6);
        t.activityType = q.string(7);
        t.periodicity = q.string(8);
        t.trigger = q.string(9);
        t.isActive = q.int64(10) != 0;
        t.variables = arrayFromJson(q.string(11));
        t.variableValues = objectFromJson(q.string(12));
        t.nextRunAtMs = q.optionalInt64(13);
        t.lastRunAtMs = q.optionalInt64(14);
        t.createdAtMs = q.int64(15);
        t.updatedAtMs = q.int64(16);
        out.append(t);
    }
    return out;
}
} // namespace

Result<void> RecurringTaskRepository::insert(const RecurringTask &t)
{
    auto q = m_db.query(QStringLiteral("INSERT INTO recurring_tasks (") + kColumns
        + QStringLiteral(") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    q.bind(t.id)
        .bind(t.tenantId)
        .bindNullableString(t.templateKey)
        .bind(t.name)
        .bind(t.description.isNull() ? QStringLiteral("") : t.description)
        .bind(t.assigneeType)
        .bindNullableString(t.agentRole)
        .bind(t.activityType)
        .bind(t.periodicity)
        .bind(t.trigger)
        .bind(t.isActive ? 1 : 0)
        .bind(jsonText(t.variables))
        .bind(jsonText(t.variableValues))
        .bindNullableInt(t.nextRunAtMs)
        .bindNullableInt(t.lastRunAtMs)
        .bind(t.createdAtMs)
        .bind(t.updatedAtMs);
    return q.exec();
}

Result<std::optional<RecurringTask>> RecurringTaskRepository::find(
    const TenantScope &scope, const QString &id)
{
    auto q = m_db.query(QStringLiteral("SELECT ") + kColumns + QStringLiteral(" FROM recurring_tasks WHERE ")
        + scope.condition(QStringLiteral("tenant_id")) + QStringLiteral(" AND id = ?"));
    scope.bind(q);
    q.bind(id);
    if (auto r = q.exec(); !r.ok())
        return r.error();
    auto rows = readAll(q);
    if (rows.isEmpty())
        return std::optional<RecurringTask>();
    return std::optional<RecurringTask>(rows.first());
}

Result<QList<RecurringTask>> RecurringTaskRepository::list(const TenantScope &scope)
{
    auto q = m_db.query(QStringLiteral("SELECT ") + kColumns + QStringLiteral(" FROM recurring_tasks WHERE ")
        + scope.condition(QStringLiteral("tenant_id")) + QStringLiteral(" ORDER BY name, id"));
    scope.bind(q);
    if (auto r = q.exec(); !r.ok())
        return r.error();
    return readAll(q);
}

Result<void> RecurringTaskRepository::update(const TenantScope &scope, const RecurringTask &t)
{
    auto q = m_db.query(QStringLiteral("UPDATE recurring_tasks SET is_active = ?, periodicity = ?,"
                                       " variable_values = ?, next_run_at = ?, updated_at = ? WHERE ")
        + scope.condition(QStringLiteral("tenant_id")) + QStringLiteral(" AND id = ?"));
    q.bind(t.isActive ? 1 : 0)
        .bind(t.periodicity)
        .bind(jsonText(t.variableValues))
        .bindNullableInt(t.nextRunAtMs)
        .bind(t.updatedAtMs);
    scope.bind(q);
    q.bind(t.id);
    if (auto r = q.exec(); !r.ok())
        return r;
    if (q.rowsAffected() != 1)
        return ApiError::notFound(QStringLiteral("recurring task not found"));
    return {};
}

Result<QList<RecurringTask>> RecurringTaskRepository::dueAcrossTenants(qint64 nowMs, int limit)
{
    auto q = m_db.query(QStringLiteral("SELECT ") + kColumns
        + QStringLiteral(" FROM recurring_tasks WHERE is_active = 1 AND next_run_at IS NOT NULL"
                         " AND next_run_at <= ? ORDER BY next_run_at, id LIMIT ?"));
    q.bind(nowMs).bind(limit);
    if (auto r = q.exec(); !r.ok())
        return r.error();
    return readAll(q);
}

Result<bool> RecurringTaskRepository::claimDue(
    const QString &id, qint64 expectedNextMs, qint64 newNextMs, qint64 nowMs)
{
    auto q = m_db.query(QStringLiteral("UPDATE recurring_tasks SET next_run_at = ?, last_run_at = ?,"
                                       " updated_at = ? WHERE id = ? AND is_active = 1 AND next_run_at = ?"));
    q.bind(newNextMs).bind(nowMs).bind(nowMs).bind(id).bind(expectedNextMs);
    if (auto r = q.exec(); !r.ok())
        return r.error();
    return q.rowsAffected() == 1;
}

Result<void> RecurringTaskRepository::markRun(const TenantScope &scope, const QString &id, qint64 nowMs)
{
    auto q = m_db.query(QStringLiteral("UPDATE recurring_tasks SET last_run_at = ?, updated_at = ? WHERE ")
        + scope.condition(QStringLiteral("tenant_id")) + QStringLiteral(" AND id = ?"));
    q.bind(nowMs).bind(nowMs);
    scope.bind(q);
    q.bind(id);
    return q.exec();
}

} // namespace lm::store
