// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/clock.h"
#include "core/result.h"
#include "store/store.h"

namespace lm::server {

/// The insight half of the demo, per tenant, after its engine data: operational logs and audit
/// rows from the seeded history, reports, synced paid-ads campaigns with search terms, recurring
/// tasks and an assistant conversation. Inside the caller's transaction.
Result<void> seedInsight(store::Store &store, const Clock &clock, const QString &tenantId,
    const QString &adminUserId, int variant);

} // namespace lm::server
