// SPDX-License-Identifier: GPL-3.0-or-later
// /agent/v1 against a real server on port 0, once per dialect. Rows are named <route>-<case>-NN.
// tst_agentapi_runtime plays a whole external runtime through the same routes.
#include "agentfixture.h"
#include "agents/runexecutor.h"
#include "api/router.h"
#include "store/store.h"
#include "testserver.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace lm;
using namespace lm::test;

class TestAgentApi : public QObject
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

    void requests_data();
    void requests();
    void routeTable();
    void streamAsksToStopWhenPaused();
};

void TestAgentApi::requests_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("path"); // {run}: the run of the row; {ended}: an ended run
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("token"); // "" none | run | ended | other-run | wrong | garbage | access
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("errorCode");
    QTest::addColumn<QString>("detailField");

    const QByteArray completed
        = R"({"status":"completed","output":"Done.","usage":{"inputTokens":10,"outputTokens":5}})";
    const QByteArray approval
        = R"({"type":"content_review","riskLevel":"low","title":"Go?","description":"Check it."})";
    const QByteArray delta = R"({"events":[{"type":"text_delta","delta":"Hi"}]})";
    const auto row = [](const char *name, const char *method, const char *path, const QByteArray &body,
                         const char *token, int status, const char *code = "", const char *field = "") {
        QTest::newRow(name) << QByteArray(method) << QByteArray(path) << body << QString::fromLatin1(token)
                            << status << QString::fromLatin1(code) << QString::fromLatin1(field);
    };
    // Authentication: the token must open exactly the run of the path.
    row("context-ok-01", "GET", "/agent/v1/runs/{run}/context", {}, "run", 200);
    row("context-no-token-02", "GET", "/agent/v1/runs/{run}/context", {}, "", 401, "UNAUTHORIZED");
    row("context-wrong-token-03", "GET", "/agent/v1/runs/{run}/context", {}, "wrong", 401, "UNAUTHORIZED");
    row("context-other-run-token-04", "GET", "/agent/v1/runs/{run}/context", {}, "other-run", 401,
        "UNAUTHORIZED");
    row("context-garbage-token-05", "GET", "/agent/v1/runs/{run}/context", {}, "garbage", 401,
        "UNAUTHORIZED");
    row("context-access-token-06", "GET", "/agent/v1/runs/{run}/context", {}, "access", 401, "UNAUTHORIZED");
    row("context-unknown-run-07", "GET", "/agent/v1/runs/01ARZ3NDEKTSV4RRFFQ69G5FAV/context", {}, "run", 401,
        "UNAUTHORIZED");
    row("context-ended-run-08", "GET", "/agent/v1/runs/{ended}/context", {}, "ended", 409, "CONFLICT");
    // Result.
    row("result-ok-09", "POST", "/agent/v1/runs/{run}/result", completed, "run", 200);
    row("result-ended-run-10", "POST", "/agent/v1/runs/{ended}/result", completed, "ended", 409, "CONFLICT",
        "run");
    row("result-other-run-token-11", "POST", "/agent/v1/runs/{run}/result", completed, "other-run", 401,
        "UNAUTHORIZED");
    row("result-bad-status-12", "POST", "/agent/v1/runs/{run}/result", R"({"status":"done","output":"x"})",
        "run", 400, "VALIDATION_ERROR", "status");
    row("result-missing-output-13", "POST", "/agent/v1/runs/{run}/result", R"({"status":"completed"})", "run",
        400, "VALIDATION_ERROR", "output");
    row("result-negative-usage-14", "POST", "/agent/v1/runs/{run}/result",
        R"({"status":"completed","output":"x","usage":{"inputTokens":-1}})", "run", 400, "VALIDATION_ERROR",
        "usage.inputTokens");
    row("result-failed-needs-error-15", "POST", "/agent/v1/runs/{run}/result", R"({"status":"failed"})",
        "run", 400, "VALIDATION_ERROR", "error");
    row("result-failed-ok-16", "POST", "/agent/v1/runs/{run}/result",
        R"({"status":"failed","error":"model overloaded","retriable":false})", "run", 200);
    row("result-bad-format-17", "POST", "/agent/v1/runs/{run}/result",
        R"({"status":"completed","output":"x","format":"pdf"})", "run", 400, "VALIDATION_ERROR", "format");
    row("result-too-large-18", "POST", "/agent/v1/runs/{run}/result",
        "{\"status\":\"completed\",\"output\":\"" + QByteArray(2 * 1024 * 1024 + 100 * 1024, 'a') + "\"}",
        "run", 413, "PAYLOAD_TOO_LARGE");
    // Stream.
    row("stream-ok-19", "POST", "/agent/v1/runs/{run}/stream", delta, "run", 202);
    row("stream-ended-run-20", "POST", "/agent/v1/runs/{ended}/stream", delta, "ended", 409, "CONFLICT");
    row("stream-empty-21", "POST", "/agent/v1/runs/{run}/stream", R"({"events":[]})", "run", 400,
        "VALIDATION_ERROR", "events");
    row("stream-bad-type-22", "POST", "/agent/v1/runs/{run}/stream", R"({"events":[{"type":"shout"}]})",
        "run", 400, "VALIDATION_ERROR", "events[0].type");
    row("stream-missing-delta-23", "POST", "/agent/v1/runs/{run}/stream",
        R"({"events":[{"type":"text_delta"}]})", "run", 400, "VALIDATION_ERROR", "events[0].delta");
    // Actions.
    row("actions-create-approval-ok-24", "POST", "/agent/v1/runs/{run}/actions/create-approval", approval,
        "run", 201);
    row("actions-create-approval-ended-25", "POST", "/agent/v1/runs/{ended}/actions/create-approval",
        approval, "ended", 409, "CONFLICT");
    row("actions-create-approval-no-title-26", "POST", "/agent/v1/runs/{run}/actions/create-approval",
        R"({"type":"content_review","riskLevel":"low"})", "run", 400, "VALIDATION_ERROR", "title");
    row("actions-create-approval-bad-risk-27", "POST", "/agent/v1/runs/{run}/actions/create-approval",
        R"({"type":"content_review","riskLevel":"extreme","title":"Go?","description":"d"})", "run", 400,
        "VALIDATION_ERROR", "riskLevel");
    row("actions-create-approval-one-option-28", "POST", "/agent/v1/runs/{run}/actions/create-approval",
        R"({"type":"content_review","riskLevel":"low","title":"Go?","description":"d","options":["a"]})",
        "run", 400, "VALIDATION_ERROR", "options");
    row("actions-create-subtask-ok-29", "POST", "/agent/v1/runs/{run}/actions/create-subtask",
        R"({"title":"Research","agentRole":"strategist","type":"research","instructions":"Look around."})",
        "run", 201);
    row("actions-request-review-ok-30", "POST", "/agent/v1/runs/{run}/actions/request-review",
        R"({"note":"Is the tone right?"})", "run", 200);
    row("actions-report-blocker-ok-31", "POST", "/agent/v1/runs/{run}/actions/report-blocker",
        R"({"reason":"No product photos."})", "run", 200);
    row("actions-report-blocker-unknown-field-32", "POST", "/agent/v1/runs/{run}/actions/report-blocker",
        R"({"reason":"x","why":"y"})", "run", 400, "VALIDATION_ERROR", "why");
    row("actions-reassign-ok-33", "POST", "/agent/v1/runs/{run}/actions/reassign",
        R"({"reason":"Strategy work","agentRole":"strategist"})", "run", 200);
    row("actions-unknown-34", "POST", "/agent/v1/runs/{run}/actions/launch-rocket", "{}", "run", 404,
        "NOT_FOUND");
    row("actions-malformed-35", "POST", "/agent/v1/runs/{run}/actions/report-blocker", "{", "run", 400,
        "VALIDATION_ERROR", "body");
    // Health and skills: any live run token, answered for its tenant.
    row("health-simulator-ok-36", "GET", "/agent/v1/health/copywriter", {}, "run", 200);
    row("health-no-agent-37", "GET", "/agent/v1/health/designer", {}, "run", 404, "NOT_FOUND");
    row("health-other-tenant-agent-38", "GET", "/agent/v1/health/analyst", {}, "run", 404, "NOT_FOUND");
    row("health-ended-run-token-39", "GET", "/agent/v1/health/copywriter", {}, "ended", 401, "UNAUTHORIZED");
    row("health-no-token-40", "GET", "/agent/v1/health/copywriter", {}, "", 401, "UNAUTHORIZED");
    row("skills-list-ok-41", "GET", "/agent/v1/skills/copywriter", {}, "run", 200);
    row("skills-get-ok-42", "GET", "/agent/v1/skills/copywriter/brand-voice", {}, "run", 200);
    row("skills-get-unknown-43", "GET", "/agent/v1/skills/copywriter/nope", {}, "run", 404, "NOT_FOUND");
    row("skills-get-other-tenant-44", "GET", "/agent/v1/skills/copywriter/globex-secret", {}, "run", 404,
        "NOT_FOUND");
    row("skills-wrong-token-45", "GET", "/agent/v1/skills/copywriter", {}, "wrong", 401, "UNAUTHORIZED");
    // More of the same routes.
    QByteArray many = "{\"events\":[";
    for (int i = 0; i < 501; ++i)
        many += QByteArray(i ? "," : "") + R"({"type":"text_delta","delta":"x"})";
    many += "]}";
    row("stream-too-many-46", "POST", "/agent/v1/runs/{run}/stream", many, "run", 400, "VALIDATION_ERROR",
        "events");
    row("stream-tools-ok-47", "POST", "/agent/v1/runs/{run}/stream",
        R"({"events":[{"type":"tool_call","name":"search","callId":"c1","input":{"q":"dentist"},"secret":"x"},)"
        R"({"type":"tool_result","name":"search","callId":"c1","output":{"hits":3}}]})",
        "run", 202);
    row("result-text-alias-html-48", "POST", "/agent/v1/runs/{run}/result",
        R"({"status":"completed","text":"<p>Hi</p>","format":"html"})", "run", 200);
    row("result-retriable-49", "POST", "/agent/v1/runs/{run}/result",
        R"({"status":"failed","error":"rate limited upstream","retriable":true})", "run", 200);
    row("result-fractional-usage-50", "POST", "/agent/v1/runs/{run}/result",
        R"({"status":"completed","output":"x","usage":{"outputTokens":1.5}})", "run", 400, "VALIDATION_ERROR",
        "usage.outputTokens");
    row("actions-report-blocker-ended-51", "POST", "/agent/v1/runs/{ended}/actions/report-blocker",
        R"({"reason":"x"})", "ended", 409, "CONFLICT");
    row("actions-second-approval-52", "POST", "/agent/v1/runs/{run}/actions/create-approval", approval,
        "run+gate", 409, "CONFLICT");
    row("actions-subtask-unknown-role-53", "POST", "/agent/v1/runs/{run}/actions/create-subtask",
        R"({"title":"Research","agentRole":"designer","type":"research","instructions":"Look around."})",
        "run", 422, "UNPROCESSABLE");
    row("health-access-token-54", "GET", "/agent/v1/health/copywriter", {}, "access", 401, "UNAUTHORIZED");
    row("auth-me-run-token-55", "GET", "/auth/v1/me", {}, "run", 401, "UNAUTHORIZED");
}

