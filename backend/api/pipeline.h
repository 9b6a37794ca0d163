// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "api/accesslog.h"
#include "api/dispatcher.h"
#include "api/router.h"
#include "core/clock.h"
#include "core/principal.h"

#include <QThreadPool>

namespace lm::api {

/// Verifies bearer tokens for the pipeline (implemented by the auth service).
class Authenticator
{
public:
    virtual ~Authenticator() = default;
    [[nodiscard]] virtual Result<Principal> authenticate(std::string_view accessToken) const = 0;
};

/// Verifies the run tokens agent runtimes present on /agent/v1 (implemented over the run executor).
class RunAuthenticator
{
public:
    virtual ~RunAuthenticator() = default;
    /// The principal of a token that opens exactly `runId`: UNAUTHORIZED for a wrong token or a token
    /// of another run (whether the run exists is not revealed), CONFLICT when the run has ended.
    [[nodiscard]] virtual Result<Principal> authenticateRun(
        const QString &runId, std::string_view token) const = 0;
    /// The principal of the token of any running run; UNAUTHORIZED otherwise.
    [[nodiscard]] virtual Result<Principal> authenticateRuntime(std::string_view token) const = 0;
};

/// The request pipeline, in order: request id (X-Request-Id in and out) → route lookup (404/405)
/// → authentication (401; run tokens on /agent/v1, 409 for an ended run) → surface and role check (403) →
/// handler (inline, or on the blocking pool for CPU-heavy routes) → error envelope → access log.
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
    void setRunAuthenticator(const RunAuthenticator *authenticator) { m_runAuthenticator = authenticator; }

    /// Waits for offloaded handlers to finish (shutdown).
    void drain();

private:
    Result<void> authorize(RequestContext &ctx, const RouteSpec &route) const;
    HttpResponse runHandler(RequestContext &ctx, const RouteSpec &route) const;
    void finish(const HttpRequest &request, const QString &requestId,
        const std::optional<Principal> &principal, HttpResponse &response, qint64 startedAtMs) const;

    const Router &m_router;
    const Authenticator &m_authenticator;
    const RunAuthenticator *m_runAuthenticator = nullptr;
    AccessLog &m_accessLog;
    const Clock &m_clock;
    Settings m_settings;
    QThreadPool m_blockingPool;
};

/// A request id: the client's X-Request-Id when it is short and plain, otherwise a new `req_<ulid>`.
[[nodiscard]] QString requestIdFor(const HttpRequest &request);

} // namespace lm::api
