// SPDX-License-Identifier: GPL-3.0-or-later
// The LLM adapters (openai, anthropic, ollama) against a fake provider on loopback that speaks each
// provider's real streaming protocol: text assembly, tool round trips, usage, the request the
// provider saw, error mapping, stop and budget, several worker threads, health checks, no secrets
// in logs or errors.
#include "agents/llmadapters.h"
#include "fakellmserver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QMutex>
#include <QTcpServer>
#include <QTest>

#include <thread>

using namespace lm;
using namespace lm::agents;
using namespace lm::test;

namespace {

const QByteArray kApiKey = QByteArrayLiteral("sk-test-SECRET-7f3a9c2e");

QMutex g_logMutex;
QStringList g_log;
QtMessageHandler g_previousHandler = nullptr;

// Every message of every category, whatever thread logs it.
void captureMessage(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    {
        QMutexLocker lock(&g_logMutex);
        g_log.append(QString::fromLatin1(context.category ? context.category : "default")
            + QStringLiteral(": ") + message);
    }
    if (g_previousHandler)
        g_previousHandler(type, context, message);
}

QStringList capturedLog()
{
    QMutexLocker lock(&g_logMutex);
    return g_log;
}

struct SeenToolCall
{
    QString id;
    QString name;
    QJsonObject input;
};

class RecordingSink : public RunSink
{
public:
    QStringList deltas;
    QList<SeenToolCall> toolCalls;
    QList<QPair<qint64, qint64>> usage;
    int stopAfterDeltas = -1; ///< stopRequested() turns true once this many deltas arrived
    bool refuseUsage = false;

    void textDelta(const QString &delta) override { deltas.append(delta); }
    QJsonObject callTool(const QString &callId, const QString &name, const QJsonObject &input) override
    {
        toolCalls.append({callId, name, input});
        return {{QStringLiteral("approvalId"), QStringLiteral("apr_01TEST")},
            {QStringLiteral("status"), QStringLiteral("pending")}};
    }
    bool reportUsage(qint64 inputTokens, qint64 outputTokens) override
    {
        usage.append({inputTokens, outputTokens});
        return !refuseUsage;
    }
    [[nodiscard]] bool stopRequested() const override
    {
        return stopAfterDeltas >= 0 && deltas.size() >= stopAfterDeltas;
    }
};

FakeProtocol protocolOf(const QString &adapter)
{
    if (adapter == QLatin1String("anthropic"))
        return FakeProtocol::Anthropic;
    if (adapter == QLatin1String("ollama"))
        return FakeProtocol::Ollama;
    return FakeProtocol::OpenAi;
}

QString modelOf(const QString &adapter)
{
    if (adapter == QLatin1String("anthropic"))
        return QStringLiteral("claude-3-5-sonnet-20241022");
    if (adapter == QLatin1String("ollama"))
        return QStringLiteral("llama3.2");
    return QStringLiteral("gpt-4o-mini");
}

RunRequest makeRequest(const QString &adapter, const QString &baseUrl, const QByteArray &apiKey = kApiKey)
{
    RunRequest request;
    request.runId = QStringLiteral("run_01TESTRUN");
    request.activityId = QStringLiteral("act_01TEST");
    request.tenantId = QStringLiteral("ten_01TEST");
    request.agentRole = QStringLiteral("copywriter");
    request.activityType = QStringLiteral("social_post");
    request.title = QStringLiteral("Tagline for Acme");
    request.messages = {
        {QStringLiteral("system"), QStringLiteral("You are a copywriter.")},
        {QStringLiteral("user"), QStringLiteral("Write a tagline for Acme.")},
    };
    request.tools
        = {{QStringLiteral("create_approval"), QStringLiteral("Ask a reviewer to approve a deliverable"),
            QJsonObject {{QStringLiteral("type"), QStringLiteral("object")},
                {QStringLiteral("properties"),
                    QJsonObject {{QStringLiteral("title"),
                                     QJsonObject {{QStringLiteral("type"), QStringLiteral("string")}}},
                        {QStringLiteral("body"),
                            QJsonObject {{QStringLiteral("type"), QStringLiteral("string")}}}}}}}};
    request.config.type = adapter;
    request.config.model = modelOf(adapter);
    request.config.baseUrl = baseUrl;
    request.config.apiKey = apiKey;
    request.config.timeoutSec = 5;
    request.config.maxTurnsPerRun = 4;
    request.config.maxOutputTokens = 1024;
    return request;
}

// A port nothing listens on.
quint16 closedPort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0))
        return 0;
    const quint16 port = server.serverPort();
    server.close();
    return port;
}

QString chatPath(const QString &adapter)
{
    if (adapter == QLatin1String("anthropic"))
        return QStringLiteral("/v1/messages");
    if (adapter == QLatin1String("ollama"))
        return QStringLiteral("/api/chat");
    return QStringLiteral("/v1/chat/completions");
}

QString checksText(const QList<HealthCheck> &checks)
{
    QStringList parts;
    for (const HealthCheck &check : checks)
        parts.append(QStringLiteral("%1=%2").arg(check.name).arg(check.ok ? 1 : 0));
    return parts.join(QLatin1Char(','));
}

} // namespace

class TestLlmAdapters : public QObject
{
    Q_OBJECT

