// SPDX-License-Identifier: GPL-3.0-or-later
// Campaigns: planning on the real workers, detail shape, period status, paging.
#include "tst_dashboardapi.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QMap>
#include <QSet>
#include <QTest>

using namespace lm;

namespace lm::test {

void TestDashboardApi::campaignPlanned()
{
    addAgents(m_acmeId);
    const QString id = createCampaign();
    QVERIFY(!id.isEmpty());
    // Planning runs on the real workers: the plan, then 2 blog posts and 3 social posts, all done.
    const QByteArray detailPath = "/dashboard/v1/campaigns/" + id.toLatin1();
    QTRY_VERIFY_WITH_TIMEOUT(get("/dashboard/v1/campaigns", m_member)
                                 .json()
                                 .value(QStringLiteral("data"))
                                 .toArray()
                                 .first()
                                 .toObject()
                                 .value(QStringLiteral("activityCount"))
                                 .toObject()
                                 .value(QStringLiteral("done"))
                                 .toInt()
            == 6,
        30000);

    const QJsonObject item = get("/dashboard/v1/campaigns", m_member)
                                 .json()
                                 .value(QStringLiteral("data"))
                                 .toArray()
                                 .first()
                                 .toObject();
    QCOMPARE(item.value(QStringLiteral("id")).toString(), id);
    QCOMPARE(item.value(QStringLiteral("status")).toString(), QStringLiteral("active"));
    QCOMPARE(item.value(QStringLiteral("budgetCapUsd")).toDouble(), 250.5);
    QVERIFY(item.value(QStringLiteral("spentUsd")).toDouble() > 0);
    QCOMPARE(item.value(QStringLiteral("deliverableCount")).toInt(), 2);
    const QJsonObject counts = item.value(QStringLiteral("activityCount")).toObject();
    QCOMPARE(counts.value(QStringLiteral("total")).toInt(), 6);
    QCOMPARE(counts.value(QStringLiteral("inProgress")).toInt(), 0);
    QCOMPARE(counts.value(QStringLiteral("pending")).toInt(), 0);
    QCOMPARE(item.value(QStringLiteral("pendingApprovals")).toInt(), 0);
    QCOMPARE(item.value(QStringLiteral("createdBy")).toString(), adminName());
    QVERIFY(item.value(QStringLiteral("createdOn")).toString().endsWith(QLatin1Char('Z')));
    QVERIFY(item.value(QStringLiteral("startDate")).isNull());
    QVERIFY(item.value(QStringLiteral("endDate")).isNull());

    // Activities of the campaign, by role.
    const QJsonArray activities
        = get("/dashboard/v1/activities?filter[campaignId]=" + id.toLatin1(), m_member)
              .json()
              .value(QStringLiteral("data"))
              .toArray();
    QCOMPARE(activities.size(), 6);
    QMap<QString, int> byRole;
    for (const QJsonValue &v : activities) {
        const QJsonObject a = v.toObject();
        byRole[a.value(QStringLiteral("agentRole")).toString()] += 1;
        QCOMPARE(a.value(QStringLiteral("campaignName")).toString(), QStringLiteral("Spring whitening"));
        QCOMPARE(a.value(QStringLiteral("status")).toString(), QStringLiteral("done"));
        QVERIFY(a.contains(QStringLiteral("costUsd")));
    }
    QCOMPARE(byRole.value(QStringLiteral("activity_planner")), 1);
    QCOMPARE(byRole.value(QStringLiteral("copywriter")), 2);
    QCOMPARE(byRole.value(QStringLiteral("social_media_manager")), 3);
    const QJsonArray copy
        = get("/dashboard/v1/activities?filter[agentRole]=copywriter&filter[status]=done", m_member)
              .json()
              .value(QStringLiteral("data"))
              .toArray();
    QCOMPARE(copy.size(), 2);

    // The detail.
    const HttpReply detail = get(detailPath, m_reviewer);
    QCOMPARE(detail.status, 200);
    const QJsonObject d = detail.json();
    QCOMPARE(d.value(QStringLiteral("brief")).toString(),
        QStringLiteral("Grow bookings for whitening in spring."));
    QCOMPARE(d.value(QStringLiteral("createdBy")).toObject().value(QStringLiteral("id")).toString(),
        m_adminUserId);
    QCOMPARE(d.value(QStringLiteral("createdBy")).toObject().value(QStringLiteral("name")).toString(),
        adminName());
    const QJsonArray deliverables = d.value(QStringLiteral("deliverables")).toArray();
    QCOMPARE(deliverables.size(), 2);
    for (const QJsonValue &v : deliverables) {
        const QJsonObject del = v.toObject();
        QVERIFY(del.value(QStringLiteral("platforms")).isArray());
        const QJsonObject period = del.value(QStringLiteral("currentPeriod")).toObject();
        const int target = del.value(QStringLiteral("quantity")).toInt();
        QCOMPARE(period.value(QStringLiteral("target")).toInt(), target);
        QCOMPARE(period.value(QStringLiteral("completed")).toInt(), target);
        QCOMPARE(period.value(QStringLiteral("inProgress")).toInt(), 0);
        QCOMPARE(period.value(QStringLiteral("status")).toString(), QStringLiteral("on_track"));
        QCOMPARE(period.value(QStringLiteral("periodStart")).toString(),
            m_server->clock().now().date().toString(Qt::ISODate));
    }
    QCOMPARE(d.value(QStringLiteral("recentActivities")).toArray().size(), 6);
    QCOMPARE(d.value(QStringLiteral("pendingApprovals")).toInt(), 0);
    QStringList roles;
    for (const QJsonValue &v : d.value(QStringLiteral("costByAgent")).toArray()) {
        roles.append(v.toObject().value(QStringLiteral("agentRole")).toString());
        QVERIFY(v.toObject().value(QStringLiteral("costUsd")).toDouble() > 0);
    }
    roles.sort();
    QCOMPARE(roles,
        QStringList({QStringLiteral("activity_planner"), QStringLiteral("copywriter"),
            QStringLiteral("social_media_manager")}));

    // A finished activity's detail and output.
    const QString doneId = copy.first().toObject().value(QStringLiteral("id")).toString();
    const QJsonObject a = get("/dashboard/v1/activities/" + doneId.toLatin1(), m_member).json();
    QCOMPARE(a.value(QStringLiteral("assignee")).toObject().value(QStringLiteral("type")).toString(),
        QStringLiteral("agent"));
    QCOMPARE(a.value(QStringLiteral("assignee")).toObject().value(QStringLiteral("name")).toString(),
        QStringLiteral("Sim copywriter"));
    QCOMPARE(a.value(QStringLiteral("campaign")).toObject().value(QStringLiteral("id")).toString(), id);
    QCOMPARE(a.value(QStringLiteral("deliverable")).toObject().value(QStringLiteral("type")).toString(),
        QStringLiteral("blog_post"));
    QVERIFY(!a.value(QStringLiteral("inputPrompt")).toString().isEmpty());
    QVERIFY(!a.value(QStringLiteral("outputRef")).toString().isEmpty());
    QVERIFY(!a.value(QStringLiteral("outputPreview")).toString().isEmpty());
    QVERIFY(a.value(QStringLiteral("comments")).toArray().isEmpty());
    QVERIFY(a.value(QStringLiteral("subtasks")).toArray().isEmpty());
    QVERIFY(a.contains(QStringLiteral("updatedOn")));
    const QJsonArray runs = a.value(QStringLiteral("runs")).toArray();
    QCOMPARE(runs.size(), 1);
    const QJsonObject run = runs.first().toObject();
    QCOMPARE(run.value(QStringLiteral("status")).toString(), QStringLiteral("completed"));
    QCOMPARE(run.value(QStringLiteral("model")).toString(), QStringLiteral("simulator-1"));
    QVERIFY(run.value(QStringLiteral("outputTokens")).toInt() > 0);
    QVERIFY(run.value(QStringLiteral("durationMs")).toDouble() >= 0);
    QVERIFY(run.contains(QStringLiteral("completedAt")));
    QVERIFY(!run.contains(QStringLiteral("error")));
    const HttpReply output = get("/dashboard/v1/activities/" + doneId.toLatin1() + "/output", m_member);
    QCOMPARE(output.status, 200);
    QCOMPARE(output.json().value(QStringLiteral("activityId")).toString(), doneId);
    QCOMPARE(output.json().value(QStringLiteral("format")).toString(), QStringLiteral("markdown"));
    QVERIFY(output.json()
                .value(QStringLiteral("text"))
                .toString()
                .startsWith(a.value(QStringLiteral("outputPreview")).toString()));

    // The create is audited with the caller, ip and request id.
    auto audit = store().audit.list(acme(), QStringLiteral("campaign.created"));
    QVERIFY(audit.ok());
    QCOMPARE(audit->size(), 1);
    QCOMPARE(audit->first().actorId, m_adminUserId);
    QCOMPARE(audit->first().ip, QStringLiteral("127.0.0.1"));
    QVERIFY(!audit->first().requestId.isEmpty());
}

void TestDashboardApi::campaignCreateAnswer()
{
    // The longest brief, every character escaped, fits the route's body limit.
    const QByteArray escaped
        = R"({"name":"Umlauts","deliverables":[{"type":"ad_copy","quantity":1}],"brief":")"
        + QByteArray("\\u00fc").repeated(20000) + "\"}";
    const HttpReply longest = post("/dashboard/v1/campaigns", m_admin, escaped);
    QVERIFY2(longest.status == 201, longest.body.left(300).constData());
    auto stored = store().campaigns.find(acme(), longest.json().value(QStringLiteral("id")).toString());
    QVERIFY(stored.ok() && stored->has_value());
    QCOMPARE((*stored)->brief, QString(20000, QChar(0xfc)));
    QVERIFY(
        store()
            .campaigns.setStatus(acme(), (*stored)->id, QStringLiteral("archived"), m_server->clock().nowMs())
            .ok());

