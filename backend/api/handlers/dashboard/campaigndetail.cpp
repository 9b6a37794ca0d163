// SPDX-License-Identifier: GPL-3.0-or-later
// GET /dashboard/v1/campaigns/:id: the reference serialiser and SQLite's fast path.
#include "api/handlers/dashboard/campaigndetail.h"

#include "core/jsonwriter.h"
#include "services/activityflow.h"
#include "store/sqljson.h"
#include "workflow/budget.h"

#include <algorithm>
#include <cmath>

namespace lm::api::dashboard {

namespace {
// A period is at risk when the share of it that has passed leads the share of its target that is
// done or under way by more than this (docs/api/dashboard.md).
constexpr double kAtRiskMargin = 0.25;

QJsonValue usdOrNull(const std::optional<qint64> &micros)
{
    return micros ? QJsonValue(workflow::Budget::toUsd(*micros)) : QJsonValue(QJsonValue::Null);
}

QString latin1(std::string_view text)
{
    return QString::fromLatin1(text.data(), qsizetype(text.size()));
}

/// A dollar amount as QJsonDocument writes a double: integral values below 2^53 as integers,
/// the rest in the shortest form that reads back the same (`1e-06`, `1.5`).
void usd(JsonWriter &w, qint64 micros)
{
    const double d = workflow::Budget::toUsd(micros);
    if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) <= 9007199254740992.0) {
        w.number(qint64(d));
        return;
    }
    const QByteArray text = QByteArray::number(d, 'g', QLocale::FloatingPointShortest);
    w.raw(std::string_view(text.constData(), std::size_t(text.size())));
}

/// `null` for NULL or empty text, the text otherwise (dates, ids).
void stringOrNull(JsonWriter &w, std::string_view text)
{
    if (text.empty())
        w.null();
    else
        w.string(text);
}

/// YYYY-MM-DD as QDate::fromString(…, Qt::ISODate) reads it; anything else through Qt itself.
QDate isoDate(std::string_view text)
{
    const auto digit = [&text](std::size_t i) { return text[i] >= '0' && text[i] <= '9'; };
    if (text.size() == 10 && text[4] == '-' && text[7] == '-' && digit(0) && digit(1) && digit(2) && digit(3)
        && digit(5) && digit(6) && digit(8) && digit(9)) {
        const auto number = [&text](std::size_t at, std::size_t width) {
            int value = 0;
            for (std::size_t i = at; i < at + width; ++i)
                value = value * 10 + (text[i] - '0');
            return value;
        };
        return QDate(number(0, 4), number(5, 2), number(8, 2));
    }
    return QDate::fromString(QString::fromUtf8(text.data(), qsizetype(text.size())), Qt::ISODate);
}

// The four statements of the fast path. Each is prepared once per connection (Database::raw).
// ?1 is always the tenant, ?2 the campaign.

// The campaign, its creator's name (as UserNames finds it: a user of the same tenant) and the
// count of its pending approvals (approvals_campaign_status_idx).
constexpr const char *kCampaignSql
    = "SELECT c.id, c.name, c.brief, c.status, c.budget_cap_micros, c.spent_micros, c.start_date,"
      " c.end_date, c.attachments, c.created_by, c.created_at, u.name,"
      " (SELECT COUNT(*) FROM approvals p WHERE p.campaign_id = c.id AND p.status = 'pending'"
      " AND p.tenant_id = ?1)"
      " FROM campaigns c LEFT JOIN users u ON u.id = c.created_by AND u.tenant_id = ?1"
      " WHERE c.id = ?2 AND c.tenant_id = ?1";

// The deliverables with their current period (currentPeriod(): the first one in period_start order
// that contains today ?3, else the last one that has begun) and that period's progress. ISO dates
// compare as text. Both progress counts come from one pass over the period's activities
// (activities_period_idx), packed as done << 32 | under way, as periodProgress() counts them.
constexpr const char *kDeliverablesSql
    = "SELECT d.id, d.type, d.quantity, p.id, p.period_start, p.period_end, p.target,"
      " (SELECT SUM(CASE WHEN a.status = 'done' THEN 4294967296 ELSE 0 END"
      " + CASE WHEN a.status IN ('done', 'failed', 'created') THEN 0 ELSE 1 END)"
      " FROM activities a WHERE a.period_id = p.id AND a.parent_id IS NULL)"
      " FROM deliverables d LEFT JOIN deliverable_periods p ON p.id = ("
      " SELECT q.id FROM deliverable_periods q WHERE q.deliverable_id = d.id AND q.tenant_id = ?1"
      " AND q.period_start <= ?3"
      " ORDER BY q.period_end >= ?3 DESC,"
      " CASE WHEN q.period_end >= ?3 THEN q.period_start END ASC, q.period_start DESC LIMIT 1)"
      " WHERE d.campaign_id = ?2 AND d.tenant_id = ?1 ORDER BY d.id";

