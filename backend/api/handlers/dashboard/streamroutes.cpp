// SPDX-License-Identifier: GPL-3.0-or-later
#include "streamroutes.h"

#include "api/sse/sseformat.h"
#include "api/sse/ssestreams.h"
#include "store/store.h"

namespace lm::api {

namespace {
constexpr RoleSet kTenantRoles {Role::Admin, Role::Member, Role::Reviewer};

QList<events::Event> toHubEvents(const QList<store::EventRecord> &rows)
{
    QList<events::Event> out;
    out.reserve(rows.size());
    for (const auto &r : rows)
        out.append(
            {r.seq, r.tenantId, StoredEventTopic::of(r.topic, r.activityId), r.type, r.data, r.createdAtMs});
    return out;
}
} // namespace

QString StoredEventTopic::of(const QString &topic, const QString &activityId)
{
    return topic == QLatin1String("activity") ? QStringLiteral("activity:") + activityId
                                              : QStringLiteral("tenant");
}

Result<HttpResponse> activityOutputStream(
    store::Store &store, sse::SseStreams &streams, const RequestContext &ctx, const store::Activity &activity)
{
    const QString activityId = activity.id;
    sse::EventStreamer::Options options;
    options.topicKey = events::EventHub::topicKey(
        activity.tenantId, StoredEventTopic::of(QStringLiteral("activity"), activityId));
    options.terminalTypes = {QStringLiteral("completed"), QStringLiteral("error")};
    options.replayAfter = sse::lastEventIdFrom(ctx.request);
    if (!options.replayAfter) {
        // A client joining first gets the current run from its start (or, when none is
        // running, the last run whole, ending with its completed or error).
        auto ends = store.events.activityRunEnds(activityId, 2);
        if (!ends.ok())
            return ends.error();
        const bool running = activity.status == QLatin1String("in_progress");
        const qsizetype skip = running ? 0 : 1;
        options.replayAfter = ends->size() > skip ? ends->at(skip) : 0;
    }
    options.replay = [&store, activityId](qint64 after, int limit) -> Result<QList<events::Event>> {
        auto rows = store.events.activityEventsAfter(activityId, after, limit);
        if (!rows.ok())
            return rows.error();
        return toHubEvents(*rows);
    };
    return streams.events(ctx, std::move(options));
}

Result<void> registerDashboardStreamRoutes(Router &router, store::Store &store, sse::SseStreams &streams)
{
    RouteSpec events {HttpMethod::Get, "/dashboard/v1/events/stream",
        AccessPolicy::surface(Surface::Dashboard, kTenantRoles),
        [&store, &streams](RequestContext &ctx) -> Result<HttpResponse> {
            const QString tenantId = ctx.principal->tenantId;
            sse::EventStreamer::Options options;
            options.topicKey = events::EventHub::topicKey(tenantId, QStringLiteral("tenant"));
            // Without a resume point the tenant stream is live only: a feed, not a history.
            options.replayAfter = sse::lastEventIdFrom(ctx.request);
            options.replay = [&store, tenantId](qint64 after, int limit) -> Result<QList<events::Event>> {
                auto rows = store.events.tenantEventsAfter(tenantId, after, limit);
                if (!rows.ok())
                    return rows.error();
                return toHubEvents(*rows);
            };
            return streams.events(ctx, std::move(options));
        }};
    events.acceptsQueryToken = true;
    if (auto r = router.add(std::move(events)); !r.ok())
        return r;

    RouteSpec output {HttpMethod::Get, "/dashboard/v1/activities/:activityId/stream",
        AccessPolicy::surface(Surface::Dashboard, kTenantRoles),
        [&store, &streams](RequestContext &ctx) -> Result<HttpResponse> {
            auto activity = store.activities.find(
                store::TenantScope::tenant(ctx.principal->tenantId), ctx.param("activityId"));
            if (!activity.ok())
                return activity.error();
            if (!activity->has_value())
                return ApiError::notFound(QStringLiteral("activity not found"));
            return activityOutputStream(store, streams, ctx, **activity);
        }};
    output.acceptsQueryToken = true;
    return router.add(std::move(output));
}

} // namespace lm::api
