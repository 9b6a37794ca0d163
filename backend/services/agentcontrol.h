// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "services/activityflow.h"
#include "services/approvalservice.h"
#include "store/runrepository.h"

namespace lm::services {

/// A run that is still running, and its activity, read inside `work`: NOT_FOUND for an unknown
/// run or activity, CONFLICT once the run has ended (a result or action on an ended run).
Result<std::pair<store::Run, store::Activity>> runningRunAndActivity(
    UnitOfWork &work, const QString &tenantId, const QString &runId);

/// The control plane an agent uses while it runs: subtasks, approval gates, review requests,
/// blockers, reassignment. /agent/v1 actions and the built-in adapters' tool calls both come here,
/// so the two paths behave the same. Every action needs a running run whose activity is in progress.
class AgentControl
{
public:
    static constexpr int kMaxTitle = 300;
    static constexpr int kMaxText = 8000;

    AgentControl(EngineContext &engine, ApprovalService &approvals)
        : m_engine(engine)
        , m_approvals(approvals)
        , m_flow(engine)
    { }

    /// The control-plane tool names (create_approval, create_subtask, request_review, report_blocker,
    /// reassign).
    [[nodiscard]] static bool isAction(const QString &name);
    /// Carries out one action for the run; `name` is the tool name or the /agent/v1 path segment.
    Result<QJsonObject> perform(
        const QString &runId, const QString &tenantId, const QString &name, const QJsonObject &input);

private:
    Result<QJsonObject> createSubtask(
        UnitOfWork &work, const store::Run &run, store::Activity activity, const QJsonObject &input);
    Result<QJsonObject> createApproval(UnitOfWork &work, const store::Run &run,
        const store::Activity &activity, const QJsonObject &input, bool asReview);
    Result<QJsonObject> reportBlocker(
        UnitOfWork &work, const store::Activity &activity, const QJsonObject &input);
    Result<QJsonObject> reassign(UnitOfWork &work, store::Activity activity, const QJsonObject &input);

    EngineContext &m_engine;
    ApprovalService &m_approvals;
    ActivityFlow m_flow;
};

} // namespace lm::services
