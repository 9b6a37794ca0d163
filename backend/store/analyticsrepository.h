// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/result.h"
#include "store/database.h"
#include "store/tenantscope.h"

namespace lm::store {

/// One run's cost with what spend can be grouped by.
struct SpendRow
{
    qint64 startedAtMs = 0;
    qint64 costMicros = 0;
    QString agentRole;
    QString agentName; ///< empty when the tenant has no agent for the role any more
    QString model;
    QString campaignId;
    QString campaignName;
    QString activityType;
};

/// The caps and spend of the tenant's capped campaigns (archived ones left out).
struct BudgetTotals
{
    qint64 capMicros = 0;
    qint64 spentMicros = 0;
    int cappedCampaigns = 0;
};

/// A person of the tenant, for the org chart.
struct TenantMember
{
    QString id;
    QString name;
    QString role;
    QString status;
};

/// Reads across the engine's tables for analytics and the org chart.
class AnalyticsRepository
{
public:
    explicit AnalyticsRepository(Database &db)
        : m_db(db)
    { }

    /// Runs that started in [fromMs, toMs) with cost, oldest first.
    Result<QList<SpendRow>> spend(const TenantScope &scope, qint64 fromMs, qint64 toMs);
    Result<BudgetTotals> budget(const TenantScope &scope);
    /// Active and invited people, oldest account first.
    Result<QList<TenantMember>> members(const TenantScope &scope);
    /// Activities of a deliverable completed in [fromMs, toMs).
    Result<int> completedBetween(
        const TenantScope &scope, const QString &deliverableId, qint64 fromMs, qint64 toMs);

private:
    Database &m_db;
};

} // namespace lm::store
