// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QUrl>

#include <functional>

class QNetworkAccessManager;

namespace lm::agents {

/// One HTTP request to a model provider.
struct HttpCall
{
    QByteArray method = "POST";
    QUrl url;
    QList<QPair<QByteArray, QByteArray>> headers; ///< besides Content-Type/Accept
    QByteArray body; ///< JSON; empty for GET
    int silenceMs = 120000; ///< bound on waiting for the first byte and on every gap after it
    int overallMs = 1200000; ///< bound on the whole call
    QByteArray secret; ///< scrubbed from every message this call produces (the API key)
};

/// What came back when the call did not fail.
struct HttpCallResult
{
    int status = 0;
    bool stopped = false; ///< the line handler or the stop check ended the call early
    QByteArray body; ///< the unread rest: whole body for plain calls, the last partial line for streams
};

/// A blocking HTTP call on the calling thread: it runs its own QEventLoop, so it works on a job
/// worker's plain std::thread. Several threads may each run calls at once (one QNAM per thread).
class StreamingCall
{
public:
    /// Receives each line of a 2xx body as it arrives (without its line break); false stops the call.
    using LineHandler = std::function<bool(const QByteArray &line)>;
    /// Polled while waiting; true stops the call.
    using StopCheck = std::function<bool()>;

    explicit StreamingCall(QNetworkAccessManager &nam);

    /// Streams the body line by line to onLine. HTTP errors (>= 400) come back as ApiErrors
    /// (mapHttpError); timeouts as REQUEST_TIMEOUT; network failures as UNAVAILABLE.
    Result<HttpCallResult> stream(const HttpCall &call, const LineHandler &onLine, const StopCheck &stop);
    /// Reads the whole body (health checks); HTTP errors are returned as a status, not an error.
    Result<HttpCallResult> fetch(const HttpCall &call);

    /// The ApiError for a provider's HTTP error status (429, 401/403, 4xx, 5xx).
    [[nodiscard]] static ApiError mapHttpError(
        int status, const QByteArray &body, const QByteArray &retryAfter, const QByteArray &secret);
    /// `text` with every occurrence of `secret` replaced, trimmed to a readable length.
    [[nodiscard]] static QString scrub(const QString &text, const QByteArray &secret);

private:
    Result<HttpCallResult> perform(const HttpCall &call, const LineHandler *onLine, const StopCheck *stop);

    QNetworkAccessManager &m_nam;
};

} // namespace lm::agents