void TestAgentApi::requests()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, path);
    QFETCH(QByteArray, body);
    QFETCH(QString, token);
    QFETCH(int, status);
    QFETCH(QString, errorCode);
    QFETCH(QString, detailField);

    const MadeRun run = m_fx->makeRun();
    const MadeRun other = m_fx->makeRun();
    const MadeRun ended = m_fx->makeRun(QStringLiteral("completed"));
    QVERIFY(!run.runId.isEmpty() && !other.runId.isEmpty() && !ended.runId.isEmpty());
    path.replace("{run}", run.runId.toLatin1()).replace("{ended}", ended.runId.toLatin1());
    QByteArray bearer;
    if (token == QLatin1String("run+gate")) {
        // The run has already opened a gate: its activity waits, so a further action no longer applies.
        const HttpReply gate = m_server->http().request(
            "POST", path, body, {{"Authorization", "Bearer " + run.token.toLatin1()}});
        QCOMPARE(gate.status, 201);
        token = QStringLiteral("run");
    }
    if (token == QLatin1String("run"))
        bearer = run.token.toLatin1();
    else if (token == QLatin1String("ended"))
        bearer = ended.token.toLatin1();
    else if (token == QLatin1String("other-run"))
        bearer = other.token.toLatin1();
    else if (token == QLatin1String("wrong"))
        bearer = agents::RunToken::generate().toLatin1();
    else if (token == QLatin1String("garbage"))
        bearer = "not-a-run-token";
    else if (token == QLatin1String("access"))
        bearer = m_server->login(QStringLiteral("admin@acme.demo"));

    TestHttp::Headers headers;
    if (!bearer.isEmpty())
        headers.append({"Authorization", "Bearer " + bearer});
    const HttpReply reply = m_server->http().request(method, path, body, headers);
    QVERIFY2(reply.status == status, reply.body.left(400).constData());
    if (!errorCode.isEmpty())
        QCOMPARE(reply.errorCode(), errorCode);
    if (!detailField.isEmpty()) {
        const QJsonArray details
            = reply.json().value(QLatin1String("error")).toObject().value(QLatin1String("details")).toArray();
        QVERIFY2(!details.isEmpty(), reply.body.constData());
        QCOMPARE(details.first().toObject().value(QLatin1String("field")).toString(), detailField);
    }
    if (status == 401)
        QCOMPARE(reply.headers.value("www-authenticate"), QByteArray("Bearer"));
    // The token never reaches the access log.
    if (!bearer.isEmpty()) {
        QFile log(m_server->dataDir() + QStringLiteral("/logs/access.log"));
        if (log.open(QIODevice::ReadOnly))
            QVERIFY(!log.readAll().contains(bearer));
    }

    const QJsonObject answer = reply.json();
    const QString name = QString::fromLatin1(QTest::currentDataTag());
    if (name.startsWith(QLatin1String("context-ok"))) {
        QCOMPARE(answer.value(QLatin1String("runId")).toString(), run.runId);
        QCOMPARE(answer.value(QLatin1String("campaign")).toObject().value(QLatin1String("id")).toString(),
            m_fx->campaignId());
        const QJsonArray skills = answer.value(QLatin1String("skills")).toArray();
        QCOMPARE(skills.size(), 2); // the tenant's brand-voice replaced the global one
        QCOMPARE(skills.at(0).toObject().value(QLatin1String("content")).toString(),
            QStringLiteral("Acme's own voice."));
        // What a built-in adapter would give its model: messages and the control-plane tools.
        const QJsonArray messages = answer.value(QLatin1String("messages")).toArray();
        QCOMPARE(messages.size(), 2);
        const QJsonObject system = messages.at(0).toObject();
        QCOMPARE(system.value(QLatin1String("role")).toString(), QStringLiteral("system"));
        QVERIFY(
            system.value(QLatin1String("content")).toString().contains(QLatin1String("Acme's own voice.")));
        QVERIFY(messages.at(1)
                    .toObject()
                    .value(QLatin1String("content"))
                    .toString()
                    .contains(QLatin1String("Fill the spring check-up calendar.")));
        const QJsonArray tools = answer.value(QLatin1String("tools")).toArray();
        QCOMPARE(tools.size(), 5);
        QVERIFY(tools.at(0).toObject().value(QLatin1String("inputSchema")).isObject());
    } else if (name.startsWith(QLatin1String("result-ok"))) {
        QCOMPARE(answer.value(QLatin1String("runId")).toString(), run.runId);
        QCOMPARE(answer.value(QLatin1String("activityId")).toString(), run.activityId);
        QCOMPARE(answer.value(QLatin1String("status")).toString(), QStringLiteral("done"));
        auto stored = store().runs.find(scope(), run.runId);
        QVERIFY(stored.ok() && stored->has_value());
        QCOMPARE((*stored)->status, QStringLiteral("completed"));
        QCOMPARE((*stored)->costMicros, qint64(10 + 10)); // 10 in at $1/M, 5 out at $2/M
        // The token ended with its run.
        QCOMPARE(
            m_server->http().get("/agent/v1/runs/" + run.runId.toLatin1() + "/context", bearer).status, 409);
    } else if (name.startsWith(QLatin1String("result-text-alias-html"))) {
        auto activity = store().activities.find(scope(), run.activityId);
        QVERIFY(activity.ok() && activity->has_value());
        auto doc = store().runs.findDocument(scope(), (*activity)->outputDocumentId);
        QVERIFY(doc.ok() && doc->has_value());
        QCOMPARE((*doc)->format, QStringLiteral("html"));
        QCOMPARE((*doc)->body, QStringLiteral("<p>Hi</p>"));
    } else if (name.startsWith(QLatin1String("result-retriable"))) {
        // Failed, then queued again at once by the retry wake.
        QCOMPARE(answer.value(QLatin1String("status")).toString(), QStringLiteral("assigned"));
        auto stored = store().runs.find(scope(), run.runId);
        QVERIFY(stored.ok() && stored->has_value());
        QCOMPARE((*stored)->status, QStringLiteral("failed"));
        QCOMPARE((*stored)->error, QStringLiteral("rate limited upstream"));
    } else if (name.startsWith(QLatin1String("stream-tools-ok"))) {
        auto events = store().events.activityEventsAfter(run.activityId, 0, 100);
        QVERIFY(events.ok());
        QCOMPARE(events->size(), 2);
        const QJsonObject call = QJsonDocument::fromJson(events->first().data).object();
        QCOMPARE(events->first().type, QStringLiteral("tool_call"));
        QCOMPARE(call.value(QLatin1String("input")).toObject().value(QLatin1String("q")).toString(),
            QStringLiteral("dentist"));
        QVERIFY(!call.contains(QLatin1String("secret"))); // only the documented fields are kept
        QCOMPARE(call.value(QLatin1String("runId")).toString(), run.runId);
    } else if (name.startsWith(QLatin1String("result-failed-ok"))) {
        QCOMPARE(answer.value(QLatin1String("status")).toString(), QStringLiteral("failed"));
    } else if (name.startsWith(QLatin1String("stream-ok"))) {
        QCOMPARE(answer.value(QLatin1String("accepted")).toInt(), 1);
        auto events = store().events.activityEventsAfter(run.activityId, 0, 100);
        QVERIFY(events.ok());
        QCOMPARE(events->size(), 1);
        QCOMPARE(events->first().type, QStringLiteral("text_delta"));
    } else if (name.startsWith(QLatin1String("actions-create-approval-ok"))) {
        QVERIFY(!answer.value(QLatin1String("approvalId")).toString().isEmpty());
        auto activity = store().activities.find(scope(), run.activityId);
        QVERIFY(activity.ok() && activity->has_value());
        QCOMPARE((*activity)->status, QStringLiteral("awaiting_approval"));
    } else if (name.startsWith(QLatin1String("actions-report-blocker-ok"))) {
        QCOMPARE(answer.value(QLatin1String("status")).toString(), QStringLiteral("blocked"));
    } else if (name.startsWith(QLatin1String("health-simulator-ok"))) {
        QCOMPARE(answer.value(QLatin1String("ok")).toBool(), true);
        QCOMPARE(answer.value(QLatin1String("adapterType")).toString(), QStringLiteral("simulator"));
        QVERIFY(!answer.value(QLatin1String("checks")).toArray().isEmpty());
    } else if (name.startsWith(QLatin1String("skills-list-ok"))) {
        const QJsonArray data = answer.value(QLatin1String("data")).toArray();
        QCOMPARE(data.size(), 2); // the tenant's brand-voice hides the global one; globex's is not here
        const QJsonObject voice = data.at(0).toObject();
        QCOMPARE(voice.value(QLatin1String("name")).toString(), QStringLiteral("brand-voice"));
        QCOMPARE(voice.value(QLatin1String("scope")).toString(), QStringLiteral("tenant"));
        QCOMPARE(voice.value(QLatin1String("sizeBytes")).toInt(), 17);
        QVERIFY(!voice.contains(QLatin1String("content")));
    } else if (name.startsWith(QLatin1String("skills-get-ok"))) {
        QCOMPARE(answer.value(QLatin1String("content")).toString(), QStringLiteral("Acme's own voice."));
    }
}

