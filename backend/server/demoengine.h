// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/clock.h"
#include "core/result.h"
#include "services/engine.h"
#include "store/store.h"

namespace lm::server {

/// The engine half of the demo (spec/leadmetrics-contract.md "Demo data"): per tenant the seven
/// agents with their org chart, skills, three campaigns, activities in every status with runs and
/// costs over the last 30 days, and pending approvals of mixed type and risk (some expiring within
/// 24 h). History is written as rows; the live part (assigned work, a subtask) is left to the
/// simulator, and the demo feed keeps adding work to each active campaign while someone watches.
namespace DemoEngine {
/// The job that keeps the demo alive (registered only with --demo).
inline const QString kFeedJob = QStringLiteral("demo_feed");
/// How often the feed adds an activity to each tenant's active campaign.
inline constexpr qint64 kFeedIntervalMs = 90'000;
/// The feed stops adding once an active campaign has this many activities.
inline constexpr int kFeedCap = 150;

/// Writes one tenant's engine data inside the caller's transaction (queued run jobs included).
Result<void> seedTenant(store::Store &store, jobs::JobQueue &queue, const Clock &clock,
    const QString &tenantId, const QString &tenantName, const QString &ownerUserId, int tenantIndex);
/// Prices of the models the demo and the built-in adapters name (per million tokens).
Result<void> seedPrices(store::Store &store, qint64 nowMs);
/// One feed round: a new activity in each tenant's active campaign, then the next round queued.
Result<void> feed(services::EngineContext &engine);
} // namespace DemoEngine

} // namespace lm::server
