// SPDX-License-Identifier: GPL-3.0-or-later
// AgentRepository: the skill screens' reads and writes (Dashboard /skills).
#include "agentrepository.h"

#include "store/sqljson.h"

namespace lm::store {

namespace {
const QString kSkillColumns = QStringLiteral(
    "id, tenant_id, name, description, agent_roles, content, created_by, created_at, updated_at");

Skill readSkillRow(const SqlQuery &q)
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
} // namespace

Result<QList<Skill>> AgentRepository::visibleSkills(
    const QString &tenantId, const QString &scope, const QString &role)
{
    QString where;
    if (scope == QLatin1String("tenant"))
        where = QStringLiteral("tenant_id = ?");
    else if (scope == QLatin1String("global"))
        where = QStringLiteral("tenant_id IS NULL");
    else
        where = QStringLiteral("(tenant_id = ? OR tenant_id IS NULL)");
    if (!role.isEmpty())
        where += QStringLiteral(" AND agent_roles LIKE ?");
    auto q = m_db.query(QStringLiteral("SELECT ") + kSkillColumns + QStringLiteral(" FROM skills WHERE ")
        + where + QStringLiteral(" ORDER BY name, id"));
    if (scope != QLatin1String("global"))
        q.bind(tenantId);
    if (!role.isEmpty())
        q.bind(QStringLiteral("%\"") + role + QStringLiteral("\"%"));
    if (auto r = q.exec(); !r.ok())
        return r.error();
    QList<Skill> out;
    while (q.next()) {
        Skill s = readSkillRow(q);
        // The LIKE narrows; the parsed list decides (a role name with LIKE wildcards in it).
        if (role.isEmpty() || s.agentRoles.contains(role))
            out.append(std::move(s));
    }
    return out;
}

Result<std::optional<Skill>> AgentRepository::findVisibleSkill(const QString &tenantId, const QString &id)
{
    auto q = m_db.query(QStringLiteral("SELECT ") + kSkillColumns
        + QStringLiteral(" FROM skills WHERE id = ? AND (tenant_id = ? OR tenant_id IS NULL)"));
    q.bind(id).bind(tenantId);
    if (auto r = q.exec(); !r.ok())
        return r.error();
    if (!q.next())
        return std::optional<Skill>();
    return std::optional<Skill>(readSkillRow(q));
}

Result<void> AgentRepository::updateSkill(const TenantScope &scope, const Skill &s)
{
    auto q = m_db.query(
        QStringLiteral(
            "UPDATE skills SET name = ?, description = ?, agent_roles = ?, content = ?, updated_at = ?"
            " WHERE id = ? AND ")
        + scope.condition(QStringLiteral("tenant_id")));
    q.bind(s.name)
        .bind(s.description.isNull() ? QString(QLatin1String("")) : s.description)
        .bind(jsonText(s.agentRoles))
        .bind(s.content)
        .bind(s.updatedAtMs)
        .bind(s.id);
    scope.bind(q);
    if (auto r = q.exec(); !r.ok())
        return r;
    if (q.rowsAffected() != 1)
        return ApiError::notFound(QStringLiteral("skill not found"));
    return {};
}

Result<void> AgentRepository::removeSkill(const TenantScope &scope, const QString &id)
{
    auto q = m_db.query(QStringLiteral("DELETE FROM skills WHERE id = ? AND ")
        + scope.condition(QStringLiteral("tenant_id")));
    q.bind(id);
    scope.bind(q);
    if (auto r = q.exec(); !r.ok())
        return r;
    if (q.rowsAffected() != 1)
        return ApiError::notFound(QStringLiteral("skill not found"));
    return {};
}

} // namespace lm::store