    std::unique_ptr<FakeLlmServer> m_fake;

private Q_SLOTS:
    void initTestCase()
    {
        QLoggingCategory::setFilterRules(QStringLiteral("lm.agents.debug=true"));
        g_previousHandler = qInstallMessageHandler(captureMessage);
        m_fake = std::make_unique<FakeLlmServer>();
        QVERIFY(m_fake->port() != 0);
    }

    void init() { m_fake->reset(); }

    void cleanup()
    {
        // Whatever a test did, the API key never reached the log.
        for (const QString &line : capturedLog())
            QVERIFY2(!line.contains(QString::fromLatin1(kApiKey)), qPrintable(line));
    }

    void cleanupTestCase()
    {
        m_fake.reset();
        qInstallMessageHandler(g_previousHandler);
    }

    void factory()
    {
        QCOMPARE(llmAdapterTypes(),
            (QStringList {QStringLiteral("openai"), QStringLiteral("anthropic"), QStringLiteral("ollama")}));
        for (const QString &type : llmAdapterTypes()) {
            const auto adapter = makeLlmAdapter(type);
            QVERIFY(adapter);
            QCOMPARE(adapter->type(), type);
        }
        QVERIFY(!makeLlmAdapter(QStringLiteral("simulator")));
        QVERIFY(!makeLlmAdapter(QString()));
    }

    void streamsText_data()
    {
        QTest::addColumn<QString>("adapter");
        QTest::addColumn<bool>("withKey");
        QTest::addColumn<QString>("baseSuffix");
        QTest::addColumn<QString>("finish");
        QTest::newRow("openai-text-01") << "openai" << true << ""
                                        << "stop";
        QTest::newRow("anthropic-text-01") << "anthropic" << true << ""
                                           << "end_turn";
        QTest::newRow("ollama-text-01") << "ollama" << false << ""
                                        << "stop";
        QTest::newRow("openai-nokey-02") << "openai" << false << ""
                                         << "stop";
        QTest::newRow("openai-v1base-03") << "openai" << true << "/v1/"
                                          << "stop";
        QTest::newRow("ollama-proxykey-02") << "ollama" << true << "/"
                                            << "stop";
    }

    void streamsText()
    {
        QFETCH(QString, adapter);
        QFETCH(bool, withKey);
        QFETCH(QString, baseSuffix);
        QFETCH(QString, finish);
        const QStringList pieces {QStringLiteral("Acme: "), QStringLiteral("built "), QStringLiteral("to "),
            QStringLiteral("last, "), QStringLiteral("priced to move. "), QStringLiteral("Ünïcode ✓")};
        m_fake->enqueue(fakellm::text(protocolOf(adapter), pieces, 37, 12));

        RecordingSink sink;
        const RunRequest request
            = makeRequest(adapter, m_fake->baseUrl() + baseSuffix, withKey ? kApiKey : QByteArray());
        auto outcome = makeLlmAdapter(adapter)->run(request, sink);
        QVERIFY2(outcome.ok(), qPrintable(outcome.error().message));

        // What the user sees: the text in order, streamed in several pieces, and the tokens.
        QCOMPARE(outcome->end, RunOutcome::End::Completed);
        QCOMPARE(outcome->text, pieces.join(QString()));
        QCOMPARE(sink.deltas, pieces);
        QCOMPARE(outcome->inputTokens, 37);
        QCOMPARE(outcome->outputTokens, 12);
        QCOMPARE(outcome->finishReason, finish);
        QCOMPARE(sink.usage.last(), qMakePair(qint64(37), qint64(12)));
        QVERIFY(sink.toolCalls.isEmpty());

        // What the provider saw.
        const QList<FakeRequest> seen = m_fake->requests();
        QCOMPARE(seen.size(), 1);
        const FakeRequest &req = seen.first();
        QCOMPARE(req.method, QByteArray("POST"));
        QCOMPARE(QString::fromLatin1(req.path), chatPath(adapter));
        QCOMPARE(req.headers.value("content-type"), QByteArray("application/json"));
        const QJsonObject body = req.json();
        QCOMPARE(body.value(QStringLiteral("model")).toString(), modelOf(adapter));
        QCOMPARE(body.value(QStringLiteral("stream")).toBool(), true);
        const QJsonArray messages = body.value(QStringLiteral("messages")).toArray();
        const QJsonObject tool = body.value(QStringLiteral("tools")).toArray().first().toObject();
        if (adapter == QLatin1String("anthropic")) {
            QCOMPARE(req.headers.value("x-api-key"), kApiKey);
            QCOMPARE(req.headers.value("anthropic-version"), QByteArray("2023-06-01"));
            QVERIFY(!req.headers.contains("authorization"));
            QCOMPARE(
                body.value(QStringLiteral("system")).toString(), QStringLiteral("You are a copywriter."));
            QCOMPARE(messages.size(), 1);
            QCOMPARE(messages[0].toObject().value(QStringLiteral("role")).toString(), QStringLiteral("user"));
            QCOMPARE(body.value(QStringLiteral("max_tokens")).toInt(), 1024);
            QCOMPARE(tool.value(QStringLiteral("name")).toString(), QStringLiteral("create_approval"));
            QVERIFY(
                tool.value(QStringLiteral("input_schema")).toObject().contains(QStringLiteral("properties")));
        } else {
            QCOMPARE(
                req.headers.value("authorization"), withKey ? QByteArray("Bearer " + kApiKey) : QByteArray());
            QCOMPARE(messages.size(), 2);
            QCOMPARE(
                messages[0].toObject().value(QStringLiteral("role")).toString(), QStringLiteral("system"));
            QCOMPARE(messages[0].toObject().value(QStringLiteral("content")).toString(),
                QStringLiteral("You are a copywriter."));
            QCOMPARE(tool.value(QStringLiteral("type")).toString(), QStringLiteral("function"));
            const QJsonObject function = tool.value(QStringLiteral("function")).toObject();
            QCOMPARE(function.value(QStringLiteral("name")).toString(), QStringLiteral("create_approval"));
            QVERIFY(function.value(QStringLiteral("parameters"))
                        .toObject()
                        .contains(QStringLiteral("properties")));
            if (adapter == QLatin1String("openai")) {
                QCOMPARE(body.value(QStringLiteral("stream_options"))
                             .toObject()
                             .value(QStringLiteral("include_usage"))
                             .toBool(),
                    true);
                QCOMPARE(body.value(QStringLiteral("max_tokens")).toInt(), 1024);
            } else {
                QCOMPARE(body.value(QStringLiteral("options"))
                             .toObject()
                             .value(QStringLiteral("num_predict"))
                             .toInt(),
                    1024);
            }
        }
    }

