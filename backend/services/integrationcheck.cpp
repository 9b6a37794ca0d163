// SPDX-License-Identifier: GPL-3.0-or-later
#include "integrationcheck.h"

#include "agents/streamingcall.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QUrlQuery>

namespace lm::services {

namespace {
IntegrationCheckResult passed(const QString &message)
{
    return {true, QStringLiteral("connected"), message};
}
IntegrationCheckResult failed(const QString &status, const QString &message)
{
    return {false, status, message};
}

/// The answer to a non-2xx status, common to every provider.
IntegrationCheckResult httpFailure(const QString &provider, int status)
{
    if (status == 429)
        return failed(QStringLiteral("quota_exceeded"),
            QStringLiteral("%1 refused the request: rate limit or quota reached (HTTP 429)").arg(provider));
    if (status == 401 || status == 403)
        return failed(QStringLiteral("error"),
            QStringLiteral("%1 rejected the credentials (HTTP %2)").arg(provider).arg(status));
    return failed(QStringLiteral("error"), QStringLiteral("%1 answered HTTP %2").arg(provider).arg(status));
}

QString providerName(const QString &type)
{
    static const QHash<QString, QString> names {{QStringLiteral("semrush"), QStringLiteral("SEMrush")},
        {QStringLiteral("dataforseo"), QStringLiteral("DataForSEO")},
        {QStringLiteral("ahrefs"), QStringLiteral("Ahrefs")},
        {QStringLiteral("google_ads_api"), QStringLiteral("Google Ads")},
        {QStringLiteral("meta_ads_api"), QStringLiteral("Meta Graph API")},
        {QStringLiteral("sendgrid"), QStringLiteral("SendGrid")},
        {QStringLiteral("custom"), QStringLiteral("The endpoint")}};
    return names.value(type, type);
}

QUrl endpoint(const QString &base, const QString &path, const QList<QPair<QString, QString>> &query = {})
{
    QString root = base;
    while (root.endsWith(QLatin1Char('/')))
        root.chop(1);
    QUrl url(root + path);
    if (!query.isEmpty()) {
        QUrlQuery q(url);
        for (const auto &[k, v] : query)
            q.addQueryItem(k, QString::fromUtf8(QUrl::toPercentEncoding(v)));
        url.setQuery(q);
    }
    return url;
}

IntegrationCheckResult semrushUnits(const QByteArray &body, const QByteArray &key)
{
    const QString text = agents::StreamingCall::scrub(QString::fromUtf8(body).trimmed(), key);
    if (text.startsWith(QLatin1String("ERROR"))) {
        if (text.contains(QLatin1String("BALANCE IS ZERO")) || text.startsWith(QLatin1String("ERROR 132")))
            return failed(QStringLiteral("quota_exceeded"), QStringLiteral("SEMrush: no API units left"));
        return failed(QStringLiteral("error"), QStringLiteral("SEMrush: %1").arg(text.left(200)));
    }
    bool number = false;
    const qint64 units = text.toLongLong(&number);
    if (!number)
        return failed(QStringLiteral("error"), QStringLiteral("SEMrush sent an unexpected answer"));
    if (units <= 0)
        return failed(QStringLiteral("quota_exceeded"), QStringLiteral("SEMrush: no API units left"));
    return passed(QStringLiteral("SEMrush accepted the key: %1 API units left").arg(units));
}

IntegrationCheckResult dataForSeoUser(const QByteArray &body)
{
    const QJsonObject o = QJsonDocument::fromJson(body).object();
    const int code = o.value(QLatin1String("status_code")).toInt();
    const QString text = o.value(QLatin1String("status_message")).toString().left(200);
    if (code == 40200 || code == 40210)
        return failed(QStringLiteral("quota_exceeded"), QStringLiteral("DataForSEO: %1").arg(text));
    if (code != 20000)
        return failed(QStringLiteral("error"), QStringLiteral("DataForSEO: %1 (%2)").arg(text).arg(code));
    const QJsonArray tasks = o.value(QLatin1String("tasks")).toArray();
    const QJsonArray result
        = tasks.isEmpty() ? QJsonArray() : tasks.first().toObject().value(QLatin1String("result")).toArray();
    const QJsonObject money = result.isEmpty()
        ? QJsonObject()
        : result.first().toObject().value(QLatin1String("money")).toObject();
    if (money.contains(QLatin1String("balance")) && money.value(QLatin1String("balance")).toDouble() <= 0)
        return failed(
            QStringLiteral("quota_exceeded"), QStringLiteral("DataForSEO: the account balance is spent"));
    return passed(QStringLiteral("DataForSEO accepted the credentials"));
}
} // namespace

const QStringList &IntegrationCheck::types()
{
    static const QStringList types {QStringLiteral("semrush"), QStringLiteral("dataforseo"),
        QStringLiteral("ahrefs"), QStringLiteral("google_ads_api"), QStringLiteral("meta_ads_api"),
        QStringLiteral("sendgrid"), QStringLiteral("custom")};
    return types;
}

QString IntegrationCheck::defaultBaseUrl(const QString &type)
{
    static const QHash<QString, QString> urls {
        {QStringLiteral("semrush"), QStringLiteral("https://www.semrush.com")},
        {QStringLiteral("dataforseo"), QStringLiteral("https://api.dataforseo.com")},
        {QStringLiteral("ahrefs"), QStringLiteral("https://api.ahrefs.com")},
        {QStringLiteral("google_ads_api"), QStringLiteral("https://googleads.googleapis.com")},
        {QStringLiteral("meta_ads_api"), QStringLiteral("https://graph.facebook.com")},
        {QStringLiteral("sendgrid"), QStringLiteral("https://api.sendgrid.com")}};
    return urls.value(type);
}

IntegrationCheckResult IntegrationCheck::run(const IntegrationCredentials &c, int timeoutMs)
{
    const QString type = c.integrationType;
    const QString provider = providerName(type);
    QString base = c.extraConfig.value(QLatin1String("baseUrl")).toString();
    if (base.isEmpty())
        base = defaultBaseUrl(type);
    if (base.isEmpty())
        return failed(QStringLiteral("error"), QStringLiteral("No baseUrl is configured to check against"));

    agents::HttpCall call;
    call.method = "GET";
    call.silenceMs = timeoutMs;
    call.overallMs = timeoutMs;
    call.secret = c.apiKey;
    const QByteArray bearer = "Bearer " + c.apiKey;
    if (type == QLatin1String("sendgrid")) {
        call.url = endpoint(base, QStringLiteral("/v3/scopes"));
        call.headers.append({"Authorization", bearer});
    } else if (type == QLatin1String("semrush")) {
        call.url = endpoint(base, QStringLiteral("/users/countapiunits.html"),
            {{QStringLiteral("key"), QString::fromUtf8(c.apiKey)}});
    } else if (type == QLatin1String("dataforseo")) {
        call.url = endpoint(base, QStringLiteral("/v3/appendix/user_data"));
        call.headers.append({"Authorization", "Basic " + (c.apiKey + ':' + c.apiSecret).toBase64()});
    } else if (type == QLatin1String("ahrefs")) {
        call.url = endpoint(base, QStringLiteral("/v3/subscription-info/limits-and-usage"));
        call.headers.append({"Authorization", bearer});
    } else if (type == QLatin1String("meta_ads_api")) {
        call.url = endpoint(base, QStringLiteral("/v19.0/me"),
            {{QStringLiteral("fields"), QStringLiteral("id,name")},
                {QStringLiteral("access_token"), QString::fromUtf8(c.apiKey)}});
    } else if (type == QLatin1String("google_ads_api")) {
        if (c.apiSecret.isEmpty())
            return failed(QStringLiteral("error"),
                QStringLiteral(
                    "Google Ads needs an OAuth access token (apiSecret) besides the developer token "
                    "(apiKey); it cannot be checked without one"));
        call.url = endpoint(base, QStringLiteral("/v17/customers:listAccessibleCustomers"));
        call.headers.append({"Authorization", "Bearer " + c.apiSecret});
        call.headers.append({"developer-token", c.apiKey});
    } else if (type == QLatin1String("custom")) {
        QString healthPath = c.extraConfig.value(QLatin1String("healthPath")).toString();
        if (!healthPath.startsWith(QLatin1Char('/')))
            healthPath.prepend(QLatin1Char('/'));
        call.url = endpoint(base, healthPath);
        call.headers.append({"Authorization", bearer});
    } else {
        return failed(QStringLiteral("error"), QStringLiteral("Unknown integration type %1").arg(type));
    }
    if (!call.url.isValid()
        || (call.url.scheme() != QLatin1String("http") && call.url.scheme() != QLatin1String("https")))
        return failed(QStringLiteral("error"), QStringLiteral("The baseUrl is not an http(s) URL"));

    QNetworkAccessManager nam;
    agents::StreamingCall http(nam);
    auto fetched = http.fetch(call);
    if (!fetched.ok()) {
        QString why = agents::StreamingCall::scrub(fetched.error().message, c.apiKey);
        why.remove(QLatin1String("could not reach the provider: "));
        const QString where = call.url.host()
            + (call.url.port() > 0 ? QStringLiteral(":%1").arg(call.url.port()) : QString());
        return failed(QStringLiteral("error"),
            QStringLiteral("Could not reach %1 at %2: %3").arg(provider, where, why));
    }
    const int status = fetched->status;
    const QByteArray &body = fetched->body;
    if (type == QLatin1String("meta_ads_api") && (status == 400 || status == 401)) {
        const QJsonObject error
            = QJsonDocument::fromJson(body).object().value(QLatin1String("error")).toObject();
        if (error.value(QLatin1String("code")).toInt() == 190)
            return failed(QStringLiteral("expired"),
                QStringLiteral("Meta: the access token has expired or was revoked"));
    }
    if (type == QLatin1String("google_ads_api") && status == 401)
        return failed(
            QStringLiteral("expired"), QStringLiteral("Google Ads: the OAuth access token has expired"));
    if (status < 200 || status > 299)
        return httpFailure(provider, status);
    if (type == QLatin1String("semrush"))
        return semrushUnits(body, c.apiKey);
    if (type == QLatin1String("dataforseo"))
        return dataForSeoUser(body);
    return passed(QStringLiteral("%1 accepted the credentials (HTTP %2)").arg(provider).arg(status));
}

} // namespace lm::services
