// SPDX-License-Identifier: GPL-3.0-or-later
#include "activityflow.h"

#include "workflow/budget.h"

namespace lm::services {

using workflow::ActivityEvent;
using workflow::ActivityStatus;

namespace {
QString optionalIso(const std::optional<qint64> &ms)
{
    return ms ? isoTimestamp(*ms) : QString();
}
} // namespace

QJsonObject activitySummaryJson(const store::Activity &a)
{
    QJsonObject o {{QStringLiteral("id"), a.id}, {QStringLiteral("title"), a.title},
        {QStringLiteral("type"), a.type}, {QStringLiteral("status"), a.status},
        {QStringLiteral("agentRole"), a.agentRole.isEmpty() ? QJsonValue() : QJsonValue(a.agentRole)},
        {QStringLiteral("assigneeName"), a.assigneeName}, {QStringLiteral("campaignId"), a.campaignId},
        {QStringLiteral("campaignName"), a.campaignName},
        {QStringLiteral("costUsd"), workflow::Budget::toUsd(a.costMicros)},
        {QStringLiteral("createdOn"), isoTimestamp(a.createdAtMs)}};
    if (!a.deliverableId.isEmpty())
        o.insert(QStringLiteral("deliverableId"), a.deliverableId);
    if (!a.approvalId.isEmpty())
        o.insert(QStringLiteral("approvalId"), a.approvalId);
    if (!a.wakeReason.isEmpty())
        o.insert(QStringLiteral("wakeReason"), a.wakeReason);
    if (!a.blockReason.isEmpty())
        o.insert(QStringLiteral("blockReason"), a.blockReason);
    if (a.startedAtMs)
        o.insert(QStringLiteral("startedAt"), optionalIso(a.startedAtMs));
    if (a.completedAtMs)
        o.insert(QStringLiteral("completedAt"), optionalIso(a.completedAtMs));
    return o;
}

Result<store::Activity> ActivityFlow::apply(UnitOfWork &work, store::Activity a, ActivityEvent event,
    const TransitionDetails &details, const QString &runId)
{
    const auto from = workflow::parseStatus(a.status);
    if (!from)
        return ApiError::internal(QStringLiteral("activity has an unknown status"));
    auto to = workflow::ActivityStateMachine::next(*from, event);
    if (!to.ok())
        return to.error();

    const QString previous = a.status;
    const qint64 now = work.nowMs();
    a.status = workflow::statusName(*to);
    a.updatedAtMs = now;
    a.blockReason.clear();
    if (const auto reason = workflow::blockReasonOf(event))
        a.blockReason = workflow::blockReasonName(*reason);

    switch (event) {
    case ActivityEvent::Start:
        a.startedAtMs = now;
        a.completedAtMs.reset();
        break;
    case ActivityEvent::Complete:
        a.completedAtMs = now;
        break;
    case ActivityEvent::RequestApproval:
    case ActivityEvent::RequestReview:
        a.approvalId = details.approvalId;
        break;
    case ActivityEvent::Fail:
        a.retryCount += 1;
        break;
    case ActivityEvent::WakeReviewApproved:
    case ActivityEvent::WakeReviewFeedback:
    case ActivityEvent::WakeRevisionRequested:
    case ActivityEvent::WakeSubtaskCompleted:
    case ActivityEvent::WakeReassigned:
    case ActivityEvent::WakeRetry:
    case ActivityEvent::WakeManual: {
        static const QHash<ActivityEvent, workflow::WakeReason> reasons {
            {ActivityEvent::WakeReviewApproved, workflow::WakeReason::ReviewApproved},
            {ActivityEvent::WakeReviewFeedback, workflow::WakeReason::ReviewFeedback},
            {ActivityEvent::WakeRevisionRequested, workflow::WakeReason::RevisionRequested},
            {ActivityEvent::WakeSubtaskCompleted, workflow::WakeReason::SubtaskCompleted},
            {ActivityEvent::WakeReassigned, workflow::WakeReason::Reassigned},
            {ActivityEvent::WakeRetry, workflow::WakeReason::Retry},
            {ActivityEvent::WakeManual, workflow::WakeReason::Manual}};
        a.wakeReason = workflow::wakeReasonName(reasons.value(event));
        a.wakeNote = details.note;
        break;
    }
    default:
        break;
    }

    if (auto r = work.store().activities.saveTransition(store::TenantScope::tenant(a.tenantId), a, previous);
        !r.ok())
        return r.error();

    QJsonObject change {{QStringLiteral("activityId"), a.id}, {QStringLiteral("status"), a.status},
        {QStringLiteral("previousStatus"), previous}, {QStringLiteral("campaignId"), a.campaignId}};
    if (!a.blockReason.isEmpty())
        change.insert(QStringLiteral("blockReason"), a.blockReason);
    if (*to == ActivityStatus::Assigned && !a.wakeReason.isEmpty())
        change.insert(QStringLiteral("wakeReason"), a.wakeReason);
    if (auto r = work.tenantEvent(a.tenantId, QStringLiteral("activity_status_changed"), change); !r.ok())
        return r.error();

    Result<void> announced;
    switch (event) {
    case ActivityEvent::Start:
        announced = work.tenantEvent(a.tenantId, QStringLiteral("activity_started"),
            {{QStringLiteral("activityId"), a.id}, {QStringLiteral("title"), a.title},
                {QStringLiteral("agentRole"), a.agentRole}});
        break;
    case ActivityEvent::Complete:
        announced = work.tenantEvent(a.tenantId, QStringLiteral("activity_completed"),
            {{QStringLiteral("activityId"), a.id}, {QStringLiteral("status"), a.status},
                {QStringLiteral("campaignId"), a.campaignId}});
        break;
    case ActivityEvent::Fail:
        announced = work.tenantEvent(a.tenantId, QStringLiteral("activity_failed"),
            {{QStringLiteral("activityId"), a.id}, {QStringLiteral("error"), details.note},
                {QStringLiteral("retryCount"), a.retryCount}});
        break;
    default:
        break;
    }
    if (!announced.ok())
        return announced.error();

    // An activity that is assigned to an agent waits for a worker: its run job goes in with it.
    if (*to == ActivityStatus::Assigned && !a.agentRole.isEmpty()) {
        jobs::NewJob job;
        job.kind = JobKind::RunActivity;
        job.tenantId = a.tenantId;
        job.payload = {{QStringLiteral("activityId"), a.id}};
        if (!runId.isEmpty())
            job.payload.insert(QStringLiteral("runId"), runId);
        job.runAtMs = details.runDelayMs > 0 ? now + details.runDelayMs : 0;
        if (auto r = work.enqueue(job); !r.ok())
            return r.error();
    }
    if (event == ActivityEvent::Complete && !a.parentId.isEmpty()) {
        if (auto r = wakeParentIfSubtasksDone(work, a); !r.ok())
            return r.error();
    }
    return a;
}

Result<store::Activity> ActivityFlow::wake(UnitOfWork &work, store::Activity activity,
    workflow::WakeReason reason, const TransitionDetails &details, const QString &runId)
{
    return apply(work, std::move(activity), workflow::wakeEvent(reason), details, runId);
}

Result<void> ActivityFlow::wakeParentIfSubtasksDone(UnitOfWork &work, const store::Activity &subtask)
{
    const auto scope = store::TenantScope::tenant(subtask.tenantId);
    auto parent = work.store().activities.find(scope, subtask.parentId);
    if (!parent.ok())
        return parent.error();
    if (!parent->has_value() || (*parent)->status != QLatin1String("awaiting_subtask"))
        return {};
    auto siblings = work.store().activities.subtasks(scope, subtask.parentId);
    if (!siblings.ok())
        return siblings.error();
    for (const auto &s : std::as_const(*siblings)) {
        if (s.id != subtask.id && s.status != QLatin1String("done"))
            return {};
    }
    auto woken = wake(work, **parent, workflow::WakeReason::SubtaskCompleted,
        {QStringLiteral("Subtask done: %1").arg(subtask.title), {}, 0});
    if (!woken.ok())
        return woken.error();
    return {};
}

} // namespace lm::services
