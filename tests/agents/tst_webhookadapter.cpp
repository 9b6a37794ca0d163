// SPDX-License-Identifier: GPL-3.0-or-later
#include "agents/webhookadapter.h"
#include "core/clock.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QMessageAuthenticationCode>
#include <QMutex>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QThread>

#include <thread>

using namespace lm;
using namespace lm::agents;

namespace {

struct Recorded
{
    QByteArray method;
    QByteArray path;
    QMap<QByteArray, QByteArray> headers; ///< names lower-cased
    QByteArray body;
};

/// A fake agent runtime: a QTcpServer on loopback in its own thread that records each request and
/// answers with a set status (0: never answers, to provoke a timeout).
class FakeRuntime : public QObject
{
    Q_OBJECT
public:
    FakeRuntime()
    {
        moveToThread(&m_thread);
        m_server.moveToThread(&m_thread);
        m_thread.start();
        QMetaObject::invokeMethod(this, &FakeRuntime::listen, Qt::BlockingQueuedConnection, &m_port);
    }
    ~FakeRuntime() override
    {
        QMetaObject::invokeMethod(
            this, [this] { closeAll(); }, Qt::BlockingQueuedConnection);
        m_thread.quit();
        m_thread.wait();
    }

    [[nodiscard]] quint16 port() const { return m_port; }
    [[nodiscard]] QString url() const
    {
        return QStringLiteral("http://127.0.0.1:%1/runs?key=abc").arg(m_port);
    }
    void answer(int status, const QByteArray &extraHeaders = {})
    {
        QMutexLocker lock(&m_mutex);
        m_status = status;
        m_extraHeaders = extraHeaders;
    }
    [[nodiscard]] QList<Recorded> requests() const
    {
        QMutexLocker lock(&m_mutex);
        return m_requests;
    }

private:
    quint16 listen()
    {
        connect(&m_server, &QTcpServer::newConnection, this, &FakeRuntime::accept);
        m_server.listen(QHostAddress::LocalHost, 0);
        return m_server.serverPort();
    }
    void closeAll()
    {
        m_server.close();
        for (QTcpSocket *s : findChildren<QTcpSocket *>())
            s->abort();
    }
    void accept()
    {
        while (QTcpSocket *socket = m_server.nextPendingConnection()) {
            socket->setParent(this);
            connect(socket, &QTcpSocket::readyRead, this, [this, socket] { read(socket); });
            connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        }
    }
    void read(QTcpSocket *socket)
    {
        QByteArray &buffer = m_buffers[socket];
        buffer += socket->readAll();
        const qsizetype headerEnd = buffer.indexOf("\r\n\r\n");
        if (headerEnd < 0)
            return;
        Recorded r;
        const QList<QByteArray> lines = buffer.left(headerEnd).split('\n');
        const QList<QByteArray> requestLine = lines.first().trimmed().split(' ');
        r.method = requestLine.value(0);
        r.path = requestLine.value(1);
        for (const QByteArray &line : lines.mid(1)) {
            const qsizetype colon = line.indexOf(':');
            if (colon > 0)
                r.headers.insert(line.left(colon).trimmed().toLower(), line.mid(colon + 1).trimmed());
        }
        const qsizetype length = r.headers.value("content-length", "0").toLongLong();
        if (buffer.size() < headerEnd + 4 + length)
            return;
        r.body = buffer.mid(headerEnd + 4, length);
        m_buffers.remove(socket);
        int status;
        QByteArray extra;
        {
            QMutexLocker lock(&m_mutex);
            m_requests.append(r);
            status = m_status;
            extra = m_extraHeaders;
        }
        if (status == 0)
            return; // hang: the caller's timeout must fire
        const QByteArray body = r.method == "HEAD" ? QByteArray() : QByteArrayLiteral("{\"accepted\":true}");
        socket->write("HTTP/1.1 " + QByteArray::number(status) + " X\r\nContent-Type: application/json\r\n"
            + extra + "Content-Length: " + QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n"
            + body);
        socket->disconnectFromHost();
    }

