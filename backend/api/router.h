// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "api/http.h"
#include "api/middleware/stage.h"
#include "api/requestcontext.h"
#include "core/result.h"
#include "core/roles.h"

#include <functional>
#include <memory>
#include <optional>

namespace lm::api {

/// Who may call a route. Every route declares one; the router refuses a route without it.
class AccessPolicy
{
public:
    enum class Kind
    {
        Open,
        AnyAccount,
        Surface,
        AgentRun,
        AgentRuntime
    };

    /// No token needed (login, health checks).
    static AccessPolicy open() { return AccessPolicy(Kind::Open, {}, RoleSet::all()); }
    /// Any valid access token, whatever its surfaces (e.g. /auth/v1/me).
    static AccessPolicy anyAccount() { return AccessPolicy(Kind::AnyAccount, {}, RoleSet::all()); }
    /// A token whose appAccess includes the surface and whose role is in the set.
    static AccessPolicy surface(Surface s, RoleSet roles) { return AccessPolicy(Kind::Surface, s, roles); }
    /// A run token (`lmr_…`) that opens exactly the `:runId` of the path; an ended run is a 409.
    static AccessPolicy agentRun() { return AccessPolicy(Kind::AgentRun, {}, RoleSet::all()); }
    /// Any run token of a running run; the principal is that run's tenant (health, skills).
    static AccessPolicy agentRuntime() { return AccessPolicy(Kind::AgentRuntime, {}, RoleSet::all()); }

    [[nodiscard]] Kind kind() const { return m_kind; }
    [[nodiscard]] Surface surfaceValue() const { return m_surface; }
    [[nodiscard]] const RoleSet &roles() const { return m_roles; }
    /// A surface whose routes read across tenants (DM, admin, CLI): their scope is every tenant,
    /// and each read is audited (Stage::Audit is switched on for them by Router::add).
    [[nodiscard]] bool isCrossTenant() const
    {
        return m_kind == Kind::Surface && m_surface != Surface::Dashboard;
    }

private:
    AccessPolicy(Kind kind, Surface surface, RoleSet roles)
        : m_kind(kind)
        , m_surface(surface)
        , m_roles(roles)
    { }
    Kind m_kind;
    Surface m_surface = Surface::Dashboard;
    RoleSet m_roles;
};

using RouteHandler = std::function<Result<HttpResponse>(RequestContext &)>;

/// Everything about one route.
struct RouteSpec
{
    HttpMethod method = HttpMethod::Get;
    std::string pattern; ///< e.g. /dashboard/v1/campaigns/:campaignId
    std::optional<AccessPolicy> access; ///< required
    RouteHandler handler;
    std::size_t bodyLimit = 0; ///< bytes; 0 = the server default
    bool offload = false; ///< runs on the blocking pool (CPU-heavy work such as password hashing)
    bool acceptsQueryToken = false; ///< SSE routes: `?access_token=` (EventSource cannot set headers)
    StageSet stages {}; ///< the optional pipeline stages this route switches on (idempotency, …)
};

/// A segment trie of routes with `:param` segments; static segments win over parameters.
class Router
{
public:
    Router();
    ~Router();
    Router(const Router &) = delete;
    Router &operator=(const Router &) = delete;

    /// Adds a route. Fails for a route without an access declaration, a malformed pattern, or a
    /// method and path that are taken.
    Result<void> add(RouteSpec spec);

    enum class Outcome
    {
        Found,
        NotFound,
        MethodNotAllowed
    };
    struct Lookup
    {
        Outcome outcome = Outcome::NotFound;
        const RouteSpec *route = nullptr;
        std::vector<std::pair<std::string, std::string>> params;
        std::string allow; ///< for 405: the methods the path has, comma-separated
    };
    [[nodiscard]] Lookup lookup(HttpMethod method, std::string_view path) const;

    /// Every registered route, in registration order (route-table tests walk it).
    [[nodiscard]] std::vector<const RouteSpec *> routes() const;

private:
    struct Node;
    std::unique_ptr<Node> m_root;
    std::vector<std::unique_ptr<RouteSpec>> m_routes;
};

} // namespace lm::api
