// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "api/router.h"

namespace lm::agents {
class RunExecutor;
}
namespace lm::services {
class AgentControl;
}
namespace lm::store {
class Store;
}

namespace lm::api {

/// /agent/v1: the callbacks and control-plane actions of external agent runtimes, authenticated by
/// run tokens (docs/api/agent.md).
Result<void> registerAgentRoutes(
    Router &router, agents::RunExecutor &executor, services::AgentControl &control, store::Store &store);

} // namespace lm::api
