// SPDX-License-Identifier: GPL-3.0-or-later
#include "session.h"

#include <QDir>
#include <QJSEngine>
#include <QJsonDocument>
#include <QStandardPaths>

namespace lm::models {

namespace {
Session *s_instance = nullptr;
}

Session::Session(const QString &dataDir, QObject *parent)
    : QObject(parent)
    , m_events(&m_api)
{
    if (!s_instance)
        s_instance = this;
    const QString dir
        = dataDir.isEmpty() ? QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) : dataDir;
    m_decisions
        = new client::DecisionQueue(&m_api, QDir(dir).filePath(QStringLiteral("decisions.json")), this);
    connect(m_decisions, &client::DecisionQueue::countChanged, this, &Session::pendingDecisionsChanged);

    connect(&m_api, &client::ApiClient::connectionChanged, this, &Session::updateConnection);
    connect(&m_events, &client::SseClient::stateChanged, this, &Session::updateConnection);
    connect(&m_api, &client::ApiClient::userChanged, this, &Session::userChanged);
    connect(&m_api, &client::ApiClient::signedIn, this, [this] {
        setError({});
        setState(SignedIn);
        m_events.open(m_api.eventsPath());
        Q_EMIT signedIn();
    });
    connect(&m_api, &client::ApiClient::signedOut, this, [this] {
        m_events.close();
        if (m_state == SignedIn)
            setError(tr("Your session has ended. Please sign in again."));
        setState(SignedOut);
    });
    connect(&m_events, &client::SseClient::event, this, [this](const client::SseEvent &e) {
        Q_EMIT serverEvent(e.type, QJsonDocument::fromJson(e.data).object());
    });
}

Session::~Session()
{
    if (s_instance == this)
        s_instance = nullptr;
}

Session *Session::instance()
{
    return s_instance;
}

Session *Session::create(QQmlEngine *, QJSEngine *)
{
    Q_ASSERT_X(s_instance, "Session::create", "main() makes the Session before QML loads");
    QJSEngine::setObjectOwnership(s_instance, QJSEngine::CppOwnership);
    return s_instance;
}

QUrl Session::serverUrl() const
{
    return m_api.baseUrl();
}

void Session::setServerUrl(const QUrl &url)
{
    if (url == m_api.baseUrl())
        return;
    m_api.setBaseUrl(url);
    Q_EMIT serverUrlChanged();
}

QVariantMap Session::user() const
{
    return m_api.user().toVariantMap();
}

int Session::pendingDecisions() const
{
    return m_decisions->count();
}

void Session::setState(State s)
{
    if (m_state == s)
        return;
    m_state = s;
    Q_EMIT stateChanged();
    updateConnection();
}

void Session::setError(const QString &message)
{
    if (m_errorMessage == message)
        return;
    m_errorMessage = message;
    Q_EMIT errorMessageChanged();
}

void Session::updateConnection()
{
    Connection c = Offline;
    switch (m_api.connection()) {
    case client::ApiClient::Connection::Offline:
    case client::ApiClient::Connection::SignedOut:
        c = Offline;
        break;
    case client::ApiClient::Connection::Connecting:
        c = Connecting;
        break;
    case client::ApiClient::Connection::Online:
        // Live only once the event stream is open too.
        c = m_events.state() == client::SseClient::State::Open || m_events.path().isEmpty() ? Online
                                                                                            : Connecting;
        break;
    }
    if (c == m_connection)
        return;
    m_connection = c;
    Q_EMIT connectionChanged();
}

void Session::login(const QString &email, const QString &password)
{
    if (m_state == SigningIn)
        return;
    setError({});
    setState(SigningIn);
    client::ApiReply *reply = m_api.login(email, password);
    connect(reply, &client::ApiReply::finished, this, [this, reply] {
        const QJsonObject answer = reply->json();
        if (answer.value(QLatin1String("mfaRequired")).toBool()) {
            m_challengeToken = answer.value(QLatin1String("challengeToken")).toString();
            setState(MfaRequired);
        }
    });
    connect(reply, &client::ApiReply::failed, this, [this, reply] {
        setError(reply->errorMessage());
        setState(SignedOut);
    });
}

void Session::verifyMfa(const QString &code)
{
    if (m_state != MfaRequired)
        return;
    setError({});
    client::ApiReply *reply = m_api.verifyMfa(m_challengeToken, code);
    connect(reply, &client::ApiReply::failed, this, [this, reply] { setError(reply->errorMessage()); });
}

void Session::logout()
{
    m_challengeToken.clear();
    m_api.logout();
    setError({});
    setState(SignedOut);
}

} // namespace lm::models
