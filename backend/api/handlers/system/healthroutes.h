// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "api/router.h"

namespace lm::store {
class Database;
}

namespace lm::api {

/// GET /healthz (the process answers) and GET /readyz (and its store answers too).
Result<void> registerHealthRoutes(Router &router, store::Database &db, QString version);

} // namespace lm::api
