// SPDX-License-Identifier: GPL-3.0-or-later
// DecisionQueue: decisions taken offline wait on disk and reach the server once, with their key.
#include "apiclient.h"
#include "clientfixture.h"
#include "decisionqueue.h"
#include "loopbackproxy.h"
#include "sseclient.h"
#include "testserver.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>

using namespace lm;
using client::ApiClient;
using client::DecisionQueue;
using client::SseClient;

class TstDecisionQueue : public QObject
{
    Q_OBJECT
private:
    std::unique_ptr<test::TestServer> m_server;
    QByteArray m_admin;
    QStringList m_pending; ///< pending approvals without options, each used by one test step

    QJsonObject approvalOnServer(const QString &id)
    {
        return m_server->http().get("/dashboard/v1/approvals/" + id.toLatin1(), m_admin).json();
    }
    static int resolveRequests(const QByteArray &sent, const QString &id)
    {
        return int(sent.count("POST /dashboard/v1/approvals/" + id.toLatin1() + "/resolve"));
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_server = std::make_unique<test::TestServer>(
            test::TestServer::Settings {true, true, std::chrono::milliseconds(30000), 0});
        QVERIFY2(m_server->error().isEmpty(), qPrintable(m_server->error()));
        m_admin = m_server->login(QStringLiteral("admin@acme.demo"));
        const QJsonArray data = m_server->http()
                                    .get("/dashboard/v1/approvals?limit=100", m_admin)
                                    .json()
                                    .value(QLatin1String("data"))
                                    .toArray();
        for (const QJsonValue &v : data) {
            if (!v.toObject().contains(QLatin1String("options")))
                m_pending.append(v.toObject().value(QLatin1String("id")).toString());
        }
        QVERIFY(m_pending.size() >= 3);
    }

    void offlineDecisionsReplayInOrderOnce()
    {
        QTemporaryDir dir;
        test::LoopbackProxy proxy(m_server->port());
        QVERIFY(proxy.up());
        ApiClient api;
        api.setBaseUrl(QUrl(proxy.url()));
        QVERIFY(test::signIn(api, QStringLiteral("admin@acme.demo")));
        // As the session does: the event stream notices the server coming back.
        SseClient events(&api);
        events.setBackoff(20, 200);
        events.open(api.eventsPath());
        QVERIFY(QTest::qWaitFor([&] { return events.state() == SseClient::State::Open; }, 10000));
        DecisionQueue queue(&api, dir.filePath(QStringLiteral("decisions.json")));
        QList<QStringList> outcomes;
        connect(&queue, &DecisionQueue::decided, this,
            [&](const QString &id, const QString &key, DecisionQueue::Outcome o, const QString &,
                const QString &m) {
                outcomes.append({id, key, QString::number(int(o)), m});
            });

        proxy.down();
        QVERIFY(QTest::qWaitFor([&] { return api.connection() == ApiClient::Connection::Offline; }, 10000));
        const QString mine = m_pending.at(0);
        const QString theirs = m_pending.at(1);
        const QString keyMine = queue.enqueue(mine, QStringLiteral("approved"), {}, {});
        const QString keyTheirs
            = queue.enqueue(theirs, QStringLiteral("rejected"), QStringLiteral("Off brand"), {});
        QCOMPARE(queue.count(), 2);
        QVERIFY(outcomes.isEmpty());
        // Persisted with their keys before anything was sent.
        QFile file(queue.filePath());
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonArray saved
            = QJsonDocument::fromJson(file.readAll()).object().value(QLatin1String("decisions")).toArray();
        QCOMPARE(saved.size(), 2);
        QCOMPARE(saved.at(0).toObject().value(QLatin1String("idempotencyKey")).toString(), keyMine);
        QCOMPARE(saved.at(1).toObject().value(QLatin1String("approvalId")).toString(), theirs);
        file.close();

        // Meanwhile a colleague decides the second one.
        const QByteArray colleague = m_server->login(QStringLiteral("reviewer@acme.demo"));
        QCOMPARE(m_server->http()
                     .postJson("/dashboard/v1/approvals/" + theirs.toLatin1() + "/resolve",
                         {{QStringLiteral("resolution"), QStringLiteral("approved")}}, colleague)
                     .status,
            200);

        QVERIFY(proxy.up());
        QVERIFY(QTest::qWaitFor([&] { return outcomes.size() == 2; }, 15000));
        QCOMPARE(outcomes.at(0).at(0), mine);
        QCOMPARE(outcomes.at(0).at(2), QString::number(int(DecisionQueue::Outcome::Applied)));
        QCOMPARE(outcomes.at(1).at(0), theirs);
        QCOMPARE(outcomes.at(1).at(2), QString::number(int(DecisionQueue::Outcome::ResolvedElsewhere)));
        QCOMPARE(outcomes.at(1).at(3), QStringLiteral("This approval was already resolved by someone else."));
        QCOMPARE(queue.count(), 0);

        QCOMPARE(
            approvalOnServer(mine).value(QLatin1String("resolution")).toString(), QStringLiteral("approved"));
        // The colleague's decision stands; ours was not applied over it.
        QCOMPARE(approvalOnServer(theirs).value(QLatin1String("resolution")).toString(),
            QStringLiteral("approved"));
        QCOMPARE(resolveRequests(proxy.sent(), mine), 1);
        QVERIFY(proxy.sent().contains("Idempotency-Key: " + keyMine.toLatin1()));
        QVERIFY(proxy.sent().contains("Idempotency-Key: " + keyTheirs.toLatin1()));

        // Nothing left on disk to send again.
        DecisionQueue reopened(&api, queue.filePath());
        QCOMPARE(reopened.count(), 0);
    }

