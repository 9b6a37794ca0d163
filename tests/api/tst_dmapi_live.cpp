// SPDX-License-Identifier: GPL-3.0-or-later
// /dm/v1: Idempotency-Key on decisions, pause and resume, activity reads, the event stream.
#include "tst_dmapi.h"

#include "events/eventhub.h"
#include "services/approvalservice.h"
#include "testsse.h"

#include <QCryptographicHash>

using namespace lm;

namespace lm::test {

namespace {
constexpr qint64 kHour = 3600LL * 1000;
const QByteArray kApprove = R"({"resolution":"approved"})";
} // namespace

void TestDmApi::idempotentResolve()
{
    QString held;
    const QString id = insertApproval(m_acmeId, QStringLiteral("high"), 5 * kHour, {}, &held);
    const QByteArray path = "/dm/v1/approvals/" + id.toLatin1() + "/resolve";
    const TestHttp::Headers key {{"Idempotency-Key", "resolve-7f3a"}};
    const HttpReply first = post(path, m_dm, kApprove, key);
    QCOMPARE(first.status, 200);
    QVERIFY(!first.headers.contains("idempotent-replayed"));
    // The retry gets the first answer again, and nothing runs twice.
    const HttpReply replay = post(path, m_dm, kApprove, key);
    QCOMPARE(replay.status, 200);
    QCOMPARE(replay.body, first.body);
    QCOMPARE(replay.headers.value("idempotent-replayed"), QByteArray("true"));
    QCOMPARE(auditOf(QStringLiteral("approval.approved")).size(), 1);
    // Without the key the same request is a new one: the approval is decided already.
    QCOMPARE(post(path, m_dm, kApprove).status, 409);
    // Keys belong to their user: root's same key runs afresh (and meets the decision).
    const HttpReply other = post(path, m_root, kApprove, key);
    QCOMPARE(other.status, 409);
    QVERIFY(!other.headers.contains("idempotent-replayed"));
    // Same key, another request → 422; the first answer stays.
    const HttpReply mismatch = post(path, m_dm, R"({"resolution":"rejected","note":"No"})", key);
    QCOMPARE(mismatch.status, 422);
    QCOMPARE(mismatch.errorCode(), QStringLiteral("UNPROCESSABLE"));
    QCOMPARE(approvalStatus(id), QStringLiteral("approved"));

    // An answered error is replayed as well: it was decided.
    const TestHttp::Headers key2 {{"Idempotency-Key", "resolve-again"}};
    const HttpReply conflict = post(path, m_dm, kApprove, key2);
    QCOMPARE(conflict.status, 409);
    const HttpReply conflictReplay = post(path, m_dm, kApprove, key2);
    QCOMPARE(conflictReplay.status, 409);
    QCOMPARE(conflictReplay.body, conflict.body);
    QCOMPARE(conflictReplay.headers.value("idempotent-replayed"), QByteArray("true"));

    // Bulk: replayed whole, applied once.
    const QString a = insertApproval(m_globexId, QStringLiteral("low"), 5 * kHour);
    const QByteArray bulk = R"({"ids":[")" + a.toLatin1() + R"("],"resolution":"approved"})";
    const TestHttp::Headers bulkKey {{"Idempotency-Key", "bulk-1"}};
    const HttpReply bulkFirst = post("/dm/v1/approvals/bulk/resolve", m_dm, bulk, bulkKey);
    QCOMPARE(bulkFirst.status, 200);
    const HttpReply bulkReplay = post("/dm/v1/approvals/bulk/resolve", m_dm, bulk, bulkKey);
    QCOMPARE(bulkReplay.body, bulkFirst.body);
    QCOMPARE(bulkReplay.headers.value("idempotent-replayed"), QByteArray("true"));
    QCOMPARE(auditOf(QStringLiteral("approval.approved")).size(), 2);

    // Keys are kept 24 hours, in the database: after that the key is free again.
    m_server->clock().advanceMs(25 * kHour);
    m_dm = m_server->login(QStringLiteral("dm@leadmetrics.demo")); // the old token expired too
    const HttpReply late = post(path, m_dm, kApprove, key);
    QCOMPARE(late.status, 409); // ran again: the approval is decided
    QVERIFY(!late.headers.contains("idempotent-replayed"));
}

void TestDmApi::idempotencyRules()
{
    const QString id = insertApproval(m_acmeId, QStringLiteral("high"), 5 * kHour);
    const QByteArray path = "/dm/v1/approvals/" + id.toLatin1() + "/resolve";
    // Too long, empty or not visible ASCII → 400, nothing applied.
    for (const QByteArray &bad : {QByteArray(256, 'k'), QByteArray("two words")}) {
        const HttpReply r = post(path, m_dm, kApprove, {{"Idempotency-Key", bad}});
        QCOMPARE(r.status, 400);
        QVERIFY2(r.body.contains("Idempotency-Key"), r.body.constData());
    }
    QCOMPARE(approvalStatus(id), QStringLiteral("pending"));
    QCOMPARE(post(path, m_dm, kApprove, {{"Idempotency-Key", QByteArray(255, 'k')}}).status, 200);

    // A first request still running (another instance, same database): 409 until it answers.
    const QString next = insertApproval(m_acmeId, QStringLiteral("high"), 5 * kHour);
    const QByteArray nextPath = "/dm/v1/approvals/" + next.toLatin1() + "/resolve";
    const QByteArray hash
        = QCryptographicHash::hash("POST\n" + nextPath + "\n" + kApprove, QCryptographicHash::Sha256).toHex();
    auto running = store().db().query(QStringLiteral(
        "INSERT INTO idempotency_keys (user_id, idem_key, request_hash, state, created_at, expires_at)"
        " VALUES (?, 'busy', ?, 'running', ?, ?)"));
    running.bind(m_dmUserId).bind(QString::fromLatin1(hash)).bind(now()).bind(now() + 24 * kHour);
    QVERIFY(running.exec().ok());
    const HttpReply busy = post(nextPath, m_dm, kApprove, {{"Idempotency-Key", "busy"}});
    QCOMPARE(busy.status, 409);
    QCOMPARE(busy.errorCode(), QStringLiteral("CONFLICT"));
    QCOMPARE(approvalStatus(next), QStringLiteral("pending"));
    // Its server died: after two minutes the key may be used again.
    m_server->clock().advanceMs(3 * 60 * 1000);
    QCOMPARE(post(nextPath, m_dm, kApprove, {{"Idempotency-Key", "busy"}}).status, 200);
    QCOMPARE(approvalStatus(next), QStringLiteral("approved"));
}

void TestDmApi::pauseResume()
{
    const QString running = insertActivity(m_globexId, QStringLiteral("in_progress")).id;
    const QByteArray base = "/dm/v1/activities/" + running.toLatin1();
    QCOMPARE(post(base + "/resume", m_dm, {}).status, 409); // not paused
    const HttpReply paused = post(base + "/pause", m_dm, {});
    QCOMPARE(paused.status, 200);
    QCOMPARE(paused.json().value(QStringLiteral("id")).toString(), running);
    QCOMPARE(paused.json().value(QStringLiteral("status")).toString(), QStringLiteral("blocked"));
    QCOMPARE(statusOf(running), QStringLiteral("blocked"));
    QCOMPARE(post(base + "/pause", m_dm, {}).status, 409); // already paused
    const HttpReply resumed = post(base + "/resume", m_dm, {});
    QCOMPARE(resumed.status, 200);
    QCOMPARE(resumed.json().value(QStringLiteral("status")).toString(), QStringLiteral("assigned"));
    QCOMPARE(post(base + "/resume", m_dm, {}).status, 409);

    const QString done = insertActivity(m_acmeId, QStringLiteral("done")).id;
    const HttpReply notPausable = post("/dm/v1/activities/" + done.toLatin1() + "/pause", m_dm, {});
    QCOMPARE(notPausable.status, 409);
    QCOMPARE(notPausable.errorCode(), QStringLiteral("CONFLICT"));
    QCOMPARE(statusOf(done), QStringLiteral("done"));
    // Blocked for another reason (an agent's blocker) is not the pause's to undo.
    store::Activity blocked = insertActivity(m_acmeId, QStringLiteral("blocked"));
    blocked.blockReason = QStringLiteral("agent_blocker");
    QVERIFY(store()
                .activities.saveTransition(store::TenantScope::tenant(m_acmeId), blocked, blocked.status)
                .ok());
    QCOMPARE(post("/dm/v1/activities/" + blocked.id.toLatin1() + "/resume", m_dm, {}).status, 409);
    QCOMPARE(statusOf(blocked.id), QStringLiteral("blocked"));
    QCOMPARE(post("/dm/v1/activities/01ARZ3NDEKTSV4RRFFQ69G5FAV/pause", m_dm, {}).status, 404);

    const auto pauses = auditOf(QStringLiteral("activity.paused"));
    QCOMPARE(pauses.size(), 1);
    QCOMPARE(pauses.first().tenantId, m_globexId);
    QCOMPARE(auditOf(QStringLiteral("activity.resumed")).size(), 1);
}

void TestDmApi::activityDetailAndStream()
{
    QString held;
    insertApproval(m_globexId, QStringLiteral("high"), 5 * kHour, {}, &held);
    const HttpReply r = get("/dm/v1/activities/" + held.toLatin1(), m_dm);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json().value(QStringLiteral("id")).toString(), held);
    QCOMPARE(r.json().value(QStringLiteral("tenant")).toObject().value(QStringLiteral("name")).toString(),
        QStringLiteral("Globex Bakery"));
    QCOMPARE(r.json().value(QStringLiteral("approval")).toObject().value(QStringLiteral("status")).toString(),
        QStringLiteral("pending"));
    QVERIFY(r.json().contains(QStringLiteral("runs")) && r.json().contains(QStringLiteral("comments")));
    QCOMPARE(get("/dm/v1/activities/01ARZ3NDEKTSV4RRFFQ69G5FAV", m_dm).status, 404);
    const auto reads = auditOf(QStringLiteral("dm.activity.read"));
    QCOMPARE(reads.size(), 1);
    QCOMPARE(reads.first().tenantId, m_globexId);

