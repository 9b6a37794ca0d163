// SPDX-License-Identifier: GPL-3.0-or-later
// /dashboard/v1/campaigns: briefs in, campaign lists and details out.
#include "api/handlers/dashboard/campaigndetail.h"
#include "api/handlers/dashboard/dashboardsupport.h"
#include "api/listquery.h"
#include "services/campaignservice.h"
#include "workflow/budget.h"

#include <QRegularExpression>

#include <cmath>

namespace lm::api::dashboard {

namespace {
constexpr int kMaxName = 200;
constexpr int kMaxBrief = 20000;
constexpr int kMaxDeliverables = 20;
constexpr int kMaxQuantity = 100;
constexpr int kMaxRefs = 20; // platformIds, attachments
constexpr int kMaxRefChars = 64;
constexpr double kMaxBudgetUsd = 1e9; // keeps micro-dollars far from overflow

const QStringList kStatuses {QStringLiteral("draft"), QStringLiteral("active"), QStringLiteral("paused"),
    QStringLiteral("completed"), QStringLiteral("archived")};
const QStringList kDeliverableTypes {QStringLiteral("blog_post"), QStringLiteral("social_post"),
    QStringLiteral("gbp_post"), QStringLiteral("ad_copy"), QStringLiteral("email_newsletter"),
    QStringLiteral("backlink"), QStringLiteral("website_audit"), QStringLiteral("performance_report")};

/// An optional array of short strings (ids), kept as sent; problems go to `f` under `field`.
QStringList refList(JsonFields &f, const QJsonValue &v, const QString &field)
{
    return stringArray(f, v, field, kMaxRefs, kMaxRefChars, {}, ArrayItems::AsSent);
}

/// An optional ISO 8601 calendar date (YYYY-MM-DD).
QDate isoDate(JsonFields &f, const QJsonObject &o, const QString &field)
{
    static const QRegularExpression form(QStringLiteral("^\\d{4}-\\d{2}-\\d{2}$"));
    const QJsonValue v = o.value(field);
    if (v.isUndefined() || v.isNull())
        return {};
    if (!v.isString()) {
        f.addIssue(field, QStringLiteral("must_be_string"));
        return {};
    }
    const QDate d = QDate::fromString(v.toString(), Qt::ISODate);
    if (!form.match(v.toString()).hasMatch() || !d.isValid()) {
        f.addIssue(field, QStringLiteral("invalid_date"));
        return {};
    }
    return d;
}

QList<services::NewDeliverable> deliverables(JsonFields &f, const QJsonObject &o)
{
    const QString field = QStringLiteral("deliverables");
    const QJsonValue v = o.value(field);
    if (v.isUndefined() || v.isNull()) {
        f.addIssue(field, QStringLiteral("required"));
        return {};
    }
    if (!v.isArray()) {
        f.addIssue(field, QStringLiteral("must_be_array"));
        return {};
    }
    const QJsonArray items = v.toArray();
    if (items.isEmpty()) {
        f.addIssue(field, QStringLiteral("required"));
        return {};
    }
    if (items.size() > kMaxDeliverables) {
        f.addIssue(field, QStringLiteral("too_many"));
        return {};
    }
    QList<services::NewDeliverable> out;
    for (qsizetype i = 0; i < items.size(); ++i) {
        const QString at = QStringLiteral("deliverables[%1]").arg(i);
        if (!items[i].isObject()) {
            f.addIssue(at, QStringLiteral("must_be_object"));
            continue;
        }
        const QJsonObject d = items[i].toObject();
        services::NewDeliverable nd;
        const QJsonValue type = d.value(QLatin1String("type"));
        if (type.isUndefined() || type.isNull())
            f.addIssue(at + QStringLiteral(".type"), QStringLiteral("required"));
        else if (!type.isString())
            f.addIssue(at + QStringLiteral(".type"), QStringLiteral("must_be_string"));
        else if (!kDeliverableTypes.contains(type.toString()))
            f.addIssue(at + QStringLiteral(".type"), QStringLiteral("invalid"));
        else
            nd.type = type.toString();
        const QJsonValue quantity = d.value(QLatin1String("quantity"));
        if (quantity.isUndefined() || quantity.isNull())
            f.addIssue(at + QStringLiteral(".quantity"), QStringLiteral("required"));
        else if (!quantity.isDouble() || quantity.toDouble() != std::floor(quantity.toDouble()))
            f.addIssue(at + QStringLiteral(".quantity"), QStringLiteral("must_be_integer"));
        else if (quantity.toDouble() < 1 || quantity.toDouble() > kMaxQuantity)
            f.addIssue(at + QStringLiteral(".quantity"), QStringLiteral("out_of_range"));
        else
            nd.quantity = quantity.toInt();
        nd.platformIds
            = refList(f, d.value(QLatin1String("platformIds")), at + QStringLiteral(".platformIds"));
        JsonFields item(d);
        nd.templateId = item.optionalString(QStringLiteral("templateId"), kMaxRefChars).value_or(QString());
        if (const auto checked = item.result(); !checked.ok()) {
            for (const auto &issue : checked.error().details)
                f.addIssue(at + QLatin1Char('.') + issue.field, issue.issue);
        }
        out.append(nd);
    }
    return out;
}
Result<services::NewCampaign> parseBrief(const std::string &body)
{
    auto parsed = parseJsonObject(body);
    if (!parsed.ok())
        return parsed.error();
    const QJsonObject &o = *parsed;
    JsonFields f(o);
    services::NewCampaign brief;
    brief.name = f.requiredString(QStringLiteral("name"), kMaxName).trimmed();
    brief.brief = f.requiredString(QStringLiteral("brief"), kMaxBrief);
    brief.deliverables = deliverables(f, o);
    const QJsonValue budget = o.value(QLatin1String("budgetCapUsd"));
    if (!budget.isUndefined() && !budget.isNull()) {
        if (!budget.isDouble())
            f.addIssue(QStringLiteral("budgetCapUsd"), QStringLiteral("must_be_number"));
        else if (budget.toDouble() < 0 || budget.toDouble() > kMaxBudgetUsd)
            f.addIssue(QStringLiteral("budgetCapUsd"), QStringLiteral("out_of_range"));
        else
            brief.budgetCapMicros = std::llround(budget.toDouble() * 1e6);
    }
    brief.startDate = isoDate(f, o, QStringLiteral("startDate"));
    brief.endDate = isoDate(f, o, QStringLiteral("endDate"));
    if (brief.startDate.isValid() && brief.endDate.isValid() && brief.endDate < brief.startDate)
        f.addIssue(QStringLiteral("endDate"), QStringLiteral("before_start_date"));
    brief.attachments = refList(f, o.value(QLatin1String("attachments")), QStringLiteral("attachments"));
    if (auto v = f.result(); !v.ok())
        return v.error();
    return brief;
}

Result<services::CampaignPatch> parsePatch(const std::string &body)
{
    auto parsed = parseJsonObject(body);
    if (!parsed.ok())
        return parsed.error();
    const QJsonObject &o = *parsed;
    JsonFields f(o);
    services::CampaignPatch patch;
    if (o.contains(QLatin1String("name")))
        patch.name = f.requiredString(QStringLiteral("name"), kMaxName).trimmed();
    if (o.contains(QLatin1String("brief")))
        patch.brief = f.requiredString(QStringLiteral("brief"), kMaxBrief);
    if (o.contains(QLatin1String("budgetCapUsd"))) {
        const QJsonValue budget = o.value(QLatin1String("budgetCapUsd"));
        if (budget.isNull())
            patch.budgetCapMicros = std::optional<qint64>();
        else if (!budget.isDouble())
            f.addIssue(QStringLiteral("budgetCapUsd"), QStringLiteral("must_be_number"));
        else if (budget.toDouble() < 0 || budget.toDouble() > kMaxBudgetUsd)
            f.addIssue(QStringLiteral("budgetCapUsd"), QStringLiteral("out_of_range"));
        else
            patch.budgetCapMicros = std::optional<qint64>(std::llround(budget.toDouble() * 1e6));
    }
    if (const auto status = f.optionalString(QStringLiteral("status"), 32)) {
        if (*status != QLatin1String("paused") && *status != QLatin1String("active"))
            f.addIssue(QStringLiteral("status"), QStringLiteral("invalid"));
        else
            patch.status = *status;
    }
    if (auto v = f.result(); !v.ok())
        return v.error();
    // Deliverables are fixed once planned; this server does not change them at all.
    if (o.contains(QLatin1String("deliverables")))
        return ApiError {ErrorCode::Unprocessable, QStringLiteral("Deliverables cannot be changed"),
            {{QStringLiteral("deliverables"), QStringLiteral("not_changeable")}}};
    return patch;
}

QJsonValue dateOrNull(const QString &date)
{
    return nullable(date);
}

QJsonValue usdOrNull(const std::optional<qint64> &micros)
{
    return micros ? QJsonValue(workflow::Budget::toUsd(*micros)) : QJsonValue(QJsonValue::Null);
}

/// The list item of GET /campaigns.
Result<QJsonObject> summaryJson(
    store::Store &store, const store::TenantScope &scope, UserNames &names, const store::Campaign &c)
{
    auto deliverables = store.campaigns.deliverables(scope, c.id);
    if (!deliverables.ok())
        return deliverables.error();
    auto counts = store.activities.counts(scope, c.id);
    if (!counts.ok())
        return counts.error();
    auto pending = store.approvals.pendingCount(scope, c.id);
    if (!pending.ok())
        return pending.error();
    return QJsonObject {{QStringLiteral("id"), c.id}, {QStringLiteral("name"), c.name},
        {QStringLiteral("status"), c.status}, {QStringLiteral("budgetCapUsd"), usdOrNull(c.budgetCapMicros)},
        {QStringLiteral("spentUsd"), workflow::Budget::toUsd(c.spentMicros)},
        {QStringLiteral("deliverableCount"), int(deliverables->size())},
        {QStringLiteral("activityCount"),
            QJsonObject {{QStringLiteral("total"), counts->total},
                {QStringLiteral("inProgress"), counts->inProgress},
                {QStringLiteral("pending"), counts->pending}, {QStringLiteral("done"), counts->done}}},
        {QStringLiteral("pendingApprovals"), *pending},
        {QStringLiteral("createdBy"), names.name(c.createdBy)},
        {QStringLiteral("createdOn"), isoTimestamp(c.createdAtMs)},
        {QStringLiteral("startDate"), dateOrNull(c.startDate)},
        {QStringLiteral("endDate"), dateOrNull(c.endDate)}};
}

} // namespace

void addCampaignRoutes(std::vector<RouteSpec> &routes, const DashboardDeps &deps)
{
    store::Store &store = deps.store;
    services::CampaignService &campaigns = deps.campaigns;
    const Clock &clock = deps.engine.clock;

    routes.push_back({HttpMethod::Get, path("/campaigns"), tenantUsers(),
        [&store](RequestContext &ctx) -> Result<HttpResponse> {
            ListQuery query(ctx.request);
            const QString status = query.enumFilter(QStringLiteral("status"), kStatuses);
            const store::PageRequest page = query.page();
            if (auto v = query.result(); !v.ok())
                return v.error();
            const auto scope = scopeOf(ctx);
            auto rows = store.campaigns.list(scope, status, page);
            if (!rows.ok())
                return rows.error();
            UserNames names(store, scope);
            QJsonArray data;
            for (const auto &c : std::as_const(rows->items)) {
                auto item = summaryJson(store, scope, names, c);
                if (!item.ok())
                    return item.error();
                data.append(*item);
            }
            const QString last = rows->items.isEmpty() ? QString() : rows->items.last().id;
            return jsonResponse(200, pageJson(data, rows->hasMore, last, page));
        }});

    routes.push_back({HttpMethod::Post, path("/campaigns"), adminsOnly(),
        [&store, &campaigns](RequestContext &ctx) -> Result<HttpResponse> {
            auto brief = parseBrief(ctx.request.body);
            if (!brief.ok())
                return brief.error();
            // The service stores the brief, enqueues its planning and writes the audit row.
            auto created = campaigns.create(ctx.principal->tenantId, actorOf(ctx, store), *brief);
            if (!created.ok())
                return created.error();
            return jsonResponse(201,
                {{QStringLiteral("id"), created->id}, {QStringLiteral("name"), created->name},
                    {QStringLiteral("status"), QStringLiteral("draft")}});
        },
        kBodyLimit});

    routes.push_back({HttpMethod::Get, path("/campaigns/:campaignId"), tenantUsers(),
        [&store, &clock](RequestContext &ctx) -> Result<HttpResponse> {
            const QDate today = clock.now().date();
            if (store.db().dialect() == store::Dialect::Sqlite) {
                // SQLite's own API and JsonWriter: the same bytes at a fraction of the cost.
                auto body = campaignDetailSqlite(
                    store.db(), ctx.principal->tenantId, ctx.param("campaignId"), today);
                if (!body.ok())
                    return body.error();
                if (!body->has_value())
                    return ApiError::notFound(QStringLiteral("campaign not found"));
                HttpResponse r;
                r.status = 200;
                r.setHeader("Content-Type", "application/json");
                r.body = std::move(**body);
                return r;
            }
            const auto scope = scopeOf(ctx);
            auto found = store.campaigns.find(scope, ctx.param("campaignId"));
            if (!found.ok())
                return found.error();
            if (!found->has_value())
                return ApiError::notFound(QStringLiteral("campaign not found"));
            UserNames names(store, scope);
            auto detail = campaignDetailJson(store, scope, names, **found, today);
            if (!detail.ok())
                return detail.error();
            return jsonResponse(200, *detail);
        }});

    routes.push_back({HttpMethod::Patch, path("/campaigns/:campaignId"), adminsOnly(),
        [&store, &campaigns](RequestContext &ctx) -> Result<HttpResponse> {
            auto patch = parsePatch(ctx.request.body);
            if (!patch.ok())
                return patch.error();
            auto updated = campaigns.update(
                ctx.principal->tenantId, ctx.param("campaignId"), *patch, actorOf(ctx, store));
            if (!updated.ok())
                return updated.error();
            const auto scope = scopeOf(ctx);
            UserNames names(store, scope);
            auto summary = summaryJson(store, scope, names, *updated);
            if (!summary.ok())
                return summary.error();
            return jsonResponse(200, *summary);
        },
        kBodyLimit});

    routes.push_back({HttpMethod::Delete, path("/campaigns/:campaignId"), adminsOnly(),
        [&store, &campaigns](RequestContext &ctx) -> Result<HttpResponse> {
            if (auto r
                = campaigns.archive(ctx.principal->tenantId, ctx.param("campaignId"), actorOf(ctx, store));
                !r.ok())
                return r.error();
            return noContent();
        }});

    routes.push_back({HttpMethod::Get, path("/campaigns/:campaignId/deliverables"), tenantUsers(),
        [&store, &clock](RequestContext &ctx) -> Result<HttpResponse> {
            const auto scope = scopeOf(ctx);
            auto found = store.campaigns.find(scope, ctx.param("campaignId"));
            if (!found.ok())
                return found.error();
            if (!found->has_value())
                return ApiError::notFound(QStringLiteral("campaign not found"));
            auto deliverables = store.campaigns.deliverables(scope, (*found)->id);
            if (!deliverables.ok())
                return deliverables.error();
            const QDate today = clock.now().date();
            QJsonArray data;
            for (const auto &d : std::as_const(*deliverables)) {
                auto periods = store.campaigns.periods(scope, d.id);
                if (!periods.ok())
                    return periods.error();
                QJsonArray periodItems;
                for (const auto &p : std::as_const(*periods)) {
                    auto progress = store.campaigns.periodProgress(p.id);
                    if (!progress.ok())
                        return progress.error();
                    QJsonObject item = periodJson(p, *progress, today);
                    item.insert(QStringLiteral("id"), p.id);
                    periodItems.append(item);
                }
                data.append(QJsonObject {{QStringLiteral("id"), d.id}, {QStringLiteral("type"), d.type},
                    {QStringLiteral("quantity"), d.quantity}, {QStringLiteral("periods"), periodItems}});
            }
            return jsonResponse(200, {{QStringLiteral("data"), data}});
        }});

    routes.push_back({HttpMethod::Get, path("/deliverables/:deliverableId/activities"), tenantUsers(),
        [&store](RequestContext &ctx) -> Result<HttpResponse> {
            ListQuery query(ctx.request);
            store::ActivityFilter filter;
            filter.status = query.enumFilter(QStringLiteral("status"), activityStatuses());
            const store::PageRequest page = query.page();
            if (auto v = query.result(); !v.ok())
                return v.error();
            const auto scope = scopeOf(ctx);
            auto deliverable = store.campaigns.findDeliverable(scope, ctx.param("deliverableId"));
            if (!deliverable.ok())
                return deliverable.error();
            if (!deliverable->has_value())
                return ApiError::notFound(QStringLiteral("deliverable not found"));
            filter.deliverableId = (*deliverable)->id;
            auto rows = store.activities.list(scope, filter, page);
            if (!rows.ok())
                return rows.error();
            QJsonArray data;
            for (const auto &a : std::as_const(rows->items))
                data.append(services::activitySummaryJson(a));
            const QString last = rows->items.isEmpty() ? QString() : rows->items.last().id;
            return jsonResponse(200, pageJson(data, rows->hasMore, last, page));
        }});
}

} // namespace lm::api::dashboard
