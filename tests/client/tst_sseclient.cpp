// SPDX-License-Identifier: GPL-3.0-or-later
// SseClient against a real server's event stream, with the network taken away and given back.
#include "apiclient.h"
#include "clientfixture.h"
#include "loopbackproxy.h"
#include "sseclient.h"
#include "testserver.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace lm;
using client::ApiClient;
using client::SseClient;
using client::SseEvent;
using client::SseParser;

class TstSseClient : public QObject
{
    Q_OBJECT
private:
    std::unique_ptr<test::TestServer> m_server;
    QByteArray m_token;
    QString m_activityId;

    /// Comments on an activity straight on the server (not through the relay); returns the comment id.
    QString comment(const QString &text)
    {
        const test::HttpReply r
            = m_server->http().postJson("/dashboard/v1/activities/" + m_activityId.toLatin1() + "/comments",
                {{QStringLiteral("text"), text}}, m_token);
        return r.json().value(QLatin1String("id")).toString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_server = std::make_unique<test::TestServer>(
            test::TestServer::Settings {true, true, std::chrono::milliseconds(30000), 0});
        QVERIFY2(m_server->error().isEmpty(), qPrintable(m_server->error()));
        m_token = m_server->login(QStringLiteral("admin@acme.demo"));
        QVERIFY(!m_token.isEmpty());
        const test::HttpReply list = m_server->http().get("/dashboard/v1/activities?limit=1", m_token);
        m_activityId = list.json()
                           .value(QLatin1String("data"))
                           .toArray()
                           .first()
                           .toObject()
                           .value(QLatin1String("id"))
                           .toString();
        QVERIFY(!m_activityId.isEmpty());
    }

    void parserFollowsTheStandard_data()
    {
        QTest::addColumn<QByteArray>("wire");
        QTest::addColumn<QStringList>("expected"); // "id|type|data" per event
        QTest::newRow("sse-basic-01") << QByteArray("retry: 3000\n\nid: 4\nevent: a\ndata: {\"x\":1}\n\n")
                                      << QStringList {"4|a|{\"x\":1}"};
        QTest::newRow("sse-multiline-02")
            << QByteArray("data: one\ndata: two\n\n") << QStringList {"|message|one\ntwo"};
        QTest::newRow("sse-crlf-03") << QByteArray("id: 7\r\nevent: b\r\ndata: x\r\n\r\n")
                                     << QStringList {"7|b|x"};
        QTest::newRow("sse-cr-04") << QByteArray("id: 8\revent: c\rdata: y\r\r") << QStringList {"8|c|y"};
        QTest::newRow("sse-ping-05") << QByteArray(": ping\n\n: ping\n\n") << QStringList {};
        QTest::newRow("sse-id-persists-06")
            << QByteArray("id: 9\ndata: a\n\ndata: b\n\n") << QStringList {"9|message|a", "9|message|b"};
        QTest::newRow("sse-no-data-07") << QByteArray("event: nothing\n\n") << QStringList {};
    }

    void parserFollowsTheStandard()
    {
        QFETCH(QByteArray, wire);
        QFETCH(QStringList, expected);
        // Byte by byte: chunk boundaries must not matter.
        SseParser parser;
        QStringList got;
        for (char c : std::as_const(wire)) {
            for (const SseEvent &e : parser.feed(QByteArray(1, c)))
                got.append(e.id + u'|' + e.type + u'|' + QString::fromUtf8(e.data));
        }
        QCOMPARE(got, expected);
    }