    void toolRoundTrip_data()
    {
        QTest::addColumn<QString>("adapter");
        QTest::addColumn<QString>("callId");
        QTest::newRow("openai-toolcall-01") << "openai"
                                            << "call_abc123";
        QTest::newRow("anthropic-toolcall-01") << "anthropic"
                                               << "toolu_01abc";
        // Ollama's native API has no call ids: the adapter numbers the calls.
        QTest::newRow("ollama-toolcall-01") << "ollama"
                                            << "call_1";
    }

    void toolRoundTrip()
    {
        QFETCH(QString, adapter);
        QFETCH(QString, callId);
        const FakeProtocol protocol = protocolOf(adapter);
        m_fake->enqueue(fakellm::toolCall(protocol, QStringLiteral("Let me file that. "), callId,
            QStringLiteral("create_approval"),
            {QStringLiteral("{\"title\":"), QStringLiteral("\"Tagline\",\"body\":\"Acme: "),
                QStringLiteral("built to last\"}")},
            20, 8));
        m_fake->enqueue(fakellm::text(protocol,
            {QStringLiteral("Submitted "), QStringLiteral("for "), QStringLiteral("review.")}, 40, 6));

        RecordingSink sink;
        auto outcome = makeLlmAdapter(adapter)->run(makeRequest(adapter, m_fake->baseUrl()), sink);
        QVERIFY2(outcome.ok(), qPrintable(outcome.error().message));
        QCOMPARE(outcome->end, RunOutcome::End::Completed);
        QCOMPARE(outcome->text, QStringLiteral("Let me file that. Submitted for review."));
        QCOMPARE(sink.deltas.join(QString()), outcome->text);

        // The tool ran once, with the streamed fragments parsed into one input object.
        QCOMPARE(sink.toolCalls.size(), 1);
        QCOMPARE(sink.toolCalls[0].id, callId);
        QCOMPARE(sink.toolCalls[0].name, QStringLiteral("create_approval"));
        const QJsonObject expectedInput {{QStringLiteral("title"), QStringLiteral("Tagline")},
            {QStringLiteral("body"), QStringLiteral("Acme: built to last")}};
        QCOMPARE(sink.toolCalls[0].input, expectedInput);

        // Usage is cumulative over both calls, reported as it becomes known and after each call.
        QVERIFY(sink.usage.contains(qMakePair(qint64(20), qint64(8))));
        QCOMPARE(sink.usage.last(), qMakePair(qint64(60), qint64(14)));
        for (qsizetype i = 1; i < sink.usage.size(); ++i) {
            QVERIFY(sink.usage[i].first >= sink.usage[i - 1].first);
            QVERIFY(sink.usage[i].second >= sink.usage[i - 1].second);
        }
        QCOMPARE(outcome->inputTokens, 60);
        QCOMPARE(outcome->outputTokens, 14);

        // The second request carries the call and its result in the provider's format.
        const QList<FakeRequest> seen = m_fake->requests();
        QCOMPARE(seen.size(), 2);
        const QJsonArray messages = seen[1].json().value(QStringLiteral("messages")).toArray();
        QVERIFY(messages.size() >= 3);
        const QJsonObject call = messages[messages.size() - 2].toObject();
        const QJsonObject result = messages[messages.size() - 1].toObject();
        QCOMPARE(call.value(QStringLiteral("role")).toString(), QStringLiteral("assistant"));
        if (adapter == QLatin1String("anthropic")) {
            const QJsonArray content = call.value(QStringLiteral("content")).toArray();
            QCOMPARE(content.size(), 2);
            QCOMPARE(content[0].toObject().value(QStringLiteral("text")).toString(),
                QStringLiteral("Let me file that. "));
            const QJsonObject use = content[1].toObject();
            QCOMPARE(use.value(QStringLiteral("type")).toString(), QStringLiteral("tool_use"));
            QCOMPARE(use.value(QStringLiteral("id")).toString(), callId);
            QCOMPARE(use.value(QStringLiteral("input")).toObject(), expectedInput);
            QCOMPARE(result.value(QStringLiteral("role")).toString(), QStringLiteral("user"));
            const QJsonObject block = result.value(QStringLiteral("content")).toArray().first().toObject();
            QCOMPARE(block.value(QStringLiteral("type")).toString(), QStringLiteral("tool_result"));
            QCOMPARE(block.value(QStringLiteral("tool_use_id")).toString(), callId);
            QVERIFY(block.value(QStringLiteral("content")).toString().contains(QStringLiteral("apr_01TEST")));
            QCOMPARE(seen[1].json().value(QStringLiteral("system")).toString(),
                QStringLiteral("You are a copywriter."));
        } else {
            const QJsonObject first = call.value(QStringLiteral("tool_calls")).toArray().first().toObject();
            const QJsonObject function = first.value(QStringLiteral("function")).toObject();
            QCOMPARE(function.value(QStringLiteral("name")).toString(), QStringLiteral("create_approval"));
            QCOMPARE(result.value(QStringLiteral("role")).toString(), QStringLiteral("tool"));
            QCOMPARE(QJsonDocument::fromJson(result.value(QStringLiteral("content")).toString().toUtf8())
                         .object()
                         .value(QStringLiteral("approvalId"))
                         .toString(),
                QStringLiteral("apr_01TEST"));
            if (adapter == QLatin1String("openai")) {
                QCOMPARE(first.value(QStringLiteral("id")).toString(), callId);
                QCOMPARE(first.value(QStringLiteral("type")).toString(), QStringLiteral("function"));
                QCOMPARE(
                    QJsonDocument::fromJson(function.value(QStringLiteral("arguments")).toString().toUtf8())
                        .object(),
                    expectedInput);
                QCOMPARE(result.value(QStringLiteral("tool_call_id")).toString(), callId);
            } else {
                QCOMPARE(function.value(QStringLiteral("arguments")).toObject(), expectedInput);
                QCOMPARE(
                    result.value(QStringLiteral("tool_name")).toString(), QStringLiteral("create_approval"));
            }
        }
    }

