// SPDX-License-Identifier: GPL-3.0-or-later
// A test plays an external agent runtime (tests/support/fakeagentruntime) against a real server on
// port 0, once per dialect: a webhook agent dispatches runs to it, and it drives them over /agent/v1
// with their run tokens — context, stream, an approval gate, the result, and the second run after
// the approval.
#include "agentfixture.h"
#include "fakeagentruntime.h"
#include "jobs/jobworkers.h"
#include "services/approvalservice.h"
#include "store/store.h"
#include "testserver.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace lm;
using namespace lm::test;

class TestAgentRuntime : public QObject
{
    Q_OBJECT

    std::unique_ptr<TestServer> m_server;
    std::unique_ptr<AgentFixture> m_fx;

    store::Store &store() { return m_fx->store(); }
    store::TenantScope scope() const { return m_fx->scope(); }

private Q_SLOTS:
    void init()
    {
        m_server = std::make_unique<TestServer>();
        QVERIFY2(m_server->error().isEmpty(), qPrintable(m_server->error()));
        m_fx = std::make_unique<AgentFixture>(*m_server);
        QVERIFY(m_fx->setUp());
    }
    void cleanup()
    {
        m_fx.reset();
        m_server.reset();
    }

    void runtimeLoop();
    void handedRunDeadline();
    void refusedDispatchFailsTheRun();
    void builtInAdapterTakesTheSamePath();
};

