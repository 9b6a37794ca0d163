// SPDX-License-Identifier: GPL-3.0-or-later
#include "approvalbudget.h"

#include "store/campaigncostrepository.h"
#include "workflow/budget.h"
#include "workflow/budgetprojection.h"

#include <QHash>
#include <QJsonObject>

namespace lm::api::dm {

namespace {
QJsonValue usdOrNull(const std::optional<qint64> &micros)
{
    return micros ? QJsonValue(workflow::Budget::toUsd(*micros)) : QJsonValue();
}

/// The approval's campaign, or that of its first linked activity that has one.
Result<QString> campaignOf(
    store::Store &store, const store::TenantScope &scope, const store::Approval &approval)
{
    if (!approval.campaignId.isEmpty())
        return approval.campaignId;
    for (const auto &linked : approval.linkedActivities) {
        auto activity = store.activities.find(scope, linked.id);
        if (!activity.ok())
            return activity.error();
        if (activity->has_value() && !(*activity)->campaignId.isEmpty())
            return (*activity)->campaignId;
    }
    return QString();
}
} // namespace

Result<QJsonValue> approvalBudgetJson(store::Store &store, const store::Approval &approval)
{
    const auto scope = store::TenantScope::tenant(approval.tenantId);
    auto campaignId = campaignOf(store, scope, approval);
    if (!campaignId.ok())
        return campaignId.error();
    if (campaignId->isEmpty())
        return QJsonValue();
    auto campaign = store.campaigns.find(scope, *campaignId);
    if (!campaign.ok())
        return campaign.error();
    if (!campaign->has_value())
        return QJsonValue();
    const store::Campaign &c = **campaign;

    store::CampaignCostRepository costs(store.db());
    auto finished = costs.finishedCosts(scope, c.id);
    if (!finished.ok())
        return finished.error();
    auto open = costs.openCosts(scope, c.id);
    if (!open.ok())
        return open.error();
    auto agents = store.agents.list(scope);
    if (!agents.ok())
        return agents.error();
    QHash<QString, std::optional<qint64>> maxByRole;
    for (const auto &agent : std::as_const(*agents))
        maxByRole.insert(agent.role, agent.maxCostMicrosPerActivity);
    for (auto &activity : *open)
        activity.agentMaxMicros = maxByRole.value(activity.agentRole);
    const workflow::BudgetProjection projection = workflow::projectBudget(*finished, *open);

    qint64 linkedMicros = 0;
    for (const auto &linked : approval.linkedActivities) {
        auto runs = store.runs.forActivity(scope, linked.id);
        if (!runs.ok())
            return runs.error();
        for (const auto &run : std::as_const(*runs))
            linkedMicros += run.costMicros;
    }

    return QJsonValue(QJsonObject {{QStringLiteral("campaignId"), c.id},
        {QStringLiteral("campaignName"), c.name}, {QStringLiteral("capUsd"), usdOrNull(c.budgetCapMicros)},
        {QStringLiteral("spentUsd"), workflow::Budget::toUsd(projection.spentMicros)},
        {QStringLiteral("linkedActivitiesSpentUsd"), workflow::Budget::toUsd(linkedMicros)},
        {QStringLiteral("projectedUsd"), usdOrNull(projection.projectedMicros)},
        {QStringLiteral("projectedBasis"), workflow::projectionBasisName(projection.basis)},
        {QStringLiteral("completedActivities"), projection.completedActivities},
        {QStringLiteral("openActivities"), projection.openActivities}});
}

} // namespace lm::api::dm
