// SPDX-License-Identifier: GPL-3.0-or-later
// Recurring tasks (settings, run now, the scheduler) and the assistant chat over SSE.
#include "tst_dashboardapi_insight.h"

#include "auth/authservice.h"
#include "fakellmserver.h"
#include "services/recurringtasks.h"
#include "testsse.h"

#include <QElapsedTimer>
#include <QThread>

using namespace lm;

namespace lm::test {

namespace {
int activitiesTitled(store::Store &store, const store::TenantScope &scope, const QString &prefix)
{
    auto rows = store.activities.list(scope, {}, {{}, 100, true});
    int n = 0;
    for (const auto &a : std::as_const(rows->items))
        n += a.title.startsWith(prefix) ? 1 : 0;
    return n;
}

QString deltas(const StreamClient &client)
{
    QString text;
    for (const auto &m : client.messages()) {
        if (m.event == "text_delta")
            text += QJsonDocument::fromJson(m.data).object().value(QStringLiteral("delta")).toString();
    }
    return text;
}

QJsonObject lastEvent(const StreamClient &client, QByteArray *type)
{
    const auto messages = client.messages();
    for (auto it = messages.crbegin(); it != messages.crend(); ++it) {
        if (!it->event.isEmpty()) {
            *type = it->event;
            return QJsonDocument::fromJson(it->data).object();
        }
    }
    return {};
}
} // namespace

void TestInsightApi::recurringList()
{
    const InsightFixture f = makeFixture();
    const HttpReply r = get("/dashboard/v1/recurring-tasks", m_reviewer);
    QCOMPARE(r.status, 200);
    const QJsonArray data = r.json().value(QStringLiteral("data")).toArray();
    QCOMPARE(data.size(), 1);
    const QJsonObject t = data.at(0).toObject();
    QCOMPARE(t.value(QStringLiteral("id")).toString(), f.taskId);
    QCOMPARE(t.value(QStringLiteral("assigneeType")).toString(), QStringLiteral("agent"));
    QCOMPARE(t.value(QStringLiteral("agentRole")).toString(), QStringLiteral("analyst"));
    QCOMPARE(t.value(QStringLiteral("periodicity")).toString(), QStringLiteral("monthly"));
    QCOMPARE(t.value(QStringLiteral("trigger")).toString(), QStringLiteral("schedule"));
    QCOMPARE(t.value(QStringLiteral("isActive")).toBool(), true);
    QCOMPARE(t.value(QStringLiteral("variables")).toArray().size(), 2);
    QCOMPARE(
        t.value(QStringLiteral("variableValues")).toObject().value(QStringLiteral("recipients")).toString(),
        QStringLiteral("team@acme.test"));
    const QDateTime next
        = QDateTime::fromString(t.value(QStringLiteral("nextRunAt")).toString(), Qt::ISODateWithMs);
    QVERIFY(next.toMSecsSinceEpoch() > now());
    QCOMPARE(next.toUTC().date().day(), 1);
    QCOMPARE(next.toUTC().time(), QTime(6, 0));
    QVERIFY(t.value(QStringLiteral("lastRunAt")).isNull());
    QCOMPARE(
        get("/dashboard/v1/recurring-tasks", m_globex).json().value(QStringLiteral("data")).toArray().size(),
        0);
}

void TestInsightApi::recurringPatch_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("issue");
    QTest::newRow("tasks-active-type-01") << QByteArray(R"({"isActive":"yes"})") << "isActive"
                                          << "must_be_boolean";
    QTest::newRow("tasks-periodicity-02") << QByteArray(R"({"periodicity":"hourly"})") << "periodicity"
                                          << "invalid";
    QTest::newRow("tasks-periodicity-type-03") << QByteArray(R"({"periodicity":7})") << "periodicity"
                                               << "must_be_string";
    QTest::newRow("tasks-values-type-04") << QByteArray(R"({"variableValues":[1]})") << "variableValues"
                                          << "must_be_object";
    QTest::newRow("tasks-values-unknown-05")
        << QByteArray(R"({"variableValues":{"colour":"red"}})") << "variableValues.colour"
        << "unknown_variable";
    QTest::newRow("tasks-values-number-06")
        << QByteArray(R"({"variableValues":{"maxPages":"ten"}})") << "variableValues.maxPages"
        << "must_be_number";
    QTest::newRow("tasks-values-required-07")
        << QByteArray(R"({"variableValues":{"recipients":null}})") << "variableValues.recipients"
        << "required";
    QTest::newRow("tasks-values-blank-08")
        << QByteArray(R"({"variableValues":{"recipients":"  "}})") << "variableValues.recipients"
        << "required";
    QTest::newRow("tasks-values-long-09")
        << QByteArray(R"({"variableValues":{"recipients":")") + QByteArray(2001, 'r') + QByteArray(R"("}})")
        << "variableValues.recipients"
        << "too_long";
    QTest::newRow("tasks-mixed-10") << QByteArray(R"({"isActive":false,"periodicity":"yearly"})")
                                    << "periodicity"
                                    << "invalid";
    QTest::newRow("tasks-ok-11") << QByteArray(R"({"periodicity":"weekly","variableValues":{"maxPages":25}})")
                                 << ""
                                 << "";
}

