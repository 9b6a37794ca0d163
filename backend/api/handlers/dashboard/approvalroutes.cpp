// SPDX-License-Identifier: GPL-3.0-or-later
// /dashboard/v1/approvals: the tenant's approval queue and its decisions.
#include "api/handlers/dashboard/approvalbodies.h"
#include "api/handlers/dashboard/dashboardsupport.h"
#include "api/listquery.h"

namespace lm::api::dashboard {

namespace {
const QStringList kStatuses {QStringLiteral("pending"), QStringLiteral("approved"),
    QStringLiteral("rejected"), QStringLiteral("expired")};
const QStringList kTypes {QStringLiteral("content_review"), QStringLiteral("content_direction"),
    QStringLiteral("brand_direction"), QStringLiteral("strategy_change"),
    QStringLiteral("budget_authorization"), QStringLiteral("channel_action")};
const QStringList kRiskLevels {QStringLiteral("low"), QStringLiteral("medium"), QStringLiteral("high")};
} // namespace

void addApprovalRoutes(std::vector<RouteSpec> &routes, const DashboardDeps &deps)
{
    store::Store &store = deps.store;
    services::ApprovalService &approvals = deps.approvals;
    const Clock &clock = deps.engine.clock;

    // The spec calls this "list pending approvals": pending is the default; filter[status] picks another.
    routes.push_back({HttpMethod::Get, path("/approvals"), tenantUsers(),
        [&store](RequestContext &ctx) -> Result<HttpResponse> {
            ListQuery query(ctx.request);
            store::ApprovalFilter filter;
            filter.status = query.enumFilter(QStringLiteral("status"), kStatuses);
            filter.type = query.enumFilter(QStringLiteral("type"), kTypes);
            filter.riskLevel = query.enumFilter(QStringLiteral("riskLevel"), kRiskLevels);
            const store::PageRequest page = query.page();
            if (auto v = query.result(); !v.ok())
                return v.error();
            if (filter.status.isEmpty())
                filter.status = QStringLiteral("pending");
            // The queue's hot read: the database writes the items (same JSON as approvalJson).
            auto items = store.approvals.listJson(scopeOf(ctx), filter, page);
            if (!items.ok())
                return items.error();
            return pageResponse(*items, page);
        }});

    // Registered like any route: the router prefers the static `stats` over `:approvalId`.
    routes.push_back({HttpMethod::Get, path("/approvals/stats"), tenantUsers(),
        [&store, &clock](RequestContext &ctx) -> Result<HttpResponse> {
            auto stats = store.approvals.stats(scopeOf(ctx), clock.nowMs());
            if (!stats.ok())
                return stats.error();
            return jsonResponse(200,
                {{QStringLiteral("pending"), stats->pending}, {QStringLiteral("highRisk"), stats->highRisk},
                    {QStringLiteral("expiringIn24h"), stats->expiringIn24h},
                    {QStringLiteral("resolvedThisWeek"), stats->resolvedThisWeek}});
        }});

    routes.push_back({HttpMethod::Get, path("/approvals/:approvalId"), tenantUsers(),
        [&store](RequestContext &ctx) -> Result<HttpResponse> {
            auto found = store.approvals.find(scopeOf(ctx), ctx.param("approvalId"));
            if (!found.ok())
                return found.error();
            if (!found->has_value())
                return ApiError::notFound(QStringLiteral("approval not found"));
            return jsonResponse(200, services::approvalJson(**found, true));
        }});

    routes.push_back({HttpMethod::Post, path("/approvals/:approvalId/resolve"), approvers(),
        [&store, &approvals](RequestContext &ctx) -> Result<HttpResponse> {
            // An id the caller cannot see is a 404 whatever the body. A valid body goes to the
            // service, which looks the approval up first; a wrong one is reported only for an
            // approval the caller can see (the lookup happens only on that error path).
            const auto refuse = [&store, &ctx](ApiError error) -> Result<HttpResponse> {
                auto found = store.approvals.find(scopeOf(ctx), ctx.param("approvalId"));
                if (!found.ok())
                    return found.error();
                if (!found->has_value())
                    return ApiError::notFound(QStringLiteral("approval not found"));
                return error;
            };
            auto decision = parseResolveBody(ctx.request.body);
            if (!decision.ok())
                return refuse(decision.error());
            // The service checks the rest in order: existence (404), note (400), pending (409),
            // option (422).
            auto resolved
                = approvals.resolve(scopeOf(ctx), ctx.param("approvalId"), *decision, actorOf(ctx, store));
            if (!resolved.ok())
                return resolved.error();
            return jsonResponse(200,
                {{QStringLiteral("approvalId"), resolved->approvalId},
                    {QStringLiteral("resolution"), resolved->resolution},
                    {QStringLiteral("reEnqueuedActivities"), resolved->reEnqueuedActivities}});
        },
        kBodyLimit});
}

} // namespace lm::api::dashboard
