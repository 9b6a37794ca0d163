// SPDX-License-Identifier: GPL-3.0-or-later
// Approvals: list, stats, detail, resolve.
#include "tst_dashboardapi.h"

#include "services/approvalservice.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QMap>
#include <QSet>
#include <QTest>

#include <tuple>

using namespace lm;

namespace lm::test {

void TestDashboardApi::approvalsRead()
{
    const Fixture f = makeFixture();
    const qint64 now = m_server->clock().nowMs();
    // One more, expiring within a day, and one already decided.
    const QString soonActivity = insertActivity(f.campaignId, QStringLiteral("awaiting_approval")).id;
    const QString soon = insertApproval(f.campaignId, soonActivity, {}, QStringLiteral("low"));
    auto q = store().db().query(QStringLiteral("UPDATE approvals SET expires_at = ? WHERE id = ?"));
    q.bind(now + 3600 * 1000).bind(soon);
    QVERIFY(q.exec().ok());
    QCOMPARE(post("/dashboard/v1/approvals/" + f.approvalId.toLatin1() + "/resolve", m_reviewer,
                 R"({"resolution":"approved"})")
                 .status,
        200);

    const HttpReply list = get("/dashboard/v1/approvals", m_member);
    QCOMPARE(list.status, 200);
    const QJsonArray pending = list.json().value(QStringLiteral("data")).toArray();
    QCOMPARE(pending.size(), 2); // pending by default
    const QJsonObject first = pending.first().toObject();
    QCOMPARE(first.value(QStringLiteral("id")).toString(), soon); // newest first
    QCOMPARE(first.value(QStringLiteral("status")).toString(), QStringLiteral("pending"));
    QCOMPARE(first.value(QStringLiteral("createdBy")).toObject().value(QStringLiteral("type")).toString(),
        QStringLiteral("agent"));
    QCOMPARE(first.value(QStringLiteral("linkedActivities"))
                 .toArray()
                 .first()
                 .toObject()
                 .value(QStringLiteral("id"))
                 .toString(),
        soonActivity);
    QVERIFY(first.contains(QStringLiteral("expiresAt")));
    QVERIFY(list.json()
                .value(QStringLiteral("pagination"))
                .toObject()
                .value(QStringLiteral("nextCursor"))
                .isNull());

    const QJsonArray high = get("/dashboard/v1/approvals?filter[riskLevel]=high", m_member)
                                .json()
                                .value(QStringLiteral("data"))
                                .toArray();
    QCOMPARE(high.size(), 1);
    QCOMPARE(high.first().toObject().value(QStringLiteral("id")).toString(), f.optionsApprovalId);
    QCOMPARE(high.first().toObject().value(QStringLiteral("options")).toArray().size(), 2);
    const QJsonArray approved
        = get("/dashboard/v1/approvals?filter[status]=approved&filter[type]=content_review", m_member)
              .json()
              .value(QStringLiteral("data"))
              .toArray();
    QCOMPARE(approved.size(), 1);
    const QJsonObject decided = approved.first().toObject();
    QCOMPARE(decided.value(QStringLiteral("resolution")).toString(), QStringLiteral("approved"));
    QVERIFY(decided.contains(QStringLiteral("resolvedAt")));
    QCOMPARE(decided.value(QStringLiteral("resolvedBy"))
                 .toObject()
                 .value(QStringLiteral("name"))
                 .toString()
                 .isEmpty(),
        false);

    const HttpReply stats = get("/dashboard/v1/approvals/stats", m_member);
    QCOMPARE(stats.status, 200);
    QCOMPARE(stats.json().value(QStringLiteral("pending")).toInt(), 2);
    QCOMPARE(stats.json().value(QStringLiteral("highRisk")).toInt(), 1);
    QCOMPARE(stats.json().value(QStringLiteral("expiringIn24h")).toInt(), 1);
    QCOMPARE(stats.json().value(QStringLiteral("resolvedThisWeek")).toInt(), 1);
    QCOMPARE(
        get("/dashboard/v1/approvals/stats", m_globex).json().value(QStringLiteral("pending")).toInt(), 0);

    // The detail carries the linked activities' output refs and previews.
    store::Activity withOutput = **store().activities.find(acme(), soonActivity);
    withOutput.outputDocumentId = Ulid::generate();
    withOutput.outputPreview = QStringLiteral("Draft text");
    QVERIFY(store().activities.saveTransition(acme(), withOutput, withOutput.status).ok());
    const HttpReply detail = get("/dashboard/v1/approvals/" + soon.toLatin1(), m_member);
    QCOMPARE(detail.status, 200);
    const QJsonObject linked
        = detail.json().value(QStringLiteral("linkedActivities")).toArray().first().toObject();
    QCOMPARE(linked.value(QStringLiteral("outputPreview")).toString(), QStringLiteral("Draft text"));
    QCOMPARE(linked.value(QStringLiteral("outputRef")).toString(), withOutput.outputDocumentId);
    QCOMPARE(get("/dashboard/v1/approvals/01ARZ3NDEKTSV4RRFFQ69G5FAV", m_member).status, 404);
}

void TestDashboardApi::resolve_data()
{
    QTest::addColumn<QString>("which"); // plain | options
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("detail"); // error field, or the wake reason on success
    QTest::newRow("approvals-approve-01")
        << "plain" << QByteArray(R"({"resolution":"approved"})") << 200 << "review_approved";
    QTest::newRow("approvals-reject-02")
        << "plain" << QByteArray(R"({"resolution":"rejected","note":"Too salesy"})") << 200
        << "review_feedback";
    QTest::newRow("approvals-revision-03")
        << "plain" << QByteArray(R"({"resolution":"revision_requested","note":"Shorter"})") << 200
        << "revision_requested";
    QTest::newRow("approvals-reject-no-note-04")
        << "plain" << QByteArray(R"({"resolution":"rejected"})") << 400 << "note";
    QTest::newRow("approvals-revision-blank-note-05")
        << "plain" << QByteArray(R"({"resolution":"revision_requested","note":"  "})") << 400 << "note";
    QTest::newRow("approvals-bad-resolution-06")
        << "plain" << QByteArray(R"({"resolution":"maybe"})") << 400 << "resolution";
    QTest::newRow("approvals-missing-resolution-07")
        << "plain" << QByteArray(R"({"note":"x"})") << 400 << "resolution";
    QTest::newRow("approvals-note-type-08")
        << "plain" << QByteArray(R"({"resolution":"approved","note":5})") << 400 << "note";
    QTest::newRow("approvals-note-long-09")
        << "plain" << QByteArray(R"({"resolution":"rejected","note":")") + QByteArray(4001, 'n') + "\"}"
        << 400 << "note";
    QTest::newRow("approvals-options-missing-10")
        << "options" << QByteArray(R"({"resolution":"approved"})") << 422 << "selectedOption";
    QTest::newRow("approvals-options-unknown-11")
        << "options" << QByteArray(R"({"resolution":"approved","selectedOption":"Loud"})") << 422
        << "selectedOption";
    QTest::newRow("approvals-options-ok-12")
        << "options" << QByteArray(R"({"resolution":"approved","selectedOption":"Friendly"})") << 200
        << "review_approved";
    QTest::newRow("approvals-options-reject-13")
        << "options" << QByteArray(R"({"resolution":"rejected","note":"Neither"})") << 200
        << "review_feedback";
    QTest::newRow("approvals-malformed-14") << "plain" << QByteArray("{") << 400 << "body";
}

void TestDashboardApi::resolve()
{
    QFETCH(QString, which);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QString, detail);
    const Fixture f = makeFixture();
    const QString approvalId = which == QLatin1String("options") ? f.optionsApprovalId : f.approvalId;
    const QString activityId = which == QLatin1String("options") ? f.optionsActivityId : f.gatedActivityId;
    const QByteArray path = "/dashboard/v1/approvals/" + approvalId.toLatin1() + "/resolve";
    const HttpReply r = post(path, m_admin, body);
    QVERIFY2(r.status == status, r.body.constData());
    auto approval = store().approvals.find(acme(), approvalId);
    QVERIFY(approval.ok() && approval->has_value());
    auto activity = store().activities.find(acme(), activityId);
    QVERIFY(activity.ok() && activity->has_value());
    if (status != 200) {
        QVERIFY2(detailFields(r).contains(detail), r.body.constData());
        QCOMPARE((*approval)->status, QStringLiteral("pending"));
        QCOMPARE((*activity)->status, QStringLiteral("awaiting_approval"));
        return;
    }
    const QJsonObject answer = r.json();
    QCOMPARE(answer.value(QStringLiteral("approvalId")).toString(), approvalId);
    QCOMPARE(answer.value(QStringLiteral("resolution")).toString(),
        QJsonDocument::fromJson(body).object().value(QStringLiteral("resolution")).toString());
    QCOMPARE(answer.value(QStringLiteral("reEnqueuedActivities")).toInt(), 1);
    QVERIFY((*approval)->status != QLatin1String("pending"));
    QCOMPARE((*activity)->wakeReason, detail);
    QVERIFY((*activity)->status != QLatin1String("awaiting_approval"));
    auto audit = store().audit.list(
        acme(), QStringLiteral("approval.") + answer.value(QStringLiteral("resolution")).toString());
    QVERIFY(audit.ok());
    QCOMPARE(audit->size(), 1);
    QCOMPARE(audit->first().actorId, m_adminUserId);
    // Decided once.
    const HttpReply again = post(path, m_admin, body);
    QCOMPARE(again.status, 409);
    QCOMPARE(again.errorCode(), QStringLiteral("CONFLICT"));
}

} // namespace lm::test

