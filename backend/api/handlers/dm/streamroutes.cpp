// SPDX-License-Identifier: GPL-3.0-or-later
// /dm/v1 live streams: every tenant's events, and any tenant's activity output.
#include "api/handlers/dashboard/streamroutes.h"
#include "api/handlers/dm/dmsupport.h"
#include "api/sse/sseformat.h"
#include "api/sse/ssestreams.h"
#include "store/dmrepository.h"

namespace lm::api::dm {

namespace {
events::Event hubEvent(const store::EventRecord &r)
{
    return {r.seq, r.tenantId, StoredEventTopic::of(r.topic, r.activityId), r.type, r.data, r.createdAtMs};
}
} // namespace

void addStreamRoutes(std::vector<RouteSpec> &routes, const DashboardDeps &deps)
{
    store::Store &store = deps.store;
    sse::SseStreams *streams = deps.streams;

    RouteSpec events {HttpMethod::Get, path("/events"), reviewers(),
        [&store, streams](RequestContext &ctx) -> Result<HttpResponse> {
            if (!streams)
                return ApiError::internal(QStringLiteral("streams are not available"));
            sse::EventStreamer::Options options;
            options.topicKey = events::EventHub::allTenantsKey();
            // As the tenant stream: live only without a resume point.
            options.replayAfter = sse::lastEventIdFrom(ctx.request);
            options.replay = [&store](qint64 after, int limit) -> Result<QList<events::Event>> {
                auto rows = store::DmRepository(store.db()).tenantEventsAfter(after, limit);
                if (!rows.ok())
                    return rows.error();
                QList<events::Event> out;
                out.reserve(rows->size());
                for (const auto &r : std::as_const(*rows))
                    out.append(events::EventHub::withTenantId(hubEvent(r)));
                return out;
            };
            ctx.auditRead({QStringLiteral("dm.events.stream"), QString(), QStringLiteral("platform"),
                QString(), QJsonObject()});
            return streams->events(ctx, std::move(options));
        }};
    events.acceptsQueryToken = true;
    routes.push_back(std::move(events));

    RouteSpec output {HttpMethod::Get, path("/activities/:activityId/stream"), reviewers(),
        [&store, streams](RequestContext &ctx) -> Result<HttpResponse> {
            if (!streams)
                return ApiError::internal(QStringLiteral("streams are not available"));
            const QString activityId = ctx.param("activityId");
            auto activity = store.activities.find(store::TenantScope::allTenants(), activityId);
            if (!activity.ok())
                return activity.error();
            if (!activity->has_value())
                return ApiError::notFound(QStringLiteral("activity not found"));
            const QString tenantId = (*activity)->tenantId;
            ctx.auditRead({QStringLiteral("dm.activity.stream"), tenantId, QStringLiteral("activity"),
                activityId, QJsonObject()});
            return activityOutputStream(store, *streams, ctx, **activity);
        }};
    output.acceptsQueryToken = true;
    routes.push_back(std::move(output));
}

} // namespace lm::api::dm