    QThread m_thread;
    QTcpServer m_server;
    quint16 m_port = 0;
    mutable QMutex m_mutex;
    int m_status = 202;
    QByteArray m_extraHeaders;
    QList<Recorded> m_requests;
    QHash<QTcpSocket *, QByteArray> m_buffers;
};

class NullSink final : public RunSink
{
public:
    void textDelta(const QString &) override { }
    QJsonObject callTool(const QString &, const QString &, const QJsonObject &) override { return {}; }
    bool reportUsage(qint64, qint64) override { return true; }
    [[nodiscard]] bool stopRequested() const override { return stop; }
    bool stop = false;
};

RunRequest makeRequest(const QString &url, const QString &secret = QStringLiteral("s3cr3t-webhook-key"))
{
    RunRequest r;
    r.runId = QStringLiteral("01HRUNWEBHOOK0000000000001");
    r.activityId = QStringLiteral("01HACTWEBHOOK0000000000001");
    r.tenantId = QStringLiteral("01HTENWEBHOOK0000000000001");
    r.agentRole = QStringLiteral("copywriter");
    r.activityType = QStringLiteral("blog_post");
    r.title = QStringLiteral("Blog post: Sourdough basics");
    r.runToken = QStringLiteral("lmrt_secret_run_token_value");
    r.agentApiBaseUrl = QStringLiteral("http://127.0.0.1:8080/");
    r.config.type = QStringLiteral("webhook");
    r.config.timeoutSec = 5;
    r.config.extra = {{QStringLiteral("url"), url}};
    if (!secret.isEmpty())
        r.config.extra.insert(QStringLiteral("secret"), secret);
    return r;
}

quint16 closedPort()
{
    QTcpServer server;
    server.listen(QHostAddress::LocalHost, 0);
    const quint16 port = server.serverPort();
    server.close();
    return port;
}

QStringList g_logged;
void captureLog(QtMsgType, const QMessageLogContext &, const QString &message)
{
    g_logged.append(message);
}

} // namespace

