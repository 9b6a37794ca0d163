// SPDX-License-Identifier: GPL-3.0-or-later
#include "agents/webhookadapter.h"

#include "auth/sodium.h"
#include "core/clock.h"
#include "core/logging.h"

#include <QEventLoop>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>

#include <sodium.h>

#include <array>

namespace lm::agents {

namespace {

constexpr int kDefaultHealthTimeoutMs = 5000;

struct HttpResult
{
    int status = 0; ///< 0 when no HTTP response arrived
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    bool timedOut = false;
    QByteArray retryAfter;
};

// One request on a manager and event loop that live on the calling thread, so any thread (a job
// worker's std::thread included) can dispatch without a Qt event loop of its own.
HttpResult send(const QByteArray &verb, const QNetworkRequest &request, const QByteArray &body, int timeoutMs)
{
    QNetworkAccessManager manager;
    QEventLoop loop;
    QNetworkReply *reply = manager.sendCustomRequest(request, verb, body);
    HttpResult result;
    QTimer timer;
    timer.setSingleShot(true);
    QObject::connect(&timer, &QTimer::timeout, &loop, [&] {
        result.timedOut = true;
        reply->abort();
    });
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    timer.start(timeoutMs);
    if (!reply->isFinished())
        loop.exec();
    timer.stop();
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    result.error = reply->error();
    result.retryAfter = reply->rawHeader("Retry-After");
    delete reply;
    return result;
}

QNetworkRequest baseRequest(const QUrl &url)
{
    QNetworkRequest request(url);
    // A redirect would turn the POST into something else; the runtime's URL must be exact.
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    request.setHeader(QNetworkRequest::UserAgentHeader, QByteArrayLiteral("Leadmetrics-Agent-Dispatch/1"));
    return request;
}

// The URL as it may appear in logs: no credentials, no query (tokens hide there).
QString loggable(const QUrl &url)
{
    return url.adjusted(QUrl::RemoveUserInfo | QUrl::RemoveQuery | QUrl::RemoveFragment).toString();
}

QString networkErrorName(QNetworkReply::NetworkError error)
{
    switch (error) {
    case QNetworkReply::ConnectionRefusedError:
        return QStringLiteral("connection refused");
    case QNetworkReply::HostNotFoundError:
        return QStringLiteral("host not found");
    case QNetworkReply::RemoteHostClosedError:
        return QStringLiteral("connection closed");
    case QNetworkReply::TimeoutError:
    case QNetworkReply::OperationCanceledError:
        return QStringLiteral("timed out");
    case QNetworkReply::SslHandshakeFailedError:
        return QStringLiteral("TLS handshake failed");
    default:
        break;
    }
    return QStringLiteral("network error %1").arg(int(error));
}

int timeoutMsFor(const AdapterConfig &config)
{
    const int fromExtra = config.extra.value(QLatin1String("timeoutMs")).toInt();
    if (fromExtra > 0)
        return fromExtra;
    return std::max(1, config.timeoutSec) * 1000;
}

} // namespace

WebhookAdapter::WebhookAdapter(const Clock *clock)
    : m_clock(clock)
{ }

QUrl WebhookAdapter::endpoint(const AdapterConfig &config)
{
    const QString raw = config.extra.value(QLatin1String("url")).toString();
    const QUrl url(raw.isEmpty() ? config.baseUrl : raw, QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty() || (url.scheme() != u"http" && url.scheme() != u"https"))
        return {};
    return url;
}

QJsonObject WebhookAdapter::dispatchPayload(const RunRequest &request, qint64 timestampSec)
{
    QString base = request.agentApiBaseUrl;
    while (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    const QString run = base + QStringLiteral("/agent/v1/runs/") + request.runId;
    return {{QStringLiteral("runId"), request.runId}, {QStringLiteral("activityId"), request.activityId},
        {QStringLiteral("tenantId"), request.tenantId}, {QStringLiteral("agentRole"), request.agentRole},
        {QStringLiteral("activityType"), request.activityType}, {QStringLiteral("title"), request.title},
        {QStringLiteral("runToken"), request.runToken}, {QStringLiteral("agentApiBaseUrl"), base},
        {QStringLiteral("callbacks"),
            QJsonObject {{QStringLiteral("result"), run + QStringLiteral("/result")},
                {QStringLiteral("stream"), run + QStringLiteral("/stream")},
                {QStringLiteral("context"), run + QStringLiteral("/context")},
                {QStringLiteral("actions"), run + QStringLiteral("/actions")}}},
        {QStringLiteral("timestamp"), timestampSec}};
}

QByteArray WebhookAdapter::signature(const QByteArray &secret, const QByteArray &body)
{
    if (!auth::ensureSodium())
        return {};
    // The streaming interface takes a key of any length, as HMAC does (the one-shot call wants 32 bytes).
    crypto_auth_hmacsha256_state state;
    crypto_auth_hmacsha256_init(
        &state, reinterpret_cast<const unsigned char *>(secret.constData()), size_t(secret.size()));
    crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char *>(body.constData()),
        static_cast<unsigned long long>(body.size()));
    std::array<unsigned char, crypto_auth_hmacsha256_BYTES> mac {};
    crypto_auth_hmacsha256_final(&state, mac.data());
    sodium_memzero(&state, sizeof state);
    return QByteArrayLiteral("sha256=")
        + QByteArray(reinterpret_cast<const char *>(mac.data()), qsizetype(mac.size())).toHex();
}

Result<RunOutcome> WebhookAdapter::run(const RunRequest &request, RunSink &sink)
{
    const QUrl url = endpoint(request.config);
    if (!url.isValid())
        return ApiError {ErrorCode::Unprocessable, QStringLiteral("webhook adapter has no valid url"), {}};
    if (sink.stopRequested()) {
        RunOutcome stopped;
        stopped.end = RunOutcome::End::Stopped;
        return stopped;
    }

    static const SystemClock systemClock;
    const qint64 now = (m_clock ? m_clock : &systemClock)->nowSeconds();
    const QByteArray body = QJsonDocument(dispatchPayload(request, now)).toJson(QJsonDocument::Compact);
    const int timeoutMs = timeoutMsFor(request.config);

    QNetworkRequest http = baseRequest(url);
    http.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    http.setRawHeader(TimestampHeader, QByteArray::number(now));
    const QByteArray secret = request.config.extra.value(QLatin1String("secret")).toString().toUtf8();
    if (!secret.isEmpty())
        http.setRawHeader(SignatureHeader, signature(secret, body));
    if (!request.config.apiKey.isEmpty())
        http.setRawHeader("Authorization", QByteArrayLiteral("Bearer ") + request.config.apiKey);

    const HttpResult r = send(QByteArrayLiteral("POST"), http, body, timeoutMs);
    const QString where = loggable(url);
    if (r.status >= 200 && r.status < 300) {
        qCInfo(lmAgents) << "webhook: run" << request.runId << "handed to" << where << "HTTP" << r.status;
        RunOutcome outcome;
        outcome.end = RunOutcome::End::Handed;
        outcome.finishReason = QStringLiteral("handed");
        return outcome;
    }
    qCWarning(lmAgents).noquote() << "webhook: run" << request.runId << "not taken by" << where << "-"
                                  << (r.status ? QStringLiteral("HTTP %1").arg(r.status)
                                               : networkErrorName(r.error));
    if (r.timedOut || r.error == QNetworkReply::TimeoutError)
        return ApiError {ErrorCode::RequestTimeout,
            QStringLiteral("agent runtime did not answer within %1 ms").arg(timeoutMs), {}};
    if (r.status == 0)
        return ApiError {ErrorCode::Unavailable,
            QStringLiteral("agent runtime unreachable: %1").arg(networkErrorName(r.error)), {}};
    const QString retry = r.retryAfter.isEmpty()
        ? QString()
        : QStringLiteral(" (Retry-After %1)").arg(QString::fromLatin1(r.retryAfter));
    if (r.status == 429)
        return ApiError {
            ErrorCode::RateLimited, QStringLiteral("agent runtime is rate limiting") + retry, {}};
    if (r.status == 408)
        return ApiError {ErrorCode::RequestTimeout, QStringLiteral("agent runtime timed out (HTTP 408)"), {}};
    if (r.status >= 500)
        return ApiError {ErrorCode::Unavailable,
            QStringLiteral("agent runtime failed: HTTP %1").arg(r.status) + retry, {}};
    return ApiError {
        ErrorCode::Unprocessable, QStringLiteral("agent runtime refused the run: HTTP %1").arg(r.status), {}};
}

QList<HealthCheck> WebhookAdapter::health(const AdapterConfig &config)
{
    QList<HealthCheck> checks;
    const QUrl url = endpoint(config);
    checks.append({QStringLiteral("url_configured"), url.isValid(),
        url.isValid() ? loggable(url)
                      : QStringLiteral("set extra.url (or baseUrl) to the runtime's http(s) URL")});
    const bool signing = !config.extra.value(QLatin1String("secret")).toString().isEmpty();
    checks.append({QStringLiteral("signing"), true,
        signing ? QStringLiteral("HMAC-SHA256") : QStringLiteral("unsigned (no extra.secret)")});
    if (!url.isValid())
        return checks;

    int timeoutMs = config.extra.value(QLatin1String("healthTimeoutMs")).toInt();
    if (timeoutMs <= 0)
        timeoutMs = kDefaultHealthTimeoutMs;
    const HttpResult r = send(QByteArrayLiteral("HEAD"), baseRequest(url), {}, timeoutMs);
    // Any HTTP answer below 500 proves a server is there (many runtimes answer HEAD with 404/405).
    HealthCheck reach {QStringLiteral("endpoint_reachable"), r.status > 0 && r.status < 500, QString()};
    if (r.timedOut)
        reach.detail = QStringLiteral("no answer within %1 ms").arg(timeoutMs);
    else if (r.status == 0)
        reach.detail = networkErrorName(r.error);
    else
        reach.detail = QStringLiteral("HTTP %1").arg(r.status);
    checks.append(reach);
    return checks;
}

} // namespace lm::agents