    void parallelTools_data()
    {
        QTest::addColumn<QString>("adapter");
        QTest::newRow("openai-paralleltools-01") << "openai";
        QTest::newRow("anthropic-paralleltools-01") << "anthropic";
        QTest::newRow("ollama-paralleltools-01") << "ollama";
    }

    void parallelTools()
    {
        // Two calls in one answer: both run, in order, and both results go back, each with its id.
        QFETCH(QString, adapter);
        const FakeProtocol protocol = protocolOf(adapter);
        const bool ollama = adapter == QLatin1String("ollama");
        m_fake->enqueue(fakellm::toolCalls(protocol, QString(),
            {{ollama ? QString() : QStringLiteral("call_a"), QStringLiteral("create_approval"),
                 {QStringLiteral("{\"title\""), QStringLiteral(":\"A\"}")}},
                {ollama ? QString() : QStringLiteral("call_b"), QStringLiteral("report_blocker"),
                    {QStringLiteral("{\"reason\":"), QStringLiteral("\"no brand kit\""),
                        QStringLiteral("}")}}},
            10, 5));
        m_fake->enqueue(fakellm::text(protocol, {QStringLiteral("Done.")}, 20, 2));
        RecordingSink sink;
        auto outcome = makeLlmAdapter(adapter)->run(makeRequest(adapter, m_fake->baseUrl()), sink);
        QVERIFY2(outcome.ok(), qPrintable(outcome.error().message));
        QCOMPARE(outcome->text, QStringLiteral("Done."));
        QCOMPARE(sink.toolCalls.size(), 2);
        const QString idA = ollama ? QStringLiteral("call_1") : QStringLiteral("call_a");
        const QString idB = ollama ? QStringLiteral("call_2") : QStringLiteral("call_b");
        QCOMPARE(sink.toolCalls[0].id, idA);
        QCOMPARE(sink.toolCalls[0].name, QStringLiteral("create_approval"));
        QCOMPARE(sink.toolCalls[0].input, (QJsonObject {{QStringLiteral("title"), QStringLiteral("A")}}));
        QCOMPARE(sink.toolCalls[1].id, idB);
        QCOMPARE(sink.toolCalls[1].name, QStringLiteral("report_blocker"));
        QCOMPARE(sink.toolCalls[1].input,
            (QJsonObject {{QStringLiteral("reason"), QStringLiteral("no brand kit")}}));

        const QJsonArray messages
            = m_fake->requests().value(1).json().value(QStringLiteral("messages")).toArray();
        if (adapter == QLatin1String("anthropic")) {
            const QJsonArray results = messages.last().toObject().value(QStringLiteral("content")).toArray();
            QCOMPARE(results.size(), 2);
            QCOMPARE(results[0].toObject().value(QStringLiteral("tool_use_id")).toString(), idA);
            QCOMPARE(results[1].toObject().value(QStringLiteral("tool_use_id")).toString(), idB);
        } else {
            QVERIFY(messages.size() >= 4);
            const QJsonObject assistant = messages[messages.size() - 3].toObject();
            QCOMPARE(assistant.value(QStringLiteral("tool_calls")).toArray().size(), 2);
            const QJsonObject first = messages[messages.size() - 2].toObject();
            const QJsonObject second = messages[messages.size() - 1].toObject();
            QCOMPARE(first.value(QStringLiteral("role")).toString(), QStringLiteral("tool"));
            QCOMPARE(second.value(QStringLiteral("role")).toString(), QStringLiteral("tool"));
            if (ollama) {
                QCOMPARE(
                    first.value(QStringLiteral("tool_name")).toString(), QStringLiteral("create_approval"));
                QCOMPARE(
                    second.value(QStringLiteral("tool_name")).toString(), QStringLiteral("report_blocker"));
            } else {
                QCOMPARE(first.value(QStringLiteral("tool_call_id")).toString(), idA);
                QCOMPARE(second.value(QStringLiteral("tool_call_id")).toString(), idB);
            }
        }
    }