    const HttpReply r = post("/dashboard/v1/campaigns", m_admin, validBrief());
    QCOMPARE(r.status, 201);
    QVERIFY(Ulid::isValid(r.json().value(QStringLiteral("id")).toString()));
    QCOMPARE(r.json().value(QStringLiteral("name")).toString(), QStringLiteral("Spring whitening"));
    QCOMPARE(r.json().value(QStringLiteral("status")).toString(), QStringLiteral("draft"));
    // Dates and attachments are kept; an archived campaign leaves the default list.
    QJsonObject o = QJsonDocument::fromJson(validBrief(QStringLiteral("Dated"))).object();
    o.insert(QStringLiteral("startDate"), QStringLiteral("2030-01-10"));
    o.insert(QStringLiteral("endDate"), QStringLiteral("2030-03-31"));
    o.insert(QStringLiteral("attachments"), QJsonArray {QStringLiteral("att-1")});
    o.insert(QStringLiteral("budgetCapUsd"), QJsonValue::Null);
    const QString dated = createCampaign(json(o));
    QVERIFY(!dated.isEmpty());
    const QJsonObject d = get("/dashboard/v1/campaigns/" + dated.toLatin1(), m_admin).json();
    QCOMPARE(d.value(QStringLiteral("startDate")).toString(), QStringLiteral("2030-01-10"));
    QCOMPARE(d.value(QStringLiteral("endDate")).toString(), QStringLiteral("2030-03-31"));
    QVERIFY(d.value(QStringLiteral("budgetCapUsd")).isNull());
    QCOMPARE(d.value(QStringLiteral("attachments")).toArray().size(), 1);
    QVERIFY(store()
                .campaigns.setStatus(acme(), dated, QStringLiteral("archived"), m_server->clock().nowMs())
                .ok());
    QCOMPARE(
        get("/dashboard/v1/campaigns", m_admin).json().value(QStringLiteral("data")).toArray().size(), 1);
    const QJsonArray archived = get("/dashboard/v1/campaigns?filter[status]=archived", m_admin)
                                    .json()
                                    .value(QStringLiteral("data"))
                                    .toArray();
    QCOMPARE(archived.size(), 2); // the umlaut brief too
    QCOMPARE(archived.first().toObject().value(QStringLiteral("id")).toString(), dated);
}

