// SPDX-License-Identifier: GPL-3.0-or-later
// /dm/v1/approvals: every tenant's queue, its detail and decisions (single and bulk), through the
// same ApprovalService as the Dashboard.
#include "api/handlers/dm/approvalbudget.h"
#include "api/handlers/dm/dmsupport.h"
#include "api/json.h"
#include "api/listquery.h"
#include "store/dmrepository.h"

#include <QSet>

namespace lm::api::dm {

namespace {
constexpr int kMaxSearch = 200;
constexpr int kMaxBulkIds = 100;
constexpr int kMaxId = 64;
constexpr int kMaxOption = 500;

const QStringList kStatuses {QStringLiteral("pending"), QStringLiteral("approved"),
    QStringLiteral("rejected"), QStringLiteral("expired")};
const QStringList kTypes {QStringLiteral("content_review"), QStringLiteral("content_direction"),
    QStringLiteral("brand_direction"), QStringLiteral("strategy_change"),
    QStringLiteral("budget_authorization"), QStringLiteral("channel_action")};
const QStringList kRiskLevels {QStringLiteral("low"), QStringLiteral("medium"), QStringLiteral("high")};
const QStringList kResolutions {
    QStringLiteral("approved"), QStringLiteral("rejected"), QStringLiteral("revision_requested")};

QJsonObject resolvedJson(const services::ApprovalResolved &r)
{
    return {{QStringLiteral("approvalId"), r.approvalId}, {QStringLiteral("resolution"), r.resolution},
        {QStringLiteral("reEnqueuedActivities"), r.reEnqueuedActivities}};
}

/// `ids` of a bulk body: 1–100 non-empty strings of at most 64 characters, no repeats.
QStringList bulkIds(JsonFields &f)
{
    const QString field = QStringLiteral("ids");
    const QJsonArray items = f.requiredArray(field, kMaxBulkIds);
    QStringList ids;
    QSet<QString> seen;
    for (qsizetype i = 0; i < items.size(); ++i) {
        const QString name = QStringLiteral("%1[%2]").arg(field).arg(i);
        const QString id = items[i].toString();
        if (!items[i].isString() || id.trimmed().isEmpty())
            f.addIssue(name, QStringLiteral("must_be_string"));
        else if (id.size() > kMaxId)
            f.addIssue(name, QStringLiteral("too_long"));
        else if (seen.contains(id))
            f.addIssue(name, QStringLiteral("duplicate"));
        else {
            seen.insert(id);
            ids.append(id);
        }
    }
    return ids;
}
} // namespace

void addApprovalRoutes(std::vector<RouteSpec> &routes, const DashboardDeps &deps)
{
    store::Store &store = deps.store;
    services::ApprovalService &approvals = deps.approvals;
    const auto every = store::TenantScope::allTenants();

    routes.push_back({HttpMethod::Get, path("/approvals"), reviewers(),
        [&store, every](RequestContext &ctx) -> Result<HttpResponse> {
            ListQuery query(ctx.request);
            store::DmQueueQuery q;
            q.status = query.enumFilter(QStringLiteral("status"), kStatuses);
            q.type = query.enumFilter(QStringLiteral("type"), kTypes);
            q.riskLevel = query.enumFilter(QStringLiteral("riskLevel"), kRiskLevels);
            q.tenantId = query.textFilter(QStringLiteral("tenantId"));
            const store::PageRequest page = query.page();
            const QString search = ctx.request.queryParameter(QStringLiteral("search")).trimmed();
            if (auto v = query.result(); !v.ok())
                return v.error();
            if (search.size() > kMaxSearch)
                return ApiError::validation(QStringLiteral("search"), QStringLiteral("too_long"));
            if (q.status.isEmpty())
                q.status = QStringLiteral("pending");
            q.search = search;
            q.afterId = page.afterId;
            q.limit = page.limit;
            store::DmRepository dm(store.db());
            auto ids = dm.queuePage(q);
            if (!ids.ok())
                return ids.error();
            auto items = store.approvals.findMany(every, ids->items);
            if (!items.ok())
                return items.error();
            QJsonArray data;
            for (const auto &a : std::as_const(*items))
                data.append(services::approvalJson(a, false, true));
            QJsonObject asked;
            for (const auto &[key, value] :
                {std::pair {QStringLiteral("status"), q.status}, {QStringLiteral("type"), q.type},
                    {QStringLiteral("riskLevel"), q.riskLevel}, {QStringLiteral("tenantId"), q.tenantId},
                    {QStringLiteral("search"), q.search}, {QStringLiteral("after"), q.afterId}}) {
                if (!value.isEmpty())
                    asked.insert(key, value);
            }
            ctx.auditRead(
                {QStringLiteral("dm.approvals.listed"), QString(), QStringLiteral("platform"), QString(),
                    QJsonObject {{QStringLiteral("query"), asked}, {QStringLiteral("count"), data.size()}}});
            const QString last = ids->items.isEmpty() ? QString() : ids->items.last();
            return jsonResponse(200, pageJson(data, ids->hasMore, last, page));
        }});

    routes.push_back({HttpMethod::Get, path("/approvals/:approvalId"), reviewers(),
        [&store, every](RequestContext &ctx) -> Result<HttpResponse> {
            auto found = store.approvals.find(every, ctx.param("approvalId"));
            if (!found.ok())
                return found.error();
            if (!found->has_value())
                return ApiError::notFound(QStringLiteral("approval not found"));
            const store::Approval &a = **found;
            ctx.auditRead({QStringLiteral("dm.approval.read"), a.tenantId, QStringLiteral("approval"), a.id,
                QJsonObject()});
            auto budget = approvalBudgetJson(store, a);
            if (!budget.ok())
                return budget.error();
            QJsonObject detail = services::approvalJson(a, true, true);
            detail.insert(QStringLiteral("budget"), *budget);
            return jsonResponse(200, detail);
        }});

    routes.push_back({HttpMethod::Post, path("/approvals/:approvalId/resolve"), reviewers(),
        [&store, &approvals, every](RequestContext &ctx) -> Result<HttpResponse> {
            // As the Dashboard route: an unknown id is a 404 whatever the body; body problems are
            // reported for an approval that exists.
            const auto refuse = [&store, &ctx, every](ApiError error) -> Result<HttpResponse> {
                auto found = store.approvals.find(every, ctx.param("approvalId"));
                if (!found.ok())
                    return found.error();
                if (!found->has_value())
                    return ApiError::notFound(QStringLiteral("approval not found"));
                return error;
            };
            auto body = parseJsonObject(ctx.request.body);
            if (!body.ok())
                return refuse(body.error());
            JsonFields f(*body);
            const QString resolution = f.requiredString(QStringLiteral("resolution"), 64);
            if (!resolution.isEmpty() && !kResolutions.contains(resolution))
                f.addIssue(QStringLiteral("resolution"), QStringLiteral("invalid"));
            const QString option
                = f.optionalString(QStringLiteral("selectedOption"), kMaxOption).value_or(QString());
            const QString note = f.optionalString(QStringLiteral("note"), services::ApprovalService::kMaxNote)
                                     .value_or(QString());
            if (auto v = f.result(); !v.ok())
                return refuse(v.error());
            auto resolved = approvals.resolve(
                every, ctx.param("approvalId"), {resolution, option.trimmed(), note}, actorOf(ctx, store));
            if (!resolved.ok())
                return resolved.error();
            return jsonResponse(200, resolvedJson(*resolved));
        },
        kBodyLimit, false, false, {Stage::Idempotency}});

    // Registered like any route: the router prefers the static `bulk` over `:approvalId`.
    routes.push_back({HttpMethod::Post, path("/approvals/bulk/resolve"), reviewers(),
        [&store, &approvals, every](RequestContext &ctx) -> Result<HttpResponse> {
            auto body = parseJsonObject(ctx.request.body);
            if (!body.ok())
                return body.error();
            JsonFields f(*body);
            const QStringList ids = bulkIds(f);
            const QString resolution = f.requiredString(QStringLiteral("resolution"), 64);
            if (!resolution.isEmpty() && !kResolutions.contains(resolution))
                f.addIssue(QStringLiteral("resolution"), QStringLiteral("invalid"));
            const QString note = f.optionalString(QStringLiteral("note"), services::ApprovalService::kMaxNote)
                                     .value_or(QString());
            // A note the decision needs is a problem of the whole body, not of each item.
            if (kResolutions.contains(resolution) && resolution != QLatin1String("approved")
                && note.trimmed().isEmpty())
                f.addIssue(QStringLiteral("note"), QStringLiteral("required"));
            if (auto v = f.result(); !v.ok())
                return v.error();
            const services::Actor actor = actorOf(ctx, store);
            QJsonArray results;
            for (const QString &id : ids) {
                // Each item is its own transaction in the service: a failure undoes only itself.
                auto resolved = approvals.resolve(every, id, {resolution, {}, note}, actor);
                if (resolved.ok()) {
                    QJsonObject item = resolvedJson(*resolved);
                    item.insert(QStringLiteral("ok"), true);
                    results.append(item);
                } else {
                    results.append(
                        QJsonObject {{QStringLiteral("approvalId"), id}, {QStringLiteral("ok"), false},
                            {QStringLiteral("error"),
                                QJsonObject {{QStringLiteral("code"), resolved.error().codeName()},
                                    {QStringLiteral("message"), resolved.error().message}}}});
                }
            }
            return jsonResponse(200, {{QStringLiteral("results"), results}});
        },
        kBodyLimit, false, false, {Stage::Idempotency}});
}

} // namespace lm::api::dm