    void badToolArguments_data()
    {
        QTest::addColumn<QString>("adapter");
        QTest::newRow("openai-badargs-01") << "openai";
        QTest::newRow("anthropic-badargs-01") << "anthropic";
    }

    void badToolArguments()
    {
        // Arguments that are not JSON are not run; the model is told so and may try again.
        QFETCH(QString, adapter);
        const FakeProtocol protocol = protocolOf(adapter);
        m_fake->enqueue(fakellm::toolCall(protocol, QString(), QStringLiteral("call_x"),
            QStringLiteral("create_approval"), {QStringLiteral("{\"title\": "), QStringLiteral("oops")}, 10,
            5));
        m_fake->enqueue(fakellm::text(protocol, {QStringLiteral("Sorry.")}, 20, 2));
        RecordingSink sink;
        auto outcome = makeLlmAdapter(adapter)->run(makeRequest(adapter, m_fake->baseUrl()), sink);
        QVERIFY2(outcome.ok(), qPrintable(outcome.error().message));
        QVERIFY(sink.toolCalls.isEmpty());
        const QJsonArray messages
            = m_fake->requests().value(1).json().value(QStringLiteral("messages")).toArray();
        const QByteArray last = QJsonDocument(messages.last().toObject()).toJson(QJsonDocument::Compact);
        QVERIFY2(last.contains("not a JSON object"), last.constData());
        QVERIFY2(last.contains("call_x"), last.constData());
        if (adapter == QLatin1String("anthropic"))
            QVERIFY(last.contains("\"is_error\":true"));
    }

    void errors_data()
    {
        QTest::addColumn<QString>("adapter");
        QTest::addColumn<QString>("kind");
        QTest::addColumn<int>("code");
        QTest::addColumn<bool>("retriable");
        QTest::addColumn<QString>("messageHas");
        const auto add = [](const QString &adapter, const QString &kind, int no, ErrorCode code,
                             bool retriable, const QString &has) {
            QTest::newRow(
                qPrintable(QStringLiteral("%1-%2-%3").arg(adapter, kind).arg(no, 2, 10, QLatin1Char('0'))))
                << adapter << kind << int(code) << retriable << has;
        };
        for (const QString &adapter :
            {QStringLiteral("openai"), QStringLiteral("anthropic"), QStringLiteral("ollama")}) {
            add(adapter, QStringLiteral("ratelimit"), 1, ErrorCode::RateLimited, true,
                QStringLiteral("retry after 7 s"));
            add(adapter, QStringLiteral("server500"), 2, ErrorCode::Unavailable, true,
                QStringLiteral("HTTP 500"));
            add(adapter, QStringLiteral("broken"), 3, ErrorCode::Unavailable, true, QString());
            add(adapter, QStringLiteral("stall"), 4, ErrorCode::RequestTimeout, true,
                QStringLiteral("sent nothing"));
            add(adapter, QStringLiteral("malformed"), 5, ErrorCode::Unavailable, true,
                QStringLiteral("not valid JSON"));
            add(adapter, QStringLiteral("streamerror"), 6, ErrorCode::Unavailable, true,
                QStringLiteral("mid-stream"));
            add(adapter, QStringLiteral("badkey"), 7, ErrorCode::Unprocessable, false,
                QStringLiteral("rejected the API key"));
            add(adapter, QStringLiteral("badrequest"), 8, ErrorCode::Unprocessable, false,
                QStringLiteral("HTTP 400"));
            add(adapter, QStringLiteral("refused"), 9, ErrorCode::Unavailable, true,
                QStringLiteral("could not reach"));
        }
        add(QStringLiteral("anthropic"), QStringLiteral("nokey"), 11, ErrorCode::Unprocessable, false,
            QStringLiteral("no API key"));
    }