void TestInsightApi::recurringPatch()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, field);
    QFETCH(QString, issue);
    const InsightFixture f = makeFixture();
    const store::RecurringTask before = *store().insight.recurringTasks.find(acme(), f.taskId).value();
    const HttpReply r = call("PATCH", "/dashboard/v1/recurring-tasks/" + f.taskId.toLatin1(), m_admin, body);
    const store::RecurringTask after = *store().insight.recurringTasks.find(acme(), f.taskId).value();
    if (!field.isEmpty()) {
        QCOMPARE(r.status, 400);
        QVERIFY2(detailFields(r).contains(field), r.body.constData());
        bool matched = false;
        for (const QJsonValue &d :
            r.json().value(QStringLiteral("error")).toObject().value(QStringLiteral("details")).toArray())
            matched |= d.toObject().value(QStringLiteral("issue")).toString() == issue;
        QVERIFY(matched);
        QCOMPARE(after.isActive, before.isActive);
        QCOMPARE(after.periodicity, before.periodicity);
        QCOMPARE(after.variableValues, before.variableValues);
        QCOMPARE(auditCount(), m_auditBaseline);
        return;
    }
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json().value(QStringLiteral("periodicity")).toString(), QStringLiteral("weekly"));
    QCOMPARE(after.periodicity, QStringLiteral("weekly"));
    QCOMPARE(after.variableValues.value(QStringLiteral("maxPages")).toInt(), 25);
    QCOMPARE(after.variableValues.value(QStringLiteral("recipients")).toString(),
        QStringLiteral("team@acme.test"));
    // A new periodicity reschedules: next Monday 06:00 UTC.
    QCOMPARE(*after.nextRunAtMs, services::RecurringTasks::nextRunAfter(QStringLiteral("weekly"), now()));
    QCOMPARE(QDateTime::fromMSecsSinceEpoch(*after.nextRunAtMs, Qt::UTC).date().dayOfWeek(), 1);
    const store::AuditEntry audit = lastAudit();
    QCOMPARE(audit.action, QStringLiteral("recurring_task.updated"));
    QCOMPARE(audit.changes.value(QStringLiteral("periodicity"))
                 .toObject()
                 .value(QStringLiteral("from"))
                 .toString(),
        QStringLiteral("monthly"));
    QVERIFY(audit.changes.contains(QStringLiteral("variableValues")));
    QVERIFY(audit.changes.contains(QStringLiteral("nextRunAt")));
}

