// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/result.h"
#include "store/database.h"
#include "store/page.h"
#include "store/tenantscope.h"

#include <QStringList>

#include <optional>

namespace lm::store {

struct Campaign
{
    QString id;
    QString tenantId;
    QString name;
    QString brief;
    QString status = QStringLiteral("draft"); ///< draft | active | paused | completed | archived
    std::optional<qint64> budgetCapMicros;
    qint64 spentMicros = 0;
    bool budgetAlertSent = false;
    QString startDate; ///< YYYY-MM-DD or empty
    QString endDate;
    QStringList attachments;
    QString createdBy; ///< user id
    qint64 createdAtMs = 0;
    qint64 updatedAtMs = 0;
};

struct Deliverable
{
    QString id;
    QString tenantId;
    QString campaignId;
    QString type; ///< blog_post, social_post, …
    int quantity = 1; ///< per period
    QStringList platformIds;
    QString templateId;
    qint64 createdAtMs = 0;
};

/// A deliverable's target for one period (a calendar month).
struct DeliverablePeriod
{
    QString id;
    QString tenantId;
    QString deliverableId;
    QString periodStart; ///< YYYY-MM-DD, inclusive
    QString periodEnd; ///< YYYY-MM-DD, inclusive
    int target = 0;
    qint64 createdAtMs = 0;
};

/// Progress counts of one period, from its activities.
struct PeriodProgress
{
    int completed = 0;
    int inProgress = 0;
};

/// Campaigns with their deliverables and periods.
class CampaignRepository
{
public:
    explicit CampaignRepository(Database &db)
        : m_db(db)
    { }

    Result<void> insert(const Campaign &campaign);
    Result<std::optional<Campaign>> find(const TenantScope &scope, const QString &id);
    /// `status` filters when not empty; archived campaigns are left out unless asked for by status.
    Result<Page<Campaign>> list(const TenantScope &scope, const QString &status, const PageRequest &page);
    Result<void> setStatus(const TenantScope &scope, const QString &id, const QString &status, qint64 nowMs);
    /// Saves name, brief, budget cap and status.
    Result<void> update(const TenantScope &scope, const Campaign &campaign);
    /// Adds spend and returns the campaign as it is afterwards (inside the caller's transaction).
    Result<Campaign> addSpend(const TenantScope &scope, const QString &id, qint64 micros, qint64 nowMs);
    /// Records that the 90 % alert went out; false when it already had.
    Result<bool> markBudgetAlertSent(const TenantScope &scope, const QString &id);

    Result<void> insertDeliverable(const Deliverable &deliverable);
    Result<QList<Deliverable>> deliverables(const TenantScope &scope, const QString &campaignId);
    Result<std::optional<Deliverable>> findDeliverable(const TenantScope &scope, const QString &id);
    Result<void> insertPeriod(const DeliverablePeriod &period);
    Result<QList<DeliverablePeriod>> periods(const TenantScope &scope, const QString &deliverableId);
    Result<PeriodProgress> periodProgress(const QString &periodId);

private:
    Database &m_db;
};

} // namespace lm::store
