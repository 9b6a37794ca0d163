// SPDX-License-Identifier: GPL-3.0-or-later
#include "apiclient.h"

#include "errormessages.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkReply>
#include <QUrlQuery>

namespace lm::client {

namespace {

constexpr int kTransferTimeoutMs = 30000;

QJsonObject parseObject(const QByteArray &body)
{
    return QJsonDocument::fromJson(body).object();
}

QString encodeId(const QString &id)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(id));
}

} // namespace

ApiClient::ApiClient(QObject *parent)
    : QObject(parent)
{
    m_network.setAutoDeleteReplies(false);
}

ApiClient::~ApiClient() = default;

void ApiClient::setBaseUrl(const QUrl &url)
{
    m_baseUrl = url;
}

QString ApiClient::reviewSurface() const
{
    const QJsonArray access = m_user.value(QLatin1String("appAccess")).toArray();
    return access.contains(QLatin1String("dm")) ? QStringLiteral("/dm/v1") : QStringLiteral("/dashboard/v1");
}

QString ApiClient::eventsPath() const
{
    return reviewSurface() == QLatin1String("/dm/v1") ? QStringLiteral("/dm/v1/events")
                                                      : QStringLiteral("/dashboard/v1/events/stream");
}

QString ApiClient::activityStreamPath(const QString &activityId) const
{
    return reviewSurface() + QStringLiteral("/activities/") + encodeId(activityId)
        + QStringLiteral("/stream");
}

void ApiClient::setTokens(const QByteArray &access, const QByteArray &refresh)
{
    m_accessToken = access;
    m_refreshToken = refresh;
    setConnection(refresh.isEmpty() ? Connection::SignedOut : Connection::Online);
}

void ApiClient::setConnection(Connection c)
{
    if (m_connection == c)
        return;
    m_connection = c;
    Q_EMIT connectionChanged(c);
}

void ApiClient::noteReachable()
{
    if (hasSession())
        setConnection(Connection::Online);
}

void ApiClient::noteUnreachable()
{
    if (hasSession())
        setConnection(Connection::Offline);
}

// --- auth ---------------------------------------------------------------------------------------

ApiReply *ApiClient::login(const QString &email, const QString &password)
{
    if (!hasSession())
        setConnection(Connection::Connecting);
    const QJsonObject body {{QStringLiteral("email"), email}, {QStringLiteral("password"), password}};
    ApiReply *reply = send("POST", QStringLiteral("/auth/v1/login"), &body, Subject::Login, false);
    connect(reply, &ApiReply::finished, this, [this, reply] { startSession(reply->json()); });
    connect(reply, &ApiReply::failed, this, [this] {
        if (!hasSession())
            setConnection(Connection::SignedOut);
    });
    return reply;
}

ApiReply *ApiClient::verifyMfa(const QString &challengeToken, const QString &code)
{
    const QJsonObject body {
        {QStringLiteral("challengeToken"), challengeToken}, {QStringLiteral("code"), code}};
    ApiReply *reply = send("POST", QStringLiteral("/auth/v1/mfa/verify"), &body, Subject::Login, false);
    connect(reply, &ApiReply::finished, this, [this, reply] { startSession(reply->json()); });
    return reply;
}

void ApiClient::startSession(const QJsonObject &answer)
{
    const QByteArray access = answer.value(QLatin1String("accessToken")).toString().toLatin1();
    if (access.isEmpty()) { // mfaRequired: the caller continues with verifyMfa()
        setConnection(Connection::SignedOut);
        return;
    }
    m_accessToken = access;
    m_refreshToken = answer.value(QLatin1String("refreshToken")).toString().toLatin1();
    m_user = answer.value(QLatin1String("user")).toObject();
    setConnection(Connection::Online);
    Q_EMIT userChanged();
    Q_EMIT signedIn();
}

ApiReply *ApiClient::me()
{
    ApiReply *reply = get(QStringLiteral("/auth/v1/me"));
    connect(reply, &ApiReply::finished, this, [this, reply] {
        m_user = reply->json();
        Q_EMIT userChanged();
    });
    return reply;
}

ApiReply *ApiClient::logout()
{
    const QJsonObject body {{QStringLiteral("refreshToken"), QString::fromLatin1(m_refreshToken)}};
    ApiReply *reply = send("POST", QStringLiteral("/auth/v1/logout"), &body, Subject::General, false);
    endSession();
    return reply;
}

