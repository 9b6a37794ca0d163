// SPDX-License-Identifier: GPL-3.0-or-later
// ApiClient against a real server: sign-in, readable errors, transparent refresh, cancellation.
#include "apiclient.h"
#include "clientfixture.h"
#include "testserver.h"

#include <QJsonArray>
#include <QTcpServer>

using namespace lm;
using client::ApiClient;
using client::ApiReply;

class TstApiClient : public QObject
{
    Q_OBJECT
private:
    std::unique_ptr<test::TestServer> m_server;

    std::unique_ptr<ApiClient> client()
    {
        auto api = std::make_unique<ApiClient>();
        api->setBaseUrl(QUrl(m_server->host().baseUrl()));
        return api;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_server = std::make_unique<test::TestServer>(
            test::TestServer::Settings {true, true, std::chrono::milliseconds(30000), 0});
        QVERIFY2(m_server->error().isEmpty(), qPrintable(m_server->error()));
    }

    void loginStartsSession()
    {
        auto api = client();
        QCOMPARE(api->connection(), ApiClient::Connection::SignedOut);
        QSignalSpy signedIn(api.get(), &ApiClient::signedIn);
        QVERIFY(test::signIn(*api, QStringLiteral("admin@acme.demo")));
        QCOMPARE(signedIn.count(), 1);
        QCOMPARE(api->connection(), ApiClient::Connection::Online);
        QCOMPARE(api->user().value(QLatin1String("email")).toString(), QStringLiteral("admin@acme.demo"));
        QCOMPARE(api->reviewSurface(), QStringLiteral("/dashboard/v1"));
        QVERIFY(!api->refreshToken().isEmpty());
        // The first page of the tenant's pending approvals, through the typed call.
        const auto page
            = test::waitReply(api->approvals({{QStringLiteral("status"), QStringLiteral("pending")}}, {}, 3));
        QVERIFY(page.ok);
        QCOMPARE(page.json.value(QLatin1String("data")).toArray().size(), 3);
        QVERIFY(
            page.json.value(QLatin1String("pagination")).toObject().value(QLatin1String("hasMore")).toBool());
    }

    void dmReviewerReviewsOnTheDmSurface()
    {
        auto api = client();
        QVERIFY(test::signIn(*api, QStringLiteral("dm@leadmetrics.demo")));
        QCOMPARE(api->reviewSurface(), QStringLiteral("/dm/v1"));
        QCOMPARE(api->eventsPath(), QStringLiteral("/dm/v1/events"));
    }

    void wrongPasswordIsReadable()
    {
        auto api = client();
        const auto reply = test::waitReply(
            api->login(QStringLiteral("admin@acme.demo"), QStringLiteral("not the password")));
        QVERIFY(!reply.ok);
        QCOMPARE(reply.status, 401);
        QCOMPARE(reply.message, QStringLiteral("The e-mail, password or code is not correct."));
        QCOMPARE(api->connection(), ApiClient::Connection::SignedOut);
    }