void TestDashboardApi::periodStatus_data()
{
    QTest::addColumn<int>("startDaysAgo");
    QTest::addColumn<int>("lengthDays");
    QTest::addColumn<int>("done");
    QTest::addColumn<int>("underway");
    QTest::addColumn<QString>("status");
    // Target 4 in every row.
    QTest::newRow("periods-early-nothing-01") << 0 << 30 << 0 << 0 << "on_track";
    QTest::newRow("periods-late-nothing-02") << 20 << 30 << 0 << 0 << "at_risk";
    QTest::newRow("periods-late-underway-03") << 20 << 30 << 1 << 2 << "on_track";
    QTest::newRow("periods-ended-short-04") << 40 << 30 << 3 << 0 << "missed";
    QTest::newRow("periods-ended-met-05") << 40 << 30 << 4 << 0 << "on_track";
    QTest::newRow("periods-half-half-06") << 14 << 30 << 2 << 0 << "on_track";
}

void TestDashboardApi::periodStatus()
{
    QFETCH(int, startDaysAgo);
    QFETCH(int, lengthDays);
    QFETCH(int, done);
    QFETCH(int, underway);
    QFETCH(QString, status);
    const QString id = createCampaign();
    auto deliverables = store().campaigns.deliverables(acme(), id);
    QVERIFY(deliverables.ok() && !deliverables->isEmpty());
    const QDate today = m_server->clock().now().date();
    store::DeliverablePeriod p;
    p.id = Ulid::generate();
    p.tenantId = m_acmeId;
    p.deliverableId = deliverables->first().id;
    p.periodStart = today.addDays(-startDaysAgo).toString(Qt::ISODate);
    p.periodEnd = today.addDays(-startDaysAgo + lengthDays - 1).toString(Qt::ISODate);
    p.target = 4;
    p.createdAtMs = m_server->clock().nowMs();
    QVERIFY(store().campaigns.insertPeriod(p).ok());
    for (int i = 0; i < done + underway; ++i) {
        store::Activity a
            = insertActivity(id, i < done ? QStringLiteral("done") : QStringLiteral("awaiting_review"));
        a.deliverableId = p.deliverableId;
        a.periodId = p.id;
        // Re-insert is not possible; period links are written directly for the test.
        auto q = store().db().query(
            QStringLiteral("UPDATE activities SET period_id = ?, deliverable_id = ? WHERE id = ?"));
        q.bind(p.id).bind(p.deliverableId).bind(a.id);
        QVERIFY(q.exec().ok());
    }
    const QJsonArray dels = get("/dashboard/v1/campaigns/" + id.toLatin1(), m_admin)
                                .json()
                                .value(QStringLiteral("deliverables"))
                                .toArray();
    QJsonObject period;
    for (const QJsonValue &v : dels) {
        if (v.toObject().value(QStringLiteral("id")).toString() == p.deliverableId)
            period = v.toObject().value(QStringLiteral("currentPeriod")).toObject();
    }
    QCOMPARE(period.value(QStringLiteral("completed")).toInt(), done);
    QCOMPARE(period.value(QStringLiteral("inProgress")).toInt(), underway);
    QCOMPARE(period.value(QStringLiteral("status")).toString(), status);
}

