// SPDX-License-Identifier: GPL-3.0-or-later
#include "demoseed_insight.h"

#include "core/ulid.h"
#include "services/insightreports.h"
#include "services/recurringtasks.h"
#include "workflow/budget.h"

#include <QDateTime>

namespace lm::server {

namespace {
constexpr qint64 kHourMs = 3600LL * 1000;
constexpr qint64 kDayMs = 24 * kHourMs;

QString idAt(qint64 ms)
{
    return Ulid::generate(QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC));
}

/// Log and audit rows that tell the seeded history: each run started and ended, each approval.
Result<void> seedTrail(store::Store &store, const QString &tenantId, const QString &adminUserId)
{
    const auto scope = store::TenantScope::tenant(tenantId);
    auto activities = store.activities.list(scope, {}, {{}, 100, true});
    if (!activities.ok())
        return activities.error();
    for (const auto &a : std::as_const(activities->items)) {
        auto runs = store.runs.forActivity(scope, a.id);
        if (!runs.ok())
            return runs.error();
        for (const auto &r : std::as_const(*runs)) {
            store::LogEntry started {tenantId, QStringLiteral("info"), QStringLiteral("agent"),
                QStringLiteral("Run started"),
                {{QStringLiteral("runId"), r.id}, {QStringLiteral("model"), r.model},
                    {QStringLiteral("adapter"), r.adapterType}},
                a.id, r.agentRole, r.startedAtMs};
            if (auto w = store.insight.logs.append(started, idAt(r.startedAtMs)); !w.ok())
                return w.error();
            if (!r.completedAtMs)
                continue;
            const bool ok = r.status == QLatin1String("completed");
            store::LogEntry ended {tenantId, ok ? QStringLiteral("info") : QStringLiteral("error"),
                QStringLiteral("agent"),
                ok ? QStringLiteral("Run completed") : QStringLiteral("Run %1: %2").arg(r.status, r.error),
                {{QStringLiteral("runId"), r.id}, {QStringLiteral("inputTokens"), r.inputTokens},
                    {QStringLiteral("outputTokens"), r.outputTokens},
                    {QStringLiteral("costUsd"), workflow::Budget::toUsd(r.costMicros)}},
                a.id, r.agentRole, *r.completedAtMs};
            if (auto w = store.insight.logs.append(ended, idAt(*r.completedAtMs)); !w.ok())
                return w.error();
        }
    }
    auto approvals = store.approvals.list(scope, {}, {{}, 100, true});
    if (!approvals.ok())
        return approvals.error();
    for (const auto &p : std::as_const(approvals->items)) {
        store::LogEntry requested {tenantId, QStringLiteral("info"), QStringLiteral("approval"),
            QStringLiteral("Approval requested: %1").arg(p.title),
            {{QStringLiteral("approvalId"), p.id}, {QStringLiteral("type"), p.type},
                {QStringLiteral("riskLevel"), p.riskLevel}},
            {}, p.createdById, p.createdAtMs};
        if (auto w = store.insight.logs.append(requested, idAt(p.createdAtMs)); !w.ok())
            return w.error();
        if (p.status == QLatin1String("pending") || !p.resolvedAtMs)
            continue;
        store::AuditEntry audit;
        audit.id = idAt(*p.resolvedAtMs);
        audit.tenantId = tenantId;
        audit.actorId = adminUserId;
        audit.action = QStringLiteral("approval.%1").arg(p.resolution.isEmpty() ? p.status : p.resolution);
        audit.targetType = QStringLiteral("approval");
        audit.targetId = p.id;
        audit.ip = QStringLiteral("203.0.113.24");
        audit.changes = {{QStringLiteral("status"),
            QJsonObject {
                {QStringLiteral("from"), QStringLiteral("pending")}, {QStringLiteral("to"), p.status}}}};
        audit.createdAtMs = *p.resolvedAtMs;
        if (auto w = store.audit.append(audit); !w.ok())
            return w.error();
    }
    auto campaigns = store.campaigns.list(scope, {}, {{}, 100, true});
    if (!campaigns.ok())
        return campaigns.error();
    for (const auto &c : std::as_const(campaigns->items)) {
        store::AuditEntry audit;
        audit.id = idAt(c.createdAtMs);
        audit.tenantId = tenantId;
        audit.actorId = adminUserId;
        audit.action = QStringLiteral("campaign.created");
        audit.targetType = QStringLiteral("campaign");
        audit.targetId = c.id;
        audit.ip = QStringLiteral("203.0.113.24");
        audit.changes = {{QStringLiteral("name"),
            QJsonObject {{QStringLiteral("from"), QJsonValue::Null}, {QStringLiteral("to"), c.name}}}};
        audit.createdAtMs = c.createdAtMs;
        if (auto w = store.audit.append(audit); !w.ok())
            return w.error();
    }
    return {};
}

Result<void> seedPaidAds(
    store::Store &store, const QString &tenantId, const QString &campaignId, qint64 now, int variant)
{
    struct AdSpec
    {
        const char *platform;
        const char *name;
        const char *status;
        qint64 spend, impressions, clicks, conversions, dailyBudget;
    };
    const AdSpec acme[] = {
        {"google_ads", "Search — Teeth whitening Leeds", "enabled", 412'500'000, 18'400, 920, 41, 25'000'000},
        {"google_ads", "Search — Emergency dentist", "enabled", 288'000'000, 9'100, 610, 37, 20'000'000},
        {"meta_ads", "Meta — Family check-up offer", "paused", 156'200'000, 54'000, 1'080, 18, 10'000'000}};
    const AdSpec globex[] = {{"google_ads", "Search — Celebration cakes Bristol", "enabled", 198'000'000,
                                 7'600, 455, 29, 15'000'000},
        {"google_ads", "Search — Sourdough delivery", "enabled", 96'400'000, 4'200, 230, 11, 8'000'000},
        {"meta_ads", "Instagram — Weekend pastries", "enabled", 120'000'000, 61'000, 1'420, 22, 12'000'000}};
    const AdSpec *specs = variant == 0 ? acme : globex;
    QStringList googleIds;
    for (int i = 0; i < 3; ++i) {
        store::AdCampaign c;
        c.id = idAt(now - (30 - i) * kDayMs);
        c.tenantId = tenantId;
        c.campaignId = campaignId;
        c.platform = QString::fromLatin1(specs[i].platform);
        c.externalId = QStringLiteral("%1-%2")
                           .arg(c.platform == QLatin1String("google_ads") ? 7310 : 2380)
                           .arg(4200 + i * 17 + variant);
        c.name = QString::fromUtf8(specs[i].name);
        c.status = QString::fromLatin1(specs[i].status);
        c.dailyBudgetMicros = specs[i].dailyBudget;
        c.spendMicros = specs[i].spend;
        c.impressions = specs[i].impressions;
        c.clicks = specs[i].clicks;
        c.conversions = specs[i].conversions;
        c.syncedAtMs = now - 2 * kHourMs;
        c.createdAtMs = now - (30 - i) * kDayMs;
        if (auto r = store.insight.paidAds.insertCampaign(c); !r.ok())
            return r.error();
        if (c.platform == QLatin1String("google_ads"))
            googleIds.append(c.id);
    }
    struct TermSpec
    {
        const char *term;
        const char *match;
        const char *classification;
        qint64 impressions, clicks, conversions, cost;
    };
    const TermSpec acmeTerms[]
        = {{"teeth whitening leeds", "phrase", "high_intent", 2100, 160, 12, 88'000'000},
            {"how much is teeth whitening", "broad", "watch", 1800, 95, 3, 41'500'000},
            {"diy teeth whitening kit", "broad", "negative", 900, 40, 0, 15'200'000},
            {"emergency dentist near me", "exact", "high_intent", 1500, 140, 15, 72'000'000},
            {"dentist jobs leeds", "broad", "negative", 600, 22, 0, 8'100'000},
            {"free dental check up", "broad", "low_intent", 1100, 51, 1, 19'900'000},
            {"best dentist leeds reviews", "phrase", "watch", 700, 38, 2, 16'400'000}};
    const TermSpec globexTerms[]
        = {{"birthday cake bristol", "phrase", "high_intent", 1300, 110, 9, 46'000'000},
            {"custom wedding cake", "broad", "high_intent", 900, 70, 5, 38'000'000},
            {"cake recipe easy", "broad", "negative", 1700, 30, 0, 9'000'000},
            {"sourdough starter", "broad", "low_intent", 800, 26, 0, 7'500'000},
            {"bakery open sunday bristol", "phrase", "watch", 650, 44, 2, 12'600'000},
            {"sourdough bread delivery", "exact", "high_intent", 520, 48, 4, 16'900'000}};
    const TermSpec *terms = variant == 0 ? acmeTerms : globexTerms;
    const int count = variant == 0 ? 7 : 6;
    for (int i = 0; i < count; ++i) {
        store::SearchTerm t;
        t.id = idAt(now - (20 - i) * kDayMs);
        t.tenantId = tenantId;
        t.adCampaignId = googleIds.value(i % googleIds.size());
        t.term = QString::fromLatin1(terms[i].term);
        t.matchType = QString::fromLatin1(terms[i].match);
        t.classification = QString::fromLatin1(terms[i].classification);
        t.impressions = terms[i].impressions;
        t.clicks = terms[i].clicks;
        t.conversions = terms[i].conversions;
        t.costMicros = terms[i].cost;
        t.createdAtMs = now - (20 - i) * kDayMs;
        t.updatedAtMs = t.createdAtMs;
        if (auto r = store.insight.paidAds.insertTerm(t); !r.ok())
            return r.error();
    }
    return {};
}

Result<void> seedRecurring(
    store::Store &store, const QString &tenantId, const QString &campaignId, qint64 now)
{
    const QJsonArray reportVariables {
        QJsonObject {{QStringLiteral("key"), QStringLiteral("campaignId")},
            {QStringLiteral("label"), QStringLiteral("Campaign")},
            {QStringLiteral("type"), QStringLiteral("string")}, {QStringLiteral("required"), false}},
        QJsonObject {{QStringLiteral("key"), QStringLiteral("recipients")},
            {QStringLiteral("label"), QStringLiteral("Send to")},
            {QStringLiteral("type"), QStringLiteral("string")}, {QStringLiteral("required"), true}}};
    const QJsonArray auditVariables {QJsonObject {{QStringLiteral("key"), QStringLiteral("maxPages")},
        {QStringLiteral("label"), QStringLiteral("Pages to check")},
        {QStringLiteral("type"), QStringLiteral("number")}, {QStringLiteral("required"), true}}};
    const QJsonArray socialVariables {QJsonObject {{QStringLiteral("key"), QStringLiteral("platform")},
        {QStringLiteral("label"), QStringLiteral("Platform")},
        {QStringLiteral("type"), QStringLiteral("string")}, {QStringLiteral("required"), false}}};
    struct Spec
    {
        const char *key, *name, *description, *role, *type, *periodicity;
        bool active;
        QJsonArray variables;
        QJsonObject values;
    };
    const Spec specs[] = {
        {"monthly_report", "Monthly performance report",
            "Summarise last month's spend, output and results for the team.", "analyst", "performance_report",
            "monthly", true, reportVariables,
            {{QStringLiteral("campaignId"), campaignId},
                {QStringLiteral("recipients"), QStringLiteral("team@example.com")}}},
        {"weekly_seo_check", "Weekly SEO health check",
            "Crawl the site and flag broken links and slow pages.", "seo_specialist", "website_audit",
            "weekly", true, auditVariables, {{QStringLiteral("maxPages"), 50}}},
        {"social_calendar", "Social content calendar", "Plan next week's social posts.",
            "social_media_manager", "social_post", "weekly", false, socialVariables, {}},
        {"quarterly_review", "Quarterly strategy review",
            "Review the quarter and propose next quarter's focus.", "strategist", "performance_report",
            "quarterly", true, reportVariables,
            {{QStringLiteral("recipients"), QStringLiteral("owner@example.com")}}},
    };
    for (const Spec &s : specs) {
        store::RecurringTask t;
        t.id = Ulid::generate();
        t.tenantId = tenantId;
        t.templateKey = QString::fromLatin1(s.key);
        t.name = QString::fromLatin1(s.name);
        t.description = QString::fromLatin1(s.description);
        t.agentRole = QString::fromLatin1(s.role);
        t.activityType = QString::fromLatin1(s.type);
        t.periodicity = QString::fromLatin1(s.periodicity);
        t.isActive = s.active;
        t.variables = s.variables;
        t.variableValues = s.values;
        if (s.active)
            t.nextRunAtMs = services::RecurringTasks::nextRunAfter(t.periodicity, now);
        t.lastRunAtMs = now - 5 * kDayMs;
        t.createdAtMs = now - 30 * kDayMs;
        t.updatedAtMs = t.createdAtMs;
        if (auto r = store.insight.recurringTasks.insert(t); !r.ok())
            return r.error();
    }
    return {};
}

Result<void> seedReports(store::Store &store, const QString &tenantId, const QString &campaignId,
    const QString &adminUserId, qint64 now)
{
    const QDate today = QDateTime::fromMSecsSinceEpoch(now, Qt::UTC).date();
    const QDate monthStart(today.year(), today.month(), 1);
    struct Spec
    {
        const char *type, *status;
        QDate start, end;
        qint64 createdAgo;
    };
    const Spec specs[] = {
        {"monthly_performance", "delivered", monthStart.addMonths(-1), monthStart.addDays(-1), 20 * kDayMs},
        {"seo_audit", "ready", today.addDays(-14), today.addDays(-1), 1 * kDayMs},
        {"ad_audit", "draft", today.addDays(-30), today.addDays(-1), 2 * kHourMs},
    };
    for (const Spec &s : specs) {
        auto report = services::buildReport(
            store, tenantId, campaignId, QString::fromLatin1(s.type), s.start, s.end, now - s.createdAgo);
        if (!report.ok())
            return report.error();
        report->status = QString::fromLatin1(s.status);
        if (report->status == QLatin1String("delivered")) {
            report->deliveredAtMs = now - s.createdAgo + 3 * kHourMs;
            report->deliveredBy = adminUserId;
            report->deliveryChannel = QStringLiteral("email");
        }
        if (auto r = store.insight.reports.insert(*report); !r.ok())
            return r.error();
    }
    return {};
}

Result<void> seedChat(store::Store &store, const QString &tenantId, const QString &userId, qint64 now)
{
    store::ChatConversation c;
    c.id = idAt(now - 2 * kDayMs);
    c.tenantId = tenantId;
    c.userId = userId;
    c.title = QStringLiteral("Which campaign is spending the most?");
    c.createdAtMs = now - 2 * kDayMs;
    c.updatedAtMs = c.createdAtMs;
    if (auto r = store.insight.chat.insertConversation(c); !r.ok())
        return r.error();
    const QString answer
        = QStringLiteral("Here is what I can see right now.\n\n- Your active campaign has the most "
                         "spend this month, mostly from the copywriter's drafts.\n\nWould you like "
                         "me to break this down by agent or by week?\n");
    const store::ChatMessageRow messages[]
        = {{idAt(c.createdAtMs), tenantId, c.id, QStringLiteral("user"), c.title, 0, 0, c.createdAtMs},
            {idAt(c.createdAtMs + 4000), tenantId, c.id, QStringLiteral("assistant"), answer, 412, 58,
                c.createdAtMs + 4000}};
    for (const auto &m : messages) {
        if (auto r = store.insight.chat.appendMessage(m, m.content.simplified().left(140)); !r.ok())
            return r.error();
    }
    return {};
}
} // namespace

Result<void> seedInsight(
    store::Store &store, const Clock &clock, const QString &tenantId, const QString &adminUserId, int variant)
{
    const qint64 now = clock.nowMs();
    const auto scope = store::TenantScope::tenant(tenantId);
    auto active = store.campaigns.list(scope, QStringLiteral("active"), {{}, 1, true});
    if (!active.ok())
        return active.error();
    const QString campaignId = active->items.isEmpty() ? QString() : active->items.first().id;
    if (auto r = seedTrail(store, tenantId, adminUserId); !r.ok())
        return r;
    if (auto r = seedPaidAds(store, tenantId, campaignId, now, variant); !r.ok())
        return r;
    if (auto r = seedRecurring(store, tenantId, campaignId, now); !r.ok())
        return r;
    if (!campaignId.isEmpty()) {
        if (auto r = seedReports(store, tenantId, campaignId, adminUserId, now); !r.ok())
            return r;
    }
    return seedChat(store, tenantId, adminUserId, now);
}

} // namespace lm::server