void TestInsightApi::recurringToggle()
{
    const InsightFixture f = makeFixture();
    const QByteArray path = "/dashboard/v1/recurring-tasks/" + f.taskId.toLatin1();
    const HttpReply off = call("PATCH", path, m_admin, R"({"isActive":false})");
    QCOMPARE(off.status, 200);
    QCOMPARE(off.json().value(QStringLiteral("isActive")).toBool(), false);
    QVERIFY(off.json().value(QStringLiteral("nextRunAt")).isNull());
    QVERIFY(!store().insight.recurringTasks.find(acme(), f.taskId).value()->nextRunAtMs);
    // A disabled task is never due.
    QCOMPARE(*services::RecurringTasks(m_server->host().engine()).tick(), 0);
    // The same body again changes nothing and writes no second row.
    const int rows = int(store().audit.list(acme(), {}, 100)->size());
    QCOMPARE(call("PATCH", path, m_admin, R"({"isActive":false})").status, 200);
    QCOMPARE(int(store().audit.list(acme(), {}, 100)->size()), rows);
    m_server->clock().advanceMs(10 * 60 * 1000);
    const HttpReply on = call("PATCH", path, m_admin, R"({"isActive":true})");
    QCOMPARE(on.status, 200);
    const qint64 expected = services::RecurringTasks::nextRunAfter(QStringLiteral("monthly"), now());
    QCOMPARE(QDateTime::fromString(on.json().value(QStringLiteral("nextRunAt")).toString(), Qt::ISODateWithMs)
                 .toMSecsSinceEpoch(),
        expected);
    QCOMPARE(
        lastAudit().changes.value(QStringLiteral("isActive")).toObject().value(QStringLiteral("to")).toBool(),
        true);
}

void TestInsightApi::recurringRunNow()
{
    const InsightFixture f = makeFixture();
    m_server->clock().advanceMs(1000); // the task's report sorts after the fixture's
    const HttpReply r
        = call("POST", "/dashboard/v1/recurring-tasks/" + f.taskId.toLatin1() + "/run", m_admin);
    QCOMPARE(r.status, 202);
    const QString activityId = r.json().value(QStringLiteral("activityId")).toString();
    auto activity = store().activities.find(acme(), activityId);
    QVERIFY(activity.ok() && activity->has_value());
    QCOMPARE((*activity)->agentRole, QStringLiteral("analyst"));
    QCOMPARE((*activity)->type, QStringLiteral("performance_report"));
    QCOMPARE((*activity)->campaignId, f.campaignId);
    QVERIFY((*activity)->inputPrompt.contains(QLatin1String("team@acme.test")));
    // The report the task writes, linked to the activity.
    const QJsonArray reports = get("/dashboard/v1/reports?filter[type]=monthly_performance", m_admin)
                                   .json()
                                   .value(QStringLiteral("data"))
                                   .toArray();
    QCOMPARE(reports.size(), 2);
    const QJsonObject report = get(
        "/dashboard/v1/reports/" + reports.at(0).toObject().value(QStringLiteral("id")).toString().toLatin1(),
        m_admin)
                                   .json();
    QCOMPARE(report.value(QStringLiteral("activityId")).toString(), activityId);
    QCOMPARE(report.value(QStringLiteral("status")).toString(), QStringLiteral("ready"));
    const store::RecurringTask task = *store().insight.recurringTasks.find(acme(), f.taskId).value();
    QCOMPARE(*task.lastRunAtMs, now());
    const store::AuditEntry audit = lastAudit();
    QCOMPARE(audit.action, QStringLiteral("recurring_task.run"));
    QCOMPARE(
        audit.changes.value(QStringLiteral("activityId")).toObject().value(QStringLiteral("to")).toString(),
        activityId);
    // The run went through the queue: the activity is picked up by the simulator.
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < 15000
        && store().activities.find(acme(), activityId).value()->status != QLatin1String("done"))
        QThread::msleep(20);
    QCOMPARE(store().activities.find(acme(), activityId).value()->status, QStringLiteral("done"));
    // With no active campaign to work in: 422, nothing created.
    auto q = store().db().query(QStringLiteral("UPDATE campaigns SET status = 'paused' WHERE tenant_id = ?"));
    q.bind(m_acmeId);
    QVERIFY(q.exec().ok());
    const int before = activitiesTitled(store(), acme(), QStringLiteral("Monthly performance report"));
    const HttpReply refused
        = call("POST", "/dashboard/v1/recurring-tasks/" + f.taskId.toLatin1() + "/run", m_admin);
    QCOMPARE(refused.status, 422);
    QCOMPARE(activitiesTitled(store(), acme(), QStringLiteral("Monthly performance report")), before);
}

