// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/result.h"
#include "store/database.h"
#include "store/tenantscope.h"
#include "workflow/budgetprojection.h"

namespace lm::store {

/// A campaign's run costs by activity, as the budget projection reads them (the same runs, joined
/// the same way, as costByAgent of the campaign detail).
class CampaignCostRepository
{
public:
    explicit CampaignCostRepository(Database &db)
        : m_db(db)
    { }

    /// Done and failed activities of the campaign, grouped by status and agent role.
    Result<QList<workflow::FinishedCostGroup>> finishedCosts(
        const TenantScope &scope, const QString &campaignId);
    /// Every other activity of the campaign, one row each (`agentMaxMicros` left empty).
    Result<QList<workflow::OpenActivityCost>> openCosts(const TenantScope &scope, const QString &campaignId);

private:
    Database &m_db;
};

} // namespace lm::store
