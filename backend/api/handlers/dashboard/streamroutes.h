// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "api/router.h"

namespace lm::store {
class Store;
struct Activity;
} // namespace lm::store
namespace lm::api::sse {
class SseStreams;
}

namespace lm::api {

/// The Dashboard's live streams: GET /dashboard/v1/events/stream (the tenant's events) and
/// GET /dashboard/v1/activities/:activityId/stream (an activity's output).
Result<void> registerDashboardStreamRoutes(Router &router, store::Store &store, sse::SseStreams &streams);

/// An activity's output stream (replay from Last-Event-ID, or the current or last run), for any
/// route that has found the activity in the caller's reach (Dashboard: own tenant; DM: every tenant).
Result<HttpResponse> activityOutputStream(store::Store &store, sse::SseStreams &streams,
    const RequestContext &ctx, const store::Activity &activity);

/// Converts a stored event row to the hub's event (topic "tenant" or "activity:<id>").
struct StoredEventTopic
{
    static QString of(const QString &topic, const QString &activityId);
};

} // namespace lm::api