void ApiClient::endSession()
{
    const bool had = hasSession() || !m_accessToken.isEmpty();
    m_accessToken.clear();
    m_refreshToken.clear();
    m_user = {};
    const QList<Pending> waiting = std::exchange(m_waitingForRefresh, {});
    for (const Pending &p : waiting) {
        if (p.reply)
            p.reply->fail(401, QStringLiteral("UNAUTHORIZED"), errorMessageFor(p.reply->subject(), 401, {}));
    }
    setConnection(Connection::SignedOut);
    if (had) {
        Q_EMIT userChanged();
        Q_EMIT signedOut();
    }
}

void ApiClient::refreshSession()
{
    if (m_refreshing)
        return;
    if (!hasSession()) {
        endSession();
        return;
    }
    m_refreshing = true;
    QNetworkRequest request(
        QUrl(m_baseUrl.toString(QUrl::StripTrailingSlash) + QStringLiteral("/auth/v1/refresh")));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setTransferTimeout(kTransferTimeoutMs);
    const QJsonObject body {{QStringLiteral("refreshToken"), QString::fromLatin1(m_refreshToken)}};
    QNetworkReply *network = m_network.post(request, QJsonDocument(body).toJson(QJsonDocument::Compact));
    connect(network, &QNetworkReply::finished, this, [this, network] {
        network->deleteLater();
        const int status = network->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (status == 200) {
            const QJsonObject answer = parseObject(network->readAll());
            m_accessToken = answer.value(QLatin1String("accessToken")).toString().toLatin1();
            m_refreshToken = answer.value(QLatin1String("refreshToken")).toString().toLatin1();
            finishRefresh(true, false);
        } else {
            // No answer: we are offline and keep the session; a refusal (401, 400) ends it.
            finishRefresh(false, status != 0);
        }
    });
}

void ApiClient::finishRefresh(bool ok, bool signOut)
{
    m_refreshing = false;
    if (ok) {
        setConnection(Connection::Online);
        Q_EMIT refreshed();
        const QList<Pending> waiting = std::exchange(m_waitingForRefresh, {});
        for (const Pending &p : waiting) {
            if (p.reply && !p.reply->isDone())
                dispatch(p);
        }
        return;
    }
    if (signOut) {
        endSession();
        return;
    }
    setConnection(Connection::Offline);
    const QList<Pending> waiting = std::exchange(m_waitingForRefresh, {});
    for (const Pending &p : waiting) {
        if (p.reply)
            p.reply->fail(0, QStringLiteral("NETWORK"), unreachableMessage(m_baseUrl.toString()));
    }
}

// --- review -------------------------------------------------------------------------------------

ApiReply *ApiClient::overview()
{
    return get(QStringLiteral("/dm/v1/overview"));
}

ApiReply *ApiClient::approvals(const QVariantMap &filters, const QString &cursor, int limit)
{
    QUrlQuery query;
    for (auto it = filters.cbegin(); it != filters.cend(); ++it) {
        const QString value = it.value().toString();
        if (!value.isEmpty())
            query.addQueryItem(QStringLiteral("filter[%1]").arg(it.key()),
                QString::fromLatin1(QUrl::toPercentEncoding(value)));
    }
    if (!cursor.isEmpty())
        query.addQueryItem(QStringLiteral("cursor"), QString::fromLatin1(QUrl::toPercentEncoding(cursor)));
    query.addQueryItem(QStringLiteral("limit"), QString::number(limit));
    return get(reviewSurface() + QStringLiteral("/approvals?") + query.toString(QUrl::FullyEncoded),
        Subject::Approval);
}

ApiReply *ApiClient::approval(const QString &approvalId)
{
    return get(reviewSurface() + QStringLiteral("/approvals/") + encodeId(approvalId), Subject::Approval);
}

ApiReply *ApiClient::resolveApproval(const QString &approvalId, const QString &resolution,
    const QString &note, const QString &optionId, const QString &idempotencyKey)
{
    QJsonObject body {{QStringLiteral("resolution"), resolution}};
    if (!note.isEmpty())
        body.insert(QStringLiteral("note"), note);
    if (!optionId.isEmpty())
        body.insert(QStringLiteral("selectedOption"), optionId);
    return post(
        reviewSurface() + QStringLiteral("/approvals/") + encodeId(approvalId) + QStringLiteral("/resolve"),
        body, Subject::Decision, idempotencyKey.toLatin1());
}