// The ten newest activities with the columns activitySummaryJson() writes; the campaign's name
// is the campaign's own (activities_campaign_recent_idx).
constexpr const char *kRecentSql
    = "SELECT a.id, a.title, a.type, a.status, a.agent_role, COALESCE(ag.name, u.name, ''), a.cost_micros,"
      " a.created_at, a.deliverable_id, a.approval_id, a.wake_reason, a.block_reason, a.started_at,"
      " a.completed_at FROM activities a"
      " LEFT JOIN agent_configs ag ON ag.tenant_id = a.tenant_id AND ag.role = a.agent_role"
      " LEFT JOIN users u ON u.id = a.assignee_user_id"
      " WHERE a.tenant_id = ?1 AND a.campaign_id = ?2 ORDER BY a.id DESC LIMIT 10";

// RunRepository::costByRole().
constexpr const char *kCostsSql
    = "SELECT r.agent_role, SUM(r.cost_micros) FROM runs r JOIN activities a ON a.id = r.activity_id"
      " WHERE a.campaign_id = ?2 AND r.tenant_id = ?1"
      " GROUP BY r.agent_role ORDER BY SUM(r.cost_micros) DESC, r.agent_role";

void writeAttachments(JsonWriter &w, std::string_view stored)
{
    w.beginArray();
    // Nearly always "[]"; anything else is read as stringListFromJson() reads it.
    if (stored != "[]" && !stored.empty()) {
        const QStringList items
            = store::stringListFromJson(QString::fromUtf8(stored.data(), qsizetype(stored.size())));
        for (const QString &item : items) {
            const QByteArray utf8 = item.toUtf8();
            w.string(std::string_view(utf8.constData(), std::size_t(utf8.size())));
        }
    }
    w.endArray();
}

Result<void> writeCosts(
    JsonWriter &w, store::Database &db, const QString &tenantId, const QString &campaignId)
{
    auto costs = db.raw(kCostsSql);
    costs.bind(tenantId).bind(campaignId);
    w.beginArray();
    while (costs.step()) {
        w.beginObject();
        w.member("agentRole", costs.text(0));
        w.key("costUsd");
        usd(w, costs.int64(1));
        w.endObject();
    }
    w.endArray();
    return costs.status();
}

Result<void> writeDeliverables(JsonWriter &w, store::Database &db, const QString &tenantId,
    const QString &campaignId, const QString &todayText, QDate today)
{
    auto rows = db.raw(kDeliverablesSql);
    rows.bind(tenantId).bind(campaignId).bind(todayText);
    w.beginArray();
    while (rows.step()) {
        w.beginObject();
        if (!rows.isNull(3)) {
            const qint64 packed = rows.int64(7);
            const store::PeriodProgress progress {int(packed >> 32), int(packed & 0xffffffff)};
            const int target = int(rows.int64(6));
            w.key("currentPeriod");
            w.beginObject();
            w.key("completed");
            w.number(progress.completed);
            w.key("inProgress");
            w.number(progress.inProgress);
            w.member("periodEnd", rows.text(5));
            w.member("periodStart", rows.text(4));
            w.member("status",
                periodStatus(isoDate(rows.text(4)), isoDate(rows.text(5)), target, progress, today));
            w.key("target");
            w.number(target);
            w.endObject();
        }
        w.member("id", rows.text(0));
        // Channels are not stored yet: no platform can be resolved, so the list is empty.
        w.key("platforms");
        w.beginArray();
        w.endArray();
        w.key("quantity");
        w.number(int(rows.int64(2)));
        w.member("type", rows.text(1));
        w.endObject();
    }
    w.endArray();
    return rows.status();
}

