// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "services/activityflow.h"
#include "store/approvalrepository.h"

namespace lm::services {

/// Who acts: a person (with the request's id and ip for the audit log) or an agent.
struct Actor
{
    QString type = QStringLiteral("human"); ///< human | agent | system
    QString id;
    QString name;
    QString ip;
    QString requestId;
};

/// The audit row of a change `by` made in `tenantId` (actor, ip and request id from `by`).
[[nodiscard]] store::AuditEntry actorAudit(const Actor &by, const QString &tenantId, const QString &action,
    const QString &targetType, const QString &targetId, const QJsonObject &changes, qint64 nowMs);

/// An approval gate to open.
struct NewApproval
{
    QString tenantId;
    QString campaignId;
    QString title;
    QString type;
    QString riskLevel;
    QString description;
    QStringList options;
    qint64 expiresAtMs = 0;
    QString runId;
    QStringList activityIds; ///< activities held by the gate (each must be in progress)
};

/// A decision on an approval.
struct ApprovalDecision
{
    QString resolution; ///< approved | rejected | revision_requested
    QString selectedOption;
    QString note;
};

/// What resolve answers (spec: POST /approvals/:id/resolve).
struct ApprovalResolved
{
    QString approvalId;
    QString resolution;
    int reEnqueuedActivities = 0;
};

/// Approval gates: opened by agents (or the planner), decided by people, expired by the sweep.
class ApprovalService
{
public:
    static constexpr qint64 kDefaultLifetimeMs = 72LL * 3600 * 1000;
    static constexpr int kMaxNote = 4000;

    explicit ApprovalService(EngineContext &engine)
        : m_engine(engine)
        , m_flow(engine)
    { }

    /// Opens a gate inside the caller's unit of work; its activities move to awaiting_approval
    /// (awaiting_review when `asReview`: an agent's mid-task review request, decided the same way).
    Result<store::Approval> create(
        UnitOfWork &work, const NewApproval &request, const Actor &createdBy, bool asReview = false);
    /// Checks and applies a decision in its own transaction. The approval is looked up in `scope`
    /// (a tenant, or every tenant for DM reviewers): another tenant's approval is NOT_FOUND.
    Result<ApprovalResolved> resolve(const store::TenantScope &scope, const QString &approvalId,
        const ApprovalDecision &decision, const Actor &by);
    /// Expires what is due and sends the six-hour notices; returns how many approvals it expired.
    Result<int> sweep();

private:
    EngineContext &m_engine;
    ActivityFlow m_flow;
};

/// The approval as the API shows it (list item shape; `detail` adds output refs and previews).
[[nodiscard]] QJsonObject approvalJson(const store::Approval &approval, bool detail, bool withTenant = false);

} // namespace lm::services
