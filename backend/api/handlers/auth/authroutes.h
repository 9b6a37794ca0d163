// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "api/router.h"

namespace lm::auth {
class AuthService;
}

namespace lm::api {

/// /auth/v1: login, MFA, refresh, me, logout (shapes in spec/leadmetrics-contract.md, docs/api/auth.md).
Result<void> registerAuthRoutes(Router &router, auth::AuthService &auth);

} // namespace lm::api
