// SPDX-License-Identifier: GPL-3.0-or-later
#include "authroutes.h"

#include "api/json.h"
#include "auth/authservice.h"

namespace lm::api {

namespace {

constexpr int kMaxEmail = 254;
constexpr int kMaxPassword = 1024; // long enough for any passphrase, short enough to bound argon2 input
constexpr int kMaxToken = 8192;
constexpr int kMaxCode = 16;

auth::RequestMeta metaOf(const RequestContext &ctx)
{
    return {ctx.clientIp(), ctx.requestId};
}

QJsonObject tokensJson(const auth::TokenPair &t)
{
    return {{QStringLiteral("accessToken"), t.accessToken}, {QStringLiteral("refreshToken"), t.refreshToken},
        {QStringLiteral("expiresIn"), t.expiresIn}, {QStringLiteral("tokenType"), QStringLiteral("Bearer")}};
}

// A refusal as a handler returns it; a 429 also says when to try again.
Result<HttpResponse> refusal(
    const ApiError &error, const auth::Throttled &throttled, const RequestContext &ctx)
{
    if (error.code != ErrorCode::RateLimited)
        return error;
    HttpResponse r = errorResponse(error, ctx.requestId);
    r.setHeader("Retry-After", std::to_string(throttled.retryAfterSeconds));
    return r;
}

Result<HttpResponse> loginAnswer(
    const Result<auth::LoginOutcome> &outcome, const auth::Throttled &throttled, const RequestContext &ctx)
{
    if (!outcome.ok())
        return refusal(outcome.error(), throttled, ctx);
    if (outcome->mfaRequired)
        return jsonResponse(200,
            {{QStringLiteral("mfaRequired"), true},
                {QStringLiteral("challengeToken"), outcome->challengeToken}});
    QJsonObject body = tokensJson(outcome->tokens);
    body.insert(QStringLiteral("user"), auth::userJson(outcome->user));
    return jsonResponse(200, body);
}

} // namespace

Result<void> registerAuthRoutes(Router &router, auth::AuthService &auth)
{
    const std::size_t smallBody = 16 * 1024;
    std::vector<RouteSpec> routes;

    routes.push_back({HttpMethod::Post, "/auth/v1/login", AccessPolicy::open(),
        [&auth](RequestContext &ctx) -> Result<HttpResponse> {
            auto body = parseJsonObject(ctx.request.body);
            if (!body.ok())
                return body.error();
            JsonFields f(*body);
            const QString email = f.requiredString(QStringLiteral("email"), kMaxEmail);
            const QString password = f.requiredString(QStringLiteral("password"), kMaxPassword);
            if (auto v = f.result(); !v.ok())
                return v.error();
            auth::Throttled throttled;
            return loginAnswer(auth.login(email, password, metaOf(ctx), &throttled), throttled, ctx);
        },
        smallBody, /*offload*/ true});

    routes.push_back({HttpMethod::Post, "/auth/v1/mfa/verify", AccessPolicy::open(),
        [&auth](RequestContext &ctx) -> Result<HttpResponse> {
            auto body = parseJsonObject(ctx.request.body);
            if (!body.ok())
                return body.error();
            JsonFields f(*body);
            const QString challenge = f.requiredString(QStringLiteral("challengeToken"), kMaxToken);
            const QString code = f.requiredString(QStringLiteral("code"), kMaxCode);
            if (auto v = f.result(); !v.ok())
                return v.error();
            auth::Throttled throttled;
            return loginAnswer(auth.verifyMfa(challenge, code, metaOf(ctx), &throttled), throttled, ctx);
        },
        smallBody});

    routes.push_back({HttpMethod::Post, "/auth/v1/mfa/enroll", AccessPolicy::anyAccount(),
        [&auth](RequestContext &ctx) -> Result<HttpResponse> {
            auto enrollment = auth.enrollMfa(*ctx.principal, metaOf(ctx));
            if (!enrollment.ok())
                return enrollment.error();
            return jsonResponse(200,
                {{QStringLiteral("secret"), enrollment->secret},
                    {QStringLiteral("otpauthUrl"), enrollment->otpauthUrl}});
        },
        smallBody});

    routes.push_back({HttpMethod::Post, "/auth/v1/mfa/activate", AccessPolicy::anyAccount(),
        [&auth](RequestContext &ctx) -> Result<HttpResponse> {
            auto body = parseJsonObject(ctx.request.body);
            if (!body.ok())
                return body.error();
            JsonFields f(*body);
            const QString code = f.requiredString(QStringLiteral("code"), kMaxCode);
            if (auto v = f.result(); !v.ok())
                return v.error();
            if (auto r = auth.activateMfa(*ctx.principal, code, metaOf(ctx)); !r.ok())
                return r.error();
            auto user = auth.me(*ctx.principal);
            if (!user.ok())
                return user.error();
            return jsonResponse(200, {{QStringLiteral("user"), auth::userJson(*user)}});
        },
        smallBody});

    routes.push_back({HttpMethod::Delete, "/auth/v1/mfa", AccessPolicy::anyAccount(),
        [&auth](RequestContext &ctx) -> Result<HttpResponse> {
            auto body = parseJsonObject(ctx.request.body);
            if (!body.ok())
                return ApiError::validation(QStringLiteral("code"), QStringLiteral("required"),
                    QStringLiteral("A current MFA code is required"));
            JsonFields f(*body);
            const QString code = f.requiredString(QStringLiteral("code"), kMaxCode);
            if (auto v = f.result(); !v.ok())
                return v.error();
            auth::Throttled throttled;
            if (auto r = auth.disableMfa(*ctx.principal, code, metaOf(ctx), &throttled); !r.ok())
                return refusal(r.error(), throttled, ctx);
            return noContent();
        },
        smallBody});

    routes.push_back({HttpMethod::Post, "/auth/v1/refresh", AccessPolicy::open(),
        [&auth](RequestContext &ctx) -> Result<HttpResponse> {
            auto body = parseJsonObject(ctx.request.body);
            if (!body.ok())
                return body.error();
            JsonFields f(*body);
            const QString token = f.requiredString(QStringLiteral("refreshToken"), kMaxToken);
            if (auto v = f.result(); !v.ok())
                return v.error();
            auto pair = auth.refresh(token, metaOf(ctx));
            if (!pair.ok())
                return pair.error();
            return jsonResponse(200, tokensJson(*pair));
        },
        smallBody});

    routes.push_back({HttpMethod::Get, "/auth/v1/me", AccessPolicy::anyAccount(),
        [&auth](RequestContext &ctx) -> Result<HttpResponse> {
            auto user = auth.me(*ctx.principal);
            if (!user.ok())
                return user.error();
            return jsonResponse(200, auth::userJson(*user));
        }});

    // Logout is proven by the refresh token itself, so a client whose access token expired can
    // still end its session.
    routes.push_back({HttpMethod::Post, "/auth/v1/logout", AccessPolicy::open(),
        [&auth](RequestContext &ctx) -> Result<HttpResponse> {
            auto body = parseJsonObject(ctx.request.body);
            if (!body.ok())
                return body.error();
            JsonFields f(*body);
            const QString token = f.requiredString(QStringLiteral("refreshToken"), kMaxToken);
            if (auto v = f.result(); !v.ok())
                return v.error();
            auth.logout(token, metaOf(ctx));
            return noContent();
        },
        smallBody});

    for (auto &route : routes) {
        if (auto r = router.add(std::move(route)); !r.ok())
            return r;
    }
    return {};
}

} // namespace lm::api
