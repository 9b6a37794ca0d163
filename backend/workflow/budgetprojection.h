// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>

#include <optional>

namespace lm::workflow {

/// Finished activities of a campaign with one status and agent role, and what their runs cost.
struct FinishedCostGroup
{
    QString status; ///< done | failed
    QString agentRole; ///< empty for work assigned to a person
    int count = 0;
    qint64 costMicros = 0;
};

/// One unfinished activity of a campaign and what its runs cost so far.
struct OpenActivityCost
{
    QString agentRole; ///< empty for work assigned to a person
    qint64 costMicros = 0;
    std::optional<qint64> agentMaxMicros; ///< its agent's maxCostUsdPerActivity, when set
};

/// How the projection estimated the cost still to come (the API's `projectedBasis`).
enum class ProjectionBasis : quint8
{
    CompletedMean, ///< each open agent activity costs the mean of the campaign's done agent activities
    AgentMaximum, ///< nothing done yet: each open agent activity costs its agent's maximum per activity
    NothingOpen, ///< no agent activity is open: the projection is what was spent
    NoEstimate, ///< nothing done yet and an open activity's agent has no maximum: no projection
};

/// A campaign's spend so far and at the end of its open work.
struct BudgetProjection
{
    qint64 spentMicros = 0;
    std::optional<qint64> projectedMicros; ///< empty with NoEstimate
    ProjectionBasis basis = ProjectionBasis::NothingOpen;
    int completedActivities = 0; ///< done agent activities (the mean's sample)
    int openActivities = 0; ///< unfinished agent activities (what the estimate covers)
};

/// Spent is every run's cost; projected adds, for each open agent activity, its estimate less what
/// it has already cost (never below zero). Failed activities are finished: they cost more only if
/// retried. Activities of a person cost nothing.
[[nodiscard]] BudgetProjection projectBudget(
    const QList<FinishedCostGroup> &finished, const QList<OpenActivityCost> &open);

/// `completed_mean`, `agent_max_cost`, `nothing_open`, `no_estimate`.
[[nodiscard]] QString projectionBasisName(ProjectionBasis basis);

} // namespace lm::workflow
