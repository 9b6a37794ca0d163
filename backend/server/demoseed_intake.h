// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/clock.h"
#include "core/result.h"
#include "store/store.h"

namespace lm::server {

/// The demo's intake data of one tenant (after its engine data): leads across statuses and sources
/// with timelines, a finished CSV import, blog and social requests, and channels with health data.
/// Channels carry no tokens (the demo reaches no provider).
Result<void> seedIntake(store::Store &store, const Clock &clock, const QString &tenantId,
    const QString &ownerUserId, int tenantIndex);

} // namespace lm::server