    void afterACrashTheSameKeyIsSent()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("decisions.json"));
        test::LoopbackProxy proxy(m_server->port());
        QVERIFY(proxy.up());
        ApiClient api;
        api.setBaseUrl(QUrl(proxy.url()));
        QVERIFY(test::signIn(api, QStringLiteral("admin@acme.demo")));
        proxy.down();
        QVERIFY(!test::waitReply(api.me()).ok);
        QCOMPARE(api.connection(), ApiClient::Connection::Offline);

        const QString id = m_pending.at(2);
        QString key;
        {
            DecisionQueue before(&api, path);
            key = before.enqueue(
                id, QStringLiteral("revision_requested"), QStringLiteral("Shorter, please"), {});
        } // the app dies here

        DecisionQueue after(&api, path);
        QCOMPARE(after.count(), 1);
        QCOMPARE(after.pending().first().key, key);
        QCOMPARE(after.pending().first().note, QStringLiteral("Shorter, please"));
        QSignalSpy decided(&after, &DecisionQueue::decided);
        QVERIFY(proxy.up());
        QVERIFY(test::waitReply(api.me()).ok); // back online: the queue sends
        QVERIFY(decided.wait(10000) || decided.count() == 1);
        QCOMPARE(decided.at(0).at(2).value<DecisionQueue::Outcome>(), DecisionQueue::Outcome::Applied);
        QCOMPARE(resolveRequests(proxy.sent(), id), 1);
        QVERIFY(proxy.sent().contains("Idempotency-Key: " + key.toLatin1()));
        QCOMPARE(approvalOnServer(id).value(QLatin1String("resolution")).toString(),
            QStringLiteral("revision_requested"));
    }

    void refusedDecisionFailsWithTheReason()
    {
        QTemporaryDir dir;
        ApiClient api;
        api.setBaseUrl(QUrl(m_server->host().baseUrl()));
        QVERIFY(test::signIn(api, QStringLiteral("admin@acme.demo")));
        DecisionQueue queue(&api, dir.filePath(QStringLiteral("decisions.json")));
        QSignalSpy decided(&queue, &DecisionQueue::decided);
        const QString id = m_pending.at(3 % m_pending.size());
        queue.enqueue(id, QStringLiteral("rejected"), {}, {}); // a rejection needs a note
        QVERIFY(decided.wait(10000));
        QCOMPARE(decided.at(0).at(2).value<DecisionQueue::Outcome>(), DecisionQueue::Outcome::Failed);
        QCOMPARE(decided.at(0).at(4).toString(), QStringLiteral("Note is required."));
        QCOMPARE(queue.count(), 0);
    }
};

QTEST_GUILESS_MAIN(TstDecisionQueue)
#include "tst_decisionqueue.moc"
