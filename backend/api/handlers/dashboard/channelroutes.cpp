// SPDX-License-Identifier: GPL-3.0-or-later
// /dashboard/v1/channels: OAuth2 connections to the tenant's platforms, their health, disconnects.
#include "api/handlers/dashboard/intakesupport.h"
#include "auth/secretbox.h"
#include "core/logging.h"
#include "core/ulid.h"
#include "services/channeloauth.h"

#include <QCryptographicHash>
#include <QRandomGenerator>
#include <QUrlQuery>

#include <cmath>

namespace lm::api::dashboard {

namespace {
constexpr int kMaxRedirectUrl = 2048;
constexpr const char *kCallbackPath = "/dashboard/v1/channels/oauth/callback";
// Health weights and the engagement rate that scores 100 (docs/api/dashboard-intake.md).
constexpr double kCompletenessWeight = 0.3;
constexpr double kActivityWeight = 0.4;
constexpr double kEngagementWeight = 0.3;
constexpr double kFullEngagementBp = 500; // 5 % average engagement

const QList<std::pair<QString, QString>> &platforms()
{
    static const QList<std::pair<QString, QString>> list {
        {QStringLiteral("linkedin"), QStringLiteral("LinkedIn")},
        {QStringLiteral("facebook"), QStringLiteral("Facebook")},
        {QStringLiteral("instagram"), QStringLiteral("Instagram")},
        {QStringLiteral("tiktok"), QStringLiteral("TikTok")},
        {QStringLiteral("wordpress"), QStringLiteral("WordPress")},
        {QStringLiteral("google_business_profile"), QStringLiteral("Google Business Profile")},
        {QStringLiteral("google_ads"), QStringLiteral("Google Ads")},
        {QStringLiteral("meta_ads"), QStringLiteral("Meta Ads")},
        {QStringLiteral("mailchimp"), QStringLiteral("Mailchimp")},
        {QStringLiteral("klaviyo"), QStringLiteral("Klaviyo")},
        {QStringLiteral("google_analytics"), QStringLiteral("Google Analytics")},
        {QStringLiteral("google_search_console"), QStringLiteral("Google Search Console")}};
    return list;
}

QString platformLabel(const QString &platform)
{
    for (const auto &[key, label] : platforms()) {
        if (key == platform)
            return label;
    }
    return {};
}

QString stateHash(const QString &state)
{
    return QString::fromLatin1(QCryptographicHash::hash(state.toUtf8(), QCryptographicHash::Sha256).toHex());
}

QString newState()
{
    QByteArray bytes(32, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(bytes.data()), bytes.size() / 4);
    return QString::fromLatin1(
        bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

struct Health
{
    int completeness = 0;
    int activityScore = 0;
    int engagement = 0;
    int score = 0;
};

Health healthOf(const store::Channel &c)
{
    Health h;
    h.completeness = c.profileFieldsTotal > 0
        ? int(
            std::lround(100.0 * std::min(c.profileFieldsFilled, c.profileFieldsTotal) / c.profileFieldsTotal))
        : 0;
    h.activityScore = c.postsTarget30d > 0
        ? int(std::min<long>(100, std::lround(100.0 * c.postsLast30d / c.postsTarget30d)))
        : (c.postsLast30d > 0 ? 100 : 0);
    h.engagement
        = int(std::min<long>(100, std::lround(100.0 * std::max(0, c.engagementRateBp) / kFullEngagementBp)));
    h.score = int(std::lround(kCompletenessWeight * h.completeness + kActivityWeight * h.activityScore
        + kEngagementWeight * h.engagement));
    return h;
}

QJsonObject channelJson(const store::Channel &c, UserNames &names)
{
    QJsonObject o {{QStringLiteral("id"), c.id}, {QStringLiteral("name"), c.name},
        {QStringLiteral("type"), c.platform}, {QStringLiteral("status"), c.status},
        {QStringLiteral("connectedAt"), isoTimestamp(c.connectedAtMs)},
        {QStringLiteral("connectedBy"), names.name(c.connectedBy)}};
    if (!c.accountName.isEmpty())
        o.insert(QStringLiteral("accountName"), c.accountName);
    // The score needs channel data: a channel never measured has none yet.
    if (c.metricsUpdatedAtMs) {
        o.insert(QStringLiteral("healthScore"), healthOf(c).score);
        o.insert(QStringLiteral("lastCheckedAt"), isoTimestamp(*c.metricsUpdatedAtMs));
    }
    return o;
}

/// `url` with query items added (a redirect back to the dashboard).
QByteArray withQuery(const QString &url, const QList<std::pair<QString, QString>> &items)
{
    QUrl u(url);
    QUrlQuery q(u);
    for (const auto &[k, v] : items)
        q.addQueryItem(k, QString::fromUtf8(QUrl::toPercentEncoding(v)));
    u.setQuery(q);
    return u.toEncoded();
}

HttpResponse redirect(const QByteArray &location)
{
    HttpResponse r;
    r.status = 302;
    r.setHeader("Location", location.toStdString());
    r.setHeader("Cache-Control", "no-store");
    return r;
}

/// Where the provider sends the browser back: the configured URL, or this server as the request reached it.
QString callbackUrl(const services::ChannelOAuthConfig &config, const HttpRequest &request)
{
    if (!config.callbackUrl.isEmpty())
        return config.callbackUrl;
    const std::string_view proto = request.header("x-forwarded-proto");
    const QString scheme = proto == "https" ? QStringLiteral("https") : QStringLiteral("http");
    return scheme + QStringLiteral("://")
        + QString::fromUtf8(request.header("host").data(), qsizetype(request.header("host").size()))
        + QLatin1String(kCallbackPath);
}

/// Read on every use: the file is small, and a changed table needs no restart.
Result<services::ChannelOAuthConfig> loadConfig(const QString &file)
{
    return services::ChannelOAuthConfig::load(file);
}
} // namespace

void addChannelRoutes(std::vector<RouteSpec> &routes, const DashboardDeps &deps)
{
    store::Store &store = deps.store;
    services::EngineContext &engine = deps.engine;
    const auth::SecretBox *secrets = deps.secrets;
    const QString providersFile = deps.channelProvidersFile;

    routes.push_back({HttpMethod::Get, path("/channels"), tenantUsers(),
        [&store](RequestContext &ctx) -> Result<HttpResponse> {
            const auto scope = scopeOf(ctx);
            auto rows = store.channels.list(scope);
            if (!rows.ok())
                return rows.error();
            UserNames names(store, scope);
            QJsonArray data;
            for (const auto &c : std::as_const(*rows))
                data.append(channelJson(c, names));
            return jsonResponse(200, {{QStringLiteral("data"), data}});
        }});

    // The segment is a platform (linkedin, …); it shares the router's parameter name with the
    // sibling /channels/:channelId routes. An unknown platform is a path that does not exist: 404.
    routes.push_back({HttpMethod::Post, path("/channels/:channelId/connect"), intakeWriters(),
        [&store, &engine, providersFile](RequestContext &ctx) -> Result<HttpResponse> {
            const QString platform = ctx.param("channelId");
            if (platformLabel(platform).isEmpty())
                return ApiError::notFound(QStringLiteral("unknown platform"));
            auto parsed = parseJsonObject(ctx.request.body);
            if (!parsed.ok())
                return parsed.error();
            JsonFields f(*parsed);
            const QString redirectUrl
                = f.requiredString(QStringLiteral("redirectUrl"), kMaxRedirectUrl).trimmed();
            auto config = loadConfig(providersFile);
            if (!config.ok())
                return config.error();
            if (!redirectUrl.isEmpty() && !config->redirectAllowed(QUrl(redirectUrl, QUrl::StrictMode)))
                f.addIssue(QStringLiteral("redirectUrl"), QStringLiteral("not_allowed"));
            if (auto v = f.result(); !v.ok())
                return v.error();
            const services::OAuthProvider provider = config->providers.value(platform);
            if (!provider.configured())
                return ApiError {ErrorCode::Unprocessable,
                    QStringLiteral("No OAuth provider is configured for %1").arg(platform),
                    {{QStringLiteral("platform"), QStringLiteral("not_configured")}}};

            const QString state = newState();
            store::OAuthState s;
            s.stateHash = stateHash(state);
            s.tenantId = ctx.principal->tenantId;
            s.userId = ctx.principal->userId;
            s.platform = platform;
            s.redirectUrl = redirectUrl;
            s.callbackUrl = callbackUrl(*config, ctx.request);
            s.createdAtMs = engine.clock.nowMs();
            s.expiresAtMs = s.createdAtMs + qint64(std::max(60, config->stateTtlSeconds)) * 1000;
            store::Transaction tx(store.db());
            if (!tx.isActive())
                return tx.error();
            if (auto r = store.channels.insertState(s); !r.ok())
                return r.error();
            if (auto r = store.audit.append(auditEntry(ctx, QStringLiteral("channel.connect.started"),
                    QStringLiteral("channel"), QString(),
                    {{QStringLiteral("platform"), change(QJsonValue::Null, platform)},
                        {QStringLiteral("redirectUrl"), change(QJsonValue::Null, redirectUrl)}},
                    s.createdAtMs));
                !r.ok())
                return r.error();
            if (auto r = tx.commit(); !r.ok())
                return r.error();

            QUrl auth = provider.authorizeUrl;
            QUrlQuery q(auth);
            const auto add = [&q](const QString &k, const QString &v) {
                q.addQueryItem(k, QString::fromUtf8(QUrl::toPercentEncoding(v)));
            };
            add(QStringLiteral("response_type"), QStringLiteral("code"));
            add(QStringLiteral("client_id"), provider.clientId);
            add(QStringLiteral("redirect_uri"), s.callbackUrl);
            if (!provider.scopes.isEmpty())
                add(QStringLiteral("scope"), provider.scopes.join(QLatin1Char(' ')));
            add(QStringLiteral("state"), state);
            auth.setQuery(q);
            return jsonResponse(200,
                {{QStringLiteral("authUrl"), QString::fromUtf8(auth.toEncoded())},
                    {QStringLiteral("state"), state}});
        },
        kBodyLimit});

    // The browser comes back here from the provider: no bearer token, so the state is what binds
    // the answer to the tenant, user and platform that asked (single use, expiring).
    RouteSpec callback {HttpMethod::Get, kCallbackPath, AccessPolicy::open(),
        [&store, &engine, secrets, providersFile](RequestContext &ctx) -> Result<HttpResponse> {
            const QString state = queryValue(ctx.request, QStringLiteral("state")).value_or(QString());
            if (state.isEmpty() || state.size() > 256)
                return ApiError::validation(QStringLiteral("state"), QStringLiteral("required"));
            auto spent = store.channels.consumeState(stateHash(state), engine.clock.nowMs());
            if (!spent.ok())
                return spent.error();
            if (!spent->has_value())
                return ApiError::validation(QStringLiteral("state"), QStringLiteral("invalid"),
                    QStringLiteral("The state is unknown, used already or expired"));
            const store::OAuthState s = **spent;
            const auto fail = [&s](const QString &error) {
                return redirect(withQuery(s.redirectUrl,
                    {{QStringLiteral("status"), QStringLiteral("error")},
                        {QStringLiteral("platform"), s.platform}, {QStringLiteral("error"), error}}));
            };
            const QString providerError
                = queryValue(ctx.request, QStringLiteral("error")).value_or(QString());
            if (!providerError.isEmpty()) {
                static const QStringList known {QStringLiteral("access_denied"),
                    QStringLiteral("invalid_request"), QStringLiteral("unauthorized_client"),
                    QStringLiteral("unsupported_response_type"), QStringLiteral("invalid_scope"),
                    QStringLiteral("server_error"), QStringLiteral("temporarily_unavailable")};
                return fail(known.contains(providerError) ? providerError : QStringLiteral("provider_error"));
            }
            const QString code = queryValue(ctx.request, QStringLiteral("code")).value_or(QString());
            if (code.isEmpty() || code.size() > 2048)
                return fail(QStringLiteral("invalid_request"));
            auto config = loadConfig(providersFile);
            if (!config.ok() || !config->providers.value(s.platform).configured() || !secrets)
                return fail(QStringLiteral("not_configured"));
            const services::OAuthProvider provider = config->providers.value(s.platform);
            auto tokens = services::OAuthClient::exchangeCode(provider, code, s.callbackUrl);
            if (!tokens.ok()) {
                qCWarning(lmApi) << "OAuth token exchange for" << s.platform
                                 << "failed:" << tokens.error().message;
                return fail(QStringLiteral("token_exchange_failed"));
            }

            const auto scope = store::TenantScope::tenant(s.tenantId);
            const qint64 now = engine.clock.nowMs();
            services::UnitOfWork work(engine);
            if (!work.isActive())
                return work.error();
            auto existing = store.channels.findByPlatform(scope, s.platform);
            if (!existing.ok())
                return existing.error();
            // One channel per platform: connecting again replaces its tokens.
            store::Channel c = existing->value_or(store::Channel {});
            const bool isNew = !existing->has_value();
            const QString fromStatus = isNew ? QString() : c.status;
            if (isNew) {
                c.id = Ulid::generate();
                c.tenantId = s.tenantId;
                c.platform = s.platform;
                c.name = platformLabel(s.platform);
                c.createdAtMs = now;
            }
            c.status = QStringLiteral("connected");
            c.accessTokenSealed = secrets->seal(tokens->accessToken);
            c.refreshTokenSealed
                = tokens->refreshToken.isEmpty() ? QByteArray() : secrets->seal(tokens->refreshToken);
            if (c.accessTokenSealed.isEmpty())
                return ApiError::internal(QStringLiteral("cannot seal the channel token"));
            c.tokenExpiresAtMs = tokens->expiresInSeconds
                ? std::optional<qint64>(now + *tokens->expiresInSeconds * 1000)
                : std::nullopt;
            c.scopes = tokens->scopes;
            c.connectedBy = s.userId;
            c.connectedAtMs = now;
            c.disconnectedAtMs.reset();
            c.updatedAtMs = now;
            if (auto r = isNew ? store.channels.insert(c) : store.channels.update(scope, c); !r.ok())
                return r.error();
            store::AuditEntry audit;
            audit.id = Ulid::generate();
            audit.tenantId = s.tenantId;
            audit.actorId = s.userId;
            audit.actorType = QStringLiteral("user");
            audit.action = QStringLiteral("channel.connected");
            audit.targetType = QStringLiteral("channel");
            audit.targetId = c.id;
            audit.ip = ctx.clientIp();
            audit.requestId = ctx.requestId;
            audit.changes = {{QStringLiteral("status"), change(nullable(fromStatus), c.status)},
                {QStringLiteral("platform"),
                    change(isNew ? QJsonValue(QJsonValue::Null) : QJsonValue(c.platform), c.platform)}};
            audit.createdAtMs = now;
            if (auto r = store.audit.append(audit); !r.ok())
                return r.error();
            if (auto r = work.tenantEvent(s.tenantId, QStringLiteral("channel_connected"),
                    {{QStringLiteral("channelId"), c.id}, {QStringLiteral("platform"), c.platform}});
                !r.ok())
                return r.error();
            if (auto r = work.commit(); !r.ok())
                return r.error();
            return redirect(withQuery(s.redirectUrl,
                {{QStringLiteral("status"), QStringLiteral("connected")},
                    {QStringLiteral("platform"), c.platform}, {QStringLiteral("channelId"), c.id}}));
        }};
    callback.offload = true; // waits on the provider's token endpoint
    routes.push_back(std::move(callback));

    RouteSpec disconnect {HttpMethod::Delete, path("/channels/:channelId"), adminsOnly(),
        [&store, &engine, secrets, providersFile](RequestContext &ctx) -> Result<HttpResponse> {
            const auto scope = scopeOf(ctx);
            auto found = store.channels.find(scope, ctx.param("channelId"));
            if (!found.ok())
                return found.error();
            if (!found->has_value())
                return ApiError::notFound(QStringLiteral("channel not found"));
            store::Channel c = **found;
            if (c.status == QLatin1String("disconnected") && c.accessTokenSealed.isEmpty())
                return noContent();
            // Revoked at the provider first (refresh token, then access token); a provider that
            // fails is logged and the tokens are dropped here anyway.
            auto config = loadConfig(providersFile);
            const services::OAuthProvider provider
                = config.ok() ? config->providers.value(c.platform) : services::OAuthProvider {};
            if (secrets && provider.configured() && provider.revokeUrl.isValid()
                && !provider.revokeUrl.isEmpty()) {
                for (const auto &[sealed, hint] :
                    {std::pair {c.refreshTokenSealed, QStringLiteral("refresh_token")},
                        std::pair {c.accessTokenSealed, QStringLiteral("access_token")}}) {
                    if (sealed.isEmpty())
                        continue;
                    const auto token = secrets->open(sealed);
                    if (!token)
                        continue;
                    if (auto r = services::OAuthClient::revoke(provider, *token, hint); !r.ok())
                        qCWarning(lmApi)
                            << "revoking a" << c.platform << hint << "failed:" << r.error().message;
                }
            }
            const QString fromStatus = c.status;
            const qint64 now = engine.clock.nowMs();
            c.status = QStringLiteral("disconnected");
            c.accessTokenSealed.clear();
            c.refreshTokenSealed.clear();
            c.tokenExpiresAtMs.reset();
            c.disconnectedAtMs = now;
            c.updatedAtMs = now;
            services::UnitOfWork work(engine);
            if (!work.isActive())
                return work.error();
            if (auto r = store.channels.update(scope, c); !r.ok())
                return r.error();
            if (auto r = store.audit.append(
                    auditEntry(ctx, QStringLiteral("channel.disconnected"), QStringLiteral("channel"), c.id,
                        {{QStringLiteral("status"), change(fromStatus, c.status)}}, now));
                !r.ok())
                return r.error();
            if (auto r = work.tenantEvent(c.tenantId, QStringLiteral("channel_disconnected"),
                    {{QStringLiteral("channelId"), c.id}, {QStringLiteral("platform"), c.platform}});
                !r.ok())
                return r.error();
            if (auto r = work.commit(); !r.ok())
                return r.error();
            return noContent();
        }};
    disconnect.offload = true; // waits on the provider's revoke endpoint
    routes.push_back(std::move(disconnect));

    routes.push_back({HttpMethod::Get, path("/channels/:channelId/health"), tenantUsers(),
        [&store, &engine](RequestContext &ctx) -> Result<HttpResponse> {
            auto found = store.channels.find(scopeOf(ctx), ctx.param("channelId"));
            if (!found.ok())
                return found.error();
            if (!found->has_value())
                return ApiError::notFound(QStringLiteral("channel not found"));
            const store::Channel &c = **found;
            const Health h = healthOf(c);
            QJsonObject o {{QStringLiteral("channelId"), c.id}, {QStringLiteral("healthScore"), h.score},
                {QStringLiteral("breakdown"),
                    QJsonObject {{QStringLiteral("completeness"), h.completeness},
                        {QStringLiteral("activityScore"), h.activityScore},
                        {QStringLiteral("engagement"), h.engagement}}},
                {QStringLiteral("computedAt"), isoTimestamp(engine.clock.nowMs())}};
            if (c.lastPublishedAtMs)
                o.insert(QStringLiteral("lastPublishedAt"), isoTimestamp(*c.lastPublishedAtMs));
            return jsonResponse(200, o);
        }});
}

} // namespace lm::api::dashboard
