// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "api/handlers/dashboard/dashboardroutes.h"

namespace lm::api {

/// /dm/v1: the DM reviewers' cross-tenant queue, overview, decisions, activity control and event
/// stream (docs/api/dm.md). Uses the Dashboard's dependencies (store, engine, approvals, streams).
Result<void> registerDmRoutes(Router &router, const DashboardDeps &deps);

} // namespace lm::api
