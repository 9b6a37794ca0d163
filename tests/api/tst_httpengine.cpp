// SPDX-License-Identifier: GPL-3.0-or-later
// The engine and the pipeline with routes made for the test: surfaces and roles, limits, timeouts,
// malformed input, keep-alive, graceful stop. Real sockets on loopback, real tokens.
#include "api/accesslog.h"
#include "api/httpserver.h"
#include "api/json.h"
#include "api/pipeline.h"
#include "auth/authservice.h"
#include "auth/sodium.h"
#include "jobs/jobqueue.h"
#include "server/demoseed.h"
#include "store/store.h"
#include "testdatabase.h"
#include "testhttp.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QTcpSocket>
#include <QTest>

#include <atomic>
#include <thread>

using namespace lm;
using namespace lm::api;
using namespace lm::test;

class TestHttpEngine : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<store::Store> m_store;
    ManualClock m_clock;
    std::unique_ptr<auth::AuthService> m_auth;
    std::unique_ptr<Router> m_router;
    std::unique_ptr<AccessLog> m_log;
    std::unique_ptr<Pipeline> m_pipeline;
    std::unique_ptr<HttpServer> m_server;
    std::atomic<int> m_slowStarted {0};

    TestHttp http() const { return TestHttp(QStringLiteral("127.0.0.1"), m_server->port()); }

    QByteArray tokenFor(const QString &email)
    {
        auto user = m_store->users.findActiveForLogin(email);
        return user.ok() && user->has_value() ? m_auth->issueAccessToken(**user).toLatin1() : QByteArray();
    }

    static RouteHandler echo()
    {
        return [](RequestContext &ctx) -> Result<HttpResponse> {
            return jsonResponse(200,
                {{QStringLiteral("bytes"), qint64(ctx.request.body.size())},
                    {QStringLiteral("user"), ctx.principal ? ctx.principal->userId : QString()}});
        };
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(auth::ensureSodium());
        m_db = std::make_unique<TestDatabase>();
        m_store = std::make_unique<store::Store>(m_db->config());
        QVERIFY(m_store->migrate().ok());
        jobs::JobQueue queue(m_store->db(), m_clock);
        QVERIFY(*server::DemoSeed::seedIfEmpty(*m_store, queue, m_clock));
        m_auth = std::make_unique<auth::AuthService>(*m_store, m_clock,
            auth::AuthService::Keys {QByteArray(32, 's'), QByteArray(32, 'e')},
            auth::AuthService::Settings {});
        m_router = std::make_unique<Router>();
        const RoleSet platform {Role::DmReviewer, Role::SuperAdmin};
        QVERIFY(m_router->add({HttpMethod::Get, "/t/open", AccessPolicy::open(), echo()}).ok());
        QVERIFY(
            m_router->add({HttpMethod::Get, "/t/dm", AccessPolicy::surface(Surface::Dm, platform), echo()})
                .ok());
        QVERIFY(m_router
                    ->add({HttpMethod::Get, "/t/dashboard-admin",
                        AccessPolicy::surface(Surface::Dashboard, {Role::Admin}), echo()})
                    .ok());
        QVERIFY(m_router->add({HttpMethod::Post, "/t/small", AccessPolicy::open(), echo(), 64}).ok());
        QVERIFY(m_router->add({HttpMethod::Post, "/t/upload", AccessPolicy::open(), echo(), 3 * 1024 * 1024})
                    .ok());
        QVERIFY(m_router->add({HttpMethod::Post, "/t/default", AccessPolicy::open(), echo()}).ok());
        QVERIFY(
            m_router->add({HttpMethod::Get, "/t/stream", AccessPolicy::anyAccount(), echo(), 0, false, true})
                .ok());
        QVERIFY(m_router
                    ->add({HttpMethod::Get, "/t/throws", AccessPolicy::open(),
                        [](RequestContext &) -> Result<HttpResponse> { throw std::runtime_error("boom"); }})
                    .ok());
        QVERIFY(m_router
                    ->add({HttpMethod::Get, "/t/slow", AccessPolicy::open(),
                        [this](RequestContext &) -> Result<HttpResponse> {
                            ++m_slowStarted;
                            std::this_thread::sleep_for(std::chrono::milliseconds(600));
                            return jsonResponse(200, {{QStringLiteral("slow"), true}});
                        },
                        0, true})
                    .ok());
        m_log = std::make_unique<AccessLog>(m_dir.filePath(QStringLiteral("access.log")));
        m_pipeline = std::make_unique<Pipeline>(
            *m_router, *m_auth, *m_log, m_clock, Pipeline::Settings {1024 * 1024, 2});
        HttpServer::Options options;
        options.port = 0;
        options.threads = 2;
        options.requestTimeout = std::chrono::milliseconds(700);
        options.idleTimeout = std::chrono::milliseconds(5000);
        m_server = std::make_unique<HttpServer>(options, *m_pipeline);
        const auto port = m_server->start();
        QVERIFY2(port.ok(), qPrintable(port.error().message));
        QVERIFY(*port > 0);
    }

    void cleanupTestCase()
    {
        m_server.reset();
        m_pipeline.reset();
    }

    void accessChecks_data()
    {
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<QString>("account"); // "" none
        QTest::addColumn<int>("status");
        QTest::newRow("access-open-no-token-01") << QByteArray("/t/open") << "" << 200;
        QTest::newRow("access-dm-no-token-02") << QByteArray("/t/dm") << "" << 401;
        QTest::newRow("access-dm-dm-reviewer-03") << QByteArray("/t/dm") << "dm@leadmetrics.demo" << 200;
        QTest::newRow("access-dm-super-admin-04") << QByteArray("/t/dm") << "root@leadmetrics.demo" << 200;
        QTest::newRow("access-dm-tenant-admin-05") << QByteArray("/t/dm") << "admin@acme.demo" << 403;
        QTest::newRow("access-dashboard-admin-06")
            << QByteArray("/t/dashboard-admin") << "admin@acme.demo" << 200;
        QTest::newRow("access-dashboard-member-07")
            << QByteArray("/t/dashboard-admin") << "member@acme.demo" << 403;
        QTest::newRow("access-dashboard-reviewer-08")
            << QByteArray("/t/dashboard-admin") << "reviewer@acme.demo" << 403;
        QTest::newRow("access-dashboard-dm-surface-09")
            << QByteArray("/t/dashboard-admin") << "dm@leadmetrics.demo" << 403;
        QTest::newRow("access-stream-query-token-10")
            << QByteArray("/t/stream?access_token=") << "member@acme.demo" << 200;
        QTest::newRow("access-dm-query-token-refused-11")
            << QByteArray("/t/dm?access_token=") << "dm@leadmetrics.demo" << 401;
    }
    void accessChecks()
    {
        QFETCH(QByteArray, path);
        QFETCH(QString, account);
        QFETCH(int, status);
        const QByteArray token = account.isEmpty() ? QByteArray() : tokenFor(account);
        HttpReply reply;
        if (path.endsWith("access_token="))
            reply = http().get(path + token);
        else
            reply = http().get(path, token);
        QCOMPARE(reply.status, status);
        if (status >= 400)
            QCOMPARE(reply.errorCode(),
                status == 401 ? QStringLiteral("UNAUTHORIZED") : QStringLiteral("FORBIDDEN"));
    }

    void badInput_data()
    {
        QTest::addColumn<QByteArray>("raw");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        const QByteArray big(20 * 1024, 'x');
        QTest::newRow("engine-404-01")
            << QByteArray("GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n") << 404 << "NOT_FOUND";
        QTest::newRow("engine-405-02")
            << QByteArray("DELETE /t/open HTTP/1.1\r\nHost: x\r\n\r\n") << 405 << "METHOD_NOT_ALLOWED";
        QTest::newRow("engine-413-declared-03")
            << QByteArray("POST /t/small HTTP/1.1\r\nHost: x\r\nContent-Length: 65\r\n\r\n")
                + QByteArray(65, 'a')
            << 413 << "PAYLOAD_TOO_LARGE";
        QTest::newRow("engine-413-chunked-04")
            << QByteArray("POST /t/small HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n50\r\n")
                + QByteArray(80, 'a') + "\r\n0\r\n\r\n"
            << 413 << "PAYLOAD_TOO_LARGE";
        QTest::newRow("engine-413-default-limit-05")
            << QByteArray("POST /t/default HTTP/1.1\r\nHost: x\r\nContent-Length: 1048577\r\n\r\n") << 413
            << "PAYLOAD_TOO_LARGE";
        QTest::newRow("engine-431-06") << QByteArray("GET /t/open HTTP/1.1\r\nHost: x\r\nX-Big: ") + big
                + "\r\n\r\n" << 431 << "HEADERS_TOO_LARGE";
        QTest::newRow("engine-400-garbage-07")
            << QByteArray("THIS IS NOT HTTP\r\n\r\n") << 400 << "VALIDATION_ERROR";
        QTest::newRow("engine-400-bad-length-08")
            << QByteArray("POST /t/small HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n") << 400
            << "VALIDATION_ERROR";
        QTest::newRow("engine-400-two-lengths-09") << QByteArray(
            "POST /t/small HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab")
                                                   << 400 << "VALIDATION_ERROR";
        QTest::newRow("engine-500-handler-throws-10")
            << QByteArray("GET /t/throws HTTP/1.1\r\nHost: x\r\n\r\n") << 500 << "INTERNAL";
    }
    void badInput()
    {
        QFETCH(QByteArray, raw);
        QFETCH(int, status);
        QFETCH(QString, code);
        const HttpReply reply = http().raw(raw);
        QCOMPARE(reply.status, status);
        QCOMPARE(reply.errorCode(), code);
        QVERIFY(reply.json()
                    .value(QStringLiteral("error"))
                    .toObject()
                    .value(QStringLiteral("requestId"))
                    .toString()
                    .size()
            > 4);
        if (status == 405)
            QCOMPARE(reply.headers.value("allow"), QByteArray("GET, HEAD"));
        // The server still answers afterwards.
        QCOMPARE(http().get("/t/open").status, 200);
    }

    void routeBodyLimitsAreOverridable()
    {
        const QByteArray twoMiB(2 * 1024 * 1024, 'u');
        const HttpReply upload
            = http().request("POST", "/t/upload", twoMiB, {{"Content-Type", "application/octet-stream"}});
        QCOMPARE(upload.status, 200);
        QCOMPARE(upload.json().value(QStringLiteral("bytes")).toInteger(), twoMiB.size());
        QCOMPARE(http()
                     .request("POST", "/t/default", twoMiB, {{"Content-Type", "application/octet-stream"}})
                     .status,
            413);
    }

    void stalledRequestGets408()
    {
        QElapsedTimer timer;
        timer.start();
        const HttpReply reply = http().rawThenWait("GET /t/open HTTP/1.1\r\nHost: x\r\n", 5000);
        QCOMPARE(reply.status, 408);
        QCOMPARE(reply.errorCode(), QStringLiteral("REQUEST_TIMEOUT"));
        QVERIFY(reply.closed);
        QVERIFY2(timer.elapsed() < 4000, "the 408 must come at the request timeout, not later");
    }

    void stalledBodyGets408()
    {
        const HttpReply reply
            = http().rawThenWait("POST /t/small HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc", 5000);
        QCOMPARE(reply.status, 408);
    }

    void idleConnectionIsClosedQuietly()
    {
        QTcpSocket socket;
        socket.connectToHost(QStringLiteral("127.0.0.1"), m_server->port());
        QVERIFY(socket.waitForConnected(2000));
        // Idle keep-alive connections are not owed a 408; past the request timeout they stay open
        // until the idle timeout.
        QVERIFY(!socket.waitForReadyRead(1200));
        QCOMPARE(socket.state(), QAbstractSocket::ConnectedState);
        socket.write("GET /t/open HTTP/1.1\r\nHost: x\r\n\r\n");
        QVERIFY(socket.waitForReadyRead(2000));
        QCOMPARE(TestHttp::parse(socket.readAll()).status, 200);
    }

    void keepAliveServesSeveralRequests()
    {
        QTcpSocket socket;
        socket.connectToHost(QStringLiteral("127.0.0.1"), m_server->port());
        QVERIFY(socket.waitForConnected(2000));
        for (int i = 0; i < 5; ++i) {
            socket.write("GET /t/open HTTP/1.1\r\nHost: x\r\nX-Request-Id: keep-" + QByteArray::number(i)
                + "\r\n\r\n");
            QByteArray data;
            HttpReply reply;
            while (reply.status == 0 && socket.waitForReadyRead(2000)) {
                data += socket.readAll();
                reply = TestHttp::parse(data);
            }
            QCOMPARE(reply.status, 200);
            QCOMPARE(reply.headers.value("x-request-id"), "keep-" + QByteArray::number(i));
        }
    }

    void requestIdIsEchoedOrMade()
    {
        QCOMPARE(
            http().request("GET", "/t/open", {}, {{"X-Request-Id", "abc-123"}}).headers.value("x-request-id"),
            QByteArray("abc-123"));
        // Unsafe or oversized ids are replaced, not echoed.
        const QByteArray made = http()
                                    .request("GET", "/t/open", {}, {{"X-Request-Id", "bad id\"<>"}})
                                    .headers.value("x-request-id");
        QVERIFY(made.startsWith("req_"));
        QCOMPARE(made.size(), 30);
    }

    void headHasNoBody()
    {
        QTcpSocket socket;
        socket.connectToHost(QStringLiteral("127.0.0.1"), m_server->port());
        QVERIFY(socket.waitForConnected(2000));
        socket.write("HEAD /t/open HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        QByteArray data;
        while (socket.waitForReadyRead(1000))
            data += socket.readAll();
        data += socket.readAll();
        QVERIFY2(data.startsWith("HTTP/1.1 200"), data.constData());
        const qsizetype end = data.indexOf("\r\n\r\n");
        QVERIFY(end > 0);
        QVERIFY2(data.toLower().contains("content-length: ") && !data.toLower().contains("content-length: 0"),
            data.constData());
        QCOMPARE(data.size(), end + 4); // headers only
    }

    void accessLogIsJsonWithoutQuery()
    {
        http().get("/t/stream?access_token=" + tokenFor(QStringLiteral("member@acme.demo")));
        m_log->flush();
        QFile f(m_dir.filePath(QStringLiteral("access.log")));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = f.readAll().trimmed().split('\n');
        QVERIFY(lines.size() > 5);
        bool sawStream = false;
        for (const QByteArray &line : lines) {
            QJsonParseError err;
            const QJsonObject o = QJsonDocument::fromJson(line, &err).object();
            QVERIFY2(err.error == QJsonParseError::NoError, line.constData());
            QVERIFY(o.contains(QStringLiteral("requestId")) && o.contains(QStringLiteral("status")));
            QVERIFY2(!line.contains("access_token"), "tokens must never reach the log");
            if (o.value(QStringLiteral("path")).toString() == QLatin1String("/t/stream")) {
                sawStream = true;
                QVERIFY(!o.value(QStringLiteral("userId")).toString().isEmpty());
                QVERIFY(!o.value(QStringLiteral("tenantId")).toString().isEmpty());
            }
        }
        QVERIFY(sawStream);
    }

    // Last: it stops the server.
    void gracefulStopFinishesInFlightRequests()
    {
        HttpReply slowReply;
        std::thread client([&] { slowReply = http().get("/t/slow"); });
        QTRY_COMPARE_WITH_TIMEOUT(m_slowStarted.load(), 1, 5000);
        m_server->stop(std::chrono::milliseconds(5000));
        client.join();
        QCOMPARE(slowReply.status, 200);
        QVERIFY(slowReply.closed);
        // No longer accepting.
        QTcpSocket socket;
        socket.connectToHost(QStringLiteral("127.0.0.1"), m_server->port());
        QVERIFY(!socket.waitForConnected(1000) || !socket.waitForReadyRead(500));
    }
};

QTEST_GUILESS_MAIN(TestHttpEngine)
#include "tst_httpengine.moc"