void TestInsightApi::schedulerRunsOnce()
{
    const InsightFixture f = makeFixture();
    auto q = store().db().query(QStringLiteral("UPDATE recurring_tasks SET next_run_at = ? WHERE id = ?"));
    q.bind(now() + 1000).bind(f.taskId);
    QVERIFY(q.exec().ok());
    // Two schedulers tick at once (the server's own tick job may run too): the task runs once.
    services::RecurringTasks scheduler(m_server->host().engine());
    services::RecurringTasks another(m_server->host().engine());
    QCOMPARE(*scheduler.tick(), 0); // not due yet
    QCOMPARE(activitiesTitled(store(), acme(), QStringLiteral("Monthly performance report")), 0);
    m_server->clock().advanceMs(1000);
    int ran = 0;
    for (int i = 0; i < 3; ++i) {
        const auto a = scheduler.tick();
        const auto b = another.tick();
        QVERIFY(a.ok() && b.ok());
        ran += *a + *b;
    }
    QVERIFY(ran <= 1);
    QCOMPARE(activitiesTitled(store(), acme(), QStringLiteral("Monthly performance report")), 1);
    const store::RecurringTask task = *store().insight.recurringTasks.find(acme(), f.taskId).value();
    QCOMPARE(*task.lastRunAtMs, now());
    QVERIFY(*task.nextRunAtMs > now());
    QCOMPARE(*task.nextRunAtMs, services::RecurringTasks::nextRunAfter(QStringLiteral("monthly"), now()));
    // Before the next run time nothing more; at it, once more.
    m_server->clock().setMs(*task.nextRunAtMs - 1);
    QCOMPARE(*scheduler.tick(), 0);
    m_server->clock().setMs(*task.nextRunAtMs);
    ran = 0;
    for (int i = 0; i < 3; ++i)
        ran += *scheduler.tick() + *another.tick();
    QVERIFY(ran <= 1);
    QCOMPARE(activitiesTitled(store(), acme(), QStringLiteral("Monthly performance report")), 2);
    const store::RecurringTask again = *store().insight.recurringTasks.find(acme(), f.taskId).value();
    QVERIFY(*again.nextRunAtMs > *task.nextRunAtMs);
}

void TestInsightApi::schedulerThroughQueue()
{
    const InsightFixture f = makeFixture();
    auto q = store().db().query(QStringLiteral("UPDATE recurring_tasks SET next_run_at = ? WHERE id = ?"));
    q.bind(now() + 30 * 1000).bind(f.taskId);
    QVERIFY(q.exec().ok());
    // The tick job is due a minute after start-up: move the clock past it and wake the workers.
    m_server->clock().advanceMs(services::RecurringTasks::kTickIntervalMs + 1000);
    m_server->host().engine().wakeWorkers();
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < 10000
        && !store().insight.recurringTasks.find(acme(), f.taskId).value()->lastRunAtMs)
        QThread::msleep(20);
    const store::RecurringTask task = *store().insight.recurringTasks.find(acme(), f.taskId).value();
    QVERIFY(task.lastRunAtMs.has_value());
    QVERIFY(*task.nextRunAtMs > now());
    QThread::msleep(300);
    QCOMPARE(activitiesTitled(store(), acme(), QStringLiteral("Monthly performance report")), 1);
}