class TestWebhookAdapter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void handedOverWithSignedPayload()
    {
        FakeRuntime runtime;
        runtime.answer(202);
        ManualClock clock(1767225600123);
        WebhookAdapter adapter(&clock);
        NullSink sink;
        const RunRequest request = makeRequest(runtime.url());
        g_logged.clear();
        const QtMessageHandler previous = qInstallMessageHandler(captureLog);
        const auto result = adapter.run(request, sink);
        qInstallMessageHandler(previous);
        QVERIFY2(result.ok(), qPrintable(result.error().message));
        QCOMPARE(result->end, RunOutcome::End::Handed);

        const QList<Recorded> seen = runtime.requests();
        QCOMPARE(seen.size(), 1);
        const Recorded &r = seen.first();
        QCOMPARE(r.method, QByteArray("POST"));
        QCOMPARE(r.path, QByteArray("/runs?key=abc"));
        QCOMPARE(r.headers.value("content-type"), QByteArray("application/json"));
        QCOMPARE(r.headers.value("x-leadmetrics-timestamp"), QByteArray("1767225600"));
        const QByteArray expected = "sha256="
            + QMessageAuthenticationCode::hash(r.body, "s3cr3t-webhook-key", QCryptographicHash::Sha256)
                  .toHex();
        QCOMPARE(r.headers.value("x-leadmetrics-signature"), expected);
        QVERIFY(!r.headers.contains("authorization"));

        const QJsonObject body = QJsonDocument::fromJson(r.body).object();
        QCOMPARE(body.value("runId").toString(), request.runId);
        QCOMPARE(body.value("activityId").toString(), request.activityId);
        QCOMPARE(body.value("agentRole").toString(), QStringLiteral("copywriter"));
        QCOMPARE(body.value("title").toString(), request.title);
        QCOMPARE(body.value("runToken").toString(), request.runToken);
        QCOMPARE(body.value("agentApiBaseUrl").toString(), QStringLiteral("http://127.0.0.1:8080"));
        QCOMPARE(body.value("timestamp").toInteger(), 1767225600);
        const QJsonObject callbacks = body.value("callbacks").toObject();
        const QString run = QStringLiteral("http://127.0.0.1:8080/agent/v1/runs/") + request.runId;
        QCOMPARE(callbacks.value("result").toString(), run + "/result");
        QCOMPARE(callbacks.value("stream").toString(), run + "/stream");
        QCOMPARE(callbacks.value("context").toString(), run + "/context");
        QCOMPARE(callbacks.value("actions").toString(), run + "/actions");

        // Neither the run token, the secret nor the URL's query reach the log.
        QVERIFY(!g_logged.isEmpty());
        for (const QString &line : g_logged) {
            QVERIFY2(!line.contains(request.runToken), qPrintable(line));
            QVERIFY2(!line.contains(QLatin1String("s3cr3t")), qPrintable(line));
            QVERIFY2(!line.contains(QLatin1String("key=abc")), qPrintable(line));
        }
    }

    void unsignedWithoutSecretAndBearerFromApiKey()
    {
        FakeRuntime runtime;
        runtime.answer(200);
        WebhookAdapter adapter;
        NullSink sink;
        RunRequest request = makeRequest(runtime.url(), QString());
        request.config.apiKey = "runtime-api-key";
        const auto result = adapter.run(request, sink);
        QVERIFY(result.ok());
        QCOMPARE(result->end, RunOutcome::End::Handed);
        const Recorded r = runtime.requests().value(0);
        QVERIFY(!r.headers.contains("x-leadmetrics-signature"));
        QVERIFY(r.headers.contains("x-leadmetrics-timestamp"));
        QCOMPARE(r.headers.value("authorization"), QByteArray("Bearer runtime-api-key"));
    }

    void statusMapsToError_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<int>("code");
        QTest::addColumn<bool>("retriable");
        QTest::newRow("status-503-01") << 503 << int(ErrorCode::Unavailable) << true;
        QTest::newRow("status-500-02") << 500 << int(ErrorCode::Unavailable) << true;
        QTest::newRow("status-429-03") << 429 << int(ErrorCode::RateLimited) << true;
        QTest::newRow("status-408-04") << 408 << int(ErrorCode::RequestTimeout) << true;
        QTest::newRow("status-400-05") << 400 << int(ErrorCode::Unprocessable) << false;
        QTest::newRow("status-401-06") << 401 << int(ErrorCode::Unprocessable) << false;
        QTest::newRow("status-404-07") << 404 << int(ErrorCode::Unprocessable) << false;
        QTest::newRow("status-302-08") << 302 << int(ErrorCode::Unprocessable) << false;
    }
    void statusMapsToError()
    {
        QFETCH(int, status);
        QFETCH(int, code);
        QFETCH(bool, retriable);
        FakeRuntime runtime;
        runtime.answer(status,
            status == 302 ? QByteArray("Location: http://127.0.0.1:1/\r\n")
                          : QByteArray("Retry-After: 7\r\n"));
        WebhookAdapter adapter;
        NullSink sink;
        const auto result = adapter.run(makeRequest(runtime.url()), sink);
        QVERIFY(!result.ok());
        QCOMPARE(int(result.error().code), code);
        QCOMPARE(isRetriable(result.error()), retriable);
        if (status == 429)
            QVERIFY(result.error().message.contains(QLatin1String("Retry-After 7")));
        QCOMPARE(runtime.requests().size(), 1); // no redirect followed, no retry inside the adapter
    }

    void noListenerIsUnavailable()
    {
        WebhookAdapter adapter;
        NullSink sink;
        const auto result
            = adapter.run(makeRequest(QStringLiteral("http://127.0.0.1:%1/runs").arg(closedPort())), sink);
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code, ErrorCode::Unavailable);
        QVERIFY(isRetriable(result.error()));
    }

    void silentRuntimeTimesOut()
    {
        FakeRuntime runtime;
        runtime.answer(0);
        WebhookAdapter adapter;
        NullSink sink;
        RunRequest request = makeRequest(runtime.url());
        request.config.extra.insert(QStringLiteral("timeoutMs"), 300);
        QElapsedTimer timer;
        timer.start();
        const auto result = adapter.run(request, sink);
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code, ErrorCode::RequestTimeout);
        QVERIFY(isRetriable(result.error()));
        QVERIFY(timer.elapsed() >= 250);
        QVERIFY(timer.elapsed() < 3000);
    }

    void invalidUrlIsNotRetriable_data()
    {
        QTest::addColumn<QString>("url");
        QTest::newRow("url-empty-01") << QString();
        QTest::newRow("url-scheme-02") << QStringLiteral("ftp://127.0.0.1/runs");
        QTest::newRow("url-nohost-03") << QStringLiteral("http:///runs");
        QTest::newRow("url-garbage-04") << QStringLiteral("not a url");
    }
    void invalidUrlIsNotRetriable()
    {
        QFETCH(QString, url);
        WebhookAdapter adapter;
        NullSink sink;
        const auto result = adapter.run(makeRequest(url), sink);
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code, ErrorCode::Unprocessable);
        QVERIFY(!isRetriable(result.error()));
    }

    void baseUrlIsTheFallback()
    {
        FakeRuntime runtime;
        WebhookAdapter adapter;
        NullSink sink;
        RunRequest request = makeRequest(QString());
        request.config.extra.remove(QStringLiteral("url"));
        request.config.baseUrl = QStringLiteral("http://127.0.0.1:%1/dispatch").arg(runtime.port());
        QVERIFY(adapter.run(request, sink).ok());
        QCOMPARE(runtime.requests().value(0).path, QByteArray("/dispatch"));
    }

    void stopBeforeDispatch()
    {
        FakeRuntime runtime;
        WebhookAdapter adapter;
        NullSink sink;
        sink.stop = true;
        const auto result = adapter.run(makeRequest(runtime.url()), sink);
        QVERIFY(result.ok());
        QCOMPARE(result->end, RunOutcome::End::Stopped);
        QVERIFY(runtime.requests().isEmpty());
    }

    void concurrentWorkerThreads()
    {
        FakeRuntime runtime;
        runtime.answer(202);
        constexpr int kWorkers = 4;
        std::atomic<int> handed {0};
        std::vector<std::thread> workers;
        for (int i = 0; i < kWorkers; ++i) {
            workers.emplace_back([&, i] {
                WebhookAdapter adapter;
                NullSink sink;
                RunRequest request = makeRequest(runtime.url());
                request.runId += QString::number(i);
                const auto result = adapter.run(request, sink);
                if (result.ok() && result->end == RunOutcome::End::Handed)
                    ++handed;
            });
        }
        for (std::thread &t : workers)
            t.join();
        QCOMPARE(handed.load(), kWorkers);
        QCOMPARE(runtime.requests().size(), kWorkers);
    }

    void healthChecks()
    {
        FakeRuntime runtime;
        runtime.answer(405);
        WebhookAdapter adapter;
        AdapterConfig config = makeRequest(runtime.url()).config;
        QList<HealthCheck> checks = adapter.health(config);
        QCOMPARE(checks.size(), 3);
        for (const HealthCheck &c : checks)
            QVERIFY2(c.ok, qPrintable(c.name + ": " + c.detail));
        QCOMPARE(checks.at(2).name, QStringLiteral("endpoint_reachable"));
        QCOMPARE(checks.at(2).detail, QStringLiteral("HTTP 405"));
        QCOMPARE(runtime.requests().value(0).method, QByteArray("HEAD"));
        QVERIFY(!checks.at(0).detail.contains(QLatin1String("key=abc")));

        config.extra.insert(QStringLiteral("url"), QStringLiteral("http://127.0.0.1:%1/").arg(closedPort()));
        checks = adapter.health(config);
        QVERIFY(!checks.at(2).ok);

        runtime.answer(0);
        config.extra.insert(QStringLiteral("url"), runtime.url());
        config.extra.insert(QStringLiteral("healthTimeoutMs"), 200);
        checks = adapter.health(config);
        QVERIFY(!checks.at(2).ok);
        QVERIFY(checks.at(2).detail.contains(QLatin1String("200 ms")));

        config.extra.remove(QStringLiteral("url"));
        checks = adapter.health(config);
        QCOMPARE(checks.size(), 2);
        QVERIFY(!checks.at(0).ok);
    }

    void signatureMatchesHmac()
    {
        // RFC 4231 test case 2.
        QCOMPARE(WebhookAdapter::signature("Jefe", "what do ya want for nothing?"),
            QByteArray("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"));
    }
};

QTEST_GUILESS_MAIN(TestWebhookAdapter)
#include "tst_webhookadapter.moc"
