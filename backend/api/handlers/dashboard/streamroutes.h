// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "api/router.h"

namespace lm::store {
class Store;
}
namespace lm::api::sse {
class SseStreams;
}

namespace lm::api {

/// The Dashboard's live streams: GET /dashboard/v1/events/stream (the tenant's events) and
/// GET /dashboard/v1/activities/:activityId/stream (an activity's output).
Result<void> registerDashboardStreamRoutes(Router &router, store::Store &store, sse::SseStreams &streams);

/// Converts a stored event row to the hub's event (topic "tenant" or "activity:<id>").
struct StoredEventTopic
{
    static QString of(const QString &topic, const QString &activityId);
};

} // namespace lm::api
