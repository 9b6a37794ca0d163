// SPDX-License-Identifier: GPL-3.0-or-later
#include "paidadsrepository.h"

namespace lm::store {

namespace {
const QString kCampaignColumns = QStringLiteral(
    "id, tenant_id, campaign_id, platform, external_id, name, status, daily_budget_micros, spend_micros,"
    " impressions, clicks, conversions, synced_at, created_at");
const QString kTermColumns = QStringLiteral(
    "id, tenant_id, ad_campaign_id, term, match_type, classification, classified_by, note, impressions,"
    " clicks, conversions, cost_micros, created_at, updated_at");

SearchTerm readTerm(SqlQuery &q)
{
    SearchTerm t;
    t.id = q.string(0);
    t.tenantId = q.string(1);
    t.adCampaignId = q.string(2);
    t.term = q.string(3);
    t.matchType = q.string(4);
    t.classification = q.string(5);
    t.classifiedBy = q.string(6);
    t.note = q.string(7);
    t.impressions = q.int64(8);
    t.clicks = q.int64(9);
    t.conversions = q.int64(10);
    t.costMicros = q.int64(11);
    t.createdAtMs = q.int64(12);
    t.updatedAtMs = q.int64(13);
    return t;
}
} // namespace

Result<void> PaidAdsRepository::insertCampaign(const AdCampaign &c)
{
    auto q = m_db.query(QStringLiteral("INSERT INTO ad_campaigns (") + kCampaignColumns
        + QStringLiteral(") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    q.bind(c.id)
        .bind(c.tenantId)
        .bindNullableString(c.campaignId)
        .bind(c.platform)
        .bind(c.externalId)
        .bind(c.name)
        .bind(c.status)
        .bindNullableInt(c.dailyBudgetMicros)
        .bind(c.spendMicros)
        .bind(c.impressions)
        .bind(c.clicks)
        .bind(c.conversions)
        .bind(c.syncedAtMs)
        .bind(c.createdAtMs);
    return q.exec();
}

Result<Page<AdCampaign>> PaidAdsRepository::campaigns(
    const TenantScope &scope, const QString &platform, const PageRequest &page)
{
    QString sql = QStringLiteral("SELECT ") + kCampaignColumns + QStringLiteral(" FROM ad_campaigns WHERE ")
        + scope.condition(QStringLiteral("tenant_id")) + QStringLiteral(" AND ")
        + keysetCondition(page, QStringLiteral("id"));
    if (!platform.isEmpty())
        sql += QStringLiteral(" AND platform = ?");
    sql += keysetOrder(page, QStringLiteral("id"));
    auto q = m_db.query(sql);
    scope.bind(q);
    if (!page.afterId.isEmpty())
        q.bind(page.afterId);
    if (!platform.isEmpty())
        q.bind(platform);
    if (auto r = q.exec(); !r.ok())
        return r.error();
    QList<AdCampaign> rows;
    while (q.next()) {
        AdCampaign c;
        c.id = q.string(0);
        c.tenantId = q.string(1);
        c.campaignId = q.string(2);
        c.platform = q.string(3);
        c.externalId = q.string(4);
        c.name = q.string(5);
        c.status = q.string(6);
        c.dailyBudgetMicros = q.optionalInt64(7);
        c.spendMicros = q.int64(8);
        c.impressions = q.int64(9);
        c.clicks = q.int64(10);
        c.conversions = q.int64(11);
        c.syncedAtMs = q.int64(12);
        c.createdAtMs = q.int64(13);
        rows.append(c);
    }
    return toPage(std::move(rows), page.limit);
}

Result<void> PaidAdsRepository::insertTerm(const SearchTerm &t)
{
    auto q = m_db.query(QStringLiteral("INSERT INTO search_terms (") + kTermColumns
        + QStringLiteral(") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    q.bind(t.id)
        .bind(t.tenantId)
        .bind(t.adCampaignId)
        .bind(t.term)
        .bind(t.matchType)
        .bind(t.classification)
        .bind(t.classifiedBy)
        .bindNullableString(t.note)
        .bind(t.impressions)
        .bind(t.clicks)
        .bind(t.conversions)
        .bind(t.costMicros)
        .bind(t.createdAtMs)
        .bind(t.updatedAtMs);
    return q.exec();
}

Result<std::optional<SearchTerm>> PaidAdsRepository::findTerm(const TenantScope &scope, const QString &id)
{
    auto q = m_db.query(QStringLiteral("SELECT ") + kTermColumns + QStringLiteral(" FROM search_terms WHERE ")
        + scope.condition(QStringLiteral("tenant_id")) + QStringLiteral(" AND id = ?"));
    scope.bind(q);
    q.bind(id);
    if (auto r = q.exec(); !r.ok())
        return r.error();
    if (!q.next())
        return std::optional<SearchTerm>();
    return std::optional<SearchTerm>(readTerm(q));
}

Result<Page<SearchTerm>> PaidAdsRepository::terms(const TenantScope &scope, const QString &classification,
    const QString &adCampaignId, const PageRequest &page)
{
    QString sql = QStringLiteral("SELECT ") + kTermColumns + QStringLiteral(" FROM search_terms WHERE ")
        + scope.condition(QStringLiteral("tenant_id")) + QStringLiteral(" AND ")
        + keysetCondition(page, QStringLiteral("id"));
    if (!classification.isEmpty())
        sql += QStringLiteral(" AND classification = ?");
    if (!adCampaignId.isEmpty())
        sql += QStringLiteral(" AND ad_campaign_id = ?");
    sql += keysetOrder(page, QStringLiteral("id"));
    auto q = m_db.query(sql);
    scope.bind(q);
    if (!page.afterId.isEmpty())
        q.bind(page.afterId);
    if (!classification.isEmpty())
        q.bind(classification);
    if (!adCampaignId.isEmpty())
        q.bind(adCampaignId);
    if (auto r = q.exec(); !r.ok())
        return r.error();
    QList<SearchTerm> rows;
    while (q.next())
        rows.append(readTerm(q));
    return toPage(std::move(rows), page.limit);
}

Result<void> PaidAdsRepository::classify(const TenantScope &scope, const QString &id,
    const QString &classification, const QString &note, qint64 nowMs)
{
    auto q = m_db.query(QStringLiteral("UPDATE search_terms SET classification = ?, classified_by = 'human',"
                                       " note = ?, updated_at = ? WHERE ")
        + scope.condition(QStringLiteral("tenant_id")) + QStringLiteral(" AND id = ?"));
    q.bind(classification).bindNullableString(note).bind(nowMs);
    scope.bind(q);
    q.bind(id);
    if (auto r = q.exec(); !r.ok())
        return r;
    if (q.rowsAffected() != 1)
        return ApiError::notFound(QStringLiteral("search term not found"));
    return {};
}

} // namespace lm::store
