// SPDX-License-Identifier: GPL-3.0-or-later
#include "approvalservice.h"

#include "core/logging.h"
#include "core/ulid.h"
#include "workflow/budget.h"

#include <QJsonArray>

namespace lm::services {

using workflow::ActivityEvent;

QJsonObject approvalJson(const store::Approval &a, bool detail, bool withTenant)
{
    QJsonArray linked;
    for (const auto &l : a.linkedActivities) {
        QJsonObject o {{QStringLiteral("id"), l.id}, {QStringLiteral("title"), l.title},
            {QStringLiteral("status"), l.status}};
        if (detail) {
            if (!l.outputDocumentId.isEmpty())
                o.insert(QStringLiteral("outputRef"), l.outputDocumentId);
            if (!l.outputPreview.isEmpty())
                o.insert(QStringLiteral("outputPreview"), l.outputPreview);
        }
        linked.append(o);
    }
    QJsonObject o {{QStringLiteral("id"), a.id}, {QStringLiteral("title"), a.title},
        {QStringLiteral("type"), a.type}, {QStringLiteral("riskLevel"), a.riskLevel},
        {QStringLiteral("status"), a.status}, {QStringLiteral("linkedActivities"), linked},
        {QStringLiteral("createdBy"),
            QJsonObject {{QStringLiteral("id"), a.createdById}, {QStringLiteral("name"), a.createdByName},
                {QStringLiteral("type"), a.createdByType}}},
        {QStringLiteral("createdOn"), isoTimestamp(a.createdAtMs)},
        {QStringLiteral("expiresAt"), isoTimestamp(a.expiresAtMs)}};
    if (!a.description.isEmpty())
        o.insert(QStringLiteral("description"), a.description);
    if (!a.options.isEmpty())
        o.insert(QStringLiteral("options"), QJsonArray::fromStringList(a.options));
    if (!a.campaignId.isEmpty())
        o.insert(QStringLiteral("campaignId"), a.campaignId);
    if (a.resolvedAtMs)
        o.insert(QStringLiteral("resolvedAt"), isoTimestamp(*a.resolvedAtMs));
    if (!a.resolvedById.isEmpty())
        o.insert(QStringLiteral("resolvedBy"),
            QJsonObject {{QStringLiteral("id"), a.resolvedById}, {QStringLiteral("name"), a.resolvedByName}});
    if (!a.resolution.isEmpty())
        o.insert(QStringLiteral("resolution"), a.resolution);
    if (!a.resolutionNote.isEmpty())
        o.insert(QStringLiteral("resolutionNote"), a.resolutionNote);
    if (!a.selectedOption.isEmpty())
        o.insert(QStringLiteral("selectedOption"), a.selectedOption);
    if (withTenant)
        o.insert(QStringLiteral("tenant"),
            QJsonObject {{QStringLiteral("id"), a.tenantId}, {QStringLiteral("name"), a.tenantName}});
    return o;
}

store::AuditEntry actorAudit(const Actor &by, const QString &tenantId, const QString &action,
    const QString &targetType, const QString &targetId, const QJsonObject &changes, qint64 nowMs)
{
    store::AuditEntry audit;
    audit.id = Ulid::generate();
    audit.tenantId = tenantId;
    audit.actorId = by.id;
    audit.action = action;
    audit.targetType = targetType;
    audit.targetId = targetId;
    audit.ip = by.ip;
    audit.requestId = by.requestId;
    audit.changes = changes;
    audit.createdAtMs = nowMs;
    return audit;
}

Result<store::Approval> ApprovalService::create(
    UnitOfWork &work, const NewApproval &request, const Actor &createdBy, bool asReview)
{
    const auto scope = store::TenantScope::tenant(request.tenantId);
    QList<store::Activity> held;
    for (const QString &id : request.activityIds) {
        auto activity = work.store().activities.find(scope, id);
        if (!activity.ok())
            return activity.error();
        if (!activity->has_value())
            return ApiError::notFound(QStringLiteral("activity not found"));
        held.append(**activity);
    }
    const qint64 now = work.nowMs();
    store::Approval a;
    a.id = Ulid::generate();
    a.tenantId = request.tenantId;
    a.campaignId = request.campaignId;
    if (a.campaignId.isEmpty() && !held.isEmpty())
        a.campaignId = held.first().campaignId;
    a.title = request.title;
    a.type = request.type;
    a.riskLevel = request.riskLevel;
    a.description = request.description;
    a.options = request.options;
    a.createdByType
        = createdBy.type == QLatin1String("human") ? QStringLiteral("human") : QStringLiteral("agent");
    a.createdById = createdBy.id;
    a.createdByName = createdBy.name;
    a.runId = request.runId;
    a.expiresAtMs = request.expiresAtMs > now ? request.expiresAtMs : now + kDefaultLifetimeMs;
    a.createdAtMs = now;
    a.updatedAtMs = now;
    if (auto r = work.store().approvals.insert(a, request.activityIds); !r.ok())
        return r.error();
    for (const auto &activity : std::as_const(held)) {
        auto moved = m_flow.apply(work, activity,
            asReview ? ActivityEvent::RequestReview : ActivityEvent::RequestApproval, {{}, a.id, 0});
        if (!moved.ok())
            return moved.error();
    }
    store::opsLog(work.store().db(),
        {a.tenantId, QStringLiteral("info"), QStringLiteral("approval"),
            QStringLiteral("Approval requested: %1").arg(a.title),
            {{QStringLiteral("approvalId"), a.id}, {QStringLiteral("type"), a.type},
                {QStringLiteral("riskLevel"), a.riskLevel}},
            request.activityIds.value(0), createdBy.type == QLatin1String("agent") ? createdBy.id : QString(),
            now});
    if (auto r = work.tenantEvent(a.tenantId, QStringLiteral("approval_created"),
            {{QStringLiteral("approvalId"), a.id}, {QStringLiteral("type"), a.type},
                {QStringLiteral("riskLevel"), a.riskLevel}, {QStringLiteral("title"), a.title},
                {QStringLiteral("expiresAt"), isoTimestamp(a.expiresAtMs)}});
        !r.ok())
        return r.error();
    return a;
}

Result<ApprovalResolved> ApprovalService::resolve(const store::TenantScope &scope, const QString &approvalId,
    const ApprovalDecision &decision, const Actor &by)
{
    static const QStringList kResolutions {
        QStringLiteral("approved"), QStringLiteral("rejected"), QStringLiteral("revision_requested")};
    UnitOfWork work(m_engine);
    if (!work.isActive())
        return work.error();
    auto found = work.store().approvals.find(scope, approvalId);
    if (!found.ok())
        return found.error();
    // Existence first: an approval the caller cannot see is a 404 whatever the decision says.
    if (!found->has_value())
        return ApiError::notFound(QStringLiteral("approval not found"));
    if (!kResolutions.contains(decision.resolution))
        return ApiError::validation(QStringLiteral("resolution"), QStringLiteral("invalid"),
            QStringLiteral("resolution must be approved, rejected or revision_requested"));
    if (decision.resolution != QLatin1String("approved") && decision.note.trimmed().isEmpty())
        return ApiError::validation(QStringLiteral("note"), QStringLiteral("required"),
            QStringLiteral("A note is required to reject or request a revision"));
    if (decision.note.size() > kMaxNote)
        return ApiError::validation(QStringLiteral("note"), QStringLiteral("too_long"));
    store::Approval a = **found;
    if (a.status != QLatin1String("pending"))
        return ApiError::conflict(QStringLiteral("The approval is %1, not pending").arg(a.status));
    if (!a.options.isEmpty() && decision.resolution == QLatin1String("approved")) {
        if (decision.selectedOption.isEmpty())
            return ApiError {ErrorCode::Unprocessable,
                QStringLiteral("selectedOption is required for this approval"),
                {{QStringLiteral("selectedOption"), QStringLiteral("required")}}};
        if (!a.options.contains(decision.selectedOption))
            return ApiError {ErrorCode::Unprocessable,
                QStringLiteral("selectedOption is not one of the options"),
                {{QStringLiteral("selectedOption"), QStringLiteral("unknown_option")}}};
    }

    const qint64 now = work.nowMs();
    a.status = decision.resolution == QLatin1String("approved") ? QStringLiteral("approved")
                                                                : QStringLiteral("rejected");
    a.resolution = decision.resolution;
    a.resolutionNote = decision.note.trimmed();
    a.selectedOption = decision.selectedOption;
    a.resolvedAtMs = now;
    a.resolvedById = by.id;
    a.resolvedByName = by.name;
    a.updatedAtMs = now;
    const auto tenantScope = store::TenantScope::tenant(a.tenantId);
    if (auto r = work.store().approvals.resolve(tenantScope, a); !r.ok())
        return r.error();

    const workflow::WakeReason reason = decision.resolution == QLatin1String("approved")
        ? workflow::WakeReason::ReviewApproved
        : decision.resolution == QLatin1String("rejected") ? workflow::WakeReason::ReviewFeedback
                                                           : workflow::WakeReason::RevisionRequested;
    QString note = a.resolutionNote;
    if (!a.selectedOption.isEmpty())
        note = QStringLiteral("Selected option: %1\n%2").arg(a.selectedOption, note).trimmed();
    int reEnqueued = 0;
    for (const auto &linked : std::as_const(a.linkedActivities)) {
        auto activity = work.store().activities.find(tenantScope, linked.id);
        if (!activity.ok())
            return activity.error();
        if (!activity->has_value())
            continue;
        const auto status = workflow::parseStatus((*activity)->status);
        if (!status || !workflow::ActivityStateMachine::allows(*status, workflow::wakeEvent(reason)))
            continue; // moved on meanwhile (paused, reassigned): the decision is recorded, nothing to wake
        auto woken = m_flow.wake(work, **activity, reason, {note, {}, 0});
        if (!woken.ok())
            return woken.error();
        ++reEnqueued;
    }

    const store::AuditEntry audit = actorAudit(by, a.tenantId,
        QStringLiteral("approval.%1").arg(a.resolution), QStringLiteral("approval"), a.id,
        {{QStringLiteral("status"),
            QJsonObject {
                {QStringLiteral("from"), QStringLiteral("pending")}, {QStringLiteral("to"), a.status}}}},
        now);
    if (auto r = work.store().audit.append(audit); !r.ok())
        return r.error();
    store::opsLog(work.store().db(),
        {a.tenantId, QStringLiteral("info"), QStringLiteral("approval"),
            QStringLiteral("Approval %1 by %2").arg(a.resolution, by.name),
            {{QStringLiteral("approvalId"), a.id}, {QStringLiteral("resolution"), a.resolution},
                {QStringLiteral("reEnqueuedActivities"), reEnqueued}},
            {}, {}, now});
    if (auto r = work.tenantEvent(a.tenantId, QStringLiteral("approval_resolved"),
            {{QStringLiteral("approvalId"), a.id}, {QStringLiteral("resolution"), a.resolution},
                {QStringLiteral("status"), a.status}, {QStringLiteral("reEnqueuedActivities"), reEnqueued}});
        !r.ok())
        return r.error();
    if (auto r = work.commit(); !r.ok())
        return r.error();
    return ApprovalResolved {a.id, a.resolution, reEnqueued};
}

Result<int> ApprovalService::sweep()
{
    const qint64 now = m_engine.clock.nowMs();
    int expired = 0;
    auto due = m_engine.store.approvals.pendingExpiredBy(now, 200);
    if (!due.ok())
        return due.error();
    for (store::Approval a : std::as_const(*due)) {
        UnitOfWork work(m_engine);
        if (!work.isActive())
            return work.error();
        a.status = QStringLiteral("expired");
        a.resolution = QStringLiteral("expired");
        a.resolvedAtMs = now;
        a.updatedAtMs = now;
        const auto scope = store::TenantScope::tenant(a.tenantId);
        if (auto r = work.store().approvals.resolve(scope, a); !r.ok()) {
            if (r.error().code == ErrorCode::Conflict)
                continue; // decided by a person a moment ago
            return r.error();
        }
        for (const auto &linked : std::as_const(a.linkedActivities)) {
            auto activity = work.store().activities.find(scope, linked.id);
            if (!activity.ok())
                return activity.error();
            if (!activity->has_value() || (*activity)->status != QLatin1String("awaiting_approval"))
                continue;
            auto blocked = m_flow.apply(work, **activity, ActivityEvent::ApprovalExpired);
            if (!blocked.ok())
                return blocked.error();
        }
        if (auto r = work.tenantEvent(a.tenantId, QStringLiteral("approval_expired"),
                {{QStringLiteral("approvalId"), a.id},
                    {QStringLiteral("expiresAt"), isoTimestamp(a.expiresAtMs)}});
            !r.ok())
            return r.error();
        if (auto r = work.commit(); !r.ok())
            return r.error();
        ++expired;
    }

    auto notices
        = m_engine.store.approvals.pendingNoticeDue(now + workflow::ApprovalTiming::kExpiringNoticeMs, 200);
    if (!notices.ok())
        return notices.error();
    for (const auto &a : std::as_const(*notices)) {
        if (!workflow::ApprovalTiming::expiringNoticeDue(now, a.expiresAtMs, a.expiringNoticeSent))
            continue;
        UnitOfWork work(m_engine);
        if (!work.isActive())
            return work.error();
        auto marked = work.store().approvals.markNoticeSent(a.id);
        if (!marked.ok())
            return marked.error();
        if (!*marked)
            continue;
        if (auto r = work.tenantEvent(a.tenantId, QStringLiteral("approval_expiring"),
                {{QStringLiteral("approvalId"), a.id},
                    {QStringLiteral("expiresAt"), isoTimestamp(a.expiresAtMs)},
                    {QStringLiteral("hoursLeft"), workflow::ApprovalTiming::hoursLeft(now, a.expiresAtMs)}});
            !r.ok())
            return r.error();
        if (auto r = work.commit(); !r.ok())
            return r.error();
    }
    if (expired > 0)
        qCInfo(lmEngine) << "expired" << expired << "approvals";
    return expired;
}

} // namespace lm::services