void TestDashboardApi::campaignPaging()
{
    const qint64 now = m_server->clock().nowMs();
    QStringList ids;
    for (int i = 0; i < 27; ++i) {
        store::Campaign c;
        c.id = Ulid::generate();
        c.tenantId = m_acmeId;
        c.name = QStringLiteral("Campaign %1").arg(i);
        c.brief = QStringLiteral("b");
        c.status = QStringLiteral("active");
        c.createdBy = m_adminUserId;
        c.createdAtMs = now;
        c.updatedAtMs = now;
        QVERIFY(store().campaigns.insert(c).ok());
        ids.prepend(c.id);
    }
    const HttpReply first = get("/dashboard/v1/campaigns?limit=10", m_member);
    QCOMPARE(first.status, 200);
    QStringList seen;
    QJsonObject page = first.json();
    for (int guard = 0; guard < 5; ++guard) {
        for (const QJsonValue &v : page.value(QStringLiteral("data")).toArray())
            seen.append(v.toObject().value(QStringLiteral("id")).toString());
        const QJsonValue next
            = page.value(QStringLiteral("pagination")).toObject().value(QStringLiteral("nextCursor"));
        if (next.isNull())
            break;
        page = get("/dashboard/v1/campaigns?limit=10&cursor=" + next.toString().toLatin1(), m_member).json();
    }
    QCOMPARE(seen, ids);
    // Another tenant sees none of them.
    QCOMPARE(
        get("/dashboard/v1/campaigns", m_globex).json().value(QStringLiteral("data")).toArray().size(), 0);
}

