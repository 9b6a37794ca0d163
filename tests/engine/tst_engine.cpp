// SPDX-License-Identifier: GPL-3.0-or-later
// The engine end to end on a real server (port 0) per dialect, with the simulator as every agent:
// brief → plan → run → approval → resolve → re-enqueue → done, watched by real SSE clients; the
// budget rules, approval expiry, retries and subtasks. The test moves the clock; workers are real.
#include "agents/runexecutor.h"
#include "events/eventhub.h"
#include "core/ulid.h"
#include "server/serverhost.h"
#include "services/approvalservice.h"
#include "services/campaignservice.h"
#include "services/engine.h"
#include "store/store.h"
#include "testdatabase.h"
#include "testserver.h"
#include "testsse.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <thread>
#include <vector>

using namespace lm;
using namespace lm::test;

namespace {

constexpr int kWaitMs = 20000;

QJsonObject parse(const QByteArray &data)
{
    return QJsonDocument::fromJson(data).object();
}

} // namespace

class TestEngine : public QObject
{
    Q_OBJECT

    std::unique_ptr<TestServer> m_server;
    QString m_tenant; // acme
    QString m_admin; // admin@acme.demo's id

    store::Store &db() { return m_server->host().store(); }
    store::TenantScope scope() const { return store::TenantScope::tenant(m_tenant); }

    // One agent per role the tests use, all on the simulator streaming without delay.
    void seedAgent(const QString &role, const QJsonObject &extra, int concurrency = 2,
        std::optional<qint64> maxCostMicros = std::nullopt,
        const QString &model = QStringLiteral("sim-standard"))
    {
        store::AgentConfig a;
        a.id = Ulid::generate();
        a.tenantId = m_tenant;
        a.role = role;
        a.name = QStringLiteral("Sim ") + role;
        a.model = model;
        a.adapterType = QStringLiteral("simulator");
        QJsonObject config = extra;
        config.insert(QStringLiteral("tokensPerSecond"), 0);
        a.adapterConfig = config;
        a.concurrency = concurrency;
        a.maxCostMicrosPerActivity = maxCostMicros;
        a.createdAtMs = a.updatedAtMs = m_server->clock().nowMs();
        auto existing = db().agents.findByRole(scope(), role);
        QVERIFY(existing.ok());
        if (existing->has_value()) {
            a.id = (*existing)->id;
            QVERIFY(db().agents.update(scope(), a).ok());
        } else {
            QVERIFY(db().agents.insert(a).ok());
        }
    }

    services::Actor admin() const
    {
        services::Actor by;
        by.id = m_admin;
        by.name = QStringLiteral("Alex Acme");
        return by;
    }

    QString createCampaign(const QString &type, int quantity, std::optional<qint64> capMicros = std::nullopt)
    {
        services::NewCampaign brief;
        brief.name = QStringLiteral("Spring smiles");
        brief.brief
            = QStringLiteral("Acme Dental is a family dental clinic in Leeds. Promote teeth whitening.");
        brief.deliverables = {{type, quantity, {}, {}}};
        brief.budgetCapMicros = capMicros;
        auto c = m_server->host().campaigns().create(m_tenant, admin(), brief);
        return c.ok() ? c->id : QString();
    }

    QList<store::Activity> activitiesOf(const QString &campaignId, const QString &type = {})
    {
        store::ActivityFilter f;
        f.campaignId = campaignId;
        auto page = db().activities.list(scope(), f, {{}, 100, false});
        QList<store::Activity> out;
        if (page.ok()) {
            for (const auto &a : page->items) {
                if (type.isEmpty() || a.type == type)
                    out.append(a);
            }
        }
        return out;
    }

    QString statusOf(const QString &activityId)
    {
        auto a = db().activities.find(scope(), activityId);
        return a.ok() && a->has_value() ? (*a)->status : QString();
    }

    QList<store::EventRecord> tenantEvents()
    {
        auto rows = db().events.tenantEventsAfter(m_tenant, 0, 10000);
        return rows.ok() ? *rows : QList<store::EventRecord>();
    }

    int countEvents(const QString &type)
    {
        int n = 0;
        for (const auto &e : tenantEvents())
            n += e.type == type ? 1 : 0;
        return n;
    }

