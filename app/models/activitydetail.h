// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QPointer>
#include <QVariantList>
#include <QVariantMap>
#include <QtQml/qqmlregistration.h>

namespace lm::client {
class ApiReply;
class SseClient;
struct SseEvent;
} // namespace lm::client

namespace lm::models {

class Session;

/// One activity with its output streamed live (…/activities/:id/stream), its runs, tool calls and comments.
class ActivityDetail : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QString activityId READ activityId WRITE setActivityId NOTIFY activityIdChanged)
    Q_PROPERTY(bool loading READ loading NOTIFY loadingChanged)
    Q_PROPERTY(QString error READ error NOTIFY errorChanged)
    Q_PROPERTY(QVariantMap activity READ activity NOTIFY activityChanged)
    Q_PROPERTY(QString output READ output NOTIFY outputChanged)
    Q_PROPERTY(QString outputFormat READ outputFormat NOTIFY activityChanged)
    Q_PROPERTY(bool streaming READ streaming NOTIFY streamingChanged)
    Q_PROPERTY(QVariantList toolCalls READ toolCalls NOTIFY toolCallsChanged)
    Q_PROPERTY(QVariantList runs READ runs NOTIFY activityChanged)
    Q_PROPERTY(QVariantList comments READ comments NOTIFY activityChanged)
public:
    explicit ActivityDetail(QObject *parent = nullptr);
    ActivityDetail(Session *session, QObject *parent);
    ~ActivityDetail() override;

    [[nodiscard]] QString activityId() const { return m_activityId; }
    /// Setting it loads the activity and opens its output stream.
    void setActivityId(const QString &id);
    [[nodiscard]] bool loading() const { return m_loading; }
    [[nodiscard]] QString error() const { return m_error; }
    [[nodiscard]] QVariantMap activity() const { return m_activity; }
    [[nodiscard]] QString output() const { return m_output; }
    /// markdown | html | text
    [[nodiscard]] QString outputFormat() const { return m_outputFormat; }
    [[nodiscard]] bool streaming() const { return m_streaming; }
    [[nodiscard]] QVariantList toolCalls() const { return m_toolCalls; }
    [[nodiscard]] QVariantList runs() const { return m_activity.value(QStringLiteral("runs")).toList(); }
    [[nodiscard]] QVariantList comments() const
    {
        return m_activity.value(QStringLiteral("comments")).toList();
    }

    Q_INVOKABLE void reload();
    Q_INVOKABLE void pause();
    Q_INVOKABLE void resume();

Q_SIGNALS:
    void activityIdChanged();
    void loadingChanged();
    void errorChanged();
    void activityChanged();
    void outputChanged();
    void streamingChanged();
    void toolCallsChanged();

private:
    void onStreamEvent(const client::SseEvent &e);
    void control(bool pause);
    void setLoading(bool v);
    void setError(const QString &e);
    void setStreaming(bool v);

    QPointer<Session> m_session;
    QPointer<client::ApiReply> m_reply;
    client::SseClient *m_stream = nullptr;
    QString m_activityId;
    QVariantMap m_activity;
    QString m_output;
    QString m_outputFormat = QStringLiteral("markdown");
    QVariantList m_toolCalls;
    bool m_loading = false;
    bool m_streaming = false;
    QString m_error;
};

} // namespace lm::models
