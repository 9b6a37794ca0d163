// SPDX-License-Identifier: GPL-3.0-or-later
#include "authentication.h"

#include <cctype>

namespace lm::api {

namespace {
std::string_view bearerToken(const HttpRequest &request)
{
    const std::string_view auth = request.header("authorization");
    constexpr std::string_view prefix = "Bearer ";
    if (auth.size() <= prefix.size())
        return {};
    for (std::size_t i = 0; i < prefix.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(auth[i]))
            != std::tolower(static_cast<unsigned char>(prefix[i])))
            return {};
    }
    return auth.substr(prefix.size());
}
} // namespace

Result<void> Authentication::authenticate(RequestContext &ctx, const RouteSpec &route) const
{
    const AccessPolicy &policy = *route.access;
    if (policy.kind() == AccessPolicy::Kind::Open)
        return {};
    std::string_view token = bearerToken(ctx.request);
    std::string queryToken;
    if (token.empty() && route.acceptsQueryToken) {
        queryToken = ctx.request.queryParameter(QStringLiteral("access_token")).toStdString();
        token = queryToken;
    }
    if (token.empty())
        return ApiError::unauthorized(QStringLiteral("A bearer token is required"));
    if (policy.kind() == AccessPolicy::Kind::AgentRun || policy.kind() == AccessPolicy::Kind::AgentRuntime) {
        // Run tokens are not access tokens: they never reach the JWT check, nor it them.
        if (!m_runAuthenticator)
            return ApiError::unauthorized(QStringLiteral("invalid run token"));
        auto run = policy.kind() == AccessPolicy::Kind::AgentRun
            ? m_runAuthenticator->authenticateRun(ctx.param("runId"), token)
            : m_runAuthenticator->authenticateRuntime(token);
        if (!run.ok())
            return run.error();
        ctx.principal = std::move(run).value();
        return {};
    }
    auto principal = m_authenticator.authenticate(token);
    if (!principal.ok())
        return principal.error();
    ctx.principal = std::move(principal).value();
    return {};
}

Result<void> checkAccess(const Principal &principal, const AccessPolicy &policy)
{
    switch (policy.kind()) {
    case AccessPolicy::Kind::Open:
    case AccessPolicy::Kind::AgentRun:
    case AccessPolicy::Kind::AgentRuntime:
        return {};
    case AccessPolicy::Kind::Surface:
        if (!principal.appAccess.contains(policy.surfaceValue()))
            return ApiError::forbidden(QStringLiteral("This token has no access to the %1 surface")
                                           .arg(surfaceName(policy.surfaceValue())));
        break;
    case AccessPolicy::Kind::AnyAccount:
        break;
    }
    if (!policy.roles().contains(principal.role))
        return ApiError::forbidden(
            QStringLiteral("The %1 role may not call this route").arg(roleName(principal.role)));
    return {};
}

bool accountMayCall(const auth::AccountDirectory &accounts, const QString &userId, const QString &tenantId,
    const AccessPolicy &policy)
{
    if (policy.kind() != AccessPolicy::Kind::Surface && policy.kind() != AccessPolicy::Kind::AnyAccount)
        return true;
    auto account = accounts.find(userId);
    if (!account.ok())
        return true;
    if (!account->has_value() || (*account)->tenantId != tenantId || auth::accountRefusal(**account))
        return false;
    Principal now;
    now.userId = userId;
    now.tenantId = tenantId;
    now.role = (*account)->role;
    now.appAccess = (*account)->appAccess;
    return checkAccess(now, policy).ok();
}

} // namespace lm::api