    /// A fresh server, with acme's admin as m_tenant and m_admin (a failure fails the test).
    void startServer(TestServer::Settings settings = {})
    {
        m_server.reset();
        m_server = std::make_unique<TestServer>(settings);
        QVERIFY2(m_server->error().isEmpty(), qPrintable(m_server->error()));
        auto user = db().users.findActiveForLogin(QStringLiteral("admin@acme.demo"));
        QVERIFY(user.ok() && user->has_value());
        m_tenant = (*user)->tenantId;
        m_admin = (*user)->id;
    }

private Q_SLOTS:
    void init()
    {
        startServer();
        if (QTest::currentTestFailed())
            return;
        QVERIFY(db().agents.upsertPrice({QStringLiteral("sim-standard"), 1'000'000, 2'000'000}, 0).ok());
        QVERIFY(db().agents.upsertPrice({QStringLiteral("sim-free"), 0, 0}, 0).ok());
        // $1,000 per million tokens: one blog post costs about a dollar.
        QVERIFY(
            db().agents.upsertPrice({QStringLiteral("sim-pricey"), 1'000'000'000, 1'000'000'000}, 0).ok());
        seedAgent(QStringLiteral("activity_planner"),
            {{QStringLiteral("forceAction"), QStringLiteral("none")}}, 2, std::nullopt,
            QStringLiteral("sim-free"));
    }

    void cleanup() { m_server.reset(); }

