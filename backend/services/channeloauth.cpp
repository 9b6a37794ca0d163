// SPDX-License-Identifier: GPL-3.0-or-later
#include "channeloauth.h"

#include "core/logging.h"

#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>

#include <memory>

namespace lm::services {

namespace {
constexpr qint64 kMaxConfigBytes = 1024 * 1024;

struct Reply
{
    int status = 0;
    bool timedOut = false;
    bool networkError = false;
    QByteArray body;
};

/// An application/x-www-form-urlencoded body.
class Form
{
public:
    void add(const QString &key, const QByteArray &value)
    {
        if (!m_body.isEmpty())
            m_body += '&';
        m_body += QUrl::toPercentEncoding(key) + '=' + QUrl::toPercentEncoding(QString::fromUtf8(value));
    }
    void add(const QString &key, const QString &value) { add(key, value.toUtf8()); }
    [[nodiscard]] const QByteArray &body() const { return m_body; }

private:
    QByteArray m_body;
};

/// One form-encoded POST on a manager and event loop of the calling thread.
Reply postForm(const QUrl &url, const Form &form, int timeoutMs)
{
    QNetworkAccessManager manager;
    QNetworkRequest request(url);
    request.setHeader(
        QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/x-www-form-urlencoded"));
    request.setRawHeader("Accept", "application/json");
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    request.setTransferTimeout(0);
    QEventLoop loop;
    std::unique_ptr<QNetworkReply> reply(manager.post(request, form.body()));
    QTimer timer;
    timer.setSingleShot(true);
    bool timedOut = false;
    QObject::connect(&timer, &QTimer::timeout, &loop, [&] {
        timedOut = true;
        loop.quit();
    });
    QObject::connect(reply.get(), &QNetworkReply::finished, &loop, &QEventLoop::quit);
    timer.start(timeoutMs);
    if (!reply->isFinished())
        loop.exec();
    Reply out;
    out.timedOut = timedOut;
    if (timedOut) {
        reply->abort();
        return out;
    }
    out.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    out.networkError = out.status == 0;
    out.body = reply->readAll().left(64 * 1024);
    reply->disconnect();
    return out;
}

Form clientCredentials(const OAuthProvider &p)
{
    Form form;
    form.add(QStringLiteral("client_id"), p.clientId);
    form.add(QStringLiteral("client_secret"), p.clientSecret);
    return form;
}

ApiError providerFailed(const Reply &r, const QString &what)
{
    if (r.timedOut)
        return ApiError {
            ErrorCode::Unavailable, QStringLiteral("the provider's %1 endpoint timed out").arg(what), {}};
    if (r.networkError)
        return ApiError {ErrorCode::Unavailable,
            QStringLiteral("the provider's %1 endpoint is unreachable").arg(what), {}};
    // The OAuth error code only: descriptions may echo what was sent.
    const QString error
        = QJsonDocument::fromJson(r.body).object().value(QStringLiteral("error")).toString().left(64);
    return ApiError {ErrorCode::Unprocessable,
        QStringLiteral("the provider's %1 endpoint refused the request (HTTP %2%3)")
            .arg(what)
            .arg(r.status)
            .arg(error.isEmpty() ? QString() : QStringLiteral(", ") + error),
        {}};
}
} // namespace

Result<ChannelOAuthConfig> ChannelOAuthConfig::load(const QString &path)
{
    ChannelOAuthConfig config;
    if (path.isEmpty() || !QFile::exists(path))
        return config;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly) || file.size() > kMaxConfigBytes)
        return ApiError::internal(QStringLiteral("cannot read the channel providers file"));
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &error);
    if (!doc.isObject()) {
        qCWarning(lmServer) << "channel providers file is not a JSON object:" << error.errorString();
        return ApiError::internal(QStringLiteral("the channel providers file is not valid JSON"));
    }
    const QJsonObject root = doc.object();
    config.callbackUrl = root.value(QStringLiteral("callbackUrl")).toString();
    config.stateTtlSeconds = root.value(QStringLiteral("stateTtlSeconds")).toInt(600);
    for (const QJsonValue &v : root.value(QStringLiteral("redirectAllowList")).toArray())
        config.redirectAllowList.append(v.toString());
    const QJsonObject providers = root.value(QStringLiteral("providers")).toObject();
    for (auto it = providers.begin(); it != providers.end(); ++it) {
        const QJsonObject o = it.value().toObject();
        OAuthProvider p;
        p.platform = it.key();
        p.authorizeUrl = QUrl(o.value(QStringLiteral("authorizeUrl")).toString());
        p.tokenUrl = QUrl(o.value(QStringLiteral("tokenUrl")).toString());
        p.revokeUrl = QUrl(o.value(QStringLiteral("revokeUrl")).toString());
        p.clientId = o.value(QStringLiteral("clientId")).toString();
        p.clientSecret = o.value(QStringLiteral("clientSecret")).toString().toUtf8();
        for (const QJsonValue &s : o.value(QStringLiteral("scopes")).toArray())
            p.scopes.append(s.toString());
        config.providers.insert(p.platform, p);
    }
    return config;
}

