// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "apireply.h"

#include <QJsonObject>
#include <QList>
#include <QNetworkAccessManager>
#include <QObject>
#include <QPointer>
#include <QUrl>

namespace lm::client {

/// The console's client of the REST API: typed calls, readable errors, transparent token refresh.
class ApiClient : public QObject
{
    Q_OBJECT
public:
    enum class Connection
    {
        Online,
        Connecting,
        Offline,
        SignedOut
    };
    Q_ENUM(Connection)

    explicit ApiClient(QObject *parent = nullptr);
    ~ApiClient() override;

    void setBaseUrl(const QUrl &url);
    [[nodiscard]] QUrl baseUrl() const { return m_baseUrl; }
    [[nodiscard]] Connection connection() const { return m_connection; }
    [[nodiscard]] QByteArray accessToken() const { return m_accessToken; }
    [[nodiscard]] QByteArray refreshToken() const { return m_refreshToken; }
    [[nodiscard]] bool hasSession() const { return !m_refreshToken.isEmpty(); }
    /// The signed-in user (`user` of docs/api/auth.md), empty when signed out.
    [[nodiscard]] QJsonObject user() const { return m_user; }
    /// "/dm/v1" for DM reviewers, "/dashboard/v1" for tenant accounts: where approvals live for this user.
    [[nodiscard]] QString reviewSurface() const;
    /// The event stream of reviewSurface().
    [[nodiscard]] QString eventsPath() const;
    /// Sets tokens directly (a restored session, tests).
    void setTokens(const QByteArray &access, const QByteArray &refresh);

    // --- auth -----------------------------------------------------------------------------
    /// POST /auth/v1/login; on success with tokens the session starts (json() has mfaRequired otherwise).
    ApiReply *login(const QString &email, const QString &password);
    /// POST /auth/v1/mfa/verify with the challenge of a login that answered mfaRequired.
    ApiReply *verifyMfa(const QString &challengeToken, const QString &code);
    /// GET /auth/v1/me; updates user().
    ApiReply *me();
    /// POST /auth/v1/logout; the session ends at once locally whatever the server answers.
    ApiReply *logout();
    /// Refreshes the access token now (once, shared by everyone waiting); refreshed() or signedOut() follows.
    void refreshSession();

    // --- review (DM portal, or the tenant's own approvals) ------------------------------------
    ApiReply *overview();
    /// One page of approvals; `filters` are sent as filter[name]=value; empty values are left out.
    ApiReply *approvals(const QVariantMap &filters, const QString &cursor = {}, int limit = 25);
    ApiReply *approval(const QString &approvalId);
    /// POST …/approvals/:id/resolve with an Idempotency-Key.
    ApiReply *resolveApproval(const QString &approvalId, const QString &resolution, const QString &note,
        const QString &optionId, const QString &idempotencyKey);
    ApiReply *bulkResolve(const QStringList &approvalIds, const QString &resolution, const QString &note);
    ApiReply *activity(const QString &activityId);
    ApiReply *pauseActivity(const QString &activityId);
    ApiReply *resumeActivity(const QString &activityId);
    /// The stream path of an activity's output on reviewSurface().
    [[nodiscard]] QString activityStreamPath(const QString &activityId) const;

    // --- generic --------------------------------------------------------------------------
    ApiReply *get(const QString &path, Subject subject = Subject::General);
    ApiReply *post(const QString &path, const QJsonObject &body, Subject subject = Subject::General,
        const QByteArray &idempotencyKey = {});
    /// Tells the client the server answered (e.g. an event stream opened): Offline → Online.
    void noteReachable();
    /// Tells the client the server could not be reached (e.g. an event stream failed to connect).
    void noteUnreachable();
    /// The manager the event streams share.
    [[nodiscard]] QNetworkAccessManager *network() { return &m_network; }

Q_SIGNALS:
    void connectionChanged(lm::client::ApiClient::Connection connection);
    /// A session began (login or MFA verified).
    void signedIn();
    /// The session ended: logout, or a refresh the server refused.
    void signedOut();
    /// The access token was replaced by a refresh.
    void refreshed();
    void userChanged();

private:
    struct Pending
    {
        QByteArray method;
        QString path;
        QByteArray body;
        QByteArray idempotencyKey;
        bool authenticated = true;
        QPointer<ApiReply> reply;
    };
    ApiReply *send(const QByteArray &method, const QString &path, const QJsonObject *body, Subject subject,
        bool authenticated, const QByteArray &idempotencyKey = {});
    void dispatch(const Pending &p);
    void handle(QNetworkReply *network, const Pending &p);
    void finishRefresh(bool ok, bool signOut);
    void startSession(const QJsonObject &answer);
    void endSession();
    void setConnection(Connection c);

    QNetworkAccessManager m_network;
    QUrl m_baseUrl;
    QByteArray m_accessToken;
    QByteArray m_refreshToken;
    QJsonObject m_user;
    Connection m_connection = Connection::SignedOut;
    bool m_refreshing = false;
    QList<Pending> m_waitingForRefresh;
};

} // namespace lm::client
