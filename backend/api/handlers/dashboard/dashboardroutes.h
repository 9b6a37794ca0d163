// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "api/router.h"

#include <functional>
#include <optional>

namespace lm::store {
class Store;
}
namespace lm::api::sse {
class SseStreams;
}
namespace lm::services {
struct EngineContext;
class CampaignService;
class ApprovalService;
} // namespace lm::services
namespace lm::auth {
class SecretBox;
}
namespace lm::agents {
class RunExecutor;
}

namespace lm::api {

/// What the engine's Dashboard routes use.
struct DashboardDeps
{
    store::Store &store;
    services::EngineContext &engine;
    services::CampaignService &campaigns;
    services::ApprovalService &approvals;
    /// Seals and opens integration API keys (Team/Agents/Skills/Integrations routes).
    const auth::SecretBox *secrets = nullptr;
    /// Adapter settings with opened keys, for POST /agents/:agentRole/test.
    agents::RunExecutor *executor = nullptr;
    QString channelProvidersFile {}; ///< the OAuth provider table of channel connections
    /// Chat: the SSE streams (per-user cap, pings) and the opener of agents' sealed API keys.
    sse::SseStreams *streams = nullptr;
    std::function<std::optional<QByteArray>(const QByteArray &sealed)> openSecret {};
};

/// /dashboard/v1 campaigns, activities and approvals (spec: leadmetrics-dashboard-api; decisions in
/// docs/api/dashboard.md).
Result<void> registerDashboardEngineRoutes(Router &router, const DashboardDeps &deps);

} // namespace lm::api