void TestInsightApi::chatStream()
{
    const InsightFixture f = makeFixture();
    StreamClient client;
    const QByteArray body
        = json({{QStringLiteral("message"), QStringLiteral("How much has Spring whitening spent so far?")},
            {QStringLiteral("context"), QJsonObject {{QStringLiteral("campaignId"), f.campaignId}}}});
    QVERIFY(client.post(m_server->port(), "/dashboard/v1/chat/message", m_member, body));
    QVERIFY(client.waitFor([&client] { return client.ended || client.closed(); }, 15000));
    QCOMPARE(client.status, 200);
    QVERIFY(client.headers.value("content-type").startsWith("text/event-stream"));
    QByteArray type;
    const QJsonObject done = lastEvent(client, &type);
    QCOMPARE(type, QByteArray("completed"));
    const QString conversationId = done.value(QStringLiteral("conversationId")).toString();
    QVERIFY(!conversationId.isEmpty());
    QVERIFY(done.value(QStringLiteral("inputTokens")).toInt() > 0);
    QVERIFY(done.value(QStringLiteral("outputTokens")).toInt() > 0);
    int deltaCount = 0;
    for (const auto &m : client.messages())
        deltaCount += m.event == "text_delta" ? 1 : 0;
    QVERIFY(deltaCount > 5);
    const QString answer = deltas(client);
    // The answer comes from the tenant's figures.
    QVERIFY2(answer.contains(QLatin1String("Spring whitening")) && answer.contains(QLatin1String("$40.00")),
        qPrintable(answer));

    const QJsonArray list
        = get("/dashboard/v1/chat/conversations", m_member).json().value(QStringLiteral("data")).toArray();
    QCOMPARE(list.size(), 1); // the admin's conversation is not the member's
    QCOMPARE(list.at(0).toObject().value(QStringLiteral("id")).toString(), conversationId);
    QCOMPARE(list.at(0).toObject().value(QStringLiteral("title")).toString(),
        QStringLiteral("How much has Spring whitening spent so far?"));
    QVERIFY(!list.at(0).toObject().value(QStringLiteral("lastMessage")).toString().isEmpty());
    const QJsonObject conversation
        = get("/dashboard/v1/chat/conversations/" + conversationId.toLatin1(), m_member).json();
    const QJsonArray messages = conversation.value(QStringLiteral("messages")).toArray();
    QCOMPARE(messages.size(), 2);
    QCOMPARE(messages.at(0).toObject().value(QStringLiteral("role")).toString(), QStringLiteral("user"));
    QCOMPARE(messages.at(1).toObject().value(QStringLiteral("role")).toString(), QStringLiteral("assistant"));
    QCOMPARE(messages.at(1).toObject().value(QStringLiteral("content")).toString(), answer);
    QCOMPARE(messages.at(1).toObject().value(QStringLiteral("id")).toString(),
        done.value(QStringLiteral("messageId")).toString());
    const store::AuditEntry audit = lastAudit();
    QCOMPARE(audit.action, QStringLiteral("chat_conversation.created"));
    QCOMPARE(audit.targetId, conversationId);
}

