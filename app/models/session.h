// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "apiclient.h"
#include "decisionqueue.h"
#include "sseclient.h"

#include <QJsonObject>
#include <QObject>
#include <QUrl>
#include <QVariantMap>
#include <QtQml/qqmlregistration.h>

class QQmlEngine;
class QJSEngine;

namespace lm::models {

/// The signed-in reviewer's session: API client, the live event stream, the offline decision queue.
/// One instance, made by main() before QML loads; QML gets that same instance.
class Session : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON
    Q_PROPERTY(QUrl serverUrl READ serverUrl WRITE setServerUrl NOTIFY serverUrlChanged)
    Q_PROPERTY(State state READ state NOTIFY stateChanged)
    Q_PROPERTY(Connection connection READ connection NOTIFY connectionChanged)
    Q_PROPERTY(QVariantMap user READ user NOTIFY userChanged)
    Q_PROPERTY(QString errorMessage READ errorMessage NOTIFY errorMessageChanged)
    Q_PROPERTY(int pendingDecisions READ pendingDecisions NOTIFY pendingDecisionsChanged)
public:
    enum State
    {
        SignedOut,
        SigningIn,
        MfaRequired,
        SignedIn
    };
    Q_ENUM(State)
    enum Connection
    {
        Online,
        Connecting,
        Offline
    };
    Q_ENUM(Connection)

    /// `dataDir` holds the decision queue (decisions.json); empty means the app data dir.
    /// Not default-constructible on purpose: Qt 6.4 constructs a default-constructible QML_SINGLETON
    /// itself and ignores create(), which would give QML a second, unused Session.
    explicit Session(const QString &dataDir, QObject *parent = nullptr);
    ~Session() override;

    /// The instance main() made (the first Session constructed), or null.
    [[nodiscard]] static Session *instance();
    /// For QML_SINGLETON: hands QML the instance main() configured.
    static Session *create(QQmlEngine *qmlEngine, QJSEngine *jsEngine);

    [[nodiscard]] QUrl serverUrl() const;
    void setServerUrl(const QUrl &url);
    [[nodiscard]] State state() const { return m_state; }
    [[nodiscard]] Connection connection() const { return m_connection; }
    [[nodiscard]] QVariantMap user() const;
    [[nodiscard]] QString errorMessage() const { return m_errorMessage; }
    [[nodiscard]] int pendingDecisions() const;

    Q_INVOKABLE void login(const QString &email, const QString &password);
    Q_INVOKABLE void verifyMfa(const QString &code);
    Q_INVOKABLE void logout();

    [[nodiscard]] client::ApiClient *api() { return &m_api; }
    [[nodiscard]] client::SseClient *events() { return &m_events; }
    [[nodiscard]] client::DecisionQueue *decisions() { return m_decisions; }

Q_SIGNALS:
    void serverUrlChanged();
    void stateChanged();
    void connectionChanged();
    void userChanged();
    void errorMessageChanged();
    void pendingDecisionsChanged();
    /// An event of the live stream (approval_created, approval_resolved, activity_started …).
    void serverEvent(const QString &type, const QJsonObject &data);
    /// The session began; models load their first page.
    void signedIn();

private:
    void setState(State s);
    void setError(const QString &message);
    void updateConnection();

    client::ApiClient m_api;
    client::SseClient m_events;
    client::DecisionQueue *m_decisions = nullptr;
    QString m_challengeToken;
    QString m_errorMessage;
    State m_state = SignedOut;
    Connection m_connection = Offline;
};

} // namespace lm::models
