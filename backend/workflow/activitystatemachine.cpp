// SPDX-License-Identifier: GPL-3.0-or-later
#include "activitystatemachine.h"

namespace lm::workflow {

namespace {

using S = ActivityStatus;
using E = ActivityEvent;
constexpr std::optional<S> no = std::nullopt;

// The whole table: one row per status, one column per event (in ActivityEvent order). A cell is the
// next status, or `no` for a refusal. Written out in full on purpose, so that adding a status or an
// event forces a decision for every cell.
// clang-format off
//                                Assign        Start          Complete RequestApproval      CreateSubtask       RequestReview       ReportBlocker Reassign       Fail       Pause      BudgetExceeded ApprovalExpired WakeReviewApproved WakeReviewFeedback WakeRevisionRequested WakeSubtaskCompleted WakeReassigned WakeRetry   WakeManual
constexpr std::array<std::array<std::optional<S>, kActivityEventCount>, kActivityStatusCount> kTable {{
    /* Created          */ {S::Assigned, no,            no,      no,                  no,                 no,                 no,           no,            no,        S::Blocked, S::Blocked,   no,             no,                no,                no,                   no,                  no,            no,         no},
    /* Assigned         */ {no,          S::InProgress, no,      no,                  no,                 no,                 no,           S::Reassigned, no,        S::Blocked, S::Blocked,   no,             no,                no,                no,                   no,                  no,            no,         no},
    /* InProgress       */ {no,          no,            S::Done, S::AwaitingApproval, S::AwaitingSubtask, S::AwaitingReview, S::Blocked,   S::Reassigned, S::Failed, S::Blocked, S::Blocked,   no,             no,                no,                no,                   no,                  no,            no,         no},
    /* AwaitingApproval */ {no,          no,            no,      no,                  no,                 no,                 no,           no,            no,        no,         no,           S::Blocked,     S::Assigned,       S::Assigned,       S::Assigned,          no,                  no,            no,         no},
    /* AwaitingSubtask  */ {no,          no,            no,      no,                  no,                 no,                 no,           no,            no,        no,         no,           no,             no,                no,                no,                   S::Assigned,         no,            no,         no},
    /* AwaitingReview   */ {no,          no,            no,      no,                  no,                 no,                 no,           no,            no,        no,         no,           no,             S::Assigned,       S::Assigned,       S::Assigned,          no,                  no,            no,         no},
    /* Blocked          */ {no,          no,            no,      no,                  no,                 no,                 no,           no,            no,        no,         no,           no,             no,                no,                no,                   no,                  no,            no,         S::Assigned},
    /* Done             */ {no,          no,            no,      no,                  no,                 no,                 no,           no,            no,        no,         no,           no,             no,                no,                no,                   no,                  no,            no,         no},
    /* Reassigned       */ {no,          no,            no,      no,                  no,                 no,                 no,           no,            no,        no,         no,           no,             no,                no,                no,                   no,                  S::Assigned,   no,         no},
    /* Failed           */ {no,          no,            no,      no,                  no,                 no,                 no,           no,            no,        no,         no,           no,             no,                no,                no,                   no,                  no,            S::Assigned, no},
}};
// clang-format on

constexpr std::array<const char *, kActivityStatusCount> kStatusNames {"created", "assigned", "in_progress",
    "awaiting_approval", "awaiting_subtask", "awaiting_review", "blocked", "done", "reassigned", "failed"};
constexpr std::array<const char *, kWakeReasonCount> kWakeNames {"review_approved", "review_feedback",
    "revision_requested", "subtask_completed", "reassigned", "retry", "manual"};
constexpr std::array<const char *, kActivityEventCount> kEventNames {"assign", "start", "complete",
    "request_approval", "create_subtask", "request_review", "report_blocker", "reassign", "fail", "pause",
    "budget_exceeded", "approval_expired", "wake_review_approved", "wake_review_feedback",
    "wake_revision_requested", "wake_subtask_completed", "wake_reassigned", "wake_retry", "wake_manual"};

template<std::size_t N>
std::optional<std::size_t> indexOf(const std::array<const char *, N> &names, QStringView name)
{
    for (std::size_t i = 0; i < N; ++i) {
        if (name == QLatin1String(names[i]))
            return i;
    }
    return std::nullopt;
}

} // namespace

QString statusName(ActivityStatus status)
{
    return QLatin1String(kStatusNames[std::size_t(status)]);
}
QString wakeReasonName(WakeReason reason)
{
    return QLatin1String(kWakeNames[std::size_t(reason)]);
}
QString eventName(ActivityEvent event)
{
    return QLatin1String(kEventNames[std::size_t(event)]);
}

std::optional<ActivityStatus> parseStatus(QStringView name)
{
    const auto i = indexOf(kStatusNames, name);
    return i ? std::optional<ActivityStatus>(ActivityStatus(*i)) : std::nullopt;
}

std::optional<WakeReason> parseWakeReason(QStringView name)
{
    const auto i = indexOf(kWakeNames, name);
    return i ? std::optional<WakeReason>(WakeReason(*i)) : std::nullopt;
}

QString blockReasonName(BlockReason reason)
{
    switch (reason) {
    case BlockReason::AgentBlocker:
        return QStringLiteral("agent_blocker");
    case BlockReason::Paused:
        return QStringLiteral("paused");
    case BlockReason::BudgetExceeded:
        return QStringLiteral("budget_exceeded");
    case BlockReason::ApprovalExpired:
        return QStringLiteral("approval_expired");
    }
    return {};
}

ActivityEvent wakeEvent(WakeReason reason)
{
    return ActivityEvent(std::size_t(ActivityEvent::WakeReviewApproved) + std::size_t(reason));
}

std::optional<BlockReason> blockReasonOf(ActivityEvent event)
{
    switch (event) {
    case ActivityEvent::ReportBlocker:
        return BlockReason::AgentBlocker;
    case ActivityEvent::Pause:
        return BlockReason::Paused;
    case ActivityEvent::BudgetExceeded:
        return BlockReason::BudgetExceeded;
    case ActivityEvent::ApprovalExpired:
        return BlockReason::ApprovalExpired;
    default:
        return std::nullopt;
    }
}

namespace ActivityStateMachine {

Result<ActivityStatus> next(ActivityStatus from, ActivityEvent event)
{
    const auto to = kTable[std::size_t(from)][std::size_t(event)];
    if (!to)
        return ApiError::conflict(
            QStringLiteral("An activity that is %1 cannot take %2").arg(statusName(from), eventName(event)));
    return *to;
}

bool allows(ActivityStatus from, ActivityEvent event)
{
    return kTable[std::size_t(from)][std::size_t(event)].has_value();
}

bool isTerminal(ActivityStatus status)
{
    return status == ActivityStatus::Done;
}

bool isPausable(ActivityStatus status)
{
    return allows(status, ActivityEvent::Pause);
}

} // namespace ActivityStateMachine

} // namespace lm::workflow