bool ChannelOAuthConfig::redirectAllowed(const QUrl &url) const
{
    if (!url.isValid() || url.isRelative() || !url.userInfo().isEmpty()
        || (url.scheme() != QLatin1String("https") && url.scheme() != QLatin1String("http")))
        return false;
    for (const QString &entry : redirectAllowList) {
        const QUrl allowed(entry);
        if (!allowed.isValid() || allowed.scheme() != url.scheme()
            || allowed.host().compare(url.host(), Qt::CaseInsensitive) != 0
            || allowed.port(allowed.scheme() == QLatin1String("https") ? 443 : 80)
                != url.port(url.scheme() == QLatin1String("https") ? 443 : 80))
            continue;
        const QString prefix = allowed.path(QUrl::FullyEncoded);
        if (prefix.isEmpty() || url.path(QUrl::FullyEncoded).startsWith(prefix))
            return true;
    }
    return false;
}

namespace OAuthClient {

Result<OAuthTokens> exchangeCode(
    const OAuthProvider &provider, const QString &code, const QString &redirectUri, int timeoutMs)
{
    Form form = clientCredentials(provider);
    form.add(QStringLiteral("grant_type"), QStringLiteral("authorization_code"));
    form.add(QStringLiteral("code"), code);
    form.add(QStringLiteral("redirect_uri"), redirectUri);
    const Reply r = postForm(provider.tokenUrl, form, timeoutMs);
    if (r.status < 200 || r.status >= 300)
        return providerFailed(r, QStringLiteral("token"));
    const QJsonObject o = QJsonDocument::fromJson(r.body).object();
    OAuthTokens tokens;
    tokens.accessToken = o.value(QStringLiteral("access_token")).toString().toUtf8();
    tokens.refreshToken = o.value(QStringLiteral("refresh_token")).toString().toUtf8();
    if (o.value(QStringLiteral("expires_in")).isDouble())
        tokens.expiresInSeconds = qint64(o.value(QStringLiteral("expires_in")).toDouble());
    const QString scope = o.value(QStringLiteral("scope")).toString();
    tokens.scopes = scope.isEmpty() ? provider.scopes : scope.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    if (tokens.accessToken.isEmpty())
        return ApiError {
            ErrorCode::Unprocessable, QStringLiteral("the provider's token answer has no access_token"), {}};
    return tokens;
}

Result<void> revoke(
    const OAuthProvider &provider, const QByteArray &token, const QString &typeHint, int timeoutMs)
{
    Form form = clientCredentials(provider);
    form.add(QStringLiteral("token"), QString::fromUtf8(token));
    form.add(QStringLiteral("token_type_hint"), typeHint);
    const Reply r = postForm(provider.revokeUrl, form, timeoutMs);
    if (r.status < 200 || r.status >= 300)
        return providerFailed(r, QStringLiteral("revoke"));
    return {};
}

} // namespace OAuthClient

} // namespace lm::services