void TestAgentRuntime::runtimeLoop()
{
    FakeAgentRuntime runtime("s3cret");
    QVERIFY(
        m_fx->insertAgent(m_fx->tenantId(), QStringLiteral("social_media_manager"), QStringLiteral("webhook"),
            {{QStringLiteral("url"), runtime.url()}, {QStringLiteral("secret"), QStringLiteral("s3cret")},
                {QStringLiteral("timeoutSec"), 10}}));

    // Enqueue the activity as the engine does: assigned in a unit of work, its run job with it.
    store::Activity activity = m_fx->newActivity(QStringLiteral("created"));
    activity.agentRole = QStringLiteral("social_media_manager");
    QVERIFY(m_fx->enqueue(activity));

    // First run: context, stream, approval gate, result.
    QTRY_VERIFY_WITH_TIMEOUT(runtime.stepsDone(5), 20000);
    QCOMPARE(runtime.badSignatures(), 0);
    const QList<RuntimeStep> first = runtime.steps();
    QCOMPARE(first.at(0).name, QStringLiteral("context"));
    QCOMPARE(first.at(0).status, 200);
    QCOMPARE(first.at(0).body.value(QLatin1String("title")).toString(), activity.title);
    QVERIFY(!first.at(0).body.contains(QLatin1String("wake")));
    // Health of the runtime's own agent: the webhook adapter probes the runtime's URL.
    QCOMPARE(first.at(1).status, 200);
    QCOMPARE(first.at(1).body.value(QLatin1String("adapterType")).toString(), QStringLiteral("webhook"));
    QVERIFY2(first.at(1).body.value(QLatin1String("ok")).toBool(),
        QJsonDocument(first.at(1).body).toJson().constData());
    QCOMPARE(first.at(2).status, 202);
    QCOMPARE(first.at(2).body.value(QLatin1String("accepted")).toInt(), 4);
    QCOMPARE(first.at(3).status, 201);
    const QString approvalId = first.at(3).body.value(QLatin1String("approvalId")).toString();
    QVERIFY(!approvalId.isEmpty());
    QCOMPARE(first.at(4).status, 200);
    QCOMPARE(first.at(4).body.value(QLatin1String("status")).toString(), QStringLiteral("awaiting_approval"));
    const QJsonObject dispatch = runtime.dispatches().first();
    const QString runId = dispatch.value(QLatin1String("runId")).toString();
    QCOMPARE(dispatch.value(QLatin1String("activityId")).toString(), activity.id);
    QVERIFY(dispatch.value(QLatin1String("runToken")).toString().startsWith(QLatin1String("lmr_")));

    auto a = store().activities.find(scope(), activity.id);
    QVERIFY(a.ok() && a->has_value());
    QCOMPARE((*a)->status, QStringLiteral("awaiting_approval"));
    QCOMPARE((*a)->approvalId, approvalId);
    QCOMPARE((*a)->outputPreview, QStringLiteral("# Spring smiles\n\nBook your check-up today."));
    QCOMPARE((*a)->costMicros, qint64(1200 + 1600));
    auto doc = store().runs.findDocument(scope(), (*a)->outputDocumentId);
    QVERIFY(doc.ok() && doc->has_value());
    QCOMPARE((*doc)->runId, runId);
    QCOMPARE((*doc)->format, QStringLiteral("markdown"));

    auto approval = store().approvals.find(scope(), approvalId);
    QVERIFY(approval.ok() && approval->has_value());
    QCOMPARE((*approval)->status, QStringLiteral("pending"));
    QCOMPARE((*approval)->runId, runId);
    QCOMPARE((*approval)->linkedActivities.size(), 1);
    QCOMPARE((*approval)->linkedActivities.first().id, activity.id);

    auto run = store().runs.find(scope(), runId);
    QVERIFY(run.ok() && run->has_value());
    QCOMPARE((*run)->status, QStringLiteral("completed"));
    QCOMPARE((*run)->inputTokens, qint64(1200));
    QCOMPARE((*run)->outputTokens, qint64(800));
    QCOMPARE((*run)->costMicros, qint64(2800));
    auto campaign = store().campaigns.find(scope(), m_fx->campaignId());
    QVERIFY(campaign.ok() && campaign->has_value());
    QCOMPARE((*campaign)->spentMicros, qint64(2800));

    auto events = store().events.activityEventsAfter(activity.id, 0, 1000);
    QVERIFY(events.ok());
    QStringList deltas;
    QStringList types;
    for (const auto &e : std::as_const(*events)) {
        types.append(e.type);
        if (e.type == QLatin1String("text_delta"))
            deltas.append(QJsonDocument::fromJson(e.data).object().value(QLatin1String("delta")).toString());
    }
    QCOMPARE(deltas.join(QString()), QStringLiteral("# Spring smiles\n\nBook your check-up today."));
    QVERIFY2(types.contains(QStringLiteral("tool_call")), qPrintable(types.join(u',')));
    QVERIFY2(types.contains(QStringLiteral("completed")), qPrintable(types.join(u',')));

    // The run has ended: its token opens nothing more.
    const QByteArray token = dispatch.value(QLatin1String("runToken")).toString().toLatin1();
    QCOMPARE(m_server->http()
                 .postJson("/agent/v1/runs/" + runId.toLatin1() + "/result",
                     {{QStringLiteral("status"), QStringLiteral("completed")},
                         {QStringLiteral("output"), QStringLiteral("again")}},
                     token)
                 .status,
        409);

    // A person approves: the activity wakes and the runtime gets a second dispatch.
    services::Actor reviewer;
    reviewer.id = QStringLiteral("reviewer");
    reviewer.name = QStringLiteral("Robin Acme");
    auto resolved = m_server->host().approvals().resolve(
        scope(), approvalId, {QStringLiteral("approved"), {}, QStringLiteral("Ship it")}, reviewer);
    QVERIFY2(resolved.ok(), resolved.ok() ? "" : qPrintable(resolved.error().message));
    QCOMPARE(resolved->reEnqueuedActivities, 1);

    QTRY_VERIFY_WITH_TIMEOUT(runtime.stepsDone(9), 20000);
    const QList<RuntimeStep> second = runtime.steps().mid(5);
    QCOMPARE(runtime.dispatches().size(), 2);
    QVERIFY(runtime.dispatches().at(1).value(QLatin1String("runId")).toString() != runId);
    const QJsonObject wake = second.at(0).body.value(QLatin1String("wake")).toObject();
    QCOMPARE(wake.value(QLatin1String("reason")).toString(), QStringLiteral("review_approved"));
    QCOMPARE(second.at(0).body.value(QLatin1String("previousOutput")).toString(),
        QStringLiteral("# Spring smiles\n\nBook your check-up today."));
    const QJsonArray messages = second.at(0).body.value(QLatin1String("messages")).toArray();
    QVERIFY(!messages.isEmpty());
    QVERIFY(messages.last()
                .toObject()
                .value(QLatin1String("content"))
                .toString()
                .startsWith(QLatin1String("Wake reason: review_approved\nReviewer feedback: Ship it")));
    QCOMPARE(second.at(1).status, 200);
    QCOMPARE(second.at(2).status, 202);
    QCOMPARE(second.at(3).status, 200);
    QCOMPARE(second.at(3).body.value(QLatin1String("status")).toString(), QStringLiteral("done"));

    a = store().activities.find(scope(), activity.id);
    QVERIFY(a.ok() && a->has_value());
    QCOMPARE((*a)->status, QStringLiteral("done"));
    QCOMPARE((*a)->outputPreview, QStringLiteral("# Final post\n\nFinal, as approved."));
    QCOMPARE((*a)->costMicros, qint64(2800 + 100 + 100));
    auto runs = store().runs.forActivity(scope(), activity.id);
    QVERIFY(runs.ok());
    QCOMPARE(runs->size(), 2);
    QCOMPARE(runs->at(1).status, QStringLiteral("completed"));

    // The access log names the runs, never their tokens.
    const QByteArray secondToken
        = runtime.dispatches().at(1).value(QLatin1String("runToken")).toString().toLatin1();
    m_server->host().stop(); // flushes the log
    QFile log(m_server->dataDir() + QStringLiteral("/logs/access.log"));
    QVERIFY(log.open(QIODevice::ReadOnly));
    const QByteArray lines = log.readAll();
    QVERIFY(lines.contains("\"runId\":\"" + runId.toLatin1() + '"'));
    QVERIFY(!lines.contains(token));
    QVERIFY(!lines.contains(secondToken));
    QVERIFY(!lines.contains("lmr_"));
}

