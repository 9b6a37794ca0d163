// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "services/activityflow.h"
#include "services/engine.h"
#include "store/recurringtaskrepository.h"

namespace lm::jobs {
class JobWorkers;
}

namespace lm::services {

namespace JobKind {
inline const QString RecurringTick = QStringLiteral("recurring_tasks_tick"); ///< recurring
} // namespace JobKind

/// The tenants' recurring tasks: the scheduler starts each due task once and moves its next run
/// time on; "run now" starts one at once. Starting a task creates an activity for its agent (the
/// run job is queued with it); a performance-report task also writes the report.
class RecurringTasks
{
public:
    static constexpr qint64 kTickIntervalMs = 60 * 1000;

    explicit RecurringTasks(EngineContext &engine)
        : m_engine(engine)
        , m_flow(engine)
    { }

    /// daily | weekly | biweekly | monthly | quarterly
    [[nodiscard]] static const QStringList &periodicities();
    /// The first run time of the periodicity strictly after `afterMs` (06:00 UTC on the day it falls).
    [[nodiscard]] static qint64 nextRunAfter(const QString &periodicity, qint64 afterMs);

    /// Starts every due task once (a task another scheduler took first is skipped); returns how many.
    Result<int> tick();
    /// Starts the task now and returns the new activity's id; 404 when it is not in the scope.
    /// `audit` (its changes completed with lastRunAt and activityId) commits with the start.
    Result<QString> runNow(const store::TenantScope &scope, const QString &taskId, store::AuditEntry audit);

    /// Registers the scheduler's job and keeps one tick of it in the queue (call before the workers start).
    static Result<void> install(EngineContext &engine, jobs::JobWorkers &workers);

private:
    /// Creates the activity (and report) of one start inside `work`.
    Result<QString> start(UnitOfWork &work, const store::RecurringTask &task, const QString &campaignId);
    /// The campaign a start works in: variableValues.campaignId, else the newest active campaign.
    Result<QString> campaignFor(const store::RecurringTask &task);

    EngineContext &m_engine;
    ActivityFlow m_flow;
};

} // namespace lm::services