void TestInsightApi::chatContinues()
{
    const InsightFixture f = makeFixture();
    const auto send = [this](const QJsonObject &body) {
        StreamClient client;
        if (!client.post(m_server->port(), "/dashboard/v1/chat/message", m_admin, json(body)))
            return QJsonObject();
        client.waitFor([&client] { return client.ended || client.closed(); }, 15000);
        QByteArray type;
        const QJsonObject last = lastEvent(client, &type);
        return type == "completed" ? last : QJsonObject();
    };
    const QJsonObject first = send({{QStringLiteral("message"), QStringLiteral("Any approvals waiting?")}});
    const QString id = first.value(QStringLiteral("conversationId")).toString();
    QVERIFY(!id.isEmpty());
    m_server->clock().advanceMs(1000);
    const QJsonObject second = send({{QStringLiteral("message"), QStringLiteral("And the reports?")},
        {QStringLiteral("conversationId"), id}});
    QCOMPARE(second.value(QStringLiteral("conversationId")).toString(), id);
    const QJsonArray messages = get("/dashboard/v1/chat/conversations/" + id.toLatin1(), m_admin)
                                    .json()
                                    .value(QStringLiteral("messages"))
                                    .toArray();
    QCOMPARE(messages.size(), 4);
    QCOMPARE(messages.at(2).toObject().value(QStringLiteral("content")).toString(),
        QStringLiteral("And the reports?"));
    QCOMPARE(lastAudit().action, QStringLiteral("chat_conversation.message_sent"));
    // Most recent first: the continued conversation before the fixture's.
    const QJsonArray list
        = get("/dashboard/v1/chat/conversations", m_admin).json().value(QStringLiteral("data")).toArray();
    QCOMPARE(list.size(), 2);
    QCOMPARE(list.at(0).toObject().value(QStringLiteral("id")).toString(), id);

    const HttpReply deleted = call("DELETE", "/dashboard/v1/chat/conversations/" + id.toLatin1(), m_admin);
    QCOMPARE(deleted.status, 200);
    QCOMPARE(deleted.json().value(QStringLiteral("deleted")).toBool(), true);
    QCOMPARE(get("/dashboard/v1/chat/conversations/" + id.toLatin1(), m_admin).status, 404);
    QCOMPARE(call("DELETE", "/dashboard/v1/chat/conversations/" + id.toLatin1(), m_admin).status, 404);
    QCOMPARE(store().insight.chat.messages(acme(), id)->size(), 0);
    QCOMPARE(lastAudit().action, QStringLiteral("chat_conversation.deleted"));
    QCOMPARE(get("/dashboard/v1/chat/conversations", m_admin)
                 .json()
                 .value(QStringLiteral("data"))
                 .toArray()
                 .size(),
        1);
    Q_UNUSED(f);
}

void TestInsightApi::chatValidation_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("field");
    QTest::newRow("chat-message-missing-01") << QByteArray(R"({"context":{}})") << 400 << "message";
    QTest::newRow("chat-message-blank-02") << QByteArray(R"({"message":"   "})") << 400 << "message";
    QTest::newRow("chat-message-type-03") << QByteArray(R"({"message":42})") << 400 << "message";
    QTest::newRow("chat-message-long-04")
        << QByteArray(R"({"message":")") + QByteArray(10001, 'm') + QByteArray(R"("})") << 400 << "message";
    QTest::newRow("chat-conversation-type-05")
        << QByteArray(R"({"message":"hi","conversationId":7})") << 400 << "conversationId";
    QTest::newRow("chat-context-type-06")
        << QByteArray(R"({"message":"hi","context":"campaign"})") << 400 << "context";
    QTest::newRow("chat-context-campaign-type-07")
        << QByteArray(R"({"message":"hi","context":{"campaignId":1}})") << 400 << "context.campaignId";
    QTest::newRow("chat-conversation-unknown-08")
        << QByteArray(R"({"message":"hi","conversationId":"01JUNKNOWN"})") << 404 << "";
    QTest::newRow("chat-activity-unknown-09")
        << QByteArray(R"({"message":"hi","context":{"activityId":"01JUNKNOWN"}})") << 404 << "";
    QTest::newRow("chat-not-json-10") << QByteArray("message=hi") << 400 << "";
}

void TestInsightApi::chatValidation()
{
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QString, field);
    makeFixture();
    const HttpReply r = call("POST", "/dashboard/v1/chat/message", m_admin, body);
    QCOMPARE(r.status, status);
    QVERIFY(r.headers.value("content-type").startsWith("application/json"));
    if (!field.isEmpty())
        QVERIFY2(detailFields(r).contains(field), r.body.constData());
    // Nothing stored: still only the fixture's conversation, no audit row.
    QCOMPARE(store().insight.chat.list(acme(), m_adminUserId, 10)->size(), 1);
    QCOMPARE(auditCount(), m_auditBaseline);
}

void TestInsightApi::chatIsolation()
{
    makeFixture();
    // Globex has no agents, so no assistant: 422 before anything streams or is stored.
    const HttpReply r = call("POST", "/dashboard/v1/chat/message", m_globex, R"({"message":"hello"})");
    QCOMPARE(r.status, 422);
    QVERIFY(detailFields(r).contains(QStringLiteral("assistant")));
    QCOMPARE(get("/dashboard/v1/chat/conversations", m_globex)
                 .json()
                 .value(QStringLiteral("data"))
                 .toArray()
                 .size(),
        0);
}

