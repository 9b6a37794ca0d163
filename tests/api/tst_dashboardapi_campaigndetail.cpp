// SPDX-License-Identifier: GPL-3.0-or-later
// GET /campaigns/:id is written by SQLite's own API and JsonWriter on SQLite; its bytes must be
// QJsonDocument's of the reference serialiser (campaignDetailJson), with every optional field
// present and absent.
#include "api/handlers/dashboard/campaigndetail.h"
#include "tst_dashboardapi.h"

namespace lm::test {

namespace {
const QString kAwkward = QStringLiteral("Say \"hi\" \\ to\nthe team\t\u0001 — café 😀 </script>");
}

void TestDashboardApi::campaignDetailMatchesSerialiser()
{
    // Everything written through the repositories: no planning job, no worker moving rows between
    // the answer and the reference.
    const qint64 now = m_server->clock().nowMs();
    const QDate today = m_server->clock().now().date();
    const auto day = [&today](int offset) { return today.addDays(offset).toString(Qt::ISODate); };
    const auto campaign = [&](const QString &name) {
        store::Campaign c;
        c.id = Ulid::generate();
        c.tenantId = m_acmeId;
        c.name = name;
        c.brief = QLatin1String(""); // stored as '' (a null QString would bind NULL)
        c.status = QStringLiteral("active");
        c.createdAtMs = now - 1234;
        c.updatedAtMs = now;
        return c;
    };

    // Every optional field present: fractional budget and spend, dates, attachments, awkward text.
    store::Campaign full = campaign(kAwkward);
    full.brief = kAwkward + kAwkward;
    full.budgetCapMicros = 250'500'000;
    full.spentMicros = 1'234'567;
    full.startDate = day(-40);
    full.endDate = day(60);
    full.attachments = {QStringLiteral("att-1"), kAwkward};
    full.createdBy = m_adminUserId;
    QVERIFY(store().campaigns.insert(full).ok());

    // Every optional field absent: no cap, no dates, no attachments, a creator outside the tenant,
    // nothing under it.
    store::Campaign bare = campaign(QStringLiteral("Bare"));
    bare.status = QStringLiteral("draft");
    bare.createdBy = QStringLiteral("user-of-nobody");
    QVERIFY(store().campaigns.insert(bare).ok());

    // A whole budget and spend (written as integers).
    store::Campaign whole = campaign(QStringLiteral("Whole"));
    whole.createdBy = m_memberUserId;
    whole.budgetCapMicros = 1'000'000'000'000'000;
    whole.spentMicros = 3'000'000;
    QVERIFY(store().campaigns.insert(whole).ok());

    const auto deliverable = [&](const QString &type, int quantity) {
        store::Deliverable d;
        d.id = Ulid::generate();
        d.tenantId = m_acmeId;
        d.campaignId = full.id;
        d.type = type;
        d.quantity = quantity;
        d.createdAtMs = now;
        [&] { QVERIFY(store().campaigns.insertDeliverable(d).ok()); }();
        return d.id;
    };
    const auto period = [&](const QString &deliverableId, int from, int to, int target) {
        store::DeliverablePeriod p;
        p.id = Ulid::generate();
        p.tenantId = m_acmeId;
        p.deliverableId = deliverableId;
        p.periodStart = day(from);
        p.periodEnd = day(to);
        p.target = target;
        p.createdAtMs = now;
        [&] { QVERIFY(store().campaigns.insertPeriod(p).ok()); }();
        return p.id;
    };
    const auto activity = [&](const QString &deliverableId, const QString &periodId, const QString &status) {
        store::Activity a;
        a.id = Ulid::generate();
        a.tenantId = m_acmeId;
        a.campaignId = full.id;
        a.deliverableId = deliverableId;
        a.periodId = periodId;
        a.title = QStringLiteral("Planned");
        a.type = QStringLiteral("blog_post");
        a.status = status;
        a.agentRole = QStringLiteral("copywriter");
        a.inputPrompt = QStringLiteral("Write it.");
        a.createdAtMs = now;
        a.updatedAtMs = now;
        return a;
    };
    const auto save
        = [&](const store::Activity &a) { [&] { QVERIFY(store().activities.insert(a).ok()); }(); };

    // Two periods contain today: the first by start is current. Done, under way, failed, created
    // and a subtask (not counted).
    const QString blogs = deliverable(QStringLiteral("blog_post"), 4);
    period(blogs, -70, -41, 4);
    const QString current = period(blogs, -20, 10, 4);
    period(blogs, -5, 25, 9);
    QString parentId;
    for (const char *status : {"done", "in_progress", "failed", "created", "awaiting_approval"}) {
        store::Activity a = activity(blogs, current, QString::fromLatin1(status));
        a.title = kAwkward;
        a.startedAtMs = now - 5000;
        if (a.status == QLatin1String("done"))
            a.completedAtMs = now - 100;
        save(a);
        parentId = a.id;
    }
    store::Activity child = activity(blogs, current, QStringLiteral("done"));
    child.parentId = parentId;
    save(child);
    // Behind its share of the period: at_risk.
    const QString socials = deliverable(QStringLiteral("social_post"), 10);
    period(socials, -20, 10, 10);
    // Only ended periods: the last one that began, missed.
    const QString audits = deliverable(QStringLiteral("website_audit"), 1);
    period(audits, -90, -61, 1);
    const QString lastAudit = period(audits, -60, -31, 3);
    save(activity(audits, lastAudit, QStringLiteral("done")));
    // Ended and met: on_track.
    const QString reports = deliverable(QStringLiteral("performance_report"), 1);
    const QString metReport = period(reports, -60, -31, 1);
    save(activity(reports, metReport, QStringLiteral("done")));
    // Not begun: no currentPeriod. No periods at all: none either.
    period(deliverable(QStringLiteral("gbp_post"), 2), 5, 35, 2);
    deliverable(QStringLiteral("backlink"), 1);

    // More than ten activities, with and without each optional field: an agent with a name, a
    // human assignee, no role at all; gates, block and wake reasons.
    store::AgentConfig agent;
    agent.id = Ulid::generate();
    agent.tenantId = m_acmeId;
    agent.role = QStringLiteral("detail_writer");
    agent.name = kAwkward;
    agent.model = QStringLiteral("simulator-1");
    agent.adapterType = QStringLiteral("simulator");
    agent.createdAtMs = now;
    agent.updatedAtMs = now;
    QVERIFY(store().agents.insert(agent).ok());
    for (int i = 0; i < 6; ++i) {
        store::Activity b = activity(QString(), QString(), QStringLiteral("blocked"));
        b.agentRole = i % 2 ? QString() : (i == 0 ? agent.role : QStringLiteral("nobody_role"));
        b.assigneeUserId = i % 3 ? m_memberUserId : QString();
        b.blockReason = QStringLiteral("paused");
        b.wakeReason = i % 2 ? QStringLiteral("review_feedback") : QString();
        b.approvalId = i % 2 ? QString() : QStringLiteral("appr-%1").arg(i);
        b.costMicros = 1'500'000 * i + 7;
        b.startedAtMs = i % 2 ? std::optional<qint64>() : std::optional<qint64>(now - i);
        save(b);
    }
    for (int i = 0; i < 2; ++i)
        insertApproval(full.id, insertActivity(full.id, QStringLiteral("awaiting_approval")).id);
    const auto run = [&](const QString &activityId, const QString &role, qint64 micros) {
        store::Run r;
        r.id = Ulid::generate();
        r.tenantId = m_acmeId;
        r.activityId = activityId;
        r.agentRole = role;
        r.adapterType = QStringLiteral("simulator");
        r.model = QStringLiteral("simulator-1");
        r.status = QStringLiteral("completed");
        r.costMicros = micros;
        r.startedAtMs = now;
        [&] { QVERIFY(store().runs.insert(r).ok()); }();
    };
    run(parentId, QStringLiteral("copywriter"), 1'234'567);
    run(parentId, QStringLiteral("copywriter"), 1);
    run(child.id, QStringLiteral("designer"), 3'000'000);
    run(child.id, QLatin1String(""), 12);

    int compared = 0;
    for (const store::Campaign &c : {full, bare, whole}) {
        const HttpReply reply = get("/dashboard/v1/campaigns/" + c.id.toLatin1(), m_member);
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.headers.value("content-type"), QByteArray("application/json"));
        auto found = store().campaigns.find(acme(), c.id);
        QVERIFY(found.ok() && found->has_value());
        api::dashboard::UserNames names(store(), acme());
        auto expected = api::dashboard::campaignDetailJson(store(), acme(), names, **found, today);
        QVERIFY(expected.ok());
        const QByteArray reference = QJsonDocument(*expected).toJson(QJsonDocument::Compact);
        QVERIFY2(reply.body == reference, qPrintable(reply.body + "\n" + reference));
        ++compared;
    }
    QCOMPARE(compared, 3);

