// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "api/accesslog.h"
#include "api/dispatcher.h"
#include "api/middleware/authentication.h"
#include "api/middleware/stage.h"
#include "api/router.h"
#include "core/clock.h"
#include "core/principal.h"

#include <QThreadPool>

#include <array>
#include <memory>

namespace lm::api {

/// The verifier of access tokens the pipeline uses (declared in auth/, which knows no HTTP).
using Authenticator = auth::Authenticator;

/// The request pipeline, in order: request id (X-Request-Id in and out) → route lookup (404/405)
/// → authentication (401; the account as it stands now; run tokens on /agent/v1, 409 for an ended
/// run) → surface and role check (403) → the stages the route switches on (rate limit,
/// idempotency, conditional request) → handler (inline, or on the blocking pool for CPU-heavy
/// routes) → the stages' after-steps → error envelope → access log. api/middleware/ has the stages.
class Pipeline final : public HttpDispatcher
{
public:
    struct Settings
    {
        std::size_t defaultBodyLimit = 1024 * 1024;
        int blockingThreads = 2;
    };

    Pipeline(const Router &router, const Authenticator &authenticator, AccessLog &accessLog,
        const Clock &clock, Settings settings);
    ~Pipeline() override;

    [[nodiscard]] std::size_t bodyLimitFor(HttpMethod method, std::string_view path) const override;
    void dispatch(HttpRequest request, Responder respond) override;
    [[nodiscard]] HttpResponse engineError(const ApiError &error, const HttpRequest &request) override;

    /// Who checks run tokens (AgentRun/AgentRuntime routes); without one those routes answer 401.
    void setRunAuthenticator(const RunAuthenticator *authenticator)
    {
        m_authentication.setRunAuthenticator(authenticator);
    }
    /// Installs the stage that routes switching on `stage` run (set up before serving). A route
    /// that switches on a stage nobody installed runs without it.
    void setStage(Stage stage, std::shared_ptr<PipelineStage> implementation);

    /// Waits for offloaded handlers to finish (shutdown).
    void drain();

private:
    Result<void> authorize(RequestContext &ctx, const RouteSpec &route) const;
    HttpResponse runHandler(RequestContext &ctx, const RouteSpec &route) const;
    HttpResponse runStagesAndHandler(RequestContext &ctx, const RouteSpec &route) const;
    void finish(const HttpRequest &request, const QString &requestId,
        const std::optional<Principal> &principal, HttpResponse &response, qint64 startedAtMs) const;

    const Router &m_router;
    Authentication m_authentication;
    static constexpr int kStageCount = 4;
    std::array<std::shared_ptr<PipelineStage>, kStageCount> m_stages;
    AccessLog &m_accessLog;
    const Clock &m_clock;
    Settings m_settings;
    QThreadPool m_blockingPool;
};

/// A request id: the client's X-Request-Id when it is short and plain, otherwise a new `req_<ulid>`.
[[nodiscard]] QString requestIdFor(const HttpRequest &request);

} // namespace lm::api
