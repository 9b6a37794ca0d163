// SPDX-License-Identifier: GPL-3.0-or-later
#include "sseclient.h"

#include "apiclient.h"

#include <QNetworkReply>
#include <QRandomGenerator>

namespace lm::client {

namespace {
// The server pings every 15 s; three missed pings mean the connection is dead.
constexpr int kIdleTimeoutMs = 45000;
} // namespace

SseClient::SseClient(ApiClient *api, QObject *parent)
    : QObject(parent)
    , m_api(api)
{
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &SseClient::connectNow);
    connect(m_api, &ApiClient::refreshed, this, [this] {
        if (m_awaitingRefresh) {
            m_awaitingRefresh = false;
            connectNow();
        }
    });
    connect(m_api, &ApiClient::signedOut, this, &SseClient::close);
    // A refresh that found no server leaves us waiting: try again later like any failed connect.
    connect(m_api, &ApiClient::connectionChanged, this, [this](ApiClient::Connection c) {
        if (c == ApiClient::Connection::Offline && m_awaitingRefresh) {
            m_awaitingRefresh = false;
            scheduleReconnect();
        }
    });
}

SseClient::~SseClient()
{
    close();
}

void SseClient::setBackoff(int minMs, int maxMs)
{
    m_minMs = minMs;
    m_maxMs = maxMs;
}

void SseClient::setState(State s)
{
    if (m_state == s)
        return;
    m_state = s;
    Q_EMIT stateChanged(s);
}

void SseClient::open(const QString &path, const QString &lastEventId)
{
    close();
    m_path = path;
    m_lastEventId = lastEventId;
    m_attempt = 0;
    m_ended = false;
    connectNow();
}

void SseClient::close()
{
    m_retryTimer.stop();
    m_awaitingRefresh = false;
    if (m_reply) {
        QNetworkReply *r = m_reply;
        m_reply = nullptr;
        r->disconnect(this);
        r->abort();
        r->deleteLater();
    }
    setState(State::Closed);
}

void SseClient::connectNow()
{
    if (m_path.isEmpty() || m_ended)
        return;
    m_parser.reset();
    QNetworkRequest request(QUrl(m_api->baseUrl().toString(QUrl::StripTrailingSlash) + m_path));
    request.setRawHeader("Accept", "text/event-stream");
    request.setRawHeader("Cache-Control", "no-cache");
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    request.setTransferTimeout(kIdleTimeoutMs);
    if (!m_api->accessToken().isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_api->accessToken());
    if (!m_lastEventId.isEmpty())
        request.setRawHeader("Last-Event-ID", m_lastEventId.toUtf8());
    ++m_connections;
    setState(State::Connecting);
    QNetworkReply *reply = m_api->network()->get(request);
    m_reply = reply;
    connect(reply, &QNetworkReply::metaDataChanged, this, [this, reply] {
        if (reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 200) {
            m_attempt = 0;
            setState(State::Open);
            m_api->noteReachable();
        }
    });
    connect(reply, &QNetworkReply::readyRead, this, &SseClient::onData);
    connect(reply, &QNetworkReply::finished, this, &SseClient::onFinished);
}

void SseClient::onData()
{
    QNetworkReply *reply = m_reply;
    if (!reply || reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() != 200)
        return;
    const QList<SseEvent> events = m_parser.feed(reply->readAll());
    for (const SseEvent &e : events) {
        if (!e.id.isEmpty())
            m_lastEventId = e.id;
        Q_EMIT event(e);
        if (!m_reply) // a receiver closed us
            return;
        if (m_terminal.contains(e.type)) {
            m_ended = true;
            close();
            Q_EMIT ended(e.type);
            return;
        }
    }
}

void SseClient::onFinished()
{
    QNetworkReply *reply = m_reply;
    if (!reply)
        return;
    onData();
    if (!m_reply)
        return;
    m_reply = nullptr;
    reply->deleteLater();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status == 401 && m_api->hasSession()) {
        setState(State::Connecting);
        m_awaitingRefresh = true;
        m_api->refreshSession(); // refreshed() reconnects; signedOut() closes
        return;
    }
    if (status == 403 || status == 404) {
        m_ended = true;
        setState(State::Closed);
        Q_EMIT ended(QStringLiteral("refused"));
        return;
    }
    if (status == 0)
        m_api->noteUnreachable();
    scheduleReconnect();
}

void SseClient::scheduleReconnect()
{
    const qint64 base = std::min<qint64>(m_maxMs, qint64(m_minMs) << std::min(m_attempt, 16));
    const qint64 jitter = base > 1 ? QRandomGenerator::global()->bounded(base / 2 + 1) : 0;
    m_nextDelayMs = int(std::min<qint64>(m_maxMs, base + jitter));
    ++m_attempt;
    setState(State::Waiting);
    m_retryTimer.start(m_nextDelayMs);
}

} // namespace lm::client