    // What the reference says is what a user expects, so the comparison compares something.
    const QJsonObject detail = get("/dashboard/v1/campaigns/" + full.id.toLatin1(), m_member).json();
    QCOMPARE(detail.value(QStringLiteral("name")).toString(), kAwkward);
    QCOMPARE(detail.value(QStringLiteral("budgetCapUsd")).toDouble(), 250.5);
    QCOMPARE(detail.value(QStringLiteral("pendingApprovals")).toInt(), 2);
    QCOMPARE(detail.value(QStringLiteral("recentActivities")).toArray().size(), 10);
    QCOMPARE(detail.value(QStringLiteral("createdBy")).toObject().value(QStringLiteral("name")).toString(),
        adminName());
    QStringList statuses;
    for (const QJsonValue &d : detail.value(QStringLiteral("deliverables")).toArray()) {
        const QJsonObject p = d.toObject().value(QStringLiteral("currentPeriod")).toObject();
        statuses.append(p.isEmpty() ? QStringLiteral("-")
                                    : p.value(QStringLiteral("status")).toString()
                    + QStringLiteral(" %1/%2/%3")
                          .arg(p.value(QStringLiteral("completed")).toInt())
                          .arg(p.value(QStringLiteral("inProgress")).toInt())
                          .arg(p.value(QStringLiteral("target")).toInt()));
    }
    QCOMPARE(statuses,
        QStringList({QStringLiteral("on_track 1/2/4"), QStringLiteral("at_risk 0/0/10"),
            QStringLiteral("missed 1/0/3"), QStringLiteral("on_track 1/0/1"), QStringLiteral("-"),
            QStringLiteral("-")}));
    const QJsonArray costs = detail.value(QStringLiteral("costByAgent")).toArray();
    QCOMPARE(costs.size(), 3);
    QCOMPARE(costs.at(0).toObject().value(QStringLiteral("costUsd")).toDouble(), 3.0);
    QCOMPARE(costs.at(1).toObject().value(QStringLiteral("costUsd")).toDouble(), 1.234568);

    // Another tenant's campaign and an unknown one: 404 in the envelope.
    for (const QByteArray &path : {"/dashboard/v1/campaigns/" + full.id.toLatin1(),
             QByteArray("/dashboard/v1/campaigns/01NOTACAMPAIGN")}) {
        const HttpReply missing = get(path, m_globex);
        QCOMPARE(missing.status, 404);
        QCOMPARE(missing.errorCode(), QStringLiteral("NOT_FOUND"));
    }
}

} // namespace lm::test