    void errors()
    {
        QFETCH(QString, adapter);
        QFETCH(QString, kind);
        QFETCH(int, code);
        QFETCH(bool, retriable);
        QFETCH(QString, messageHas);
        const FakeProtocol protocol = protocolOf(adapter);
        RunRequest request = makeRequest(adapter, m_fake->baseUrl());
        if (kind == QLatin1String("ratelimit"))
            m_fake->enqueue(
                fakellm::error(protocol, 429, QStringLiteral("Rate limit reached"), {{"Retry-After", "7"}}));
        else if (kind == QLatin1String("server500"))
            m_fake->enqueue(fakellm::error(protocol, 500, QStringLiteral("internal failure")));
        else if (kind == QLatin1String("broken"))
            m_fake->enqueue(fakellm::broken(
                protocol, {QStringLiteral("Half "), QStringLiteral("an "), QStringLiteral("answer")}));
        else if (kind == QLatin1String("stall"))
            m_fake->enqueue(fakellm::stall());
        else if (kind == QLatin1String("malformed"))
            m_fake->enqueue(fakellm::malformed(protocol));
        else if (kind == QLatin1String("streamerror"))
            m_fake->enqueue(fakellm::streamError(protocol));
        else if (kind == QLatin1String("badkey")) // Providers echo (part of) the key back.
            m_fake->enqueue(fakellm::error(protocol, 401,
                QStringLiteral("Incorrect API key provided: %1").arg(QString::fromLatin1(kApiKey))));
        else if (kind == QLatin1String("badrequest"))
            m_fake->enqueue(fakellm::error(protocol, 400, QStringLiteral("messages: field required")));
        else if (kind == QLatin1String("refused"))
            request.config.baseUrl = QStringLiteral("http://127.0.0.1:%1").arg(closedPort());
        else if (kind == QLatin1String("nokey"))
            request.config.apiKey.clear();
        else if (kind == QLatin1String("slowstream")) {
            // Never silent for long, but never done: the whole-call bound (extra.maxCallSec) ends it.
            QStringList pieces;
            for (int i = 0; i < 20; ++i)
                pieces.append(QStringLiteral("slow "));
            FakeReply reply = fakellm::text(protocol, pieces, 1, 1);
            reply.delayMs = 200;
            m_fake->enqueue(reply);
            request.config.extra.insert(QStringLiteral("maxCallSec"), 1);
        }
        if (kind == QLatin1String("stall") || kind == QLatin1String("slowstream"))
            request.config.timeoutSec = 1;

        RecordingSink sink;
        QElapsedTimer clock;
        clock.start();
        auto outcome = makeLlmAdapter(adapter)->run(request, sink);
        QVERIFY(!outcome.ok());
        QCOMPARE(errorCodeName(outcome.error().code), errorCodeName(ErrorCode(code)));
        QCOMPARE(isRetriable(outcome.error()), retriable);
        QVERIFY2(outcome.error().message.contains(messageHas), qPrintable(outcome.error().message));
        QVERIFY2(!outcome.error().message.contains(QString::fromLatin1(kApiKey)),
            qPrintable(outcome.error().message));
        if (kind == QLatin1String("broken")) // what arrived before the cut was still shown
            QCOMPARE(sink.deltas.join(QString()), QStringLiteral("Half an answer"));
        if (kind == QLatin1String("ratelimit")) {
            QCOMPARE(outcome.error().details.size(), 1);
            QCOMPARE(outcome.error().details[0].issue, QStringLiteral("7"));
        }
        if (kind == QLatin1String("stall") || kind == QLatin1String("slowstream")) {
            QVERIFY2(clock.elapsed() >= 900, qPrintable(QString::number(clock.elapsed())));
            QVERIFY2(clock.elapsed() < 4000, qPrintable(QString::number(clock.elapsed())));
        }
        if (kind == QLatin1String("nokey"))
            QVERIFY(m_fake->requests().isEmpty());
    }

    void stops_data()
    {
        QTest::addColumn<QString>("adapter");
        QTest::addColumn<QString>("kind");
        for (const QString &adapter :
            {QStringLiteral("openai"), QStringLiteral("anthropic"), QStringLiteral("ollama")}) {
            QTest::newRow(qPrintable(adapter + QStringLiteral("-stop-01"))) << adapter << "stop";
            QTest::newRow(qPrintable(adapter + QStringLiteral("-budget-02"))) << adapter << "budget";
            QTest::newRow(qPrintable(adapter + QStringLiteral("-budgettext-03"))) << adapter << "budgettext";
        }
    }

    void stops()
    {
        QFETCH(QString, adapter);
        QFETCH(QString, kind);
        const FakeProtocol protocol = protocolOf(adapter);
        RecordingSink sink;
        if (kind == QLatin1String("stop")) {
            QStringList pieces;
            for (int i = 0; i < 20; ++i)
                pieces.append(QStringLiteral("word%1 ").arg(i));
            FakeReply reply = fakellm::text(protocol, pieces, 10, 20);
            reply.delayMs = 60;
            m_fake->enqueue(reply);
            sink.stopAfterDeltas = 2;
        } else if (kind == QLatin1String("budget")) {
            m_fake->enqueue(fakellm::toolCall(protocol, QString(), QStringLiteral("call_1"),
                QStringLiteral("create_approval"), {QStringLiteral("{}")}, 5000, 900));
            sink.refuseUsage = true;
        } else {
            m_fake->enqueue(
                fakellm::text(protocol, {QStringLiteral("Too "), QStringLiteral("dear.")}, 5000, 900));
            sink.refuseUsage = true;
        }
        QElapsedTimer clock;
        clock.start();
        auto outcome = makeLlmAdapter(adapter)->run(makeRequest(adapter, m_fake->baseUrl()), sink);
        QVERIFY2(outcome.ok(), qPrintable(outcome.error().message));
        QCOMPARE(outcome->end, RunOutcome::End::Stopped);
        QCOMPARE(m_fake->requests().size(), 1);
        if (kind == QLatin1String("stop")) {
            // Stopped early: well before the 20 pieces (1.2 s) were through.
            QVERIFY2(sink.deltas.size() < 6, qPrintable(QString::number(sink.deltas.size())));
            QVERIFY2(clock.elapsed() < 1000, qPrintable(QString::number(clock.elapsed())));
            QCOMPARE(outcome->text, sink.deltas.join(QString()));
        } else {
            // Over budget at the first usage report: nothing more is asked of the model or the tools.
            QVERIFY(sink.toolCalls.isEmpty());
            QCOMPARE(sink.usage.size(), 1);
            QCOMPARE(sink.usage[0].first, 5000);
            QCOMPARE(outcome->inputTokens, 5000);
            // Anthropic tells the input tokens first: the run stops before any output is generated.
            if (adapter == QLatin1String("anthropic"))
                QVERIFY(sink.deltas.isEmpty());
            else
                QCOMPARE(sink.usage[0].second, 900);
        }
    }

