// SPDX-License-Identifier: GPL-3.0-or-later
#include "runrepository.h"

namespace lm::store {

namespace {
const QString kColumns = QStringLiteral("id, tenant_id, activity_id, agent_role, adapter_type, model, "
                                        "status, token_hash, input_tokens, output_tokens,"
                                        " cost_micros, error, started_at, completed_at");

Run readRun(const SqlQuery &q)
{
    Run r;
    r.id = q.string(0);
    r.tenantId = q.string(1);
    r.activityId = q.string(2);
    r.agentRole = q.string(3);
    r.adapterType = q.string(4);
    r.model = q.string(5);
    r.status = q.string(6);
    r.tokenHash = q.value(7).toByteArray();
    r.inputTokens = q.int64(8);
    r.outputTokens = q.int64(9);
    r.costMicros = q.int64(10);
    r.error = q.string(11);
    r.startedAtMs = q.int64(12);
    r.completedAtMs = q.optionalInt64(13);
    return r;
}

Result<QList<Run>> readAll(SqlQuery &q)
{
    if (auto r = q.exec(); !r.ok())
        return r.error();
    QList<Run> out;
    while (q.next())
        out.append(readRun(q));
    return out;
}
} // namespace

Result<void> RunRepository::insert(const Run &r)
{
    auto q = m_db.query(QStringLiteral("INSERT INTO runs (") + kColumns
        + QStringLiteral(") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    q.bind(r.id)
        .bind(r.tenantId)
        .bind(r.activityId)
        .bind(r.agentRole)
        .bind(r.adapterType)
        .bind(r.model)
        .bind(r.status)
        .bind(r.tokenHash.isEmpty() ? QVariant(QMetaType::fromType<QByteArray>()) : QVariant(r.tokenHash))
        .bind(r.inputTokens)
        .bind(r.outputTokens)
        .bind(r.costMicros)
        .bindNullableString(r.error)
        .bind(r.startedAtMs)
        .bindNullableInt(r.completedAtMs);
    return q.exec();
}

Result<std::optional<Run>> RunRepository::find(const TenantScope &scope, const QString &id)
{
    auto q = m_db.query(QStringLiteral("SELECT ") + kColumns + QStringLiteral(" FROM runs WHERE id = ? AND ")
        + scope.condition(QStringLiteral("tenant_id")));
    q.bind(id);
    scope.bind(q);
    auto rows = readAll(q);
    if (!rows.ok())
        return rows.error();
    return rows->isEmpty() ? std::optional<Run>() : std::optional<Run>(rows->first());
}

Result<std::optional<Run>> RunRepository::findRunningByTokenHash(const QByteArray &tokenHash)
{
    // runs_status_idx narrows this to the running runs, which are few.
    auto q = m_db.query(QStringLiteral("SELECT ") + kColumns
        + QStringLiteral(" FROM runs WHERE status = 'running' AND token_hash = ?"));
    q.bind(tokenHash);
    auto rows = readAll(q);
    if (!rows.ok())
        return rows.error();
    return rows->isEmpty() ? std::optional<Run>() : std::optional<Run>(rows->first());
}

Result<void> RunRepository::recordUsage(
    const TenantScope &scope, const QString &id, qint64 inputTokens, qint64 outputTokens, qint64 costMicros)
{
    auto q = m_db.query(QStringLiteral("UPDATE runs SET input_tokens = ?, output_tokens = ?, cost_micros = ?"
                                       " WHERE id = ? AND ")
        + scope.condition(QStringLiteral("tenant_id")));
    q.bind(inputTokens).bind(outputTokens).bind(costMicros).bind(id);
    scope.bind(q);
    return q.exec();
}

Result<void> RunRepository::finish(
    const TenantScope &scope, const QString &id, const QString &status, const QString &error, qint64 nowMs)
{
    auto q = m_db.query(QStringLiteral("UPDATE runs SET status = ?, error = ?, completed_at = ?"
                                       " WHERE id = ? AND status = 'running' AND ")
        + scope.condition(QStringLiteral("tenant_id")));
    q.bind(status).bindNullableString(error).bind(nowMs).bind(id);
    scope.bind(q);
    if (auto r = q.exec(); !r.ok())
        return r;
    if (q.rowsAffected() != 1)
        return ApiError::conflict(QStringLiteral("the run has ended"));
    return {};
}

Result<QList<Run>> RunRepository::forActivity(const TenantScope &scope, const QString &activityId)
{
    auto q = m_db.query(QStringLiteral("SELECT ") + kColumns
        + QStringLiteral(" FROM runs WHERE activity_id = ? AND ")
        + scope.condition(QStringLiteral("tenant_id")) + QStringLiteral(" ORDER BY id"));
    q.bind(activityId);
    scope.bind(q);
    return readAll(q);
}

Result<int> RunRepository::runningCount(const QString &tenantId, const QString &agentRole)
{
    auto q = m_db.query(QStringLiteral(
        "SELECT COUNT(*) FROM runs WHERE status = 'running' AND tenant_id = ? AND agent_role = ?"));
    q.bind(tenantId).bind(agentRole);
    if (auto r = q.exec(); !r.ok())
        return r.error();
    return q.next() ? int(q.int64(0)) : 0;
}

Result<QList<Run>> RunRepository::runningStartedBefore(qint64 beforeMs)
{
    auto q = m_db.query(QStringLiteral("SELECT ") + kColumns
        + QStringLiteral(" FROM runs WHERE status = 'running' AND started_at < ? ORDER BY id LIMIT 500"));
    q.bind(beforeMs);
    return readAll(q);
}

Result<QList<RoleCost>> RunRepository::costByRole(const TenantScope &scope, const QString &campaignId)
{
    auto q
        = m_db.query(QStringLiteral("SELECT r.agent_role, SUM(r.cost_micros) FROM runs r JOIN activities a ON"
                                    " a.id = r.activity_id WHERE a.campaign_id = ? AND ")
            + scope.condition(QStringLiteral("r.tenant_id"))
            + QStringLiteral(" GROUP BY r.agent_role ORDER BY SUM(r.cost_micros) DESC, r.agent_role"));
    q.bind(campaignId);
    scope.bind(q);
    if (auto r = q.exec(); !r.ok())
        return r.error();
    QList<RoleCost> out;
    while (q.next())
        out.append({q.string(0), q.int64(1)});
    return out;
}

Result<void> RunRepository::insertDocument(const Document &d)
{
    auto q
        = m_db.query(QStringLiteral("INSERT INTO documents (id, tenant_id, activity_id, run_id, format, body,"
                                    " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)"));
    q.bind(d.id)
        .bind(d.tenantId)
        .bind(d.activityId)
        .bindNullableString(d.runId)
        .bind(d.format)
        .bind(d.body)
        .bind(d.createdAtMs);
    return q.exec();
}

Result<std::optional<Document>> RunRepository::findDocument(const TenantScope &scope, const QString &id)
{
    auto q = m_db.query(QStringLiteral("SELECT id, tenant_id, activity_id, run_id, format, body, created_at"
                                       " FROM documents WHERE id = ? AND ")
        + scope.condition(QStringLiteral("tenant_id")));
    q.bind(id);
    scope.bind(q);
    if (auto r = q.exec(); !r.ok())
        return r.error();
    if (!q.next())
        return std::optional<Document>();
    return std::optional<Document>(
        Document {q.string(0), q.string(1), q.string(2), q.string(3), q.string(4), q.string(5), q.int64(6)});
}

} // namespace lm::store