    // brief → plan → run → approval → resolve → re-enqueue → done, as a live SSE client sees it.
    void fullLoopWithItsEvents()
    {
        seedAgent(
            QStringLiteral("copywriter"), {{QStringLiteral("forceAction"), QStringLiteral("approval")}});
        const QByteArray token = m_server->login(QStringLiteral("admin@acme.demo"));
        StreamClient feed;
        QVERIFY(feed.open(m_server->port(), "/dashboard/v1/events/stream", token));
        QVERIFY(feed.waitFor([&] { return feed.status != 0; }));
        QCOMPARE(feed.status, 200);
        QCOMPARE(feed.headers.value("content-type"), QByteArray("text/event-stream"));
        QCOMPARE(feed.headers.value("x-accel-buffering"), QByteArray("no"));

        const QString campaignId = createCampaign(QStringLiteral("blog_post"), 1);
        QVERIFY(!campaignId.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(activitiesOf(campaignId, QStringLiteral("blog_post")).size(), 1, kWaitMs);
        const QString blog = activitiesOf(campaignId, QStringLiteral("blog_post")).first().id;
        QTRY_COMPARE_WITH_TIMEOUT(statusOf(blog), QStringLiteral("awaiting_approval"), kWaitMs);

        auto pending = db().approvals.list(scope(), {QStringLiteral("pending"), {}, {}}, {{}, 25, true});
        QVERIFY(pending.ok());
        QCOMPARE(pending->items.size(), 1);
        const store::Approval approval = pending->items.first();
        QCOMPARE(approval.linkedActivities.size(), 1);
        QCOMPARE(approval.linkedActivities.first().id, blog);
        QCOMPARE(approval.campaignId, campaignId);
        // The draft is there to review while the gate holds.
        QTRY_VERIFY_WITH_TIMEOUT(
            !db().activities.find(scope(), blog)->value().outputPreview.isEmpty(), kWaitMs);

        services::ApprovalDecision decision;
        decision.resolution = QStringLiteral("approved");
        if (!approval.options.isEmpty())
            decision.selectedOption = approval.options.first();
        auto resolved = m_server->host().approvals().resolve(scope(), approval.id, decision, admin());
        QVERIFY2(resolved.ok(), qPrintable(resolved.error().message));
        QCOMPARE(resolved->reEnqueuedActivities, 1);
        QTRY_COMPARE_WITH_TIMEOUT(statusOf(blog), QStringLiteral("done"), kWaitMs);
        QCOMPARE(db().activities.find(scope(), blog)->value().wakeReason, QStringLiteral("review_approved"));

        // The live feed: the spec's events in order, each with its id.
        const QStringList watched {QStringLiteral("activity_started"), QStringLiteral("activity_completed"),
            QStringLiteral("approval_created"), QStringLiteral("approval_resolved")};
        QStringList seen;
        const auto collect = [&] {
            seen.clear();
            for (const auto &m : feed.messages()) {
                if (!watched.contains(QString::fromLatin1(m.event)))
                    continue;
                const QJsonObject data = parse(m.data);
                const QString subject = data.value(QStringLiteral("activityId")).toString() == blog
                    ? QStringLiteral("blog")
                    : data.contains(QStringLiteral("approvalId")) ? QStringLiteral("gate")
                                                                  : QStringLiteral("plan");
                seen.append(QString::fromLatin1(m.event) + QLatin1Char(':') + subject);
            }
            return seen.size() >= 7;
        };
        QVERIFY2(feed.waitFor(collect, kWaitMs), qPrintable(seen.join(QLatin1Char(' '))));
        const QStringList expected {QStringLiteral("activity_started:plan"),
            QStringLiteral("activity_completed:plan"), QStringLiteral("activity_started:blog"),
            QStringLiteral("approval_created:gate"), QStringLiteral("approval_resolved:gate"),
            QStringLiteral("activity_started:blog"), QStringLiteral("activity_completed:blog")};
        QCOMPARE(seen, expected);
        const QList<qint64> ids = feed.ids();
        for (qsizetype i = 1; i < ids.size(); ++i)
            QVERIFY(ids[i] > ids[i - 1]);

        // Reconnecting with Last-Event-ID replays exactly what followed it.
        QVERIFY(ids.size() > 4);
        StreamClient resumed;
        QVERIFY(
            resumed.open(m_server->port(), "/dashboard/v1/events/stream", token, QByteArray::number(ids[3])));
        QVERIFY(resumed.waitFor([&] { return resumed.ids().size() >= ids.size() - 4; }, kWaitMs));
        QCOMPARE(resumed.ids(), ids.mid(4));

        // The activity's stream, joined after the fact: the last run whole, then it closes.
        StreamClient output;
        QVERIFY(
            output.open(m_server->port(), "/dashboard/v1/activities/" + blog.toLatin1() + "/stream", token));
        QVERIFY(output.waitFor([&] { return output.ended; }, kWaitMs));
        QString text;
        QString last;
        for (const auto &m : output.messages()) {
            if (m.event.isEmpty())
                continue;
            last = QString::fromLatin1(m.event);
            if (m.event == "text_delta")
                text += parse(m.data).value(QStringLiteral("delta")).toString();
        }
        QCOMPARE(last, QStringLiteral("completed"));
        const auto doc
            = db().runs.findDocument(scope(), db().activities.find(scope(), blog)->value().outputDocumentId);
        QVERIFY(doc.ok() && doc->has_value());
        QCOMPARE(text, (*doc)->body);
        QVERIFY((*doc)->body.contains(QStringLiteral("#")));

        // Two runs, both priced; the campaign's spend is their sum.
        auto runs = db().runs.forActivity(scope(), blog);
        QVERIFY(runs.ok());
        QCOMPARE(runs->size(), 2);
        qint64 spent = 0;
        for (const auto &r : std::as_const(*runs)) {
            QCOMPARE(r.status, QStringLiteral("completed"));
            QVERIFY(r.outputTokens > 0);
            QVERIFY(r.costMicros > 0);
            spent += r.costMicros;
        }
        auto campaign = db().campaigns.find(scope(), campaignId);
        QCOMPARE((*campaign)->status, QStringLiteral("active"));
        QCOMPARE((*campaign)->spentMicros, spent); // the planner runs on a free model
        QCOMPARE(db().activities.find(scope(), blog)->value().costMicros, spent);

        // Deciding again is refused and changes nothing.
        auto again = m_server->host().approvals().resolve(scope(), approval.id, decision, admin());
        QCOMPARE(again.error().code, ErrorCode::Conflict);
    }

    void rejectionCarriesTheNoteToTheNextRun()
    {
        // The agent exists before the brief: otherwise its first run could find no agent and block.
        seedAgent(QStringLiteral("social_media_manager"),
            {{QStringLiteral("forceAction"), QStringLiteral("review")}});
        const QString campaignId = createCampaign(QStringLiteral("social_post"), 1);
        QTRY_COMPARE_WITH_TIMEOUT(activitiesOf(campaignId, QStringLiteral("social_post")).size(), 1, kWaitMs);
        const QString post = activitiesOf(campaignId, QStringLiteral("social_post")).first().id;
        QTRY_COMPARE_WITH_TIMEOUT(statusOf(post), QStringLiteral("awaiting_review"), kWaitMs);
        auto pending = db().approvals.list(scope(), {QStringLiteral("pending"), {}, {}}, {{}, 25, true});
        QCOMPARE(pending->items.size(), 1);

        services::ApprovalDecision decision;
        decision.resolution = QStringLiteral("rejected");
        auto noNote
            = m_server->host().approvals().resolve(scope(), pending->items.first().id, decision, admin());
        QCOMPARE(noNote.error().code, ErrorCode::ValidationError);
        QCOMPARE(noNote.error().details.first().field, QStringLiteral("note"));
        QCOMPARE(statusOf(post), QStringLiteral("awaiting_review"));

        // Change the agent so the next run completes; the note must reach its context.
        seedAgent(QStringLiteral("social_media_manager"),
            {{QStringLiteral("forceAction"), QStringLiteral("none")}});
        decision.note = QStringLiteral("Mention the free consultation.");
        auto resolved
            = m_server->host().approvals().resolve(scope(), pending->items.first().id, decision, admin());
        QVERIFY(resolved.ok());
        QTRY_COMPARE_WITH_TIMEOUT(statusOf(post), QStringLiteral("done"), kWaitMs);
        const auto activity = db().activities.find(scope(), post)->value();
        QCOMPARE(activity.wakeReason, QStringLiteral("review_feedback"));
        QCOMPARE(activity.wakeNote, QStringLiteral("Mention the free consultation."));
    }

    void budgetCapAlertsOnceAndBlocksWhatWaits()
    {
        // One run at a time, on a model priced so that the first post spends the whole cap.
        seedAgent(QStringLiteral("copywriter"), {{QStringLiteral("forceAction"), QStringLiteral("none")}}, 1,
            std::nullopt, QStringLiteral("sim-pricey"));
        const QString campaignId = createCampaign(QStringLiteral("blog_post"), 3, 500'000); // $0.50
        QTRY_COMPARE_WITH_TIMEOUT(activitiesOf(campaignId, QStringLiteral("blog_post")).size(), 3, kWaitMs);
        const auto settled = [&] {
            int done = 0;
            int blocked = 0;
            for (const auto &a : activitiesOf(campaignId, QStringLiteral("blog_post"))) {
                done += a.status == QLatin1String("done") ? 1 : 0;
                blocked += a.status == QLatin1String("blocked")
                    && a.blockReason == QLatin1String("budget_exceeded");
            }
            return done == 1 && blocked == 2;
        };
        QTRY_VERIFY_WITH_TIMEOUT(settled(), kWaitMs);
        QCOMPARE(countEvents(QStringLiteral("budget_alert")), 1);
        for (const auto &e : tenantEvents()) {
            if (e.type != QLatin1String("budget_alert"))
                continue;
            const QJsonObject data = parse(e.data);
            QCOMPARE(data.value(QStringLiteral("type")).toString(), QStringLiteral("campaign_cap_90pct"));
            QCOMPARE(data.value(QStringLiteral("campaignId")).toString(), campaignId);
            QCOMPARE(data.value(QStringLiteral("capUsd")).toDouble(), 0.5);
            QVERIFY(data.value(QStringLiteral("spentUsd")).toDouble() >= 0.5);
        }
        // Nothing else starts while the campaign is over its cap.
        m_server->clock().advanceMs(60'000);
        QTest::qWait(1500);
        int runs = 0;
        for (const auto &a : activitiesOf(campaignId, QStringLiteral("blog_post")))
            runs += int(db().runs.forActivity(scope(), a.id)->size());
        QCOMPARE(runs, 1);
    }

    void runOverItsActivityMaximumIsStopped()
    {
        seedAgent(QStringLiteral("copywriter"), {{QStringLiteral("forceAction"), QStringLiteral("none")}}, 2,
            qint64(20'000), QStringLiteral("sim-pricey")); // $0.02 an activity
        const QString campaignId = createCampaign(QStringLiteral("blog_post"), 1);
        QTRY_COMPARE_WITH_TIMEOUT(activitiesOf(campaignId, QStringLiteral("blog_post")).size(), 1, kWaitMs);
        const QString blog = activitiesOf(campaignId, QStringLiteral("blog_post")).first().id;
        QTRY_COMPARE_WITH_TIMEOUT(statusOf(blog), QStringLiteral("blocked"), kWaitMs);
        const auto activity = db().activities.find(scope(), blog)->value();
        QCOMPARE(activity.blockReason, QStringLiteral("budget_exceeded"));
        auto runs = db().runs.forActivity(scope(), blog);
        QCOMPARE(runs->size(), 1);
        QCOMPARE(runs->first().status, QStringLiteral("failed"));
        QVERIFY(runs->first().error.contains(QStringLiteral("cost_limit_exceeded")));
        // Stopped early: far less than a whole post, and the usage so far is still paid for.
        QVERIFY(runs->first().costMicros > 0);
        QVERIFY(activity.outputDocumentId.isEmpty());
        auto stream = db().events.activityEventsAfter(blog, 0, 1000);
        QCOMPARE(stream->last().type, QStringLiteral("error"));
    }

    void approvalExpiresWithOneNotice()
    {
        seedAgent(
            QStringLiteral("copywriter"), {{QStringLiteral("forceAction"), QStringLiteral("approval")}});
        const QString campaignId = createCampaign(QStringLiteral("ad_copy"), 1);
        QTRY_COMPARE_WITH_TIMEOUT(activitiesOf(campaignId, QStringLiteral("ad_copy")).size(), 1, kWaitMs);
        const QString ad = activitiesOf(campaignId, QStringLiteral("ad_copy")).first().id;
        QTRY_COMPARE_WITH_TIMEOUT(statusOf(ad), QStringLiteral("awaiting_approval"), kWaitMs);
        const store::Approval approval
            = db().approvals.list(scope(), {QStringLiteral("pending"), {}, {}}, {{}, 25, true})
                  ->items.first();
        auto &approvals = m_server->host().approvals();

        // Seven hours before: nothing. Five hours before: one notice, however often the sweep runs.
        m_server->clock().setMs(approval.expiresAtMs - 7 * 3600 * 1000);
        QCOMPARE(*approvals.sweep(), 0);
        QCOMPARE(countEvents(QStringLiteral("approval_expiring")), 0);
        m_server->clock().setMs(approval.expiresAtMs - 5 * 3600 * 1000);
        QCOMPARE(*approvals.sweep(), 0);
        QCOMPARE(*approvals.sweep(), 0);
        QCOMPARE(countEvents(QStringLiteral("approval_expiring")), 1);
        for (const auto &e : tenantEvents()) {
            if (e.type == QLatin1String("approval_expiring"))
                QCOMPARE(parse(e.data).value(QStringLiteral("hoursLeft")).toInt(), 5);
        }

        // At expiresAt: expired, and the activity it held is blocked with that reason.
        m_server->clock().setMs(approval.expiresAtMs);
        QCOMPARE(*approvals.sweep(), 1);
        QCOMPARE(db().approvals.find(scope(), approval.id)->value().status, QStringLiteral("expired"));
        const auto activity = db().activities.find(scope(), ad)->value();
        QCOMPARE(activity.status, QStringLiteral("blocked"));
        QCOMPARE(activity.blockReason, QStringLiteral("approval_expired"));
        QCOMPARE(countEvents(QStringLiteral("approval_expired")), 1);

        services::ApprovalDecision late;
        late.resolution = QStringLiteral("approved");
        late.selectedOption = approval.options.value(0);
        QCOMPARE(approvals.resolve(scope(), approval.id, late, admin()).error().code, ErrorCode::Conflict);
    }

    void retriableFailuresRetryWithBackoffThenStop()
    {
        seedAgent(QStringLiteral("analyst"), {{QStringLiteral("forceAction"), QStringLiteral("failure")}});
        const QString campaignId = createCampaign(QStringLiteral("performance_report"), 1);
        QTRY_COMPARE_WITH_TIMEOUT(
            activitiesOf(campaignId, QStringLiteral("performance_report")).size(), 1, kWaitMs);
        const QString report = activitiesOf(campaignId, QStringLiteral("performance_report")).first().id;
        const auto runsOf = [&] { return int(db().runs.forActivity(scope(), report)->size()); };
        QTRY_COMPARE_WITH_TIMEOUT(runsOf(), 1, kWaitMs);
        QTRY_COMPARE_WITH_TIMEOUT(countEvents(QStringLiteral("activity_failed")), 1, kWaitMs);
        QCOMPARE(statusOf(report), QStringLiteral("assigned")); // queued again, after its backoff
        QTest::qWait(1200);
        QCOMPARE(runsOf(), 1); // not before its time
        m_server->clock().advanceMs(5'000);
        QTRY_COMPARE_WITH_TIMEOUT(runsOf(), 2, kWaitMs);
        QTRY_COMPARE_WITH_TIMEOUT(countEvents(QStringLiteral("activity_failed")), 2, kWaitMs);
        m_server->clock().advanceMs(10'000);
        QTRY_COMPARE_WITH_TIMEOUT(runsOf(), 3, kWaitMs);
        QTRY_COMPARE_WITH_TIMEOUT(statusOf(report), QStringLiteral("failed"), kWaitMs);
        m_server->clock().advanceMs(60'000);
        QTest::qWait(1200);
        QCOMPARE(runsOf(), 3);
        int last = -1;
        for (const auto &e : tenantEvents()) {
            if (e.type == QLatin1String("activity_failed"))
                last = parse(e.data).value(QStringLiteral("retryCount")).toInt();
        }
        QCOMPARE(last, 3);
    }

    void subtaskWakesItsParent()
    {
        seedAgent(QStringLiteral("copywriter"), {{QStringLiteral("forceAction"), QStringLiteral("subtask")}});
        seedAgent(
            QStringLiteral("seo_specialist"), {{QStringLiteral("forceAction"), QStringLiteral("none")}});
        seedAgent(QStringLiteral("analyst"), {{QStringLiteral("forceAction"), QStringLiteral("none")}});
        const QString campaignId = createCampaign(QStringLiteral("email_newsletter"), 1);
        QTRY_COMPARE_WITH_TIMEOUT(
            activitiesOf(campaignId, QStringLiteral("email_newsletter")).size(), 1, kWaitMs);
        const QString mail = activitiesOf(campaignId, QStringLiteral("email_newsletter")).first().id;
        QTRY_COMPARE_WITH_TIMEOUT(statusOf(mail), QStringLiteral("done"), kWaitMs);
        auto subtasks = db().activities.subtasks(scope(), mail);
        QVERIFY(subtasks.ok());
        QCOMPARE(subtasks->size(), 1);
        QCOMPARE(subtasks->first().status, QStringLiteral("done"));
        const auto parent = db().activities.find(scope(), mail)->value();
        QCOMPARE(parent.wakeReason, QStringLiteral("subtask_completed"));
        QCOMPARE(db().runs.forActivity(scope(), mail)->size(), 2);
    }

    void aBigPlanWaitsForAPerson()
    {
        seedAgent(QStringLiteral("social_media_manager"),
            {{QStringLiteral("forceAction"), QStringLiteral("none")}});
        const QString campaignId = createCampaign(QStringLiteral("social_post"), 40);
        QTRY_COMPARE_WITH_TIMEOUT(activitiesOf(campaignId, QStringLiteral("plan")).size(), 1, kWaitMs);
        const QString plan = activitiesOf(campaignId, QStringLiteral("plan")).first().id;
        QTRY_COMPARE_WITH_TIMEOUT(statusOf(plan), QStringLiteral("awaiting_approval"), kWaitMs);
        QCOMPARE(activitiesOf(campaignId, QStringLiteral("social_post")).size(), 0);
        QCOMPARE(db().campaigns.find(scope(), campaignId)->value().status, QStringLiteral("draft"));
        const auto gate
            = db().approvals.list(scope(), {QStringLiteral("pending"), {}, {}}, {{}, 25, true})->items;
        QCOMPARE(gate.size(), 1);
        QCOMPARE(gate.first().type, QStringLiteral("strategy_change"));
        QVERIFY(gate.first().title.contains(QStringLiteral("40")));

        services::ApprovalDecision yes;
        yes.resolution = QStringLiteral("approved");
        QVERIFY(m_server->host().approvals().resolve(scope(), gate.first().id, yes, admin()).ok());
        QTRY_COMPARE_WITH_TIMEOUT(statusOf(plan), QStringLiteral("done"), kWaitMs);
        QCOMPARE(activitiesOf(campaignId, QStringLiteral("social_post")).size(), 40);
        QCOMPARE(db().campaigns.find(scope(), campaignId)->value().status, QStringLiteral("active"));
    }

    void anAgentRunsNoMoreThanItsConcurrency()
    {
        // Slow enough that runs would overlap if the limit were not kept.
        QJsonObject extra {{QStringLiteral("forceAction"), QStringLiteral("none")}};
        seedAgent(QStringLiteral("social_media_manager"), extra, 1);
        {
            auto agent = db().agents.findByRole(scope(), QStringLiteral("social_media_manager"))->value();
            agent.adapterConfig.insert(QStringLiteral("tokensPerSecond"), 400);
            QVERIFY(db().agents.update(scope(), agent).ok());
        }
        const QString campaignId = createCampaign(QStringLiteral("social_post"), 3);
        QTRY_COMPARE_WITH_TIMEOUT(activitiesOf(campaignId, QStringLiteral("social_post")).size(), 3, kWaitMs);
        int most = 0;
        QElapsedTimer timer;
        timer.start();
        const auto allDone = [&] {
            for (const auto &a : activitiesOf(campaignId, QStringLiteral("social_post"))) {
                if (a.status != QLatin1String("done"))
                    return false;
            }
            return true;
        };
        while (!allDone() && timer.elapsed() < 60000) {
            most = std::max(most, *db().runs.runningCount(m_tenant, QStringLiteral("social_media_manager")));
            // Held-back runs look again after a delay on the test's clock.
            m_server->clock().advanceMs(500);
            QTest::qWait(10);
        }
        QVERIFY(allDone());
        QCOMPARE(most, 1);
    }

    // Several instances on one PostgreSQL: a client of one sees what another commits, live.
    void eventsReachTheClientsOfEveryInstance()
    {
        if (currentDialect() != store::Dialect::Postgres)
            QSKIP("several instances share a PostgreSQL store; SQLite is single-instance");
        QTemporaryDir dir;
        server::ServerOptions o;
        o.port = 0;
        o.dataDir = dir.path();
        o.databaseUrl = m_server->databaseUrl();
        o.accessLogPath = QStringLiteral("off");
        // The same signing key, as instances behind one load balancer share it.
        QDir(dir.path()).mkpath(QStringLiteral("keys"));
        for (const char *key : {"keys/jwt-signing.key", "keys/secrets.key"}) {
            QFile::copy(m_server->dataDir() + QLatin1Char('/') + QLatin1String(key),
                dir.path() + QLatin1Char('/') + QLatin1String(key));
            QFile::setPermissions(
                dir.path() + QLatin1Char('/') + QLatin1String(key), QFile::ReadOwner | QFile::WriteOwner);
        }
        server::ServerHost second(o, &m_server->clock());
        auto started = second.start();
        QVERIFY2(started.ok(), qPrintable(started.error().message));

        seedAgent(QStringLiteral("copywriter"), {{QStringLiteral("forceAction"), QStringLiteral("none")}});
        StreamClient feed;
        QVERIFY(feed.open(second.port(), "/dashboard/v1/events/stream",
            m_server->login(QStringLiteral("admin@acme.demo"))));
        QVERIFY(feed.waitFor([&] { return feed.status != 0; }));
        QCOMPARE(feed.status, 200);
        const QString campaignId = createCampaign(QStringLiteral("blog_post"), 1);
        QVERIFY(feed.waitFor(
            [&] {
                for (const auto &m : feed.messages()) {
                    if (m.event == "campaign_planned")
                        return true;
                }
                return false;
            },
            kWaitMs));
        const QList<qint64> ids = feed.ids();
        for (qsizetype i = 1; i < ids.size(); ++i)
            QVERIFY(ids[i] > ids[i - 1]);
        second.stop();
    }

    // Several threads commit events at once, as HTTP handlers and job workers do: a live client
    // still gets every one of them, ids ascending (a stream never sends an id below one it sent, so
    // one published out of commit order would be lost to it).
    void concurrentCommitsReachALiveStreamInOrder()
    {
        // No job workers: only this test's writers publish. Each publish is held up a little at
        // random, as a preempted thread would be, so that publishes racing out of commit order
        // would show (PostgreSQL publishes through the relay, in seq order, and is not affected).
        startServer(TestServer::Settings {true, false, std::chrono::milliseconds(30000), 0});
        if (QTest::currentTestFailed())
            return;
        auto &engine = m_server->host().engine();
        engine.publish = [publish = engine.publish](const store::EventRecord &e) {
            std::this_thread::sleep_for(std::chrono::microseconds(QRandomGenerator::global()->bounded(2000)));
            publish(e);
        };

        StreamClient feed;
        QVERIFY(feed.open(m_server->port(), "/dashboard/v1/events/stream",
            m_server->login(QStringLiteral("admin@acme.demo"))));
        QVERIFY(feed.waitFor([&] { return feed.status != 0; }));
        QCOMPARE(feed.status, 200);
        const QString key = events::EventHub::topicKey(m_tenant, QStringLiteral("tenant"));
        QTRY_COMPARE_WITH_TIMEOUT(m_server->host().eventHub().subscriberCount(key), std::size_t(1), kWaitMs);

        constexpr int kWriters = 4;
        constexpr int kEach = 50;
        std::atomic<int> failures {0};
        std::vector<std::thread> writers;
        for (int w = 0; w < kWriters; ++w) {
            writers.emplace_back([this, w, &failures] {
                for (int i = 0; i < kEach; ++i) {
                    services::UnitOfWork work(m_server->host().engine());
                    auto r = work.tenantEvent(m_tenant, QStringLiteral("order_probe"),
                        {{QStringLiteral("writer"), w}, {QStringLiteral("i"), i}});
                    if (r.ok())
                        r = work.commit();
                    if (!r.ok())
                        ++failures;
                }
            });
        }
        for (auto &writer : writers)
            writer.join();
        QCOMPARE(failures.load(), 0);

        QList<qint64> stored;
        for (const auto &e : tenantEvents()) {
            if (e.type == QLatin1String("order_probe"))
                stored.append(e.seq);
        }
        QCOMPARE(stored.size(), kWriters * kEach);
        const auto received = [&] {
            QList<qint64> ids;
            for (const auto &m : feed.messages()) {
                if (m.event == "order_probe")
                    ids.append(m.id);
            }
            return ids;
        };
        QVERIFY(feed.waitFor([&] { return received().size() >= stored.size(); }, kWaitMs));
        QCOMPARE(received(), stored);
        const QList<qint64> all = feed.ids();
        for (qsizetype i = 1; i < all.size(); ++i)
            QVERIFY(all[i] > all[i - 1]);
    }

    void streamCapPerUser()
    {
        const QByteArray token = m_server->login(QStringLiteral("member@acme.demo"));
        std::vector<std::unique_ptr<StreamClient>> open;
        for (int i = 0; i < 10; ++i) {
            open.push_back(std::make_unique<StreamClient>());
            QVERIFY(open.back()->open(m_server->port(), "/dashboard/v1/events/stream", token));
            QVERIFY(open.back()->waitFor([&] { return open.back()->status != 0; }));
            QCOMPARE(open.back()->status, 200);
        }
        HttpReply refused = m_server->http().get("/dashboard/v1/events/stream", token);
        QCOMPARE(refused.status, 429);
        QCOMPARE(refused.errorCode(), QStringLiteral("RATE_LIMITED"));
        // Another user is not affected, and a closed stream frees its slot.
        StreamClient other;
        QVERIFY(other.open(m_server->port(), "/dashboard/v1/events/stream",
            m_server->login(QStringLiteral("admin@acme.demo"))));
        QVERIFY(other.waitFor([&] { return other.status != 0; }));
        QCOMPARE(other.status, 200);
        open.back()->abort();
        open.pop_back();
        // The server notices the closed socket at once; give it a moment to release the slot.
        int status = 0;
        std::unique_ptr<StreamClient> again;
        for (int attempt = 0; attempt < 50 && status != 200; ++attempt) {
            QTest::qWait(20);
            again = std::make_unique<StreamClient>();
            QVERIFY(again->open(m_server->port(), "/dashboard/v1/events/stream", token));
            QVERIFY(again->waitFor([&] { return again->status != 0; }));
            status = again->status;
        }
        QCOMPARE(status, 200);
    }

    void streamsAreTenantScoped()
    {
        seedAgent(QStringLiteral("copywriter"), {{QStringLiteral("forceAction"), QStringLiteral("none")}});
        StreamClient globex;
        QVERIFY(globex.open(m_server->port(), "/dashboard/v1/events/stream",
            m_server->login(QStringLiteral("admin@globex.demo"))));
        QVERIFY(globex.waitFor([&] { return globex.status != 0; }));
        const QString campaignId = createCampaign(QStringLiteral("blog_post"), 1);
        QTRY_COMPARE_WITH_TIMEOUT(activitiesOf(campaignId, QStringLiteral("blog_post")).size(), 1, kWaitMs);
        const QString blog = activitiesOf(campaignId, QStringLiteral("blog_post")).first().id;
        QTRY_COMPARE_WITH_TIMEOUT(statusOf(blog), QStringLiteral("done"), kWaitMs);
        globex.pump(300);
        QCOMPARE(globex.ids().size(), 0);
        // Another tenant's activity stream does not exist for them.
        HttpReply other = m_server->http().get("/dashboard/v1/activities/" + blog.toLatin1() + "/stream",
            m_server->login(QStringLiteral("admin@globex.demo")));
        QCOMPARE(other.status, 404);
    }
};

QTEST_GUILESS_MAIN(TestEngine)
#include "tst_engine.moc"