void TestInsightApi::chatThroughProvider()
{
    const InsightFixture f = makeFixture();
    // The tenant's own assistant agent, on an OpenAI-compatible provider (a fake on loopback).
    FakeLlmServer provider;
    store::AgentConfig a;
    a.id = Ulid::generate();
    a.tenantId = m_acmeId;
    a.role = QStringLiteral("assistant");
    a.name = QStringLiteral("Ava Assistant");
    a.model = QStringLiteral("gpt-test");
    a.adapterType = QStringLiteral("openai");
    a.adapterConfig = {{QStringLiteral("baseUrl"), provider.baseUrl()}, {QStringLiteral("timeoutSec"), 10}};
    a.adapterSecretSealed = m_server->host().auth().secretBox().seal("sk-chat-secret");
    a.createdAtMs = now();
    a.updatedAtMs = now();
    QVERIFY(store().agents.insert(a).ok());
    provider.enqueue(fakellm::text(FakeProtocol::OpenAi,
        {QStringLiteral("Spring whitening"), QStringLiteral(" has spent $40.")}, 321, 7));

    const auto send = [this](const QJsonObject &body, QByteArray *type) {
        StreamClient client;
        client.post(m_server->port(), "/dashboard/v1/chat/message", m_admin, json(body));
        client.waitFor([&client] { return client.ended || client.closed(); }, 15000);
        const QJsonObject last = lastEvent(client, type);
        return std::make_pair(last, deltas(client));
    };
    QByteArray type;
    const auto [done, text]
        = send({{QStringLiteral("message"), QStringLiteral("How is Spring whitening doing?")},
                   {QStringLiteral("context"), QJsonObject {{QStringLiteral("campaignId"), f.campaignId}}}},
            &type);
    QCOMPARE(type, QByteArray("completed"));
    QCOMPARE(text, QStringLiteral("Spring whitening has spent $40."));
    QCOMPARE(done.value(QStringLiteral("inputTokens")).toInt(), 321);
    QCOMPARE(done.value(QStringLiteral("outputTokens")).toInt(), 7);
    // The provider got the key (opened from its seal), the model, the context and the question.
    QCOMPARE(provider.requests().size(), 1);
    const FakeRequest request = provider.requests().first();
    QCOMPARE(request.headers.value("authorization"), QByteArray("Bearer sk-chat-secret"));
    QVERIFY(request.body.contains("gpt-test"));
    QVERIFY(request.body.contains("Ava Assistant"));
    QVERIFY(request.body.contains("Spring whitening"));
    QVERIFY(request.body.contains("How is Spring whitening doing?"));
    // The key is not in what the API or the logs return.
    QVERIFY(!get("/dashboard/v1/logs", m_admin).body.contains("sk-chat-secret"));

    // A provider that refuses: the stream ends with the spec's error, the failed answer is not kept.
    const QString id = done.value(QStringLiteral("conversationId")).toString();
    provider.enqueue(fakellm::error(FakeProtocol::OpenAi, 429, QStringLiteral("slow down")));
    const auto [failed, none] = send(
        {{QStringLiteral("message"), QStringLiteral("And now?")}, {QStringLiteral("conversationId"), id}},
        &type);
    QCOMPARE(type, QByteArray("error"));
    QCOMPARE(failed.value(QStringLiteral("error")).toString(), QStringLiteral("rate_limit_exceeded"));
    QVERIFY(none.isEmpty());
    const QJsonArray messages = get("/dashboard/v1/chat/conversations/" + id.toLatin1(), m_admin)
                                    .json()
                                    .value(QStringLiteral("messages"))
                                    .toArray();
    QCOMPARE(messages.size(), 3);
    QCOMPARE(
        messages.last().toObject().value(QStringLiteral("content")).toString(), QStringLiteral("And now?"));
    // The second request carried the conversation so far.
    QVERIFY(provider.requests().value(1).body.contains("Spring whitening has spent $40."));
}

} // namespace lm::test