    void turnLimit_data()
    {
        QTest::addColumn<QString>("adapter");
        QTest::newRow("openai-maxturns-01") << "openai";
        QTest::newRow("anthropic-maxturns-01") << "anthropic";
        QTest::newRow("ollama-maxturns-01") << "ollama";
    }

    void turnLimit()
    {
        QFETCH(QString, adapter);
        const FakeProtocol protocol = protocolOf(adapter);
        for (int i = 0; i < 2; ++i) {
            m_fake->enqueue(fakellm::toolCall(protocol, QString(), QStringLiteral("call_1"),
                QStringLiteral("create_approval"), {QStringLiteral("{}")}, 10, 2));
        }
        RunRequest request = makeRequest(adapter, m_fake->baseUrl());
        request.config.maxTurnsPerRun = 2;
        RecordingSink sink;
        auto outcome = makeLlmAdapter(adapter)->run(request, sink);
        QVERIFY(!outcome.ok());
        QCOMPARE(outcome.error().code, ErrorCode::Unprocessable);
        QVERIFY(!isRetriable(outcome.error()));
        QCOMPARE(m_fake->requests().size(), 2);
        QCOMPARE(sink.toolCalls.size(), 1);
        QCOMPARE(sink.usage.last(), qMakePair(qint64(20), qint64(4)));
    }

    void workerThreads_data()
    {
        QTest::addColumn<QString>("adapter");
        QTest::newRow("openai-threads-01") << "openai";
        QTest::newRow("anthropic-threads-01") << "anthropic";
        QTest::newRow("ollama-threads-01") << "ollama";
    }

    void workerThreads()
    {
        // run() on plain std::threads (as the job workers call it), two at once.
        QFETCH(QString, adapter);
        const QStringList pieces {QStringLiteral("One "), QStringLiteral("two "), QStringLiteral("three.")};
        constexpr int kThreads = 2;
        for (int i = 0; i < kThreads; ++i)
            m_fake->enqueue(fakellm::text(protocolOf(adapter), pieces, 3, 4));
        const RunRequest request = makeRequest(adapter, m_fake->baseUrl());
        struct Outcome
        {
            bool ok = false;
            QString text;
            QString error;
            int deltas = 0;
        };
        std::vector<Outcome> outcomes(kThreads);
        std::vector<std::thread> threads;
        for (int i = 0; i < kThreads; ++i) {
            threads.emplace_back([&, i] {
                RecordingSink sink;
                auto result = makeLlmAdapter(adapter)->run(request, sink);
                outcomes[i].ok = result.ok();
                outcomes[i].text = result.ok() ? result->text : QString();
                outcomes[i].error = result.error().message;
                outcomes[i].deltas = int(sink.deltas.size());
            });
        }
        for (std::thread &thread : threads)
            thread.join();
        for (const Outcome &outcome : outcomes) {
            QVERIFY2(outcome.ok, qPrintable(outcome.error));
            QCOMPARE(outcome.text, pieces.join(QString()));
            QCOMPARE(outcome.deltas, 3);
        }
        QCOMPARE(m_fake->requests().size(), kThreads);
    }

