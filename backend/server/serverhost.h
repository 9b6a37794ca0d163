// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/clock.h"
#include "core/result.h"
#include "server/serveroptions.h"

#include <memory>

namespace lm::store {
class Store;
}
namespace lm::auth {
class AuthService;
}
namespace lm::api {
class Router;
}
namespace lm::jobs {
class JobQueue;
class JobWorkers;
} // namespace lm::jobs
namespace lm::services {
struct EngineContext;
class ApprovalService;
class CampaignService;
class AgentControl;
} // namespace lm::services
namespace lm::agents {
class RunExecutor;
}
namespace lm::store {
struct EventRecord;
}
namespace lm::events {
class EventHub;
}

namespace lm::server {

/// The whole backend in one object: data dir and keys, store and migrations, services, routes,
/// pipeline and HTTP engine. The headless server and the console's embedded backend both use it.
class ServerHost
{
public:
    /// `clock` (tests) must outlive the host; null means the system clock.
    explicit ServerHost(ServerOptions options, const Clock *clock = nullptr);
    ~ServerHost();
    ServerHost(const ServerHost &) = delete;
    ServerHost &operator=(const ServerHost &) = delete;

    /// Prepares everything and starts listening. On failure nothing is left running.
    Result<void> start();
    /// Graceful stop: stop accepting, let in-flight requests finish, close the store.
    void stop();

    [[nodiscard]] quint16 port() const;
    /// http://HOST:PORT
    [[nodiscard]] QString baseUrl() const;
    [[nodiscard]] const ServerOptions &options() const;
    [[nodiscard]] store::Store &store();
    [[nodiscard]] auth::AuthService &auth();
    [[nodiscard]] api::Router &router();
    [[nodiscard]] jobs::JobQueue &jobQueue();
    [[nodiscard]] jobs::JobWorkers &jobWorkers();
    [[nodiscard]] services::EngineContext &engine();
    [[nodiscard]] services::ApprovalService &approvals();
    [[nodiscard]] services::CampaignService &campaigns();
    [[nodiscard]] services::AgentControl &agentControl();
    [[nodiscard]] agents::RunExecutor &runExecutor();
    /// The in-process fan-out of committed events (SSE streams subscribe to it).
    [[nodiscard]] events::EventHub &eventHub();

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace lm::server
