// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/result.h"
#include "store/database.h"
#include "store/page.h"
#include "store/tenantscope.h"

#include <optional>

namespace lm::store {

/// A synced Google Ads or Meta Ads campaign with its lifetime figures.
struct AdCampaign
{
    QString id;
    QString tenantId;
    QString campaignId; ///< the Leadmetrics campaign it serves; empty when none
    QString platform; ///< google_ads | meta_ads
    QString externalId;
    QString name;
    QString status = QStringLiteral("enabled"); ///< enabled | paused | removed
    std::optional<qint64> dailyBudgetMicros;
    qint64 spendMicros = 0;
    qint64 impressions = 0;
    qint64 clicks = 0;
    qint64 conversions = 0;
    qint64 syncedAtMs = 0;
    qint64 createdAtMs = 0;
};

/// A search term of a Google Ads campaign with its intent classification and figures.
struct SearchTerm
{
    QString id;
    QString tenantId;
    QString adCampaignId;
    QString term;
    QString matchType; ///< broad | phrase | exact
    QString classification; ///< high_intent | low_intent | negative | watch
    QString classifiedBy = QStringLiteral("agent"); ///< agent | human
    QString note;
    qint64 impressions = 0;
    qint64 clicks = 0;
    qint64 conversions = 0;
    qint64 costMicros = 0;
    qint64 createdAtMs = 0;
    qint64 updatedAtMs = 0;
};

class PaidAdsRepository
{
public:
    explicit PaidAdsRepository(Database &db)
        : m_db(db)
    { }

    Result<void> insertCampaign(const AdCampaign &campaign);
    Result<Page<AdCampaign>> campaigns(
        const TenantScope &scope, const QString &platform, const PageRequest &page);
    Result<void> insertTerm(const SearchTerm &term);
    Result<std::optional<SearchTerm>> findTerm(const TenantScope &scope, const QString &id);
    Result<Page<SearchTerm>> terms(const TenantScope &scope, const QString &classification,
        const QString &adCampaignId, const PageRequest &page);
    /// Sets a human's classification and note; NOT_FOUND when the term is not in the scope.
    Result<void> classify(const TenantScope &scope, const QString &id, const QString &classification,
        const QString &note, qint64 nowMs);

private:
    Database &m_db;
};

} // namespace lm::store
