// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/result.h"
#include "store/database.h"
#include "store/tenantscope.h"

#include <QJsonArray>
#include <QJsonObject>

#include <optional>

namespace lm::store {

/// A tenant's recurring task: a copy of a global template (or the tenant's own) that creates an
/// activity for its agent on a schedule.
struct RecurringTask
{
    QString id;
    QString tenantId;
    QString templateKey; ///< the global template it copies; empty for the tenant's own
    QString name;
    QString description;
    QString assigneeType = QStringLiteral("agent"); ///< agent | human
    QString agentRole;
    QString activityType; ///< the activity it creates: performance_report, website_audit, …
    QString periodicity; ///< daily | weekly | biweekly | monthly | quarterly
    QString trigger = QStringLiteral("schedule");
    bool isActive = true;
    QJsonArray variables; ///< [{key, label, type, required}]
    QJsonObject variableValues;
    std::optional<qint64> nextRunAtMs;
    std::optional<qint64> lastRunAtMs;
    qint64 createdAtMs = 0;
    qint64 updatedAtMs = 0;
};

class RecurringTaskRepository
{
public:
    explicit RecurringTaskRepository(Database &db)
        : m_db(db)
    { }

    Result<void> insert(const RecurringTask &task);
    Result<std::optional<RecurringTask>> find(const TenantScope &scope, const QString &id);
    /// By name.
    Result<QList<RecurringTask>> list(const TenantScope &scope);
    /// Saves isActive, periodicity, variableValues and nextRunAt.
    Result<void> update(const TenantScope &scope, const RecurringTask &task);
    /// Active tasks whose next run is due, every tenant (the scheduler's query), soonest first.
    Result<QList<RecurringTask>> dueAcrossTenants(qint64 nowMs, int limit);
    /// Takes a due run: moves next_run_at from `expectedNextMs` to `newNextMs` and stamps the run.
    /// False when another scheduler took it first (so a due run happens once).
    Result<bool> claimDue(const QString &id, qint64 expectedNextMs, qint64 newNextMs, qint64 nowMs);
    /// Stamps a manual run.
    Result<void> markRun(const TenantScope &scope, const QString &id, qint64 nowMs);

private:
    Database &m_db;
};

} // namespace lm::store