    void resumesAfterTheNetworkComesBack()
    {
        test::LoopbackProxy proxy(m_server->port());
        QVERIFY(proxy.up());
        ApiClient api;
        api.setBaseUrl(QUrl(proxy.url()));
        QVERIFY(test::signIn(api, QStringLiteral("admin@acme.demo")));
        SseClient sse(&api);
        sse.setBackoff(20, 200);
        QStringList received;
        QList<qint64> ids;
        connect(&sse, &SseClient::event, this, [&](const SseEvent &e) {
            if (e.type != QLatin1String("activity_commented"))
                return;
            received.append(
                QJsonDocument::fromJson(e.data).object().value(QLatin1String("commentId")).toString());
            ids.append(e.id.toLongLong());
        });
        sse.open(api.eventsPath());
        QVERIFY(QTest::qWaitFor([&] { return sse.state() == SseClient::State::Open; }, 10000));

        QStringList posted {comment(QStringLiteral("one")), comment(QStringLiteral("two"))};
        QVERIFY(QTest::qWaitFor([&] { return received.size() == 2; }, 10000));
        const QString lastBeforeDrop = sse.lastEventId();

        proxy.down(); // the server is unreachable: the stream breaks and reconnects fail
        QVERIFY(QTest::qWaitFor([&] { return api.connection() == ApiClient::Connection::Offline; }, 10000));
        posted << comment(QStringLiteral("three")) << comment(QStringLiteral("four"));
        QVERIFY(proxy.up());
        QVERIFY(QTest::qWaitFor([&] { return received.size() == 4; }, 10000));
        QCOMPARE(api.connection(), ApiClient::Connection::Online);
        posted << comment(QStringLiteral("five"));
        QVERIFY(QTest::qWaitFor([&] { return received.size() == 5; }, 10000));

        QCOMPARE(received, posted); // nothing missed, nothing twice, in order
        for (int i = 1; i < ids.size(); ++i)
            QVERIFY(ids[i] > ids[i - 1]);
        QVERIFY(sse.connections() >= 2);
        QVERIFY(proxy.sent().contains("Last-Event-ID: " + lastBeforeDrop.toLatin1()));
    }

    void resumesAfterTheServerCutsTheStream()
    {
        test::LoopbackProxy proxy(m_server->port());
        QVERIFY(proxy.up());
        ApiClient api;
        api.setBaseUrl(QUrl(proxy.url()));
        QVERIFY(test::signIn(api, QStringLiteral("admin@acme.demo")));
        SseClient sse(&api);
        sse.setBackoff(20, 200);
        QStringList received;
        connect(&sse, &SseClient::event, this, [&](const SseEvent &e) {
            if (e.type == QLatin1String("activity_commented"))
                received.append(
                    QJsonDocument::fromJson(e.data).object().value(QLatin1String("commentId")).toString());
        });
        sse.open(api.eventsPath());
        QVERIFY(QTest::qWaitFor([&] { return sse.state() == SseClient::State::Open; }, 10000));
        QStringList posted {comment(QStringLiteral("a"))};
        QVERIFY(QTest::qWaitFor([&] { return received.size() == 1; }, 10000));
        for (int round = 0; round < 3; ++round) {
            proxy.cutConnections();
            posted << comment(QStringLiteral("cut %1").arg(round));
        }
        QVERIFY(QTest::qWaitFor([&] { return received.size() == posted.size(); }, 10000));
        posted << comment(QStringLiteral("after"));
        QVERIFY(QTest::qWaitFor([&] { return received.size() == posted.size(); }, 10000));
        QCOMPARE(received, posted);
    }

    void backoffGrowsWithJitterUpToTheCap()
    {
        test::LoopbackProxy proxy(m_server->port());
        QVERIFY(proxy.up());
        ApiClient api;
        api.setBaseUrl(QUrl(proxy.url()));
        QVERIFY(test::signIn(api, QStringLiteral("admin@acme.demo")));
        proxy.down();
        SseClient sse(&api);
        sse.setBackoff(10, 80);
        QList<int> delays;
        connect(&sse, &SseClient::stateChanged, this, [&](SseClient::State s) {
            if (s == SseClient::State::Waiting)
                delays.append(sse.nextDelayMs());
        });
        sse.open(api.eventsPath());
        QVERIFY(QTest::qWaitFor([&] { return delays.size() >= 6; }, 10000));
        sse.close();
        const int floors[] = {10, 20, 40, 80, 80, 80};
        for (int i = 0; i < 6; ++i) {
            QVERIFY2(delays[i] >= floors[i] && delays[i] <= std::min(80, floors[i] * 3 / 2),
                qPrintable(QStringLiteral("attempt %1: %2 ms").arg(i).arg(delays[i])));
        }
        QCOMPARE(api.connection(), ApiClient::Connection::Offline);
    }
};

QTEST_GUILESS_MAIN(TstSseClient)
#include "tst_sseclient.moc"
