// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "services/engine.h"
#include "workflow/activitystatemachine.h"

namespace lm::services {

/// What comes with a transition.
struct TransitionDetails
{
    QString note; ///< wake note (reviewer feedback), blocker reason, failure error
    QString approvalId; ///< the gate an activity now waits on
    qint64 runDelayMs = 0; ///< when it becomes assigned: how long before its run may start
};

/// Moves activities through the state machine inside a unit of work: the table decides, the row
/// changes only if nobody moved it first, the events are written, and an activity that becomes
/// assigned gets its run job in the same transaction.
class ActivityFlow
{
public:
    explicit ActivityFlow(EngineContext &engine)
        : m_engine(engine)
    { }

    /// Applies `event` to `activity` (as last read) and returns it as saved. `runId`, when set, is
    /// the id the run started by the resulting run job will carry (a retry answers it at once).
    Result<store::Activity> apply(UnitOfWork &work, store::Activity activity, workflow::ActivityEvent event,
        const TransitionDetails &details = {}, const QString &runId = {});
    /// Applies a wake reason (re-enqueue).
    Result<store::Activity> wake(UnitOfWork &work, store::Activity activity, workflow::WakeReason reason,
        const TransitionDetails &details = {}, const QString &runId = {});

private:
    /// After a subtask is done: wakes its parent once all its subtasks are done.
    Result<void> wakeParentIfSubtasksDone(UnitOfWork &work, const store::Activity &subtask);
    EngineContext &m_engine;
};

/// The activity summary of the spec (ActivitySummary).
[[nodiscard]] QJsonObject activitySummaryJson(const store::Activity &activity);

} // namespace lm::services
