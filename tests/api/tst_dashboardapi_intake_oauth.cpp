// SPDX-License-Identifier: GPL-3.0-or-later
#include "tst_dashboardapi_intake_oauth.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSemaphore>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUrl>
#include <QUrlQuery>

namespace lm::test {

namespace {
QByteArray response(int status, const QByteArray &reason, const QList<QPair<QByteArray, QByteArray>> &headers,
    const QByteArray &body)
{
    QByteArray out = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reason + "\r\n";
    for (const auto &[k, v] : headers)
        out += k + ": " + v + "\r\n";
    out += "Content-Length: " + QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
    return out;
}

QByteArray json(int status, const QJsonObject &o)
{
    return response(status, status == 200 ? "OK" : "Bad Request", {{"Content-Type", "application/json"}},
        QJsonDocument(o).toJson(QJsonDocument::Compact));
}

/// Form fields, decoded ('+' is a space).
QMap<QString, QString> form(const QByteArray &body)
{
    QMap<QString, QString> out;
    for (const QByteArray &pair : body.split('&')) {
        const qsizetype eq = pair.indexOf('=');
        QByteArray k = pair.left(eq), v = eq < 0 ? QByteArray() : pair.mid(eq + 1);
        k.replace('+', ' ');
        v.replace('+', ' ');
        out.insert(QUrl::fromPercentEncoding(k), QUrl::fromPercentEncoding(v));
    }
    return out;
}

class Server : public QTcpServer
{
public:
    explicit Server(FakeOAuthProvider *provider)
        : m_provider(provider)
    {
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *s = nextPendingConnection()) {
                auto *buffer = new QByteArray;
                connect(s, &QTcpSocket::disconnected, s, [s, buffer] {
                    delete buffer;
                    s->deleteLater();
                });
                connect(s, &QTcpSocket::readyRead, s, [this, s, buffer] {
                    *buffer += s->readAll();
                    const qsizetype end = buffer->indexOf("\r\n\r\n");
                    if (end < 0)
                        return;
                    const QList<QByteArray> lines = buffer->left(end).split('\n');
                    qsizetype length = 0;
                    for (const QByteArray &line : lines) {
                        if (line.toLower().startsWith("content-length:"))
                            length = line.mid(15).trimmed().toLongLong();
                    }
                    if (buffer->size() < end + 4 + length)
                        return;
                    const QList<QByteArray> request = lines.first().trimmed().split(' ');
                    const QByteArray body = buffer->mid(end + 4, length);
                    buffer->clear();
                    s->write(m_provider->handle(request.value(0), request.value(1), body));
                    s->disconnectFromHost();
                });
            }
        });
    }

private:
    FakeOAuthProvider *m_provider;
};
} // namespace

FakeOAuthProvider::FakeOAuthProvider()
{
    QSemaphore ready;
    m_thread.start();
    auto *server = new Server(this);
    server->moveToThread(&m_thread);
    QMetaObject::invokeMethod(
        server,
        [this, server, &ready] {
            server->listen(QHostAddress::LocalHost, 0);
            m_port = server->serverPort();
            ready.release();
        },
        Qt::QueuedConnection);
    ready.acquire();
    m_server = server;
}

FakeOAuthProvider::~FakeOAuthProvider()
{
    QMetaObject::invokeMethod(
        m_server, [s = m_server] { delete s; }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

FakeOAuthProvider::Seen FakeOAuthProvider::seen() const
{
    QMutexLocker lock(&m_mutex);
    return m_seen;
}

QByteArray FakeOAuthProvider::handle(
    const QByteArray &method, const QByteArray &target, const QByteArray &body)
{
    QMutexLocker lock(&m_mutex);
    const QUrl url(QString::fromLatin1(target));
    if (method == "GET" && url.path() == QLatin1String("/authorize")) {
        const QUrlQuery q(url);
        if (q.queryItemValue(QStringLiteral("response_type")) != QLatin1String("code")
            || q.queryItemValue(QStringLiteral("client_id")) != QLatin1String(kClientId))
            return json(400, {{QStringLiteral("error"), QStringLiteral("invalid_request")}});
        const QString redirectUri = q.queryItemValue(QStringLiteral("redirect_uri"), QUrl::FullyDecoded);
        const QString code = QStringLiteral("code-%1").arg(++m_counter);
        m_codes.insert(code, {redirectUri, false});
        QUrl back(redirectUri);
        QUrlQuery bq(back);
        bq.addQueryItem(QStringLiteral("code"), code);
        bq.addQueryItem(QStringLiteral("state"),
            QString::fromUtf8(
                QUrl::toPercentEncoding(q.queryItemValue(QStringLiteral("state"), QUrl::FullyDecoded))));
        back.setQuery(bq);
        return response(302, "Found", {{"Location", back.toEncoded()}}, {});
    }
    const QMap<QString, QString> f = form(body);
    const bool client = f.value(QStringLiteral("client_id")) == QLatin1String(kClientId)
        && f.value(QStringLiteral("client_secret")) == QLatin1String(kClientSecret);
    if (method == "POST" && url.path() == QLatin1String("/token")) {
        m_seen.tokenRequests.append(QString::fromUtf8(body));
        const QString code = f.value(QStringLiteral("code"));
        if (!client)
            return json(401, {{QStringLiteral("error"), QStringLiteral("invalid_client")}});
        if (f.value(QStringLiteral("grant_type")) != QLatin1String("authorization_code")
            || !m_codes.contains(code) || m_codes[code].used
            || m_codes[code].redirectUri != f.value(QStringLiteral("redirect_uri")))
            return json(400, {{QStringLiteral("error"), QStringLiteral("invalid_grant")}});
        m_codes[code].used = true;
        const QString access = QStringLiteral("access-%1-plaintext-token").arg(m_counter);
        m_seen.issuedAccessTokens.append(access);
        return json(200,
            {{QStringLiteral("access_token"), access},
                {QStringLiteral("token_type"), QStringLiteral("Bearer")},
                {QStringLiteral("expires_in"), 3600},
                {QStringLiteral("refresh_token"), QStringLiteral("refresh-%1").arg(m_counter)},
                {QStringLiteral("scope"), QStringLiteral("r_organization w_member_social")}});
    }
    if (method == "POST" && url.path() == QLatin1String("/revoke")) {
        if (!client)
            return json(401, {{QStringLiteral("error"), QStringLiteral("invalid_client")}});
        m_seen.revoked.append(f.value(QStringLiteral("token")));
        return response(200, "OK", {}, {});
    }
    return response(404, "Not Found", {}, {});
}

} // namespace lm::test