    // Its output stream, across tenants: the stored output is replayed from Last-Event-ID.
    {
        services::UnitOfWork work(m_server->host().engine());
        QVERIFY(work.isActive());
        QVERIFY(work.activityEvent(m_globexId, held, QStringLiteral("text_delta"),
                        {{QStringLiteral("text"), QStringLiteral("Fresh")}})
                    .ok());
        QVERIFY(work.commit().ok());
    }
    StreamClient stream;
    QVERIFY(stream.open(m_server->port(), "/dm/v1/activities/" + held.toLatin1() + "/stream", m_dm, "0"));
    QVERIFY(stream.waitFor([&stream] {
        for (const auto &m : stream.messages())
            if (m.event == "text_delta" && m.data.contains("Fresh"))
                return true;
        return false;
    }));
    QCOMPARE(stream.status, 200);
    StreamClient refused;
    QVERIFY(
        refused.open(m_server->port(), "/dm/v1/activities/" + held.toLatin1() + "/stream", m_globexAdmin));
    QVERIFY(refused.waitFor([&refused] { return refused.status != 0; }));
    QCOMPARE(refused.status, 403);
}

void TestDmApi::eventsStream()
{
    StreamClient live;
    QVERIFY(live.open(m_server->port(), "/dm/v1/events", m_dm));
    QVERIFY(live.waitFor([&live] { return live.status != 0; }));
    QCOMPARE(live.status, 200);
    // Live only without Last-Event-ID: events count from the subscription on.
    QTRY_COMPARE(
        m_server->host().eventHub().subscriberCount(events::EventHub::allTenantsKey()), std::size_t(1));

    // An approval opened in each tenant, through the service (as an agent does).
    QStringList created;
    for (const QString &tenant : {m_acmeId, m_globexId}) {
        const store::Activity working = insertActivity(tenant, QStringLiteral("in_progress"));
        services::UnitOfWork work(m_server->host().engine());
        QVERIFY(work.isActive());
        services::NewApproval request;
        request.tenantId = tenant;
        request.title = QStringLiteral("Check the claim");
        request.type = QStringLiteral("content_review");
        request.riskLevel = QStringLiteral("high");
        request.activityIds = {working.id};
        services::Actor agent;
        agent.type = QStringLiteral("agent");
        agent.id = QStringLiteral("copywriter");
        agent.name = QStringLiteral("Sim copywriter");
        auto approval = m_server->host().approvals().create(work, request, agent);
        QVERIFY2(approval.ok(), qPrintable(approval.error().message));
        QVERIFY(work.commit().ok());
        created.append(approval->id);
    }
    const auto approvalsCreated = [&live] {
        QList<QJsonObject> out;
        for (const auto &m : live.messages()) {
            if (m.event == "approval_created")
                out.append(QJsonDocument::fromJson(m.data).object());
        }
        return out;
    };
    QVERIFY(live.waitFor([&] { return approvalsCreated().size() == 2; }));
    const QList<QJsonObject> seen = approvalsCreated();
    QCOMPARE(seen[0].value(QStringLiteral("tenantId")).toString(), m_acmeId);
    QCOMPARE(seen[0].value(QStringLiteral("approvalId")).toString(), created[0]);
    QCOMPARE(seen[1].value(QStringLiteral("tenantId")).toString(), m_globexId);
    QCOMPARE(seen[1].value(QStringLiteral("approvalId")).toString(), created[1]);
    QCOMPARE(seen[1].value(QStringLiteral("riskLevel")).toString(), QStringLiteral("high"));
    // Activity output stays on the activity's stream.
    for (const auto &m : live.messages())
        QVERIFY(m.event != "text_delta");

    // Resuming after the first one replays the rest, with the same ids and tenantIds.
    qint64 firstId = -1;
    for (const auto &m : live.messages()) {
        if (m.event == "approval_created") {
            firstId = m.id;
            break;
        }
    }
    QVERIFY(firstId > 0);
    StreamClient resumed;
    QVERIFY(resumed.open(m_server->port(), "/dm/v1/events", m_dm, QByteArray::number(firstId)));
    QVERIFY(resumed.waitFor([&resumed, &created] {
        for (const auto &m : resumed.messages()) {
            if (m.event == "approval_created" && m.data.contains(created[1].toLatin1()))
                return true;
        }
        return false;
    }));
    for (const auto &m : resumed.messages()) {
        QVERIFY(m.id > firstId || m.id < 0);
        if (m.id > 0)
            QVERIFY2(m.data.startsWith("{\"tenantId\":\""), m.data.constData());
    }
    QCOMPARE(auditOf(QStringLiteral("dm.events.stream")).size(), 2);

    // Tenant tokens are refused.
    StreamClient refused;
    QVERIFY(refused.open(m_server->port(), "/dm/v1/events", m_acmeAdmin));
    QVERIFY(refused.waitFor([&refused] { return refused.status != 0; }));
    QCOMPARE(refused.status, 403);
}

} // namespace lm::test

QTEST_GUILESS_MAIN(lm::test::TestDmApi)