void TestAgentRuntime::handedRunDeadline()
{
    FakeAgentRuntime runtime("s3cret", /*drive*/ false);
    QVERIFY(
        m_fx->insertAgent(m_fx->tenantId(), QStringLiteral("social_media_manager"), QStringLiteral("webhook"),
            {{QStringLiteral("url"), runtime.url()}, {QStringLiteral("secret"), QStringLiteral("s3cret")},
                {QStringLiteral("runTimeoutSec"), 60}}));
    store::Activity activity = m_fx->newActivity(QStringLiteral("created"));
    activity.agentRole = QStringLiteral("social_media_manager");
    QVERIFY(m_fx->enqueue(activity));
    QTRY_COMPARE_WITH_TIMEOUT(runtime.dispatches().size(), 1, 20000);
    const QString runId = runtime.dispatches().first().value(QLatin1String("runId")).toString();
    const QByteArray token
        = runtime.dispatches().first().value(QLatin1String("runToken")).toString().toLatin1();
    const QByteArray context = "/agent/v1/runs/" + runId.toLatin1() + "/context";
    QCOMPARE(m_server->http().get(context, token).status, 200);

    // Nothing is reported; a minute later the run is over and its token opens nothing.
    m_server->clock().advanceMs(59'000);
    m_server->host().jobWorkers().wake();
    QTest::qWait(300);
    QCOMPARE(m_server->http().get(context, token).status, 200);
    m_server->clock().advanceMs(2'000);
    m_server->host().jobWorkers().wake();
    QTRY_COMPARE_WITH_TIMEOUT(m_server->http().get(context, token).status, 409, 10000);
    auto run = store().runs.find(scope(), runId);
    QVERIFY(run.ok() && run->has_value());
    QCOMPARE((*run)->status, QStringLiteral("timeout"));
    QCOMPARE((*run)->error, QStringLiteral("the agent runtime did not report a result in time"));
    // A timeout is retried like a built-in adapter's: the activity is queued again.
    auto a = store().activities.find(scope(), activity.id);
    QVERIFY(a.ok() && a->has_value());
    QCOMPARE((*a)->status, QStringLiteral("assigned"));
    QCOMPARE((*a)->retryCount, 1);
}

void TestAgentRuntime::refusedDispatchFailsTheRun()
{
    // The runtime checks signatures with another secret than the agent signs with: it refuses the run.
    FakeAgentRuntime runtime("s3cret");
    QVERIFY(
        m_fx->insertAgent(m_fx->tenantId(), QStringLiteral("social_media_manager"), QStringLiteral("webhook"),
            {{QStringLiteral("url"), runtime.url()},
                {QStringLiteral("secret"), QStringLiteral("not-the-secret")}}));
    store::Activity activity = m_fx->newActivity(QStringLiteral("created"));
    activity.agentRole = QStringLiteral("social_media_manager");
    QVERIFY(m_fx->enqueue(activity));
    QTRY_COMPARE_WITH_TIMEOUT(runtime.badSignatures(), 1, 20000);
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            auto a = store().activities.find(scope(), activity.id);
            return a.ok() && a->has_value() && (*a)->status == QLatin1String("failed");
        }(),
        10000);
    QCOMPARE(runtime.dispatches().size(), 0);
    auto runs = store().runs.forActivity(scope(), activity.id);
    QVERIFY(runs.ok());
    QCOMPARE(runs->size(), 1);
    QCOMPARE(runs->first().status, QStringLiteral("failed"));
    QVERIFY2(runs->first().error.contains(QLatin1String("HTTP 401")), qPrintable(runs->first().error));
}

