// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "api/requestcontext.h"
#include "api/router.h"
#include "auth/accountdirectory.h"
#include "auth/authenticator.h"
#include "core/result.h"

namespace lm::api {

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

/// The first two stages of every route that is not open. Authentication: the bearer token (or
/// `?access_token=` where the route accepts it) proves who calls — an access token through the
/// Authenticator, which checks the account as it stands now, or a run token on /agent/v1 (401,
/// 409 for an ended run). Access: the route's surface and roles against the principal's current
/// ones (403).
class Authentication
{
public:
    explicit Authentication(const auth::Authenticator &authenticator)
        : m_authenticator(authenticator)
    { }

    /// Who checks run tokens (AgentRun/AgentRuntime routes); without one those routes answer 401.
    void setRunAuthenticator(const RunAuthenticator *authenticator) { m_runAuthenticator = authenticator; }

    /// Sets ctx.principal, or says why not.
    [[nodiscard]] Result<void> authenticate(RequestContext &ctx, const RouteSpec &route) const;

private:
    const auth::Authenticator &m_authenticator;
    const RunAuthenticator *m_runAuthenticator = nullptr;
};

/// Whether the principal may call a route of `policy` (its surface in appAccess, its role in the
/// policy's roles): 403 otherwise. Open and run-token routes admit whoever authenticated.
[[nodiscard]] Result<void> checkAccess(const Principal &principal, const AccessPolicy &policy);

/// Whether a user may still call a route of `policy`, as their account stands now (removed,
/// demoted, tenant suspended: no). Routes of run tokens and open routes: yes. A failed read is a
/// yes for now: the next check decides.
[[nodiscard]] bool accountMayCall(const auth::AccountDirectory &accounts, const QString &userId,
    const QString &tenantId, const AccessPolicy &policy);

} // namespace lm::api