void TestDashboardApi::deliverables()
{
    addAgents(m_acmeId);
    const QString id = createCampaign();
    QTRY_COMPARE_WITH_TIMEOUT(get("/dashboard/v1/activities?filter[status]=done", m_member)
                                  .json()
                                  .value(QStringLiteral("data"))
                                  .toArray()
                                  .size(),
        6, 30000);
    const HttpReply r = get("/dashboard/v1/campaigns/" + id.toLatin1() + "/deliverables", m_member);
    QCOMPARE(r.status, 200);
    const QJsonArray data = r.json().value(QStringLiteral("data")).toArray();
    QCOMPARE(data.size(), 2);
    QString socialId;
    for (const QJsonValue &v : data) {
        const QJsonObject d = v.toObject();
        const QJsonArray periods = d.value(QStringLiteral("periods")).toArray();
        QCOMPARE(periods.size(), 1); // no end date: one period, this month
        const QJsonObject p = periods.first().toObject();
        QVERIFY(Ulid::isValid(p.value(QStringLiteral("id")).toString()));
        QCOMPARE(p.value(QStringLiteral("target")).toInt(), d.value(QStringLiteral("quantity")).toInt());
        QCOMPARE(p.value(QStringLiteral("completed")).toInt(), d.value(QStringLiteral("quantity")).toInt());
        QCOMPARE(p.value(QStringLiteral("status")).toString(), QStringLiteral("on_track"));
        if (d.value(QStringLiteral("type")).toString() == QLatin1String("social_post"))
            socialId = d.value(QStringLiteral("id")).toString();
    }
    QVERIFY(!socialId.isEmpty());
    const QByteArray path = "/dashboard/v1/deliverables/" + socialId.toLatin1() + "/activities";
    const HttpReply page = get(path + "?limit=2", m_member);
    QCOMPARE(page.status, 200);
    QCOMPARE(page.json().value(QStringLiteral("data")).toArray().size(), 2);
    const QString next = page.json()
                             .value(QStringLiteral("pagination"))
                             .toObject()
                             .value(QStringLiteral("nextCursor"))
                             .toString();
    QVERIFY(!next.isEmpty());
    const HttpReply rest = get(path + "?limit=2&cursor=" + next.toLatin1(), m_member);
    QCOMPARE(rest.json().value(QStringLiteral("data")).toArray().size(), 1);
    QVERIFY(rest.json()
                .value(QStringLiteral("pagination"))
                .toObject()
                .value(QStringLiteral("nextCursor"))
                .isNull());
    for (const QJsonValue &v : page.json().value(QStringLiteral("data")).toArray())
        QCOMPARE(v.toObject().value(QStringLiteral("deliverableId")).toString(), socialId);
    QCOMPARE(
        get(path + "?filter[status]=failed", m_member).json().value(QStringLiteral("data")).toArray().size(),
        0);
    QCOMPARE(get(path + "?filter[status]=nope", m_member).status, 400);
    QCOMPARE(get("/dashboard/v1/deliverables/01ARZ3NDEKTSV4RRFFQ69G5FAV/activities", m_member).status, 404);
}