/// The recent activities as activitySummaryJson() writes them (keys in QJsonObject's order).
Result<void> writeRecent(JsonWriter &w, store::Database &db, const QString &tenantId,
    const QString &campaignId, std::string_view campaignIdText, std::string_view campaignName)
{
    auto rows = db.raw(kRecentSql);
    rows.bind(tenantId).bind(campaignId);
    const auto optionalText = [&w, &rows](const char *key, int column) {
        if (!rows.text(column).empty())
            w.member(key, rows.text(column));
    };
    const auto optionalTime = [&w, &rows](const char *key, int column) {
        if (!rows.isNull(column)) {
            w.key(key);
            w.isoTime(rows.int64(column));
        }
    };
    w.beginArray();
    while (rows.step()) {
        w.beginObject();
        w.key("agentRole");
        stringOrNull(w, rows.text(4));
        optionalText("approvalId", 9);
        w.member("assigneeName", rows.text(5));
        optionalText("blockReason", 11);
        w.member("campaignId", campaignIdText);
        w.member("campaignName", campaignName);
        optionalTime("completedAt", 13);
        w.key("costUsd");
        usd(w, rows.int64(6));
        w.key("createdOn");
        w.isoTime(rows.int64(7));
        optionalText("deliverableId", 8);
        w.member("id", rows.text(0));
        optionalTime("startedAt", 12);
        w.member("status", rows.text(3));
        w.member("title", rows.text(1));
        w.member("type", rows.text(2));
        optionalText("wakeReason", 10);
        w.endObject();
    }
    w.endArray();
    return rows.status();
}
} // namespace

std::optional<store::DeliverablePeriod> currentPeriod(
    const QList<store::DeliverablePeriod> &periods, QDate today)
{
    std::optional<store::DeliverablePeriod> current;
    for (const auto &p : periods) {
        const QDate start = QDate::fromString(p.periodStart, Qt::ISODate);
        const QDate end = QDate::fromString(p.periodEnd, Qt::ISODate);
        if (start <= today && today <= end)
            return p;
        if (start <= today)
            current = p;
    }
    return current;
}

std::string_view periodStatus(
    QDate start, QDate end, int target, const store::PeriodProgress &progress, QDate today)
{
    if (target <= 0 || progress.completed >= target)
        return "on_track";
    if (today > end)
        return "missed";
    const double days = double(start.daysTo(end) + 1);
    const double elapsed = std::clamp(double(start.daysTo(today) + 1) / days, 0.0, 1.0);
    const double underway = double(progress.completed + progress.inProgress) / double(target);
    return elapsed - underway > kAtRiskMargin ? "at_risk" : "on_track";
}

QJsonObject periodJson(const store::DeliverablePeriod &p, const store::PeriodProgress &progress, QDate today)
{
    const std::string_view status = periodStatus(QDate::fromString(p.periodStart, Qt::ISODate),
        QDate::fromString(p.periodEnd, Qt::ISODate), p.target, progress, today);
    return {{QStringLiteral("periodStart"), p.periodStart}, {QStringLiteral("periodEnd"), p.periodEnd},
        {QStringLiteral("target"), p.target}, {QStringLiteral("completed"), progress.completed},
        {QStringLiteral("inProgress"), progress.inProgress}, {QStringLiteral("status"), latin1(status)}};
}