namespace lm::test {

void TestDashboardApi::approvalsListMatchesSerialiser()
{
    // The queue's page is written by the database (SQLite's own API, PostgreSQL's json functions);
    // each item must equal services::approvalJson(a, false), whatever the text holds.
    const Fixture f = makeFixture();
    const QString awkward = QStringLiteral("Say \"hi\" \\ to\nthe team\t\u0001 — café 😀 </script>");
    QStringList three;
    for (int i = 0; i < 3; ++i)
        three.append(insertActivity(f.campaignId, QStringLiteral("awaiting_approval")).id);
    const QString many = insertApproval(f.campaignId, three.first(), {awkward, QStringLiteral("plain")});
    for (const QString &extra : three.mid(1)) {
        auto link = store().db().query(
            QStringLiteral("INSERT INTO approval_activities (approval_id, activity_id, tenant_id, "
                           "activity_title, activity_status)"
                           " SELECT ?, id, tenant_id, title, status FROM activities WHERE id = ?"));
        link.bind(many).bind(extra);
        QVERIFY(link.exec().ok());
    }
    auto q
        = store().db().query(QStringLiteral("UPDATE approvals SET title = ?, description = ? WHERE id = ?"));
    q.bind(awkward).bind(awkward + awkward).bind(many);
    QVERIFY(q.exec().ok());
    // Two more pending, so the pending list spans pages of two.
    for (int i = 0; i < 2; ++i)
        insertApproval(f.campaignId, insertActivity(f.campaignId, QStringLiteral("awaiting_approval")).id);
    // Decided ones carry resolvedAt, resolvedBy, resolution, a note and the option picked. Written
    // through the repository, not the resolve route: an approval re-enqueues its activities, and a
    // job worker moving them between the page and the comparison would make this test racy.
    for (const auto &[id, resolution, note, option] :
        {std::tuple {f.optionsApprovalId, QStringLiteral("rejected"), awkward, QStringLiteral("Clinical")},
            std::tuple {f.approvalId, QStringLiteral("approved"), QString(), QString()}}) {
        auto found = store().approvals.find(acme(), id);
        QVERIFY(found.ok() && found->has_value());
        store::Approval decided = **found;
        decided.status = resolution;
        decided.resolution = resolution;
        decided.resolutionNote = note;
        decided.selectedOption = option;
        decided.resolvedAtMs = m_server->clock().nowMs();
        decided.resolvedById = m_adminUserId;
        decided.resolvedByName = QStringLiteral("Alex Acme");
        decided.updatedAtMs = *decided.resolvedAtMs;
        QVERIFY(store().approvals.resolve(acme(), decided).ok());
    }
    // A linked activity moves on: the page shows its status now, not the one at linking time.
    auto moved = store().activities.find(acme(), three.at(1));
    QVERIFY(moved.ok() && moved->has_value());
    store::Activity blocked = **moved;
    blocked.status = QStringLiteral("blocked");
    blocked.blockReason = QStringLiteral("paused");
    QVERIFY(store().activities.saveTransition(acme(), blocked, QStringLiteral("awaiting_approval")).ok());

    int compared = 0;
    for (const char *status : {"pending", "approved", "rejected", "expired"}) {
        // Pages of two, so cursors and the extra row are crossed too.
        QByteArray path = "/dashboard/v1/approvals?limit=2&filter[status]=" + QByteArray(status);
        for (int pageNo = 0; pageNo < 20 && !path.isEmpty(); ++pageNo) {
            const HttpReply reply = get(path, m_member);
            QCOMPARE(reply.status, 200);
            for (const QJsonValue &v : reply.json().value(QStringLiteral("data")).toArray()) {
                const QJsonObject item = v.toObject();
                auto found = store().approvals.find(acme(), item.value(QStringLiteral("id")).toString());
                QVERIFY(found.ok() && found->has_value());
                const QJsonObject expected = services::approvalJson(**found, false);
                QVERIFY2(item == expected,
                    qPrintable(QString::fromUtf8(QJsonDocument(item).toJson(QJsonDocument::Compact))
                        + QStringLiteral("\n")
                        + QString::fromUtf8(QJsonDocument(expected).toJson(QJsonDocument::Compact))));
                ++compared;
                if (item.value(QStringLiteral("id")).toString() == many) {
                    const QJsonArray linked = item.value(QStringLiteral("linkedActivities")).toArray();
                    QCOMPARE(linked.size(), 3);
                    for (const QJsonValue &l : linked) {
                        if (l.toObject().value(QStringLiteral("id")).toString() == three.at(1))
                            QCOMPARE(l.toObject().value(QStringLiteral("status")).toString(),
                                QStringLiteral("blocked"));
                    }
                }
            }
            const QJsonValue next = reply.json()
                                        .value(QStringLiteral("pagination"))
                                        .toObject()
                                        .value(QStringLiteral("nextCursor"));
            path = next.isString() ? "/dashboard/v1/approvals?limit=2&filter[status]=" + QByteArray(status)
                    + "&cursor=" + next.toString().toLatin1()
                                   : QByteArray();
        }
    }
    QCOMPARE(compared, 5); // 3 pending over two pages, 1 approved, 1 rejected
}

} // namespace lm::test