void TestDashboardApi::campaignUpdate_data()
{
    QTest::addColumn<QString>("who");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("field");
    QTest::newRow("campaigns-patch-name-blank-01")
        << "admin" << QByteArray(R"({"name":" "})") << 400 << "name";
    QTest::newRow("campaigns-patch-name-long-02")
        << "admin" << QByteArray(R"({"name":")") + QByteArray(201, 'n') + "\"}" << 400 << "name";
    QTest::newRow("campaigns-patch-brief-type-03")
        << "admin" << QByteArray(R"({"brief":7})") << 400 << "brief";
    QTest::newRow("campaigns-patch-status-04")
        << "admin" << QByteArray(R"({"status":"archived"})") << 400 << "status";
    QTest::newRow("campaigns-patch-budget-05")
        << "admin" << QByteArray(R"({"budgetCapUsd":"lots"})") << 400 << "budgetCapUsd";
    QTest::newRow("campaigns-patch-deliverables-06")
        << "admin" << QByteArray(R"({"deliverables":[{"type":"blog_post","quantity":1}]})") << 422
        << "deliverables";
    QTest::newRow("campaigns-patch-member-07") << "member" << QByteArray(R"({"name":"X"})") << 403 << "";
    QTest::newRow("campaigns-patch-reviewer-08") << "reviewer" << QByteArray(R"({"name":"X"})") << 403 << "";
    QTest::newRow("campaigns-patch-globex-09") << "globex" << QByteArray(R"({"name":"X"})") << 404 << "";
    QTest::newRow("campaigns-patch-ok-10")
        << "admin" << QByteArray(R"({"name":"Renamed","budgetCapUsd":null,"brief":"New brief"})") << 200
        << "";
}
void TestDashboardApi::campaignUpdate()
{
    QFETCH(QString, who);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QString, field);
    const QString id = createCampaign();
    const HttpReply r = call("PATCH", "/dashboard/v1/campaigns/" + id.toLatin1(), tokenFor(who), body);
    QVERIFY2(r.status == status, r.body.constData());
    auto stored = store().campaigns.find(acme(), id);
    QVERIFY(stored.ok() && stored->has_value());
    if (status != 200) {
        if (!field.isEmpty())
            QVERIFY2(detailFields(r).contains(field), r.body.constData());
        QCOMPARE((*stored)->name, QStringLiteral("Spring whitening"));
        return;
    }
    QCOMPARE(r.json().value(QStringLiteral("name")).toString(), QStringLiteral("Renamed"));
    QVERIFY(r.json().value(QStringLiteral("budgetCapUsd")).isNull());
    QCOMPARE(r.json().value(QStringLiteral("deliverableCount")).toInt(), 2);
    QCOMPARE((*stored)->brief, QStringLiteral("New brief"));
    QVERIFY(!(*stored)->budgetCapMicros);
    auto audit = store().audit.list(acme(), QStringLiteral("campaign.updated"));
    QVERIFY(audit.ok() && audit->size() == 1);
    const QJsonObject changes = audit->first().changes;
    QCOMPARE(changes.value(QStringLiteral("name")).toObject().value(QStringLiteral("from")).toString(),
        QStringLiteral("Spring whitening"));
    QCOMPARE(changes.value(QStringLiteral("name")).toObject().value(QStringLiteral("to")).toString(),
        QStringLiteral("Renamed"));
    QCOMPARE(
        changes.value(QStringLiteral("budgetCapUsd")).toObject().value(QStringLiteral("from")).toDouble(),
        250.5);
    QVERIFY(changes.value(QStringLiteral("budgetCapUsd")).toObject().value(QStringLiteral("to")).isNull());
}

