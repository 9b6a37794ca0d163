// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "sseparser.h"

#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimer>

class QNetworkReply;

namespace lm::client {

class ApiClient;

/// A text/event-stream reader over QNetworkReply that reconnects with exponential backoff and jitter,
/// resuming with Last-Event-ID, and authenticates with the ApiClient's token (refreshing it on 401).
class SseClient : public QObject
{
    Q_OBJECT
public:
    enum class State
    {
        Closed,
        Connecting,
        Open,
        Waiting
    };
    Q_ENUM(State)

    explicit SseClient(ApiClient *api, QObject *parent = nullptr);
    ~SseClient() override;

    /// Opens `path` (relative to the ApiClient's base URL); an empty lastEventId starts where the server
    /// starts.
    void open(const QString &path, const QString &lastEventId = {});
    /// Closes and stops reconnecting.
    void close();
    [[nodiscard]] State state() const { return m_state; }
    [[nodiscard]] QString path() const { return m_path; }
    [[nodiscard]] QString lastEventId() const { return m_lastEventId; }
    /// Events after which the stream is over and no reconnect follows (e.g. "completed", "error").
    void setTerminalEvents(const QSet<QString> &types) { m_terminal = types; }
    /// Backoff bounds (defaults 0.5 s → 30 s); the delay doubles per failed attempt, with up to +50 % jitter.
    void setBackoff(int minMs, int maxMs);
    /// The delay before the next attempt (for tests and the UI's "retrying in …").
    [[nodiscard]] int nextDelayMs() const { return m_nextDelayMs; }
    /// Connections made so far (1 after the first open).
    [[nodiscard]] int connections() const { return m_connections; }

Q_SIGNALS:
    void stateChanged(lm::client::SseClient::State state);
    void event(const lm::client::SseEvent &event);
    /// A terminal event arrived, or the server refused the stream (403/404): no reconnect.
    void ended(const QString &reason);

private:
    void connectNow();
    void onData();
    void onFinished();
    void scheduleReconnect();
    void setState(State s);

    ApiClient *m_api;
    QPointer<QNetworkReply> m_reply;
    SseParser m_parser;
    QTimer m_retryTimer;
    QString m_path;
    QString m_lastEventId;
    QSet<QString> m_terminal;
    State m_state = State::Closed;
    int m_minMs = 500;
    int m_maxMs = 30000;
    int m_attempt = 0;
    int m_nextDelayMs = 0;
    int m_connections = 0;
    bool m_gotEvent = false;
    bool m_ended = false;
    bool m_awaitingRefresh = false; ///< a 401 asked for a new token; refreshed() reconnects
};

} // namespace lm::client
