// SPDX-License-Identifier: GPL-3.0-or-later
// /dashboard/v1 analytics, org chart, reports and paid ads: read models over the engine's data.
#include "api/handlers/dashboard/insightsupport.h"
#include "core/ulid.h"
#include "workflow/budget.h"

#include <QMap>

#include <cmath>

namespace lm::api::dashboard {

namespace {
constexpr int kMaxWindowDays = 366;
constexpr int kMaxNote = 500;
constexpr qint64 kDayMs = 24LL * 3600 * 1000;

const QStringList kPeriods {
    QStringLiteral("day"), QStringLiteral("week"), QStringLiteral("month"), QStringLiteral("quarter")};
const QStringList kGroupBy {QStringLiteral("agent"), QStringLiteral("model"), QStringLiteral("campaign"),
    QStringLiteral("deliverable_type")};
const QStringList kReportStatuses {QStringLiteral("draft"), QStringLiteral("ready"),
    QStringLiteral("delivered"), QStringLiteral("archived")};
const QStringList kReportTypes {QStringLiteral("monthly_performance"), QStringLiteral("quarterly_review"),
    QStringLiteral("ad_audit"), QStringLiteral("seo_audit"), QStringLiteral("custom")};
const QStringList kClassifications {QStringLiteral("high_intent"), QStringLiteral("low_intent"),
    QStringLiteral("negative"), QStringLiteral("watch")};
const QStringList kPlatforms {QStringLiteral("google_ads"), QStringLiteral("meta_ads")};

double round1(double v)
{
    return std::round(v * 10.0) / 10.0;
}
double ratio(qint64 part, qint64 whole, double scale = 1.0)
{
    return whole > 0 ? double(part) * scale / double(whole) : 0.0;
}

int periodDays(const QString &period)
{
    if (period == QLatin1String("day"))
        return 1;
    if (period == QLatin1String("week"))
        return 7;
    if (period == QLatin1String("quarter"))
        return 90;
    return 30;
}

QString spendLabel(const store::SpendRow &r, const QString &groupBy)
{
    if (groupBy == QLatin1String("model"))
        return r.model;
    if (groupBy == QLatin1String("campaign"))
        return r.campaignName.isEmpty() ? r.campaignId : r.campaignName;
    if (groupBy == QLatin1String("deliverable_type"))
        return r.activityType;
    return r.agentName.isEmpty() ? r.agentRole : r.agentName;
}

Result<HttpResponse> spend(store::Store &store, const Clock &clock, RequestContext &ctx)
{
    ListQuery query(ctx.request);
    QList<FieldIssue> issues;
    const auto periodText = queryParam(ctx.request, QStringLiteral("period"));
    QString period = QStringLiteral("month");
    if (periodText && !periodText->isEmpty()) {
        if (kPeriods.contains(*periodText))
            period = *periodText;
        else
            issues.append({QStringLiteral("period"), QStringLiteral("invalid")});
    }
    const auto groupText = queryParam(ctx.request, QStringLiteral("groupBy"));
    QString groupBy = QStringLiteral("agent");
    if (groupText && !groupText->isEmpty()) {
        if (kGroupBy.contains(*groupText))
            groupBy = *groupText;
        else
            issues.append({QStringLiteral("groupBy"), QStringLiteral("invalid")});
    }
    const auto start = dateParam(
        queryParam(ctx.request, QStringLiteral("startDate")), QStringLiteral("startDate"), issues);
    const auto end
        = dateParam(queryParam(ctx.request, QStringLiteral("endDate")), QStringLiteral("endDate"), issues);
    // The window: [startDate, endDate] when given; otherwise the period's days up to today (UTC).
    const QDate today = clock.now().date();
    const QDate last = end.value_or(today);
    const QDate first = start.value_or(last.addDays(1 - periodDays(period)));
    if (issues.isEmpty() && first > last)
        issues.append({QStringLiteral("endDate"), QStringLiteral("before_start_date")});
    else if (issues.isEmpty() && first.daysTo(last) >= kMaxWindowDays)
        issues.append({QStringLiteral("startDate"), QStringLiteral("out_of_range")});
    if (auto v = queryProblems(query, issues); !v.ok())
        return v.error();

    const auto scope = scopeOf(ctx);
    const qint64 fromMs = first.startOfDay(Qt::UTC).toMSecsSinceEpoch();
    const qint64 toMs = last.addDays(1).startOfDay(Qt::UTC).toMSecsSinceEpoch();
    auto rows = store.insight.analytics.spend(scope, fromMs, toMs);
    if (!rows.ok())
        return rows.error();
    qint64 total = 0;
    QMap<QString, qint64> byLabel;
    QMap<QDate, qint64> byDay;
    for (const auto &r : std::as_const(*rows)) {
        total += r.costMicros;
        byLabel[spendLabel(r, groupBy)] += r.costMicros;
        byDay[QDateTime::fromMSecsSinceEpoch(r.startedAtMs, Qt::UTC).date()] += r.costMicros;
    }
    QList<std::pair<QString, qint64>> groups(byLabel.keyValueBegin(), byLabel.keyValueEnd());
    std::stable_sort(
        groups.begin(), groups.end(), [](const auto &a, const auto &b) { return a.second > b.second; });
    QJsonArray breakdown;
    for (const auto &[label, micros] : std::as_const(groups))
        breakdown.append(QJsonObject {{QStringLiteral("label"), label},
            {QStringLiteral("costUsd"), workflow::Budget::toUsd(micros)},
            {QStringLiteral("pct"), round1(ratio(micros, total, 100.0))}});
    QJsonArray series;
    for (QDate d = first; d <= last; d = d.addDays(1))
        series.append(QJsonObject {{QStringLiteral("date"), d.toString(Qt::ISODate)},
            {QStringLiteral("costUsd"), workflow::Budget::toUsd(byDay.value(d))}});
    QJsonObject out {{QStringLiteral("totalUsd"), workflow::Budget::toUsd(total)},
        {QStringLiteral("breakdown"), breakdown}, {QStringLiteral("dailySeries"), series}};
    auto budget = store.insight.analytics.budget(scope);
    if (!budget.ok())
        return budget.error();
    if (budget->cappedCampaigns > 0) {
        out.insert(QStringLiteral("budgetCapUsd"), workflow::Budget::toUsd(budget->capMicros));
        out.insert(
            QStringLiteral("budgetUsedPct"), round1(ratio(budget->spentMicros, budget->capMicros, 100.0)));
    }
    return jsonResponse(200, out);
}

QString typeLabel(const QString &type)
{
    return QString(type).replace(QLatin1Char('_'), QLatin1Char(' '));
}

Result<HttpResponse> performance(store::Store &store, const Clock &clock, RequestContext &ctx)
{
    const auto scope = scopeOf(ctx);
    auto campaigns = store.campaigns.list(scope, QStringLiteral("active"), {{}, 100, true});
    if (!campaigns.ok())
        return campaigns.error();
    const qint64 now = clock.nowMs();
    const QDate today = clock.now().date();
    QJsonArray data;
    for (const auto &c : std::as_const(campaigns->items)) {
        auto deliverables = store.campaigns.deliverables(scope, c.id);
        if (!deliverables.ok())
            return deliverables.error();
        for (const auto &d : std::as_const(*deliverables)) {
            auto periods = store.campaigns.periods(scope, d.id);
            if (!periods.ok())
                return periods.error();
            std::optional<store::DeliverablePeriod> current;
            for (const auto &p : std::as_const(*periods)) {
                if (QDate::fromString(p.periodStart, Qt::ISODate) <= today)
                    current = p;
            }
            if (!current)
                continue;
            auto progress = store.campaigns.periodProgress(current->id);
            if (!progress.ok())
                return progress.error();
            auto recent = store.insight.analytics.completedBetween(scope, d.id, now - 7 * kDayMs, now + 1);
            auto before
                = store.insight.analytics.completedBetween(scope, d.id, now - 14 * kDayMs, now - 7 * kDayMs);
            if (!recent.ok())
                return recent.error();
            if (!before.ok())
                return before.error();
            const QString trend = *recent > *before ? QStringLiteral("up")
                : *recent < *before                 ? QStringLiteral("down")
                                                    : QStringLiteral("flat");
            data.append(QJsonObject {{QStringLiteral("goalId"), d.id},
                {QStringLiteral("goalTitle"),
                    QStringLiteral("%1 × %2 — %3").arg(current->target).arg(typeLabel(d.type), c.name)},
                {QStringLiteral("metric"), d.type + QStringLiteral("_completed")},
                {QStringLiteral("targetValue"), current->target},
                {QStringLiteral("currentValue"), progress->completed},
                {QStringLiteral("progressPct"), round1(ratio(progress->completed, current->target, 100.0))},
                {QStringLiteral("trendDirection"), trend},
                {QStringLiteral("period"),
                    QJsonObject {{QStringLiteral("start"), current->periodStart},
                        {QStringLiteral("end"), current->periodEnd}}}});
        }
    }
    return jsonResponse(200, {{QStringLiteral("data"), data}});
}

Result<HttpResponse> orgChart(store::Store &store, RequestContext &ctx)
{
    const auto scope = scopeOf(ctx);
    auto people = store.insight.analytics.members(scope);
    if (!people.ok())
        return people.error();
    auto agents = store.agents.list(scope);
    if (!agents.ok())
        return agents.error();
    // The first admin heads the chart: people and the top agents report to them.
    QString head;
    for (const auto &p : std::as_const(*people)) {
        if (p.role == QLatin1String("admin")) {
            head = p.id;
            break;
        }
    }
    QJsonArray nodes;
    QJsonArray edges;
    const auto link = [&](QJsonObject node, const QString &parent) {
        if (!parent.isEmpty()) {
            node.insert(QStringLiteral("reportsTo"), parent);
            edges.append(QJsonObject {{QStringLiteral("from"), node.value(QLatin1String("id"))},
                {QStringLiteral("to"), parent}, {QStringLiteral("label"), QStringLiteral("reports_to")}});
        }
        nodes.append(node);
    };
    for (const auto &p : std::as_const(*people))
        link({{QStringLiteral("id"), p.id}, {QStringLiteral("type"), QStringLiteral("human")},
                 {QStringLiteral("name"), p.name}, {QStringLiteral("role"), p.role},
                 {QStringLiteral("status"), p.status}},
            p.id == head ? QString() : head);
    QHash<QString, QString> idByRole;
    for (const auto &a : std::as_const(*agents))
        idByRole.insert(a.role, a.id);
    for (const auto &a : std::as_const(*agents)) {
        const QString parent = a.reportsTo.isEmpty() ? head : idByRole.value(a.reportsTo, head);
        link({{QStringLiteral("id"), a.id}, {QStringLiteral("type"), QStringLiteral("agent")},
                 {QStringLiteral("name"), a.name}, {QStringLiteral("role"), a.role},
                 {QStringLiteral("status"), a.status}},
            parent);
    }
    return jsonResponse(200, {{QStringLiteral("nodes"), nodes}, {QStringLiteral("edges"), edges}});
}

QJsonValue msOrNull(const std::optional<qint64> &ms)
{
    return ms ? QJsonValue(isoTimestamp(*ms)) : QJsonValue(QJsonValue::Null);
}

QJsonObject reportJson(const store::Report &r, bool full)
{
    QJsonObject o {{QStringLiteral("id"), r.id}, {QStringLiteral("title"), r.title},
        {QStringLiteral("type"), r.type}, {QStringLiteral("status"), r.status},
        {QStringLiteral("periodStart"), r.periodStart}, {QStringLiteral("periodEnd"), r.periodEnd},
        {QStringLiteral("campaignId"), nullable(r.campaignId)},
        {QStringLiteral("deliveredAt"), msOrNull(r.deliveredAtMs)},
        {QStringLiteral("createdOn"), isoTimestamp(r.createdAtMs)}};
    if (full) {
        o.insert(QStringLiteral("activityId"), nullable(r.activityId));
        o.insert(QStringLiteral("content"), r.content);
        o.insert(QStringLiteral("deliveredBy"), nullable(r.deliveredBy));
        o.insert(QStringLiteral("deliveryChannel"), nullable(r.deliveryChannel));
    }
    return o;
}

QJsonObject adCampaignJson(const store::AdCampaign &c)
{
    return {{QStringLiteral("id"), c.id}, {QStringLiteral("platform"), c.platform},
        {QStringLiteral("externalId"), c.externalId}, {QStringLiteral("name"), c.name},
        {QStringLiteral("status"), c.status}, {QStringLiteral("campaignId"), nullable(c.campaignId)},
        {QStringLiteral("dailyBudgetUsd"),
            c.dailyBudgetMicros ? QJsonValue(workflow::Budget::toUsd(*c.dailyBudgetMicros))
                                : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("spendUsd"), workflow::Budget::toUsd(c.spendMicros)},
        {QStringLiteral("impressions"), c.impressions}, {QStringLiteral("clicks"), c.clicks},
        {QStringLiteral("conversions"), c.conversions},
        {QStringLiteral("ctrPct"), round1(ratio(c.clicks, c.impressions, 100.0))},
        {QStringLiteral("cpcUsd"), c.clicks > 0 ? workflow::Budget::toUsd(c.spendMicros / c.clicks) : 0.0},
        {QStringLiteral("costPerConversionUsd"),
            c.conversions > 0 ? QJsonValue(workflow::Budget::toUsd(c.spendMicros / c.conversions))
                              : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("syncedAt"), isoTimestamp(c.syncedAtMs)}};
}

QJsonObject termJson(const store::SearchTerm &t)
{
    return {{QStringLiteral("id"), t.id}, {QStringLiteral("term"), t.term},
        {QStringLiteral("matchType"), t.matchType}, {QStringLiteral("adCampaignId"), t.adCampaignId},
        {QStringLiteral("classification"), t.classification},
        {QStringLiteral("classifiedBy"), t.classifiedBy}, {QStringLiteral("note"), nullable(t.note)},
        {QStringLiteral("impressions"), t.impressions}, {QStringLiteral("clicks"), t.clicks},
        {QStringLiteral("conversions"), t.conversions},
        {QStringLiteral("costUsd"), workflow::Budget::toUsd(t.costMicros)},
        {QStringLiteral("ctrPct"), round1(ratio(t.clicks, t.impressions, 100.0))},
        {QStringLiteral("updatedOn"), isoTimestamp(t.updatedAtMs)}};
}
} // namespace

void addAnalyticsRoutes(std::vector<RouteSpec> &routes, const DashboardDeps &deps)
{
    store::Store &store = deps.store;
    const Clock &clock = deps.engine.clock;

    routes.push_back({HttpMethod::Get, path("/analytics/spend"), tenantUsers(),
        [&store, &clock](RequestContext &ctx) { return spend(store, clock, ctx); }});
    routes.push_back({HttpMethod::Get, path("/analytics/performance"), tenantUsers(),
        [&store, &clock](RequestContext &ctx) { return performance(store, clock, ctx); }});
    routes.push_back({HttpMethod::Get, path("/org-chart"), tenantUsers(),
        [&store](RequestContext &ctx) { return orgChart(store, ctx); }});

    routes.push_back({HttpMethod::Get, path("/reports"), tenantUsers(),
        [&store](RequestContext &ctx) -> Result<HttpResponse> {
            ListQuery query(ctx.request);
            QList<FieldIssue> issues;
            store::ReportFilter filter;
            filter.status = query.enumFilter(QStringLiteral("status"), kReportStatuses);
            filter.type = query.enumFilter(QStringLiteral("type"), kReportTypes);
            filter.campaignId = query.textFilter(QStringLiteral("campaignId"));
            if (auto d = dateParam(queryParam(ctx.request, QStringLiteral("filter[startDate]")),
                    QStringLiteral("filter[startDate]"), issues))
                filter.startDate = d->toString(Qt::ISODate);
            if (auto d = dateParam(queryParam(ctx.request, QStringLiteral("filter[endDate]")),
                    QStringLiteral("filter[endDate]"), issues))
                filter.endDate = d->toString(Qt::ISODate);
            const store::PageRequest page = query.page();
            if (auto v = queryProblems(query, issues); !v.ok())
                return v.error();
            auto rows = store.insight.reports.list(scopeOf(ctx), filter, page);
            if (!rows.ok())
                return rows.error();
            QJsonArray data;
            for (const auto &r : std::as_const(rows->items))
                data.append(reportJson(r, false));
            const QString last = rows->items.isEmpty() ? QString() : rows->items.last().id;
            return jsonResponse(200, pageJson(data, rows->hasMore, last, page));
        }});

    routes.push_back({HttpMethod::Get, path("/reports/:reportId"), tenantUsers(),
        [&store](RequestContext &ctx) -> Result<HttpResponse> {
            auto found = store.insight.reports.find(scopeOf(ctx), ctx.param("reportId"));
            if (!found.ok())
                return found.error();
            if (!found->has_value())
                return ApiError::notFound(QStringLiteral("report not found"));
            return jsonResponse(200, reportJson(**found, true));
        }});

    routes.push_back({HttpMethod::Get, path("/paid-ads/campaigns"), tenantUsers(),
        [&store](RequestContext &ctx) -> Result<HttpResponse> {
            ListQuery query(ctx.request);
            const QString platform = query.enumFilter(QStringLiteral("platform"), kPlatforms);
            const store::PageRequest page = query.page();
            if (auto v = query.result(); !v.ok())
                return v.error();
            auto rows = store.insight.paidAds.campaigns(scopeOf(ctx), platform, page);
            if (!rows.ok())
                return rows.error();
            QJsonArray data;
            for (const auto &c : std::as_const(rows->items))
                data.append(adCampaignJson(c));
            const QString last = rows->items.isEmpty() ? QString() : rows->items.last().id;
            return jsonResponse(200, pageJson(data, rows->hasMore, last, page));
        }});

    routes.push_back({HttpMethod::Get, path("/paid-ads/search-terms"), tenantUsers(),
        [&store](RequestContext &ctx) -> Result<HttpResponse> {
            ListQuery query(ctx.request);
            const QString classification
                = query.enumFilter(QStringLiteral("classification"), kClassifications);
            const QString campaignId = query.textFilter(QStringLiteral("campaignId"));
            const store::PageRequest page = query.page();
            if (auto v = query.result(); !v.ok())
                return v.error();
            auto rows = store.insight.paidAds.terms(scopeOf(ctx), classification, campaignId, page);
            if (!rows.ok())
                return rows.error();
            QJsonArray data;
            for (const auto &t : std::as_const(rows->items))
                data.append(termJson(t));
            const QString last = rows->items.isEmpty() ? QString() : rows->items.last().id;
            return jsonResponse(200, pageJson(data, rows->hasMore, last, page));
        }});

    routes.push_back({HttpMethod::Patch, path("/paid-ads/search-terms/:termId/classify"), editors(),
        [&store, &clock](RequestContext &ctx) -> Result<HttpResponse> {
            const auto scope = scopeOf(ctx);
            store::Transaction tx(store.db());
            if (!tx.isActive())
                return tx.error();
            auto found = store.insight.paidAds.findTerm(scope, ctx.param("termId"));
            if (!found.ok())
                return found.error();
            // The term first: an id the caller cannot see is a 404 whatever the body.
            if (!found->has_value())
                return ApiError::notFound(QStringLiteral("search term not found"));
            auto body = parseJsonObject(ctx.request.body);
            if (!body.ok())
                return body.error();
            JsonFields f(*body);
            const QString classification = f.requiredString(QStringLiteral("classification"), 32);
            if (!classification.isEmpty() && !kClassifications.contains(classification))
                f.addIssue(QStringLiteral("classification"), QStringLiteral("invalid"));
            const auto note = f.optionalString(QStringLiteral("note"), kMaxNote);
            if (auto v = f.result(); !v.ok())
                return v.error();
            store::SearchTerm term = **found;
            const QString newNote = note ? note->trimmed() : term.note;
            const qint64 now = clock.nowMs();
            if (auto r = store.insight.paidAds.classify(scope, term.id, classification, newNote, now);
                !r.ok())
                return r.error();
            QJsonObject changes;
            if (term.classification != classification)
                changes.insert(QStringLiteral("classification"), change(term.classification, classification));
            if (term.note != newNote)
                changes.insert(QStringLiteral("note"), change(nullable(term.note), nullable(newNote)));
            if (term.classifiedBy != QLatin1String("human"))
                changes.insert(
                    QStringLiteral("classifiedBy"), change(term.classifiedBy, QStringLiteral("human")));
            if (auto r = store.audit.append(auditEntry(ctx, QStringLiteral("search_term.classified"),
                    QStringLiteral("search_term"), term.id, changes, now));
                !r.ok())
                return r.error();
            if (auto r = tx.commit(); !r.ok())
                return r.error();
            term.classification = classification;
            term.note = newNote;
            term.classifiedBy = QStringLiteral("human");
            term.updatedAtMs = now;
            return jsonResponse(200, termJson(term));
        },
        kBodyLimit});
}

} // namespace lm::api::dashboard
