// SPDX-License-Identifier: GPL-3.0-or-later
// Activities: paging under inserts, detail, retry, comments.
#include "tst_dashboardapi.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QMap>
#include <QSet>
#include <QTest>

using namespace lm;

namespace lm::test {

void TestDashboardApi::activityPaging_data()
{
    QTest::addColumn<QString>("order");
    QTest::newRow("activities-paging-desc-01") << "desc";
    QTest::newRow("activities-paging-asc-02") << "asc";
}

void TestDashboardApi::activityPaging()
{
    QFETCH(QString, order);
    const QString campaign = createCampaign();
    QSet<QString> initial;
    // The planning activity of the brief is one of them.
    for (int i = 0; i < 29; ++i)
        initial.insert(insertActivity(
            campaign, QStringLiteral("done"), QStringLiteral("copywriter"), QStringLiteral("Row %1").arg(i))
                           .id);
    auto plan = store().activities.list(acme(), {{}, {}, campaign, {}, {}, {}}, {{}, 100, true});
    QVERIFY(plan.ok());
    for (const auto &a : std::as_const(plan->items))
        initial.insert(a.id);
    QCOMPARE(initial.size(), 30);

    const QByteArray base
        = "/dashboard/v1/activities?filter[campaignId]=" + campaign.toLatin1() + "&order=" + order.toLatin1();
    HttpReply first = get(base, m_member);
    QCOMPARE(first.status, 200);
    const QJsonObject pagination = first.json().value(QStringLiteral("pagination")).toObject();
    QCOMPARE(pagination.value(QStringLiteral("limit")).toInt(), 25);
    QCOMPARE(pagination.value(QStringLiteral("hasMore")).toBool(), true);
    QStringList seen;
    QString previous;
    const auto take = [&](const QJsonArray &data) {
        for (const QJsonValue &v : data) {
            const QString id = v.toObject().value(QStringLiteral("id")).toString();
            if (!previous.isEmpty())
                QVERIFY(order == QLatin1String("desc") ? id < previous : id > previous);
            previous = id;
            seen.append(id);
        }
    };
    take(first.json().value(QStringLiteral("data")).toArray());
    QCOMPARE(seen.size(), 25);

    // Rows arrive between the pages.
    QSet<QString> added;
    for (int i = 0; i < 3; ++i)
        added.insert(insertActivity(campaign, QStringLiteral("done")).id);

    QString cursor = pagination.value(QStringLiteral("nextCursor")).toString();
    QVERIFY(!cursor.isEmpty());
    for (int guard = 0; !cursor.isEmpty() && guard < 5; ++guard) {
        const HttpReply next = get(base + "&cursor=" + cursor.toLatin1(), m_member);
        QCOMPARE(next.status, 200);
        take(next.json().value(QStringLiteral("data")).toArray());
        const QJsonValue nc
            = next.json().value(QStringLiteral("pagination")).toObject().value(QStringLiteral("nextCursor"));
        QCOMPARE(next.json()
                     .value(QStringLiteral("pagination"))
                     .toObject()
                     .value(QStringLiteral("hasMore"))
                     .toBool(),
            !nc.isNull());
        cursor = nc.toString();
    }
    const QSet<QString> unique(seen.begin(), seen.end());
    QCOMPARE(unique.size(), seen.size()); // no duplicates
    QVERIFY(unique.contains(initial)); // no gaps
    // Newest-first lists do not show rows newer than their first page; oldest-first ones reach them at
    // the end.
    if (order == QLatin1String("desc"))
        QCOMPARE(seen.size(), 30);
    else
        QCOMPARE(seen.size(), 33);
}

void TestDashboardApi::retry_data()
{
    QTest::addColumn<QString>("activityStatus");
    QTest::addColumn<QString>("campaignStatus");
    QTest::addColumn<int>("status");
    QTest::newRow("activities-retry-failed-01") << "failed"
                                                << "" << 202;
    QTest::newRow("activities-retry-done-02") << "done"
                                              << "" << 422;
    QTest::newRow("activities-retry-in-progress-03") << "in_progress"
                                                     << "" << 422;
    QTest::newRow("activities-retry-blocked-04") << "blocked"
                                                 << "" << 422;
    QTest::newRow("activities-retry-paused-campaign-05") << "failed"
                                                         << "paused" << 422;
    QTest::newRow("activities-retry-archived-campaign-06") << "failed"
                                                           << "archived" << 422;
    QTest::newRow("activities-retry-active-campaign-07") << "failed"
                                                         << "active" << 202;
}

void TestDashboardApi::retry()
{
    QFETCH(QString, activityStatus);
    QFETCH(QString, campaignStatus);
    QFETCH(int, status);
    addAgents(m_acmeId);
    // A campaign whose planning cannot start (it is paused, or no worker gets to it first does not
    // matter): the activity under test is written by hand.
    const QString campaign = createCampaign();
    if (!campaignStatus.isEmpty())
        QVERIFY(
            store().campaigns.setStatus(acme(), campaign, campaignStatus, m_server->clock().nowMs()).ok());
    const store::Activity a = insertActivity(campaign, activityStatus);
    const HttpReply r = post("/dashboard/v1/activities/" + a.id.toLatin1() + "/retry", m_admin, {});
    QVERIFY2(r.status == status, r.body.constData());
    if (status == 422) {
        QCOMPARE(r.errorCode(), QStringLiteral("UNPROCESSABLE"));
        QCOMPARE((**store().activities.find(acme(), a.id)).status, activityStatus);
        return;
    }
    const QString runId = r.json().value(QStringLiteral("runId")).toString();
    QCOMPARE(r.json().value(QStringLiteral("activityId")).toString(), a.id);
    QVERIFY(Ulid::isValid(runId));
    auto audit = store().audit.list(acme(), QStringLiteral("activity.retried"));
    QVERIFY(audit.ok());
    QCOMPARE(audit->size(), 1);
    QCOMPARE(audit->first().targetId, a.id);
    // The promised run is the one a worker starts, and the activity is done again.
    const QByteArray detailPath = "/dashboard/v1/activities/" + a.id.toLatin1();
    QTRY_COMPARE_WITH_TIMEOUT(get(detailPath, m_member).json().value(QStringLiteral("status")).toString(),
        QStringLiteral("done"), 20000);
    const QJsonObject d = get(detailPath, m_member).json();
    QCOMPARE(d.value(QStringLiteral("wakeReason")).toString(), QStringLiteral("retry"));
    const QJsonArray runs = d.value(QStringLiteral("runs")).toArray();
    QCOMPARE(runs.size(), 1);
    QCOMPARE(runs.first().toObject().value(QStringLiteral("id")).toString(), runId);
}

void TestDashboardApi::comments()
{
    addAgents(m_acmeId);
    const Fixture f = makeFixture();
    const QByteArray path = "/dashboard/v1/activities/" + f.doneActivityId.toLatin1() + "/comments";
    const QString text
        = QStringLiteral("@agent:copywriter please shorten; @human:%1 FYI. @agent:copywriter again")
              .arg(m_memberUserId);
    const HttpReply first = post(path, m_admin, json({{QStringLiteral("text"), text}}));
    QVERIFY2(first.status == 201, first.body.constData());
    const QJsonObject c = first.json();
    QVERIFY(Ulid::isValid(c.value(QStringLiteral("id")).toString()));
    QCOMPARE(c.value(QStringLiteral("text")).toString(), text);
    QCOMPARE(c.value(QStringLiteral("type")).toString(), QStringLiteral("comment"));
    QCOMPARE(
        c.value(QStringLiteral("author")).toObject().value(QStringLiteral("id")).toString(), m_adminUserId);
    QCOMPARE(
        c.value(QStringLiteral("author")).toObject().value(QStringLiteral("name")).toString(), adminName());
    QCOMPARE(c.value(QStringLiteral("author")).toObject().value(QStringLiteral("type")).toString(),
        QStringLiteral("human"));
    const QJsonArray mentions = c.value(QStringLiteral("mentions")).toArray();
    QCOMPARE(mentions.size(), 2); // repeated mentions count once
    QCOMPARE(mentions[0].toObject().value(QStringLiteral("type")).toString(), QStringLiteral("agent"));
    QCOMPARE(mentions[0].toObject().value(QStringLiteral("id")).toString(), QStringLiteral("copywriter"));
    QCOMPARE(
        mentions[0].toObject().value(QStringLiteral("name")).toString(), QStringLiteral("Sim copywriter"));
    QCOMPARE(mentions[1].toObject().value(QStringLiteral("type")).toString(), QStringLiteral("human"));
    QCOMPARE(mentions[1].toObject().value(QStringLiteral("id")).toString(), m_memberUserId);
    QVERIFY(!mentions[1].toObject().value(QStringLiteral("name")).toString().isEmpty());

    const HttpReply second = post(path, m_member,
        json({{QStringLiteral("text"), QStringLiteral("Holding this until Monday")},
            {QStringLiteral("type"), QStringLiteral("intervention_note")}}));
    QCOMPARE(second.status, 201);
    QCOMPARE(second.json().value(QStringLiteral("type")).toString(), QStringLiteral("intervention_note"));
    QCOMPARE(second.json().value(QStringLiteral("author")).toObject().value(QStringLiteral("id")).toString(),
        m_memberUserId);

    // Refused: each names the field.
    const QList<QPair<QJsonObject, QString>> bad {
        {{{QStringLiteral("text"), QStringLiteral("@agent:astrologer hi")}}, QStringLiteral("text")},
        {{{QStringLiteral("text"), QStringLiteral("@human:01ARZ3NDEKTSV4RRFFQ69G5FAV hi")}},
            QStringLiteral("text")},
        {{{QStringLiteral("text"), QString(10001, QLatin1Char('x'))}}, QStringLiteral("text")},
        {{{QStringLiteral("text"), QString()}}, QStringLiteral("text")},
        {{{QStringLiteral("type"), QStringLiteral("comment")}}, QStringLiteral("text")},
        {{{QStringLiteral("text"), QStringLiteral("ok")}, {QStringLiteral("type"), QStringLiteral("shout")}},
            QStringLiteral("type")},
    };
    for (const auto &[body, field] : bad) {
        const HttpReply r = post(path, m_admin, json(body));
        QVERIFY2(r.status == 400, r.body.constData());
        QVERIFY2(detailFields(r).contains(field), r.body.constData());
    }
    // A globex user is not a member of acme.
    auto globexUsers = store().db().query(QStringLiteral("SELECT id FROM users WHERE tenant_id = ?"));
    globexUsers.bind(m_globexId);
    QVERIFY(globexUsers.exec().ok() && globexUsers.next());
    const HttpReply foreign = post(path, m_admin,
        json({{QStringLiteral("text"), QStringLiteral("@human:%1 hi").arg(globexUsers.string(0))}}));
    QCOMPARE(foreign.status, 400);

    const HttpReply list = get(path, m_reviewer);
    QCOMPARE(list.status, 200);
    const QJsonArray data = list.json().value(QStringLiteral("data")).toArray();
    QCOMPARE(data.size(), 2);
    QCOMPARE(data[0].toObject().value(QStringLiteral("id")).toString(),
        c.value(QStringLiteral("id")).toString()); // oldest first
    QCOMPARE(
        data[1].toObject().value(QStringLiteral("type")).toString(), QStringLiteral("intervention_note"));
    const QJsonObject detail
        = get("/dashboard/v1/activities/" + f.doneActivityId.toLatin1(), m_member).json();
    QCOMPARE(detail.value(QStringLiteral("comments")).toArray().size(), 2);
    auto audit = store().audit.list(acme(), QStringLiteral("activity.commented"));
    QVERIFY(audit.ok());
    QCOMPARE(audit->size(), 2);
}

void TestDashboardApi::activityDetail()
{
    const Fixture f = makeFixture();
    const QJsonObject gated
        = get("/dashboard/v1/activities/" + f.gatedActivityId.toLatin1(), m_member).json();
    QCOMPARE(gated.value(QStringLiteral("status")).toString(), QStringLiteral("awaiting_approval"));
    const QJsonObject approval = gated.value(QStringLiteral("approval")).toObject();
    QCOMPARE(approval.value(QStringLiteral("id")).toString(), f.approvalId);
    QCOMPARE(approval.value(QStringLiteral("type")).toString(), QStringLiteral("content_review"));
    QCOMPARE(approval.value(QStringLiteral("status")).toString(), QStringLiteral("pending"));
    // No agent configured: the role stands in for the assignee.
    QCOMPARE(gated.value(QStringLiteral("assignee")).toObject().value(QStringLiteral("id")).toString(),
        QStringLiteral("copywriter"));
    QVERIFY(!gated.contains(QStringLiteral("deliverable")));
    QVERIFY(gated.value(QStringLiteral("runs")).toArray().isEmpty());

    const QJsonArray failed = get("/dashboard/v1/activities?filter[status]=failed", m_member)
                                  .json()
                                  .value(QStringLiteral("data"))
                                  .toArray();
    QCOMPARE(failed.size(), 1);
    QCOMPARE(failed.first().toObject().value(QStringLiteral("id")).toString(), f.failedActivityId);
    const HttpReply output
        = get("/dashboard/v1/activities/" + f.doneActivityId.toLatin1() + "/output", m_member);
    QCOMPARE(output.status, 200);
    QCOMPARE(output.json().value(QStringLiteral("text")).toString(),
        QStringLiteral("# Whiter smiles\n\nBook now."));
    // A subtask shows in its parent's detail.
    store::Activity sub
        = insertActivity(f.campaignId, QStringLiteral("created"), QStringLiteral("seo_specialist"));
    auto q = store().db().query(QStringLiteral("UPDATE activities SET parent_id = ? WHERE id = ?"));
    q.bind(f.doneActivityId).bind(sub.id);
    QVERIFY(q.exec().ok());
    const QJsonArray subtasks = get("/dashboard/v1/activities/" + f.doneActivityId.toLatin1(), m_member)
                                    .json()
                                    .value(QStringLiteral("subtasks"))
                                    .toArray();
    QCOMPARE(subtasks.size(), 1);
    QCOMPARE(subtasks.first().toObject().value(QStringLiteral("id")).toString(), sub.id);
}

} // namespace lm::test