void TestAgentRuntime::builtInAdapterTakesTheSamePath()
{
    // The simulator's tool call goes through the same schema check and AgentControl as the
    // runtime's POST actions/create-approval: the activity ends up waiting on a linked approval.
    QVERIFY(m_fx->insertAgent(m_fx->tenantId(), QStringLiteral("designer"), QStringLiteral("simulator"),
        {{QStringLiteral("tokensPerSecond"), 0},
            {QStringLiteral("forceAction"), QStringLiteral("approval")}}));
    store::Activity activity = m_fx->newActivity(QStringLiteral("created"));
    activity.agentRole = QStringLiteral("designer");
    QVERIFY(m_fx->enqueue(activity));
    const auto status = [&] {
        auto a = store().activities.find(scope(), activity.id);
        return a.ok() && a->has_value() ? (*a)->status : QString();
    };
    QTRY_COMPARE_WITH_TIMEOUT(status(), QStringLiteral("awaiting_approval"), 20000);
    auto a = store().activities.find(scope(), activity.id);
    QVERIFY(a.ok() && a->has_value());
    auto approval = store().approvals.find(scope(), (*a)->approvalId);
    QVERIFY(approval.ok() && approval->has_value());
    QCOMPARE((*approval)->status, QStringLiteral("pending"));
    QCOMPARE((*approval)->linkedActivities.size(), 1);
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            auto runs = store().runs.forActivity(scope(), activity.id);
            return runs.ok() && runs->size() == 1 && runs->first().status == QLatin1String("completed");
        }(),
        10000);
    auto events = store().events.activityEventsAfter(activity.id, 0, 1000);
    QVERIFY(events.ok());
    bool toolOk = false;
    for (const auto &e : std::as_const(*events)) {
        if (e.type == QLatin1String("tool_result"))
            toolOk = !QJsonDocument::fromJson(e.data)
                          .object()
                          .value(QLatin1String("output"))
                          .toObject()
                          .contains(QLatin1String("error"));
    }
    QVERIFY(toolOk);
}

QTEST_GUILESS_MAIN(TestAgentRuntime)
#include "tst_agentapi_runtime.moc"
