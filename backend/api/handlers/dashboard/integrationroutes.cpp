// SPDX-License-Identifier: GPL-3.0-or-later
// /dashboard/v1/integrations: API-key integrations of third-party tools. Keys are sealed at rest
// and only ever shown masked (decisions in docs/api/dashboard-config.md).
#include "api/handlers/dashboard/configsupport.h"
#include "auth/secretbox.h"
#include "core/ulid.h"
#include "services/engine.h"
#include "services/integrationcheck.h"

#include <QJsonDocument>
#include <QUrl>

namespace lm::api::dashboard {

namespace {
constexpr int kMaxName = 200;
constexpr int kMaxKey = 4096;
constexpr qsizetype kMaxExtraConfigBytes = 16 * 1024;
/// Keys shorter than this are shown as the mask alone: their last characters would give too much away.
constexpr qsizetype kMinKeyForHint = 12;
constexpr int kHintChars = 4;

QString hintOf(const QString &key)
{
    return key.size() >= kMinKeyForHint ? key.right(kHintChars) : QString();
}

QString masked(const QString &hint)
{
    return QStringLiteral("****") + hint;
}

QJsonObject integrationJson(const store::Integration &i)
{
    return {{QStringLiteral("id"), i.id}, {QStringLiteral("integrationType"), i.integrationType},
        {QStringLiteral("name"), i.name}, {QStringLiteral("status"), i.status},
        {QStringLiteral("isActive"), i.isActive},
        {QStringLiteral("lastVerifiedAt"),
            i.lastVerifiedAtMs ? QJsonValue(isoTimestamp(*i.lastVerifiedAtMs))
                               : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("errorMessage"), nullable(i.errorMessage)},
        {QStringLiteral("apiKey"), masked(i.apiKeyHint)},
        {QStringLiteral("hasApiSecret"), !i.apiSecretSealed.isEmpty()},
        {QStringLiteral("extraConfig"), redacted(i.extraConfig)},
        {QStringLiteral("createdOn"), isoTimestamp(i.createdAtMs)},
        {QStringLiteral("updatedOn"), isoTimestamp(i.updatedAtMs)}};
}

/// extraConfig: an object of at most 16 KiB; `baseUrl` an http(s) URL, `healthPath` a path.
std::optional<QJsonObject> extraConfig(JsonFields &f, const QJsonValue &v)
{
    if (v.isUndefined() || v.isNull())
        return QJsonObject();
    if (!v.isObject()) {
        f.addIssue(QStringLiteral("extraConfig"), QStringLiteral("must_be_object"));
        return std::nullopt;
    }
    const QJsonObject o = v.toObject();
    if (QJsonDocument(o).toJson(QJsonDocument::Compact).size() > kMaxExtraConfigBytes) {
        f.addIssue(QStringLiteral("extraConfig"), QStringLiteral("too_long"));
        return std::nullopt;
    }
    bool ok = true;
    if (o.contains(QLatin1String("baseUrl"))) {
        const QJsonValue base = o.value(QLatin1String("baseUrl"));
        const QUrl url(base.toString());
        if (!base.isString() || !url.isValid() || url.host().isEmpty()
            || (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https"))
            || !url.userInfo().isEmpty()) {
            f.addIssue(QStringLiteral("extraConfig.baseUrl"), QStringLiteral("invalid"));
            ok = false;
        }
    }
    if (o.contains(QLatin1String("healthPath"))) {
        const QJsonValue p = o.value(QLatin1String("healthPath"));
        if (!p.isString() || !p.toString().startsWith(QLatin1Char('/')) || p.toString().size() > 512) {
            f.addIssue(QStringLiteral("extraConfig.healthPath"), QStringLiteral("invalid"));
            ok = false;
        }
    }
    return ok ? std::optional<QJsonObject>(o) : std::nullopt;
}

Result<store::Integration> findIntegration(store::Store &store, const RequestContext &ctx)
{
    auto found = store.integrations.find(scopeOf(ctx), ctx.param("integrationId"));
    if (!found.ok())
        return found.error();
    if (!found->has_value())
        return ApiError::notFound(QStringLiteral("integration not found"));
    return **found;
}

/// Seals a secret; INTERNAL when the secret box cannot (never store a key in clear).
Result<QByteArray> seal(const auth::SecretBox *box, const QString &secret)
{
    const QByteArray sealed = box ? box->seal(secret.toUtf8()) : QByteArray();
    if (sealed.isEmpty())
        return ApiError::internal(QStringLiteral("secrets cannot be sealed"));
    return sealed;
}
} // namespace

void addIntegrationRoutes(std::vector<RouteSpec> &routes, const DashboardDeps &deps)
{
    store::Store &store = deps.store;
    services::EngineContext &engine = deps.engine;
    const auth::SecretBox *box = deps.secrets;

    routes.push_back({HttpMethod::Get, path("/integrations"), tenantUsers(),
        [&store](RequestContext &ctx) -> Result<HttpResponse> {
            auto rows = store.integrations.list(scopeOf(ctx));
            if (!rows.ok())
                return rows.error();
            QJsonArray data;
            for (const store::Integration &i : std::as_const(*rows))
                data.append(integrationJson(i));
            return jsonResponse(200, {{QStringLiteral("data"), data}});
        }});

    routes.push_back({HttpMethod::Post, path("/integrations"), editors(),
        [&store, &engine, box](RequestContext &ctx) -> Result<HttpResponse> {
            auto body = parseJsonObject(ctx.request.body);
            if (!body.ok())
                return body.error();
            JsonFields f(*body);
            store::Integration i;
            i.integrationType = f.requiredString(QStringLiteral("integrationType"), 32);
            if (!i.integrationType.isEmpty()
                && !services::IntegrationCheck::types().contains(i.integrationType))
                f.addIssue(QStringLiteral("integrationType"), QStringLiteral("invalid"));
            i.name = f.requiredString(QStringLiteral("name"), kMaxName).trimmed();
            const QString apiKey = f.requiredString(QStringLiteral("apiKey"), kMaxKey).trimmed();
            const QString apiSecret
                = f.optionalString(QStringLiteral("apiSecret"), kMaxKey).value_or(QString());
            const auto extra = extraConfig(f, body->value(QLatin1String("extraConfig")));
            if (extra && i.integrationType == QLatin1String("custom")
                && !extra->contains(QLatin1String("baseUrl")))
                f.addIssue(QStringLiteral("extraConfig.baseUrl"), QStringLiteral("required"));
            if (auto v = f.result(); !v.ok())
                return v.error();
            auto sealedKey = seal(box, apiKey);
            if (!sealedKey.ok())
                return sealedKey.error();
            if (!apiSecret.isEmpty()) {
                auto sealedSecret = seal(box, apiSecret);
                if (!sealedSecret.ok())
                    return sealedSecret.error();
                i.apiSecretSealed = *sealedSecret;
            }
            i.id = Ulid::generate();
            i.tenantId = ctx.principal->tenantId;
            i.apiKeySealed = *sealedKey;
            i.apiKeyHint = hintOf(apiKey);
            i.extraConfig = *extra;
            i.createdBy = ctx.principal->userId;
            services::UnitOfWork work(engine);
            if (!work.isActive())
                return work.error();
            i.createdAtMs = i.updatedAtMs = work.nowMs();
            if (auto r = store.integrations.insert(i); !r.ok())
                return r.error();
            if (auto r = store.audit.append(auditEntry(ctx, QStringLiteral("integration.created"),
                    QStringLiteral("integration"), i.id,
                    {{QStringLiteral("integrationType"), change(QJsonValue::Null, i.integrationType)},
                        {QStringLiteral("name"), change(QJsonValue::Null, i.name)},
                        {QStringLiteral("apiKey"), change(QJsonValue::Null, masked(i.apiKeyHint))}},
                    work.nowMs()));
                !r.ok())
                return r.error();
            if (auto r = work.commit(); !r.ok())
                return r.error();
            return jsonResponse(201, integrationJson(i));
        },
        kBodyLimit});

    routes.push_back({HttpMethod::Patch, path("/integrations/:integrationId"), editors(),
        [&store, &engine, box](RequestContext &ctx) -> Result<HttpResponse> {
            auto body = parseJsonObject(ctx.request.body);
            if (!body.ok())
                return body.error();
            services::UnitOfWork work(engine);
            if (!work.isActive())
                return work.error();
            auto found = findIntegration(store, ctx);
            if (!found.ok())
                return found.error();
            const store::Integration before = *found;
            store::Integration i = before;
            const QJsonObject &o = *body;
            JsonFields f(o);
            if (o.contains(QLatin1String("name")))
                i.name = f.requiredString(QStringLiteral("name"), kMaxName).trimmed();
            QString apiKey;
            if (o.contains(QLatin1String("apiKey")))
                apiKey = f.requiredString(QStringLiteral("apiKey"), kMaxKey).trimmed();
            std::optional<QString> apiSecret;
            if (o.contains(QLatin1String("apiSecret")))
                apiSecret = f.optionalString(QStringLiteral("apiSecret"), kMaxKey).value_or(QString());
            if (o.contains(QLatin1String("extraConfig"))) {
                if (const auto extra = extraConfig(f, o.value(QLatin1String("extraConfig"))))
                    i.extraConfig = *extra;
                if (i.integrationType == QLatin1String("custom")
                    && !i.extraConfig.contains(QLatin1String("baseUrl")))
                    f.addIssue(QStringLiteral("extraConfig.baseUrl"), QStringLiteral("required"));
            }
            if (o.contains(QLatin1String("isActive"))) {
                if (!o.value(QLatin1String("isActive")).isBool())
                    f.addIssue(QStringLiteral("isActive"), QStringLiteral("must_be_boolean"));
                else
                    i.isActive = o.value(QLatin1String("isActive")).toBool();
            }
            if (auto v = f.result(); !v.ok())
                return v.error();
            if (o.contains(QLatin1String("integrationType"))
                && o.value(QLatin1String("integrationType")).toString() != i.integrationType)
                return ApiError {ErrorCode::Unprocessable,
                    QStringLiteral("An integration's type cannot be changed"),
                    {{QStringLiteral("integrationType"), QStringLiteral("not_changeable")}}};

            QJsonObject changes;
            bool credentials = false;
            if (!apiKey.isEmpty()) {
                auto sealedKey = seal(box, apiKey);
                if (!sealedKey.ok())
                    return sealedKey.error();
                i.apiKeySealed = *sealedKey;
                i.apiKeyHint = hintOf(apiKey);
                credentials = true;
                changes.insert(
                    QStringLiteral("apiKey"), change(masked(before.apiKeyHint), masked(i.apiKeyHint)));
            }
            if (apiSecret) {
                if (apiSecret->isEmpty())
                    i.apiSecretSealed.clear();
                else {
                    auto sealedSecret = seal(box, *apiSecret);
                    if (!sealedSecret.ok())
                        return sealedSecret.error();
                    i.apiSecretSealed = *sealedSecret;
                }
                credentials = true;
                changes.insert(QStringLiteral("apiSecret"),
                    change(before.apiSecretSealed.isEmpty() ? QJsonValue(QJsonValue::Null)
                                                            : QJsonValue(kRedacted),
                        i.apiSecretSealed.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(kRedacted)));
            }
            if (before.name != i.name)
                changes.insert(QStringLiteral("name"), change(before.name, i.name));
            if (before.extraConfig != i.extraConfig) {
                changes.insert(QStringLiteral("extraConfig"),
                    change(redacted(before.extraConfig), redacted(i.extraConfig)));
                credentials = true;
            }
            if (before.isActive != i.isActive)
                changes.insert(QStringLiteral("isActive"), change(before.isActive, i.isActive));
            if (credentials) {
                // New credentials or endpoint: whatever the last check said no longer applies.
                i.status = QStringLiteral("connected");
                i.lastVerifiedAtMs.reset();
                i.errorMessage.clear();
                if (before.status != i.status)
                    changes.insert(QStringLiteral("status"), change(before.status, i.status));
            }
            if (!changes.isEmpty()) {
                i.updatedAtMs = work.nowMs();
                if (auto r = store.integrations.update(scopeOf(ctx), i); !r.ok())
                    return r.error();
                if (auto r = store.audit.append(auditEntry(ctx, QStringLiteral("integration.updated"),
                        QStringLiteral("integration"), i.id, changes, work.nowMs()));
                    !r.ok())
                    return r.error();
                if (auto r = work.commit(); !r.ok())
                    return r.error();
            }
            return jsonResponse(200, integrationJson(i));
        },
        kBodyLimit});

    routes.push_back({HttpMethod::Delete, path("/integrations/:integrationId"), editors(),
        [&store, &engine](RequestContext &ctx) -> Result<HttpResponse> {
            services::UnitOfWork work(engine);
            if (!work.isActive())
                return work.error();
            auto found = findIntegration(store, ctx);
            if (!found.ok())
                return found.error();
            // The sealed key goes with the row.
            if (auto r = store.integrations.remove(scopeOf(ctx), found->id); !r.ok())
                return r.error();
            if (auto r = store.audit.append(auditEntry(ctx, QStringLiteral("integration.deleted"),
                    QStringLiteral("integration"), found->id,
                    {{QStringLiteral("name"), change(found->name, QJsonValue::Null)},
                        {QStringLiteral("apiKey"), change(masked(found->apiKeyHint), QJsonValue::Null)}},
                    work.nowMs()));
                !r.ok())
                return r.error();
            if (auto r = work.commit(); !r.ok())
                return r.error();
            return jsonResponse(200, {{QStringLiteral("deleted"), true}});
        }});

    routes.push_back({HttpMethod::Post, path("/integrations/:integrationId/test"), editors(),
        [&store, &engine, box](RequestContext &ctx) -> Result<HttpResponse> {
            auto found = findIntegration(store, ctx);
            if (!found.ok())
                return found.error();
            services::IntegrationCheckResult result;
            const auto key = box ? box->open(found->apiKeySealed) : std::nullopt;
            const auto secret = found->apiSecretSealed.isEmpty() || !box
                ? std::optional<QByteArray>(QByteArray())
                : box->open(found->apiSecretSealed);
            if (!key || !secret) {
                result = {false, QStringLiteral("error"),
                    QStringLiteral("The stored credentials cannot be opened; enter the API key again")};
            } else {
                // The network call runs outside any transaction (it may take seconds).
                result = services::IntegrationCheck::run(
                    {found->integrationType, *key, *secret, found->extraConfig});
            }
            services::UnitOfWork work(engine);
            if (!work.isActive())
                return work.error();
            auto current = findIntegration(store, ctx); // deleted meanwhile → 404
            if (!current.ok())
                return current.error();
            store::Integration i = *current;
            const QString fromStatus = i.status;
            i.status = result.status;
            i.errorMessage = result.ok ? QString() : result.message;
            if (result.ok)
                i.lastVerifiedAtMs = work.nowMs();
            i.updatedAtMs = work.nowMs();
            if (auto r = store.integrations.update(scopeOf(ctx), i); !r.ok())
                return r.error();
            QJsonObject changes {{QStringLiteral("status"), change(fromStatus, i.status)},
                {QStringLiteral("ok"), change(QJsonValue::Null, result.ok)}};
            if (auto r = store.audit.append(auditEntry(ctx, QStringLiteral("integration.tested"),
                    QStringLiteral("integration"), i.id, changes, work.nowMs()));
                !r.ok())
                return r.error();
            if (auto r = work.commit(); !r.ok())
                return r.error();
            return jsonResponse(200,
                {{QStringLiteral("ok"), result.ok}, {QStringLiteral("message"), result.message},
                    {QStringLiteral("status"), i.status},
                    {QStringLiteral("lastVerifiedAt"),
                        i.lastVerifiedAtMs ? QJsonValue(isoTimestamp(*i.lastVerifiedAtMs))
                                           : QJsonValue(QJsonValue::Null)}});
        },
        kBodyLimit, /*offload*/ true}); // the check waits on the provider over the network
}

} // namespace lm::api::dashboard