void TestDashboardApi::campaignPauseResumeArchive()
{
    const QString id = createCampaign();
    const QByteArray path = "/dashboard/v1/campaigns/" + id.toLatin1();
    // The planning activity finds no agent and blocks; let it settle so the test reads only its own rows.
    QTRY_COMPARE_WITH_TIMEOUT(get("/dashboard/v1/activities?filter[status]=blocked", m_admin)
                                  .json()
                                  .value(QStringLiteral("data"))
                                  .toArray()
                                  .size(),
        1, 10000);
    const store::Activity waiting = insertActivity(id, QStringLiteral("created"));
    const store::Activity running = insertActivity(id, QStringLiteral("in_progress"));
    const store::Activity done = insertActivity(id, QStringLiteral("done"));
    const auto statusOf = [this](const QString &activityId) {
        auto a = store().activities.find(acme(), activityId);
        return a.ok() && a->has_value() ? **a : store::Activity();
    };

    const HttpReply paused = call("PATCH", path, m_admin, R"({"status":"paused"})");
    QVERIFY2(paused.status == 200, paused.body.constData());
    QCOMPARE(paused.json().value(QStringLiteral("status")).toString(), QStringLiteral("paused"));
    for (const auto &a : {waiting, running}) {
        QCOMPARE(statusOf(a.id).status, QStringLiteral("blocked"));
        QCOMPARE(statusOf(a.id).blockReason, QStringLiteral("paused"));
    }
    QCOMPARE(statusOf(done.id).status, QStringLiteral("done"));
    // A retry waits while the campaign is paused.
    const store::Activity failed = insertActivity(id, QStringLiteral("failed"));
    QCOMPARE(post("/dashboard/v1/activities/" + failed.id.toLatin1() + "/retry", m_admin, {}).status, 422);

    const HttpReply resumed = call("PATCH", path, m_admin, R"({"status":"active"})");
    QCOMPARE(resumed.status, 200);
    QCOMPARE(resumed.json().value(QStringLiteral("status")).toString(), QStringLiteral("active"));
    for (const auto &a : {waiting, running}) {
        const store::Activity now = statusOf(a.id);
        QCOMPARE(now.wakeReason, QStringLiteral("manual"));
        QVERIFY(now.blockReason != QLatin1String("paused"));
    }

    const HttpReply archived = call("DELETE", path, m_admin);
    QCOMPARE(archived.status, 204);
    QCOMPARE((**store().campaigns.find(acme(), id)).status, QStringLiteral("archived"));
    QCOMPARE(
        get("/dashboard/v1/campaigns", m_admin).json().value(QStringLiteral("data")).toArray().size(), 0);
    QCOMPARE(
        get(path, m_admin).json().value(QStringLiteral("status")).toString(), QStringLiteral("archived"));
    QCOMPARE(call("DELETE", path, m_admin).status, 204); // archiving twice changes nothing
    QCOMPARE(call("PATCH", path, m_admin, R"({"status":"active"})").status, 409);
    auto audit = store().audit.list(acme(), QStringLiteral("campaign.archived"));
    QVERIFY(audit.ok());
    QCOMPARE(audit->size(), 1);

    const QString other = createCampaign(validBrief(QStringLiteral("Other")));
    QCOMPARE(call("DELETE", "/dashboard/v1/campaigns/" + other.toLatin1(), m_member).status, 403);
    QCOMPARE(call("DELETE", "/dashboard/v1/campaigns/" + other.toLatin1(), m_globex).status, 404);
    QCOMPARE((**store().campaigns.find(acme(), other)).status == QLatin1String("archived"), false);
}

} // namespace lm::test