void TestAgentApi::routeTable()
{
    // Every /agent/v1 route takes run tokens: exact-run ones where the path names the run.
    int count = 0;
    for (const api::RouteSpec *route : m_server->host().router().routes()) {
        const QString pattern = QString::fromStdString(route->pattern);
        if (!pattern.startsWith(QLatin1String("/agent/v1/")))
            continue;
        ++count;
        const auto expected = pattern.contains(QLatin1String("/:runId/"))
            ? api::AccessPolicy::Kind::AgentRun
            : api::AccessPolicy::Kind::AgentRuntime;
        QVERIFY2(route->access->kind() == expected, qPrintable(pattern));
        QVERIFY2(route->bodyLimit > 0, qPrintable(pattern));
        QVERIFY2(!route->acceptsQueryToken, qPrintable(pattern)); // a token in a URL ends up in logs
    }
    QCOMPARE(count, 11);
}

void TestAgentApi::streamAsksToStopWhenPaused()
{
    const MadeRun run = m_fx->makeRun();
    const QByteArray path = "/agent/v1/runs/" + run.runId.toLatin1() + "/stream";
    const QJsonObject delta {{QStringLiteral("events"),
        QJsonArray {QJsonObject {{QStringLiteral("type"), QStringLiteral("text_delta")},
            {QStringLiteral("delta"), QStringLiteral("a")}}}}};
    HttpReply reply = m_server->http().postJson(path, delta, run.token.toLatin1());
    QCOMPARE(reply.status, 202);
    QVERIFY(!reply.json().contains(QLatin1String("stop")));

    // A person pauses the activity: the next stream answer tells the runtime to stop, as a
    // built-in adapter's sink would.
    auto a = store().activities.find(scope(), run.activityId);
    QVERIFY(a.ok() && a->has_value());
    store::Activity paused = **a;
    paused.status = QStringLiteral("blocked");
    paused.blockReason = QStringLiteral("paused");
    QVERIFY(store().activities.saveTransition(scope(), paused, QStringLiteral("in_progress")).ok());
    reply = m_server->http().postJson(path, delta, run.token.toLatin1());
    QCOMPARE(reply.status, 202);
    QCOMPARE(reply.json().value(QLatin1String("stop")).toObject().value(QLatin1String("reason")).toString(),
        QStringLiteral("paused"));
    // Actions no longer apply; the result still ends the run, and the activity stays paused.
    QCOMPARE(m_server->http()
                 .postJson("/agent/v1/runs/" + run.runId.toLatin1() + "/actions/report-blocker",
                     {{QStringLiteral("reason"), QStringLiteral("x")}}, run.token.toLatin1())
                 .status,
        409);
    reply = m_server->http().postJson("/agent/v1/runs/" + run.runId.toLatin1() + "/result",
        {{QStringLiteral("status"), QStringLiteral("failed")},
            {QStringLiteral("error"), QStringLiteral("stopped: paused")}},
        run.token.toLatin1());
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json().value(QLatin1String("status")).toString(), QStringLiteral("blocked"));
}

QTEST_GUILESS_MAIN(TestAgentApi)
#include "tst_agentapi.moc"
