// SPDX-License-Identifier: GPL-3.0-or-later
#include "activitydetail.h"

#include "outputformat.h"
#include "session.h"

#include <QJsonDocument>

namespace lm::models {

using client::ApiReply;
using client::SseClient;

ActivityDetail::ActivityDetail(QObject *parent)
    : ActivityDetail(nullptr, parent)
{ }

ActivityDetail::ActivityDetail(Session *session, QObject *parent)
    : QObject(parent)
    , m_session(session ? session : Session::instance())
{
    if (!m_session)
        return;
    m_stream = new SseClient(m_session->api(), this);
    m_stream->setTerminalEvents({QStringLiteral("completed"), QStringLiteral("error")});
    connect(m_stream, &SseClient::event, this, &ActivityDetail::onStreamEvent);
    connect(m_stream, &SseClient::ended, this, [this] { setStreaming(false); });
}

ActivityDetail::~ActivityDetail() = default;

void ActivityDetail::setActivityId(const QString &id)
{
    if (id == m_activityId)
        return;
    m_activityId = id;
    Q_EMIT activityIdChanged();
    reload();
}

void ActivityDetail::reload()
{
    if (m_reply)
        m_reply->abort();
    if (m_stream)
        m_stream->close();
    m_activity.clear();
    m_output.clear();
    m_toolCalls.clear();
    Q_EMIT activityChanged();
    Q_EMIT outputChanged();
    Q_EMIT toolCallsChanged();
    setStreaming(false);
    if (!m_session || m_activityId.isEmpty())
        return;
    ApiReply *reply = m_session->api()->activity(m_activityId);
    m_reply = reply;
    setLoading(true);
    connect(reply, &ApiReply::finished, this, [this, reply] {
        setLoading(false);
        setError({});
        m_activity = reply->json().toVariantMap();
        m_outputFormat = outputFormatOf(m_activity.value(QStringLiteral("outputFormat")).toString(),
            m_activity.value(QStringLiteral("outputPreview")).toString());
        Q_EMIT activityChanged();
    });
    connect(reply, &ApiReply::failed, this, [this, reply] {
        setLoading(false);
        setError(reply->errorMessage());
    });
    connect(reply, &ApiReply::cancelled, this, [this] { setLoading(false); });
    // The stream replays the output from its start, then goes live: nothing is missed.
    setStreaming(true);
    m_stream->open(m_session->api()->activityStreamPath(m_activityId));
}

void ActivityDetail::onStreamEvent(const client::SseEvent &e)
{
    const QJsonObject data = QJsonDocument::fromJson(e.data).object();
    if (e.type == QLatin1String("text_delta")) {
        m_output += data.value(QLatin1String("delta")).toString();
        Q_EMIT outputChanged();
    } else if (e.type == QLatin1String("tool_call") || e.type == QLatin1String("tool_result")) {
        QVariantMap call = data.toVariantMap();
        call.insert(QStringLiteral("kind"),
            e.type == QLatin1String("tool_call") ? QStringLiteral("call") : QStringLiteral("result"));
        m_toolCalls.append(call);
        Q_EMIT toolCallsChanged();
    } else if (e.type == QLatin1String("completed")) {
        setStreaming(false);
        // Status, runs and costs changed with the end of the run.
        ApiReply *reply = m_session->api()->activity(m_activityId);
        connect(reply, &ApiReply::finished, this, [this, reply] {
            m_activity = reply->json().toVariantMap();
            Q_EMIT activityChanged();
        });
    } else if (e.type == QLatin1String("error")) {
        setStreaming(false);
        setError(
            tr("The agent stopped with an error: %1").arg(data.value(QLatin1String("error")).toString()));
    }
}

void ActivityDetail::pause()
{
    control(true);
}

void ActivityDetail::resume()
{
    control(false);
}

void ActivityDetail::control(bool pause)
{
    if (!m_session || m_activityId.isEmpty())
        return;
    ApiReply *reply = pause ? m_session->api()->pauseActivity(m_activityId)
                            : m_session->api()->resumeActivity(m_activityId);
    connect(reply, &ApiReply::finished, this, [this, reply] {
        setError({});
        const QVariantMap summary = reply->json().toVariantMap();
        for (auto it = summary.cbegin(); it != summary.cend(); ++it)
            m_activity.insert(it.key(), it.value());
        Q_EMIT activityChanged();
    });
    connect(reply, &ApiReply::failed, this, [this, reply] { setError(reply->errorMessage()); });
}

void ActivityDetail::setLoading(bool v)
{
    if (m_loading != v) {
        m_loading = v;
        Q_EMIT loadingChanged();
    }
}

void ActivityDetail::setError(const QString &e)
{
    if (m_error != e) {
        m_error = e;
        Q_EMIT errorChanged();
    }
}

void ActivityDetail::setStreaming(bool v)
{
    if (m_streaming != v) {
        m_streaming = v;
        Q_EMIT streamingChanged();
    }
}

} // namespace lm::models