    void errorEnvelopesBecomeSentences_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("message");
        QTest::newRow("reject-without-note-01") << "reject-no-note" << 400 << "Note is required.";
        QTest::newRow("approval-unknown-02")
            << "unknown-approval" << 404 << "This approval no longer exists, or you can no longer see it.";
        QTest::newRow("activity-unknown-03")
            << "unknown-activity" << 404 << "This activity no longer exists, or you can no longer see it.";
        QTest::newRow("member-resolves-04")
            << "member-resolves" << 403 << "Your account is not allowed to do this.";
    }

    void errorEnvelopesBecomeSentences()
    {
        QFETCH(QString, kind);
        QFETCH(int, status);
        QFETCH(QString, message);
        auto api = client();
        QVERIFY(test::signIn(*api,
            kind == QLatin1String("member-resolves") ? QStringLiteral("member@acme.demo")
                                                     : QStringLiteral("admin@acme.demo")));
        const auto page
            = test::waitReply(api->approvals({{QStringLiteral("status"), QStringLiteral("pending")}}, {}, 1));
        QVERIFY(page.ok);
        const QString pendingId = page.json.value(QLatin1String("data"))
                                      .toArray()
                                      .first()
                                      .toObject()
                                      .value(QLatin1String("id"))
                                      .toString();
        ApiReply *reply = nullptr;
        if (kind == QLatin1String("reject-no-note"))
            reply = api->resolveApproval(pendingId, QStringLiteral("rejected"), {}, {}, QStringLiteral("k1"));
        else if (kind == QLatin1String("unknown-approval"))
            reply = api->approval(QStringLiteral("01ARZ3NDEKTSV4RRFFQ69G5FAV"));
        else if (kind == QLatin1String("unknown-activity"))
            reply = api->activity(QStringLiteral("01ARZ3NDEKTSV4RRFFQ69G5FAV"));
        else
            reply = api->resolveApproval(pendingId, QStringLiteral("approved"), {}, {}, QStringLiteral("k2"));
        const auto outcome = test::waitReply(reply);
        QVERIFY(!outcome.ok);
        QCOMPARE(outcome.status, status);
        QCOMPARE(outcome.message, message);
        // Nothing changed: the approval is still pending.
        const auto again = test::waitReply(api->approval(pendingId));
        QVERIFY(again.ok);
        QCOMPARE(again.json.value(QLatin1String("status")).toString(), QStringLiteral("pending"));
    }

    void unreachableServerIsNamed()
    {
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost));
        const quint16 port = closed.serverPort();
        closed.close();
        ApiClient api;
        const QString url = QStringLiteral("http://127.0.0.1:%1").arg(port);
        api.setBaseUrl(QUrl(url));
        const auto reply = test::waitReply(api.login(QStringLiteral("a@b.c"), QStringLiteral("x")));
        QVERIFY(!reply.ok);
        QVERIFY(reply.network);
        QVERIFY2(reply.message.startsWith(QStringLiteral("Cannot reach the server at %1").arg(url)),
            qPrintable(reply.message));
    }

    void expiredAccessTokenRefreshesOnceForConcurrentRequests()
    {
        auto api = client();
        QVERIFY(test::signIn(*api, QStringLiteral("admin@acme.demo")));
        const QByteArray firstAccess = api->accessToken();
        const QByteArray firstRefresh = api->refreshToken();
        m_server->clock().advanceMs(16 * 60 * 1000); // past the 15-minute access token
        QSignalSpy refreshed(api.get(), &ApiClient::refreshed);
        QList<ApiReply *> replies;
        for (int i = 0; i < 4; ++i)
            replies.append(api->me());
        int ok = 0;
        int ended = 0;
        for (ApiReply *r : std::as_const(replies)) {
            connect(r, &ApiReply::finished, this, [&] { ++ok, ++ended; });
            connect(r, &ApiReply::failed, this, [&] { ++ended; });
        }
        QVERIFY(QTest::qWaitFor([&] { return ended == 4; }, 15000));
        QCOMPARE(ok, 4);
        QCOMPARE(refreshed.count(), 1);
        QVERIFY(api->accessToken() != firstAccess);
        QVERIFY(api->refreshToken() != firstRefresh);
        QCOMPARE(api->connection(), ApiClient::Connection::Online);
    }

    void refusedRefreshSignsOut()
    {
        auto api = client();
        QVERIFY(test::signIn(*api, QStringLiteral("admin@acme.demo")));
        // Another client spends the refresh token; ours is now a reused one and its family is revoked.
        auto other = client();
        other->setTokens(api->accessToken(), api->refreshToken());
        other->refreshSession();
        QSignalSpy otherRefreshed(other.get(), &ApiClient::refreshed);
        QVERIFY(otherRefreshed.wait(10000));
        m_server->clock().advanceMs(16 * 60 * 1000);
        QSignalSpy signedOut(api.get(), &ApiClient::signedOut);
        const auto reply = test::waitReply(api->me());
        QVERIFY(!reply.ok);
        QCOMPARE(reply.status, 401);
        QCOMPARE(reply.message, QStringLiteral("Your session has ended. Please sign in again."));
        QCOMPARE(signedOut.count(), 1);
        QCOMPARE(api->connection(), ApiClient::Connection::SignedOut);
        QVERIFY(api->refreshToken().isEmpty());
    }

    void cancelledRequestReportsOnlyCancelled()
    {
        auto api = client();
        QVERIFY(test::signIn(*api, QStringLiteral("admin@acme.demo")));
        ApiReply *reply = api->approvals({}, {}, 100);
        QSignalSpy finished(reply, &ApiReply::finished);
        QSignalSpy failed(reply, &ApiReply::failed);
        QSignalSpy cancelled(reply, &ApiReply::cancelled);
        reply->abort();
        QCOMPARE(cancelled.count(), 1);
        // A request sent after it has ended: by then the aborted one would have answered.
        QVERIFY(test::waitReply(api->approvals({}, {}, 100)).ok);
        QCOMPARE(finished.count(), 0);
        QCOMPARE(failed.count(), 0);
    }

    void logoutEndsSession()
    {
        auto api = client();
        QVERIFY(test::signIn(*api, QStringLiteral("admin@acme.demo")));
        const QByteArray refresh = api->refreshToken();
        QSignalSpy signedOut(api.get(), &ApiClient::signedOut);
        ApiReply *logout = api->logout();
        QCOMPARE(signedOut.count(), 1);
        QCOMPARE(api->connection(), ApiClient::Connection::SignedOut);
        QCOMPARE(test::waitReply(logout).status, 204);
        // The server revoked it too: the old refresh token no longer works.
        const test::HttpReply r = m_server->http().postJson(
            "/auth/v1/refresh", {{QStringLiteral("refreshToken"), QString::fromLatin1(refresh)}});
        QCOMPARE(r.status, 401);
    }
};

QTEST_GUILESS_MAIN(TstApiClient)
#include "tst_apiclient.moc"
