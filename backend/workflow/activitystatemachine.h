// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/result.h"

#include <array>
#include <optional>

namespace lm::workflow {

/// The statuses of an activity (spec: Activities, filter.status).
enum class ActivityStatus : quint8
{
    Created,
    Assigned,
    InProgress,
    AwaitingApproval,
    AwaitingSubtask,
    AwaitingReview,
    Blocked,
    Done,
    Reassigned,
    Failed,
};
inline constexpr std::size_t kActivityStatusCount = 10;

/// Why a waiting activity is queued again (spec: wakeReason).
enum class WakeReason : quint8
{
    ReviewApproved,
    ReviewFeedback,
    RevisionRequested,
    SubtaskCompleted,
    Reassigned,
    Retry,
    Manual,
};
inline constexpr std::size_t kWakeReasonCount = 7;

/// Everything that can happen to an activity. Wakes are events of their own, one per reason, so
/// the table below decides each of them explicitly.
enum class ActivityEvent : quint8
{
    Assign, ///< the planner gives a new activity to an agent role or a person
    Start, ///< a run begins
    Complete, ///< the run delivered its result and nothing gates it
    RequestApproval, ///< the agent opened an approval gate and waits for it
    CreateSubtask, ///< the agent delegated work and waits for it
    RequestReview, ///< the agent asked a person to look mid-task
    ReportBlocker, ///< the agent cannot go on
    Reassign, ///< handed to another role
    Fail, ///< the run failed for good (retries spent)
    Pause, ///< a DM reviewer or an admin paused it
    BudgetExceeded, ///< the campaign cap or the per-activity maximum was reached
    ApprovalExpired, ///< its approval passed expiresAt undecided
    WakeReviewApproved,
    WakeReviewFeedback,
    WakeRevisionRequested,
    WakeSubtaskCompleted,
    WakeReassigned,
    WakeRetry,
    WakeManual,
};
inline constexpr std::size_t kActivityEventCount = 19;

/// Why an activity is blocked (shown to people, and deciding who may unblock it).
enum class BlockReason : quint8
{
    AgentBlocker,
    Paused,
    BudgetExceeded,
    ApprovalExpired
};

[[nodiscard]] QString statusName(ActivityStatus status);
[[nodiscard]] std::optional<ActivityStatus> parseStatus(QStringView name);
[[nodiscard]] QString wakeReasonName(WakeReason reason);
[[nodiscard]] std::optional<WakeReason> parseWakeReason(QStringView name);
[[nodiscard]] QString eventName(ActivityEvent event);
[[nodiscard]] QString blockReasonName(BlockReason reason);
/// The wake event for a reason.
[[nodiscard]] ActivityEvent wakeEvent(WakeReason reason);
/// The block reason an event implies, for the events that lead to Blocked.
[[nodiscard]] std::optional<BlockReason> blockReasonOf(ActivityEvent event);

/// The activity state machine: every (status, event) pair is decided by one table; anything the
/// table does not allow is refused with CONFLICT. Pure logic: no I/O, no clock.
namespace ActivityStateMachine {
/// The status after the event, or CONFLICT naming the status and the event.
Result<ActivityStatus> next(ActivityStatus from, ActivityEvent event);
/// True when the event is allowed in that status.
[[nodiscard]] bool allows(ActivityStatus from, ActivityEvent event);
/// Done is final; Failed only leaves by a retry.
[[nodiscard]] bool isTerminal(ActivityStatus status);
/// Statuses a pause applies to (the DM pause route answers 409 for the others).
[[nodiscard]] bool isPausable(ActivityStatus status);
} // namespace ActivityStateMachine

} // namespace lm::workflow
