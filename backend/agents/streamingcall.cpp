// SPDX-License-Identifier: GPL-3.0-or-later
#include "streamingcall.h"

#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>

#include <memory>

namespace lm::agents {

namespace {

// Error bodies are read for their message only; a provider that streams megabytes of error is cut.
constexpr qsizetype kMaxErrorBody = 64 * 1024;
// Plain (non-streamed) bodies: model lists are well below this.
constexpr qsizetype kMaxFetchBody = 16 * 1024 * 1024;
// A single stream line larger than this is not a provider chunk but a runaway.
constexpr qsizetype kMaxLine = 8 * 1024 * 1024;
constexpr int kStopPollMs = 50;

QString providerMessage(const QByteArray &body)
{
    const QJsonDocument doc = QJsonDocument::fromJson(body);
    if (doc.isObject()) {
        const QJsonValue error = doc.object().value(QStringLiteral("error"));
        if (error.isObject()) {
            const QString message = error.toObject().value(QStringLiteral("message")).toString();
            if (!message.isEmpty())
                return message;
        }
        if (error.isString())
            return error.toString();
        const QString message = doc.object().value(QStringLiteral("message")).toString();
        if (!message.isEmpty())
            return message;
    }
    return QString::fromUtf8(body.left(300));
}

struct ReplyDeleter
{
    void operator()(QNetworkReply *reply) const
    {
        reply->disconnect();
        // Deleted at once: a job worker thread may never spin an event loop again for deleteLater.
        delete reply;
    }
};

} // namespace

StreamingCall::StreamingCall(QNetworkAccessManager &nam)
    : m_nam(nam)
{ }

Result<HttpCallResult> StreamingCall::stream(
    const HttpCall &call, const LineHandler &onLine, const StopCheck &stop)
{
    return perform(call, &onLine, stop ? &stop : nullptr);
}

Result<HttpCallResult> StreamingCall::fetch(const HttpCall &call)
{
    return perform(call, nullptr, nullptr);
}

QString StreamingCall::scrub(const QString &text, const QByteArray &secret)
{
    QString out = text;
    if (!secret.isEmpty())
        out.replace(QString::fromUtf8(secret), QStringLiteral("[redacted]"));
    out = out.simplified();
    if (out.size() > 300)
        out = out.left(300) + QStringLiteral("…");
    return out;
}

ApiError StreamingCall::mapHttpError(
    int status, const QByteArray &body, const QByteArray &retryAfter, const QByteArray &secret)
{
    const QString said = scrub(providerMessage(body), secret);
    const QString suffix = said.isEmpty() ? QString() : QStringLiteral(": ") + said;
    ApiError error;
    if (status == 429) {
        error.code = ErrorCode::RateLimited;
        error.message = QStringLiteral("the provider is rate limiting requests (HTTP 429)");
        if (!retryAfter.isEmpty()) {
            const QString after = scrub(QString::fromLatin1(retryAfter), secret);
            bool seconds = false;
            after.toInt(&seconds);
            // Retry-After is delta-seconds or an HTTP date.
            error.message += seconds ? QStringLiteral("; retry after %1 s").arg(after)
                                     : QStringLiteral("; retry after %1").arg(after);
            error.details.append({QStringLiteral("retryAfter"), after});
        }
        error.message += suffix;
    } else if (status == 401 || status == 403) {
        error.code = ErrorCode::Unprocessable;
        error.message
            = QStringLiteral("the provider rejected the API key (HTTP %1)%2").arg(status).arg(suffix);
    } else if (status == 408) {
        error.code = ErrorCode::RequestTimeout;
        error.message = QStringLiteral("the provider timed out (HTTP 408)%1").arg(suffix);
    } else if (status >= 500) {
        error.code = ErrorCode::Unavailable;
        error.message = QStringLiteral("the provider failed (HTTP %1)%2").arg(status).arg(suffix);
    } else if (status == 404) {
        error.code = ErrorCode::Unprocessable;
        error.message
            = QStringLiteral("the provider does not know this endpoint or model (HTTP 404)%1").arg(suffix);
    } else {
        error.code = ErrorCode::Unprocessable;
        error.message
            = QStringLiteral("the provider refused the request (HTTP %1)%2").arg(status).arg(suffix);
    }
    return error;
}

Result<HttpCallResult> StreamingCall::perform(
    const HttpCall &call, const LineHandler *onLine, const StopCheck *stop)
{
    QNetworkRequest request(call.url);
    if (!call.body.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setRawHeader("Accept",
        onLine ? QByteArrayLiteral("text/event-stream, application/x-ndjson, application/json")
               : QByteArrayLiteral("application/json"));
    for (const auto &[name, value] : call.headers)
        request.setRawHeader(name, value);
    // Our own timers bound the call; Qt's transfer timeout would not tell silence from stop.
    request.setTransferTimeout(0);

    std::unique_ptr<QNetworkReply, ReplyDeleter> reply;
    if (call.method == "GET")
        reply.reset(m_nam.get(request));
    else
        reply.reset(m_nam.sendCustomRequest(request, call.method, call.body));

    enum class Why
    {
        None,
        Silence,
        Overall,
        Stopped,
    };
    Why why = Why::None;
    HttpCallResult result;
    QByteArray pending;
    bool lineTooLong = false;

    QEventLoop loop;
    QTimer silence;
    silence.setSingleShot(true);
    QTimer overall;
    overall.setSingleShot(true);
    QTimer poll;
    poll.setInterval(kStopPollMs);

    const auto abortFor = [&](Why reason) {
        if (why != Why::None)
            return;
        why = reason;
        reply->abort();
        loop.quit();
    };
    const auto statusNow = [&] { return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(); };
    const auto consume = [&](bool atEnd) {
        QByteArray data = reply->readAll();
        result.status = statusNow();
        const bool streaming = onLine && result.status > 0 && result.status < 400;
        if (!streaming) {
            const qsizetype cap = result.status >= 400 ? kMaxErrorBody : kMaxFetchBody;
            if (result.body.size() < cap)
                result.body.append(data.left(cap - result.body.size()));
            return;
        }
        pending.append(data);
        qsizetype start = 0;
        for (qsizetype nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n', start)) {
            QByteArray line = pending.mid(start, nl - start);
            start = nl + 1;
            if (line.endsWith('\r'))
                line.chop(1);
            if (!(*onLine)(line)) {
                abortFor(Why::Stopped);
                return;
            }
            if (stop && (*stop)()) {
                abortFor(Why::Stopped);
                return;
            }
        }
        pending.remove(0, start);
        if (atEnd && !pending.isEmpty()) {
            // The last line of an NDJSON body may come without its line break.
            const QByteArray last = std::exchange(pending, {});
            if (!(*onLine)(last.endsWith('\r') ? last.chopped(1) : last))
                why = Why::Stopped;
        } else if (pending.size() > kMaxLine) {
            lineTooLong = true;
            reply->abort();
        }
    };

    QObject::connect(reply.get(), &QIODevice::readyRead, &loop, [&] {
        silence.start(call.silenceMs);
        consume(false);
    });
    QObject::connect(
        reply.get(), &QNetworkReply::metaDataChanged, &loop, [&] { silence.start(call.silenceMs); });
    QObject::connect(reply.get(), &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QObject::connect(&silence, &QTimer::timeout, &loop, [&] { abortFor(Why::Silence); });
    QObject::connect(&overall, &QTimer::timeout, &loop, [&] { abortFor(Why::Overall); });
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (stop && (*stop)())
            abortFor(Why::Stopped);
    });

    silence.start(call.silenceMs);
    overall.start(call.overallMs);
    if (stop)
        poll.start();
    if (!reply->isFinished())
        loop.exec();
    silence.stop();
    overall.stop();
    poll.stop();

    if (why == Why::None && reply->bytesAvailable() > 0)
        consume(true);
    else if (why == Why::None && onLine && !pending.isEmpty())
        consume(true);

    switch (why) {
    case Why::Silence:
        return ApiError {ErrorCode::RequestTimeout,
            QStringLiteral("the provider sent nothing for %1 s").arg(call.silenceMs / 1000.0), {}};
    case Why::Overall:
        return ApiError {ErrorCode::RequestTimeout,
            QStringLiteral("the provider call took longer than %1 s").arg(call.overallMs / 1000.0), {}};
    case Why::Stopped:
        result.stopped = true;
        result.status = statusNow();
        return result;
    case Why::None:
        break;
    }

    result.status = statusNow();
    if (result.status >= 400 && onLine)
        return mapHttpError(result.status, result.body, reply->rawHeader("Retry-After"), call.secret);
    if (lineTooLong)
        return ApiError {
            ErrorCode::Unavailable, QStringLiteral("the provider sent a line longer than 8 MiB"), {}};
    if (reply->error() != QNetworkReply::NoError && result.status < 400) {
        const QString what = scrub(reply->errorString(), call.secret);
        if (result.status == 0)
            return ApiError {
                ErrorCode::Unavailable, QStringLiteral("could not reach the provider: %1").arg(what), {}};
        return ApiError {
            ErrorCode::Unavailable, QStringLiteral("the provider's answer broke off: %1").arg(what), {}};
    }
    if (onLine)
        result.body = pending;
    return result;
}

} // namespace lm::agents
