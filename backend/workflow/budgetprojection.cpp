// SPDX-License-Identifier: GPL-3.0-or-later
#include "budgetprojection.h"

#include <algorithm>

namespace lm::workflow {

BudgetProjection projectBudget(const QList<FinishedCostGroup> &finished, const QList<OpenActivityCost> &open)
{
    BudgetProjection p;
    qint64 doneCost = 0;
    for (const auto &g : finished) {
        p.spentMicros += g.costMicros;
        if (g.status == QLatin1String("done") && !g.agentRole.isEmpty()) {
            p.completedActivities += g.count;
            doneCost += g.costMicros;
        }
    }
    qint64 toCome = 0;
    bool unknown = false;
    // Rounded half up to the micro-dollar: the mean of 3 activities of 1 µ$ each is 1 µ$, not 0.
    const qint64 mean
        = p.completedActivities > 0 ? (doneCost + p.completedActivities / 2) / p.completedActivities : 0;
    for (const auto &a : open) {
        p.spentMicros += a.costMicros;
        if (a.agentRole.isEmpty())
            continue;
        ++p.openActivities;
        qint64 estimate = mean;
        if (p.completedActivities == 0) {
            if (!a.agentMaxMicros || *a.agentMaxMicros <= 0) {
                unknown = true;
                continue;
            }
            estimate = *a.agentMaxMicros;
        }
        toCome += std::max<qint64>(0, estimate - a.costMicros);
    }
    if (p.openActivities == 0)
        p.basis = ProjectionBasis::NothingOpen;
    else if (p.completedActivities > 0)
        p.basis = ProjectionBasis::CompletedMean;
    else
        p.basis = unknown ? ProjectionBasis::NoEstimate : ProjectionBasis::AgentMaximum;
    if (p.basis != ProjectionBasis::NoEstimate)
        p.projectedMicros = p.spentMicros + toCome;
    return p;
}

QString projectionBasisName(ProjectionBasis basis)
{
    switch (basis) {
    case ProjectionBasis::CompletedMean:
        return QStringLiteral("completed_mean");
    case ProjectionBasis::AgentMaximum:
        return QStringLiteral("agent_max_cost");
    case ProjectionBasis::NothingOpen:
        return QStringLiteral("nothing_open");
    case ProjectionBasis::NoEstimate:
        return QStringLiteral("no_estimate");
    }
    return {};
}

} // namespace lm::workflow