Result<QJsonObject> campaignDetailJson(store::Store &store, const store::TenantScope &scope, UserNames &names,
    const store::Campaign &c, QDate today)
{
    auto deliverables = store.campaigns.deliverables(scope, c.id);
    if (!deliverables.ok())
        return deliverables.error();
    QJsonArray deliverableItems;
    for (const auto &d : std::as_const(*deliverables)) {
        QJsonObject item {{QStringLiteral("id"), d.id}, {QStringLiteral("type"), d.type},
            {QStringLiteral("quantity"), d.quantity},
            // Channels are not stored yet: no platform can be resolved, so the list is empty.
            {QStringLiteral("platforms"), QJsonArray()}};
        auto periods = store.campaigns.periods(scope, d.id);
        if (!periods.ok())
            return periods.error();
        if (const auto p = currentPeriod(*periods, today)) {
            auto progress = store.campaigns.periodProgress(p->id);
            if (!progress.ok())
                return progress.error();
            item.insert(QStringLiteral("currentPeriod"), periodJson(*p, *progress, today));
        }
        deliverableItems.append(item);
    }
    store::ActivityFilter filter;
    filter.campaignId = c.id;
    auto recent = store.activities.list(scope, filter, {{}, 10, true});
    if (!recent.ok())
        return recent.error();
    QJsonArray recentItems;
    for (const auto &a : std::as_const(recent->items))
        recentItems.append(services::activitySummaryJson(a));
    auto pending = store.approvals.pendingCount(scope, c.id);
    if (!pending.ok())
        return pending.error();
    auto costs = store.runs.costByRole(scope, c.id);
    if (!costs.ok())
        return costs.error();
    QJsonArray costItems;
    for (const auto &cost : std::as_const(*costs))
        costItems.append(QJsonObject {{QStringLiteral("agentRole"), cost.agentRole},
            {QStringLiteral("costUsd"), workflow::Budget::toUsd(cost.costMicros)}});
    return QJsonObject {{QStringLiteral("id"), c.id}, {QStringLiteral("name"), c.name},
        {QStringLiteral("status"), c.status}, {QStringLiteral("brief"), c.brief},
        {QStringLiteral("budgetCapUsd"), usdOrNull(c.budgetCapMicros)},
        {QStringLiteral("spentUsd"), workflow::Budget::toUsd(c.spentMicros)},
        {QStringLiteral("startDate"), nullable(c.startDate)},
        {QStringLiteral("endDate"), nullable(c.endDate)},
        {QStringLiteral("createdBy"),
            QJsonObject {
                {QStringLiteral("id"), c.createdBy}, {QStringLiteral("name"), names.name(c.createdBy)}}},
        {QStringLiteral("createdOn"), isoTimestamp(c.createdAtMs)},
        {QStringLiteral("attachments"), QJsonArray::fromStringList(c.attachments)},
        {QStringLiteral("deliverables"), deliverableItems}, {QStringLiteral("recentActivities"), recentItems},
        {QStringLiteral("pendingApprovals"), *pending}, {QStringLiteral("costByAgent"), costItems}};
}

Result<std::optional<std::string>> campaignDetailSqlite(
    store::Database &db, const QString &tenantId, const QString &campaignId, QDate today)
{
    auto c = db.raw(kCampaignSql);
    c.bind(tenantId).bind(campaignId);
    if (!c.step()) {
        if (auto r = c.status(); !r.ok())
            return r.error();
        return std::optional<std::string>();
    }
    // Keys in QJsonObject's order (sorted), so the bytes are QJsonDocument's. The campaign's row
    // stays current while the other statements run: its texts are written as they come.
    std::string body;
    body.reserve(8192);
    JsonWriter w(body);
    w.beginObject();
    w.key("attachments");
    writeAttachments(w, c.text(8));
    w.member("brief", c.text(2));
    w.key("budgetCapUsd");
    if (c.isNull(4))
        w.null();
    else
        usd(w, c.int64(4));
    w.key("costByAgent");
    if (auto r = writeCosts(w, db, tenantId, campaignId); !r.ok())
        return r.error();
    w.key("createdBy");
    w.beginObject();
    w.member("id", c.text(9));
    w.member("name", c.text(11));
    w.endObject();
    w.key("createdOn");
    w.isoTime(c.int64(10));
    w.key("deliverables");
    if (auto r = writeDeliverables(w, db, tenantId, campaignId, today.toString(Qt::ISODate), today); !r.ok())
        return r.error();
    w.key("endDate");
    stringOrNull(w, c.text(7));
    w.member("id", c.text(0));
    w.member("name", c.text(1));
    w.key("pendingApprovals");
    w.number(c.int64(12));
    w.key("recentActivities");
    if (auto r = writeRecent(w, db, tenantId, campaignId, c.text(0), c.text(1)); !r.ok())
        return r.error();
    w.key("spentUsd");
    usd(w, c.int64(5));
    w.key("startDate");
    stringOrNull(w, c.text(6));
    w.member("status", c.text(3));
    w.endObject();
    return std::optional<std::string>(std::move(body));
}

} // namespace lm::api::dashboard