    void health_data()
    {
        QTest::addColumn<QString>("adapter");
        QTest::addColumn<QString>("scenario");
        QTest::addColumn<QString>("expected");
        QTest::newRow("openai-health-ok-01")
            << "openai"
            << "ok"
            << "api_key_set=1,endpoint_reachable=1,api_key_accepted=1,model_available=1";
        QTest::newRow("anthropic-health-ok-01")
            << "anthropic"
            << "ok"
            << "api_key_set=1,endpoint_reachable=1,api_key_accepted=1,model_available=1";
        QTest::newRow("ollama-health-ok-01") << "ollama"
                                             << "ok"
                                             << "endpoint_reachable=1,model_available=1";
        QTest::newRow("openai-health-nomodel-02")
            << "openai"
            << "nomodel"
            << "api_key_set=1,endpoint_reachable=1,api_key_accepted=1,model_available=0";
        QTest::newRow("anthropic-health-nomodel-02")
            << "anthropic"
            << "nomodel"
            << "api_key_set=1,endpoint_reachable=1,api_key_accepted=1,model_available=0";
        QTest::newRow("ollama-health-nomodel-02") << "ollama"
                                                  << "nomodel"
                                                  << "endpoint_reachable=1,model_available=0";
        QTest::newRow("openai-health-closed-03") << "openai"
                                                 << "closed"
                                                 << "api_key_set=1,endpoint_reachable=0,model_available=0";
        QTest::newRow("anthropic-health-closed-03") << "anthropic"
                                                    << "closed"
                                                    << "api_key_set=1,endpoint_reachable=0,model_available=0";
        QTest::newRow("ollama-health-closed-03") << "ollama"
                                                 << "closed"
                                                 << "endpoint_reachable=0,model_available=0";
        QTest::newRow("anthropic-health-nokey-04")
            << "anthropic"
            << "nokey"
            << "api_key_set=0,endpoint_reachable=1,api_key_accepted=0,model_available=0";
        QTest::newRow("openai-health-badkey-05")
            << "openai"
            << "badkey"
            << "api_key_set=1,endpoint_reachable=1,api_key_accepted=0,model_available=0";
        QTest::newRow("anthropic-health-alias-06")
            << "anthropic"
            << "alias"
            << "api_key_set=1,endpoint_reachable=1,api_key_accepted=1,model_available=1";
        QTest::newRow("ollama-health-stall-07") << "ollama"
                                                << "stall"
                                                << "endpoint_reachable=0,model_available=0";
    }

    void health()
    {
        QFETCH(QString, adapter);
        QFETCH(QString, scenario);
        QFETCH(QString, expected);
        const FakeProtocol protocol = protocolOf(adapter);
        AdapterConfig config = makeRequest(
            adapter, m_fake->baseUrl(), adapter == QLatin1String("ollama") ? QByteArray() : kApiKey)
                                   .config;
        const QStringList served {QStringLiteral("gpt-4o-mini"), QStringLiteral("claude-3-5-sonnet-20241022"),
            QStringLiteral("llama3.2:latest")};
        if (scenario == QLatin1String("ok") || scenario == QLatin1String("alias")) {
            m_fake->enqueue(fakellm::models(protocol, served));
        } else if (scenario == QLatin1String("nomodel")) {
            m_fake->enqueue(fakellm::models(protocol, {QStringLiteral("something-else")}));
        } else if (scenario == QLatin1String("closed")) {
            config.baseUrl = QStringLiteral("http://127.0.0.1:%1").arg(closedPort());
        } else if (scenario == QLatin1String("nokey")) {
            config.apiKey.clear();
            m_fake->enqueue(fakellm::error(protocol, 401, QStringLiteral("x-api-key header is required")));
        } else if (scenario == QLatin1String("badkey")) {
            m_fake->enqueue(fakellm::error(protocol, 401,
                QStringLiteral("Incorrect API key provided: %1").arg(QString::fromLatin1(kApiKey))));
        } else if (scenario == QLatin1String("stall")) {
            config.timeoutSec = 1;
            m_fake->enqueue(fakellm::stall());
        }
        if (scenario == QLatin1String("alias"))
            config.model = QStringLiteral("claude-3-5-sonnet-latest");

        const QList<HealthCheck> checks = makeLlmAdapter(adapter)->health(config);
        QCOMPARE(checksText(checks), expected);
        for (const HealthCheck &check : checks) {
            QVERIFY2(!check.detail.isEmpty(), qPrintable(check.name));
            QVERIFY2(!check.detail.contains(QString::fromLatin1(kApiKey)), qPrintable(check.detail));
        }
        if (scenario != QLatin1String("closed")) {
            const QList<FakeRequest> seen = m_fake->requests();
            QCOMPARE(seen.size(), 1);
            QCOMPARE(seen[0].method, QByteArray("GET"));
            const QByteArray path = adapter == QLatin1String("ollama") ? "/api/tags"
                : adapter == QLatin1String("anthropic")                ? "/v1/models?limit=1000"
                                                                       : "/v1/models";
            QCOMPARE(seen[0].path, path);
        }
    }

    void logsAreCapturedWithoutTheKey()
    {
        // The no-secret check in cleanup() means something only if adapter logging is captured.
        m_fake->enqueue(fakellm::error(FakeProtocol::OpenAi, 401,
            QStringLiteral("Incorrect API key provided: %1").arg(QString::fromLatin1(kApiKey))));
        RecordingSink sink;
        auto outcome = makeLlmAdapter(QStringLiteral("openai"))
                           ->run(makeRequest(QStringLiteral("openai"), m_fake->baseUrl()), sink);
        QVERIFY(!outcome.ok());
        const QStringList log = capturedLog();
        const auto fromAdapter = std::count_if(log.cbegin(), log.cend(), [](const QString &line) {
            return line.startsWith(QLatin1String("lm.agents: "))
                && line.contains(QLatin1String("run_01TESTRUN"));
        });
        QVERIFY2(fromAdapter >= 2, qPrintable(log.join(QLatin1Char('\n'))));
        QVERIFY(std::any_of(log.cbegin(), log.cend(), [](const QString &line) {
            return line.contains(QLatin1String("rejected the API key"))
                && line.contains(QLatin1String("[redacted]"));
        }));
    }
};

QTEST_GUILESS_MAIN(TestLlmAdapters)
#include "tst_llmadapters.moc"
