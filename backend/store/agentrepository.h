// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/result.h"
#include "store/database.h"
#include "store/tenantscope.h"

#include <QJsonObject>
#include <QStringList>

#include <optional>

namespace lm::store {

/// A tenant's agent for one role: which model and adapter, its tools, limits and place in the org chart.
struct AgentConfig
{
    QString id;
    QString tenantId;
    QString role; ///< activity_planner, strategist, copywriter, …
    QString name;
    QString status = QStringLiteral("active"); ///< active | idle | error | paused | terminated
    QString model;
    QString adapterType; ///< simulator | openai | anthropic | ollama | webhook
    QJsonObject adapterConfig; ///< non-secret settings (baseUrl, promptTemplate, timeoutSec, …)
    QByteArray adapterSecretSealed; ///< the sealed API key; empty when none
    QStringList toolNames;
    int concurrency = 2;
    std::optional<qint64> maxCostMicrosPerActivity;
    QString reportsTo; ///< role of the agent above it in the org chart; empty at the top
    bool isGlobalDefault = true;
    std::optional<qint64> lastErrorAtMs;
    QString lastErrorMessage;
    qint64 createdAtMs = 0;
    qint64 updatedAtMs = 0;
};

/// A skill: Markdown instructions given to the agents of some roles. No tenant: a global skill.
struct Skill
{
    QString id;
    QString tenantId;
    QString name;
    QString description;
    QStringList agentRoles;
    QString content;
    QString createdBy;
    qint64 createdAtMs = 0;
    qint64 updatedAtMs = 0;
};

/// A model's price, per million tokens, in micro-dollars.
struct ModelPriceRow
{
    QString model;
    qint64 inputMicrosPerMillion = 0;
    qint64 outputMicrosPerMillion = 0;
};

/// Agent configs, skills and the model price table.
class AgentRepository
{
public:
    explicit AgentRepository(Database &db)
        : m_db(db)
    { }

    Result<void> insert(const AgentConfig &agent);
    /// Saves the changeable fields (status, model, adapter, tools, limits, org chart, errors).
    Result<void> update(const TenantScope &scope, const AgentConfig &agent);
    Result<std::optional<AgentConfig>> findByRole(const TenantScope &scope, const QString &role);
    Result<QList<AgentConfig>> list(const TenantScope &scope);

    Result<void> insertSkill(const Skill &skill);
    /// The tenant's own and the global skills assigned to a role, by name; a tenant skill hides a
    /// global one of the same name.
    Result<QList<Skill>> skillsForRole(const QString &tenantId, const QString &role);
    /// Skills a tenant sees (its own and the global ones), by name; `scope` "tenant" | "global" | empty
    /// and `role` (assigned to) filter when set. (agentskills.cpp)
    Result<QList<Skill>> visibleSkills(const QString &tenantId, const QString &scope, const QString &role);
    /// A skill the tenant sees: its own or a global one.
    Result<std::optional<Skill>> findVisibleSkill(const QString &tenantId, const QString &id);
    /// Saves name, description, roles and content of a skill of the scope (never a global one).
    Result<void> updateSkill(const TenantScope &scope, const Skill &skill);
    Result<void> removeSkill(const TenantScope &scope, const QString &id);

    Result<void> upsertPrice(const ModelPriceRow &price, qint64 nowMs);
    Result<std::optional<ModelPriceRow>> price(const QString &model);

private:
    Database &m_db;
};

} // namespace lm::store
