// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "agents/agentadapter.h"

#include <QJsonObject>
#include <QString>

#include <cstdint>

namespace lm::agents {

/// The offline agent: writes plausible Markdown for the activity type from the brief, streams it in
/// token-sized pieces, and takes control-plane actions (approvals, subtasks, reviews, blockers) by
/// deterministic dice. Same seed, activity and run ids → same text, tool calls and token counts.
class SimulatorAdapter final : public AgentAdapter
{
public:
    /// What a run does besides writing.
    enum class Action
    {
        None,
        Approval, ///< create_approval (content_review on a draft, or content_direction with options)
        Subtask, ///< create_subtask (research by seo_specialist or analyst)
        Blocker, ///< report_blocker
        Review, ///< request_review
        Failure, ///< fails part-way with a retriable UNAVAILABLE
    };

    /// The simulator's settings, read from AdapterConfig::extra.
    struct Settings
    {
        QString seed = QStringLiteral("leadmetrics"); ///< extra.seed (number or string)
        double tokensPerSecond = 40; ///< extra.tokensPerSecond; 0 streams without delay
        double approvalRate = 0.35;
        double subtaskRate = 0.15;
        double blockerRate = 0.03;
        double failureRate = 0.03;
        double reviewRate = 0.05;
        QString forceAction; ///< extra.forceAction: none|approval|subtask|blocker|review|failure

        /// Settings from extra, defaults for missing or malformed values.
        [[nodiscard]] static Settings fromExtra(const QJsonObject &extra);
    };

    [[nodiscard]] QString type() const override { return QStringLiteral("simulator"); }
    Result<RunOutcome> run(const RunRequest &request, RunSink &sink) override;
    QList<HealthCheck> health(const AdapterConfig &config) override;

    /// The PRNG seed of a run: extra.seed combined with the activity and run ids.
    [[nodiscard]] static std::uint64_t runSeed(const RunRequest &request);
    /// The wake reason of a woken run ("review_approved", …) from a user message beginning
    /// "Wake reason: "; empty for a first run.
    [[nodiscard]] static QString wakeReason(const QList<ChatMessage> &messages);
    /// The action this run will take (the same answer run() acts on).
    [[nodiscard]] static Action plannedAction(const RunRequest &request);
    /// "approval", "subtask", … as extra.forceAction spells them.
    [[nodiscard]] static QString actionName(Action action);
};

} // namespace lm::agents
