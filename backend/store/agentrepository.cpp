// SPDX-License-Identifier: GPL-3.0-or-later
#include "agentrepository.h"

#include "store/sqljson.h"

#include <algorithm>

namespace lm::store {

namespace {
const QString kAgentColumns = QStringLiteral(
    "id, tenant_id, role, name, status, model, adapter_type, adapter_config, adapter_secret, tool_names,"
    " concurrency, max_cost_micros_per_activity, reports_to, is_global_default, last_error_at,"
    " last_error_message, created_at, updated_at");

AgentConfig readAgent(const SqlQuery &q)
{
    AgentConfig a;
    a.id = q.string(0);
    a.tenantId = q.string(1);
    a.role = q.string(2);
    a.name = q.string(3);
    a.status = q.string(4);
    a.model = q.string(5);
    a.adapterType = q.string(6);
    a.adapterConfig = objectFromJson(q.string(7));
    a.adapterSecretSealed = q.value(8).toByteArray();
    a.toolNames = stringListFromJson(q.string(9));
    a.concurrency = int(q.int64(10));
    a.maxCostMicrosPerActivity = q.optionalInt64(11);
    a.reportsTo = q.string(12);
    a.isGlobalDefault = q.int64(13) != 0;
    a.lastErrorAtMs = q.optionalInt64(14);
    a.lastErrorMessage = q.string(15);
    a.createdAtMs = q.int64(16);
    a.updatedAtMs = q.int64(17);
    return a;
}

Skill readSkill(const SqlQuery &q)
{
    Skill s;
    s.id = q.string(0);
    s.tenantId = q.string(1);
    s.name = q.string(2);
    s.description = q.string(3);
    s.agentRoles = stringListFromJson(q.string(4));
    s.content = q.string(5);
    s.createdBy = q.string(6);
    s.createdAtMs = q.int64(7);
    s.updatedAtMs = q.int64(8);
    return s;
}

QVariant blobOrNull(const QByteArray &bytes)
{
    return bytes.isEmpty() ? QVariant(QMetaType::fromType<QByteArray>()) : QVariant(bytes);
}
} // namespace

Result<void> AgentRepository::insert(const AgentConfig &a)
{
    auto q = m_db.query(QStringLiteral("INSERT INTO agent_configs (") + kAgentColumns
        + QStringLiteral(") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    q.bind(a.id)
        .bind(a.tenantId)
        .bind(a.role)
        .bind(a.name)
        .bind(a.status)
        .bind(a.model)
        .bind(a.adapterType)
        .bind(jsonText(a.adapterConfig))
        .bind(blobOrNull(a.adapterSecretSealed))
        .bind(jsonText(a.toolNames))
        .bind(a.concurrency)
        .bindNullableInt(a.maxCostMicrosPerActivity)
        .bindNullableString(a.reportsTo)
        .bind(a.isGlobalDefault ? 1 : 0)
        .bindNullableInt(a.lastErrorAtMs)
        .bindNullableString(a.lastErrorMessage)
        .bind(a.createdAtMs)
        .bind(a.updatedAtMs);
    return q.exec();
}

Result<void> AgentRepository::update(const TenantScope &scope, const AgentConfig &a)
{
    auto q = m_db.query(
        QStringLiteral(
            "UPDATE agent_configs SET name = ?, status = ?, model = ?, adapter_type = ?, adapter_config = ?,"
            " adapter_secret = ?, tool_names = ?, concurrency = ?, max_cost_micros_per_activity = ?, "
            "reports_to = ?,"
            " is_global_default = ?, last_error_at = ?, last_error_message = ?, updated_at = ? WHERE id = ? "
            "AND ")
        + scope.condition(QStringLiteral("tenant_id")));
    q.bind(a.name)
        .bind(a.status)
        .bind(a.model)
        .bind(a.adapterType)
        .bind(jsonText(a.adapterConfig))
        .bind(blobOrNull(a.adapterSecretSealed))
        .bind(jsonText(a.toolNames))
        .bind(a.concurrency)
        .bindNullableInt(a.maxCostMicrosPerActivity)
        .bindNullableString(a.reportsTo)
        .bind(a.isGlobalDefault ? 1 : 0)
        .bindNullableInt(a.lastErrorAtMs)
        .bindNullableString(a.lastErrorMessage)
        .bind(a.updatedAtMs)
        .bind(a.id);
    scope.bind(q);
    if (auto r = q.exec(); !r.ok())
        return r;
    if (q.rowsAffected() != 1)
        return ApiError::notFound(QStringLiteral("agent not found"));
    return {};
}

Result<std::optional<AgentConfig>> AgentRepository::findByRole(const TenantScope &scope, const QString &role)
{
    auto q = m_db.query(QStringLiteral("SELECT ") + kAgentColumns
        + QStringLiteral(" FROM agent_configs WHERE role = ? AND ")
        + scope.condition(QStringLiteral("tenant_id")));
    q.bind(role);
    scope.bind(q);
    if (auto r = q.exec(); !r.ok())
        return r.error();
    if (!q.next())
        return std::optional<AgentConfig>();
    return std::optional<AgentConfig>(readAgent(q));
}

Result<QList<AgentConfig>> AgentRepository::list(const TenantScope &scope)
{
    auto q
        = m_db.query(QStringLiteral("SELECT ") + kAgentColumns + QStringLiteral(" FROM agent_configs WHERE ")
            + scope.condition(QStringLiteral("tenant_id")) + QStringLiteral(" ORDER BY tenant_id, role"));
    scope.bind(q);
    if (auto r = q.exec(); !r.ok())
        return r.error();
    QList<AgentConfig> out;
    while (q.next())
        out.append(readAgent(q));
    return out;
}

Result<void> AgentRepository::insertSkill(const Skill &s)
{
    auto q = m_db.query(QStringLiteral(
        "INSERT INTO skills (id, tenant_id, name, description, agent_roles, content, created_by, created_at,"
        " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    q.bind(s.id)
        .bindNullableString(s.tenantId)
        .bind(s.name)
        .bind(s.description)
        .bind(jsonText(s.agentRoles))
        .bind(s.content)
        .bind(s.createdBy)
        .bind(s.createdAtMs)
        .bind(s.updatedAtMs);
    return q.exec();
}

Result<QList<Skill>> AgentRepository::skillsForRole(const QString &tenantId, const QString &role)
{
    // Roles are a small JSON array; the match is on the quoted name so "seo" never matches "seo_lead".
    auto q = m_db.query(QStringLiteral(
        "SELECT id, tenant_id, name, description, agent_roles, content, created_by, created_at, updated_at"
        " FROM skills WHERE (tenant_id = ? OR tenant_id IS NULL) AND agent_roles LIKE ? ORDER BY name, id"));
    q.bind(tenantId).bind(QStringLiteral("%\"") + role + QStringLiteral("\"%"));
    if (auto r = q.exec(); !r.ok())
        return r.error();
    QList<Skill> out;
    while (q.next()) {
        Skill s = readSkill(q);
        if (!s.agentRoles.contains(role))
            continue;
        // A tenant's own skill replaces the global one of the same name (a customised copy).
        auto same = std::find_if(out.begin(), out.end(), [&](const Skill &o) { return o.name == s.name; });
        if (same == out.end())
            out.append(std::move(s));
        else if (!s.tenantId.isEmpty())
            *same = std::move(s);
    }
    return out;
}

Result<void> AgentRepository::upsertPrice(const ModelPriceRow &p, qint64 nowMs)
{
    auto q = m_db.query(QStringLiteral(
        "INSERT INTO model_prices (model, input_micros_per_million, output_micros_per_million, updated_at)"
        " VALUES (?, ?, ?, ?) ON CONFLICT (model) DO UPDATE SET input_micros_per_million ="
        " excluded.input_micros_per_million, output_micros_per_million = excluded.output_micros_per_million,"
        " updated_at = excluded.updated_at"));
    q.bind(p.model).bind(p.inputMicrosPerMillion).bind(p.outputMicrosPerMillion).bind(nowMs);
    return q.exec();
}

Result<std::optional<ModelPriceRow>> AgentRepository::price(const QString &model)
{
    auto q = m_db.query(QStringLiteral("SELECT model, input_micros_per_million, output_micros_per_million "
                                       "FROM model_prices WHERE model = ?"));
    q.bind(model);
    if (auto r = q.exec(); !r.ok())
        return r.error();
    if (!q.next())
        return std::optional<ModelPriceRow>();
    return std::optional<ModelPriceRow>(ModelPriceRow {q.string(0), q.int64(1), q.int64(2)});
}

} // namespace lm::store