ApiReply *ApiClient::bulkResolve(
    const QStringList &approvalIds, const QString &resolution, const QString &note)
{
    QJsonObject body {{QStringLiteral("ids"), QJsonArray::fromStringList(approvalIds)},
        {QStringLiteral("resolution"), resolution}};
    if (!note.isEmpty())
        body.insert(QStringLiteral("note"), note);
    return post(reviewSurface() + QStringLiteral("/approvals/bulk/resolve"), body, Subject::Decision);
}

ApiReply *ApiClient::activity(const QString &activityId)
{
    return get(reviewSurface() + QStringLiteral("/activities/") + encodeId(activityId), Subject::Activity);
}

ApiReply *ApiClient::pauseActivity(const QString &activityId)
{
    return post(
        reviewSurface() + QStringLiteral("/activities/") + encodeId(activityId) + QStringLiteral("/pause"),
        {}, Subject::Activity);
}

ApiReply *ApiClient::resumeActivity(const QString &activityId)
{
    return post(
        reviewSurface() + QStringLiteral("/activities/") + encodeId(activityId) + QStringLiteral("/resume"),
        {}, Subject::Activity);
}

// --- transport ----------------------------------------------------------------------------------

ApiReply *ApiClient::get(const QString &path, Subject subject)
{
    return send("GET", path, nullptr, subject, true);
}

ApiReply *ApiClient::post(
    const QString &path, const QJsonObject &body, Subject subject, const QByteArray &idempotencyKey)
{
    return send("POST", path, &body, subject, true, idempotencyKey);
}

ApiReply *ApiClient::send(const QByteArray &method, const QString &path, const QJsonObject *body,
    Subject subject, bool authenticated, const QByteArray &idempotencyKey)
{
    auto *reply = new ApiReply(subject, this);
    Pending p {method, path, body ? QJsonDocument(*body).toJson(QJsonDocument::Compact) : QByteArray(),
        idempotencyKey, authenticated, reply};
    if (authenticated && m_refreshing) {
        m_waitingForRefresh.append(p);
        return reply;
    }
    if (m_connection == Connection::Offline)
        setConnection(Connection::Connecting);
    dispatch(p);
    return reply;
}

void ApiClient::dispatch(const Pending &p)
{
    QNetworkRequest request(QUrl(m_baseUrl.toString(QUrl::StripTrailingSlash) + p.path));
    request.setRawHeader("Accept", "application/json");
    request.setTransferTimeout(kTransferTimeoutMs);
    if (!p.body.isEmpty() || p.method == "POST")
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    if (p.authenticated && !m_accessToken.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + m_accessToken);
    if (!p.idempotencyKey.isEmpty())
        request.setRawHeader("Idempotency-Key", p.idempotencyKey);
    QNetworkReply *network = m_network.sendCustomRequest(request, p.method, p.body);
    Pending sent = p;
    sent.body = p.body;
    const QByteArray token = m_accessToken;
    p.reply->attach(network);
    connect(network, &QNetworkReply::finished, this, [this, network, sent, token] {
        network->deleteLater();
        if (!sent.reply || sent.reply->isDone())
            return;
        // A 401 for a token that was replaced meanwhile is simply sent again with the new one.
        const int status = network->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (status == 401 && sent.authenticated && hasSession() && !sent.reply->m_retried) {
            sent.reply->m_retried = true;
            if (token != m_accessToken && !m_refreshing) {
                dispatch(sent);
                return;
            }
            m_waitingForRefresh.append(sent);
            refreshSession();
            return;
        }
        handle(network, sent);
    });
}

void ApiClient::handle(QNetworkReply *network, const Pending &p)
{
    const int status = network->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status == 0) {
        noteUnreachable();
        p.reply->fail(0, QStringLiteral("NETWORK"), unreachableMessage(m_baseUrl.toString()));
        return;
    }
    noteReachable();
    const QJsonObject json = parseObject(network->readAll());
    if (status >= 200 && status < 300) {
        p.reply->succeed(status, json);
        return;
    }
    const int retryAfter
        = network->hasRawHeader("Retry-After") ? network->rawHeader("Retry-After").toInt() : -1;
    QString code = json.value(QLatin1String("error")).toObject().value(QLatin1String("code")).toString();
    if (code.isEmpty())
        code = QStringLiteral("HTTP_%1").arg(status);
    p.reply->fail(status, code, errorMessageFor(p.reply->subject(), status, json, retryAfter), json);
    if (status == 401 && p.authenticated && hasSession())
        endSession(); // refreshed and still refused: the session is gone
}

} // namespace lm::client
