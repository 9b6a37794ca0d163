// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "api/router.h"
#include "core/clock.h"

namespace lm::store {
class Store;
}

namespace lm::api {

/// POST /auth/v1/invites/accept: the invited person sets a password with the token of their invite
/// URL (POST /dashboard/v1/team/invite; decisions in docs/api/dashboard-config.md).
Result<void> registerInviteRoutes(Router &router, store::Store &store, const Clock &clock);

} // namespace lm::api
