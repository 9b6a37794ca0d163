// SPDX-License-Identifier: GPL-3.0-or-later
#include "llmadapter.h"

#include "core/logging.h"

#include <QElapsedTimer>
#include <QJsonParseError>
#include <QNetworkAccessManager>

#include <algorithm>

namespace lm::agents {

namespace {

// A whole call may stream for this many silence bounds before it is cut (slow local models
// stream for minutes; a call that never ends must still end).
constexpr int kOverallFactor = 10;
// Health checks answer a person waiting at a form.
constexpr int kHealthTimeoutMs = 10000;

} // namespace

void TurnParser::finish(ModelTurn &turn)
{
    for (ModelToolCall &call : turn.toolCalls) {
        if (call.arguments.trimmed().isEmpty())
            continue; // no fragments: the input came whole (or there is none)
        const auto input = LlmAdapter::parseObject(call.arguments.toUtf8());
        call.inputValid = input.has_value();
        call.input = input.value_or(QJsonObject());
    }
}

bool LlmAdapter::modelMatches(const QString &model, const QStringList &names) const
{
    return names.contains(model);
}

QUrl LlmAdapter::endpoint(const AdapterConfig &config, const QString &path) const
{
    QString base = config.baseUrl.trimmed().isEmpty() ? defaultBaseUrl() : config.baseUrl.trimmed();
    while (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    // OpenAI-compatible servers are often configured as http://host:port/v1.
    if (path.startsWith(QLatin1String("/v1/")) && base.endsWith(QLatin1String("/v1")))
        base.chop(3);
    return QUrl(base + path);
}

QString LlmAdapter::systemPrompt(const RunRequest &request)
{
    QStringList parts;
    for (const ChatMessage &message : request.messages) {
        if (message.role == QLatin1String("system") && !message.content.isEmpty())
            parts.append(message.content);
    }
    return parts.join(QStringLiteral("\n\n"));
}

std::optional<QJsonObject> LlmAdapter::parseObject(const QByteArray &text)
{
    QJsonParseError error {};
    const QJsonDocument doc = QJsonDocument::fromJson(text, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return std::nullopt;
    return doc.object();
}

ApiError LlmAdapter::malformed(const QByteArray &line)
{
    return ApiError {ErrorCode::Unavailable,
        QStringLiteral("the provider sent a chunk that is not valid JSON (%1 bytes)").arg(line.size()), {}};
}

QJsonObject LlmAdapter::inputSchema(const ToolSpec &tool)
{
    if (!tool.inputSchema.isEmpty())
        return tool.inputSchema;
    return QJsonObject {
        {QStringLiteral("type"), QStringLiteral("object")}, {QStringLiteral("properties"), QJsonObject()}};
}

QJsonArray LlmAdapter::functionTools(const QList<ToolSpec> &tools)
{
    QJsonArray out;
    for (const ToolSpec &tool : tools) {
        out.append(QJsonObject {
            {QStringLiteral("type"), QStringLiteral("function")},
            {QStringLiteral("function"),
                QJsonObject {
                    {QStringLiteral("name"), tool.name},
                    {QStringLiteral("description"), tool.description},
                    {QStringLiteral("parameters"), inputSchema(tool)},
                }},
        });
    }
    return out;
}

QString LlmAdapter::toolResultText(const QJsonObject &result)
{
    return QString::fromUtf8(QJsonDocument(result).toJson(QJsonDocument::Compact));
}

Result<RunOutcome> LlmAdapter::run(const RunRequest &request, RunSink &sink)
{
    const AdapterConfig &config = request.config;
    if (config.model.trimmed().isEmpty())
        return ApiError {
            ErrorCode::Unprocessable, QStringLiteral("no model is configured for this agent"), {}};
    if (keyPolicy(config) == KeyPolicy::Required && config.apiKey.isEmpty())
        return ApiError {
            ErrorCode::Unprocessable, QStringLiteral("no API key is configured for this agent"), {}};
    const QUrl probe = endpoint(config, QStringLiteral("/"));
    if (!probe.isValid() || probe.host().isEmpty())
        return ApiError {ErrorCode::Unprocessable, QStringLiteral("the base URL is not a valid URL"), {}};

    // One manager per call of run(): run() may be running on several worker threads at once.
    QNetworkAccessManager nam;
    StreamingCall http(nam);
    QJsonArray messages = initialMessages(request);
    RunOutcome outcome;
    const int maxTurns = std::max(1, config.maxTurnsPerRun);
    const int silenceMs = std::max(1, config.timeoutSec) * 1000;
    const int overallMs = config.extra.contains(QStringLiteral("maxCallSec"))
        ? std::max(1, config.extra.value(QStringLiteral("maxCallSec")).toInt()) * 1000
        : silenceMs * kOverallFactor;
    const auto stopCheck = [&sink] { return sink.stopRequested(); };

    for (int turnNo = 1; turnNo <= maxTurns; ++turnNo) {
        if (sink.stopRequested()) {
            outcome.end = RunOutcome::End::Stopped;
            return outcome;
        }
        HttpCall call = chatCall(request, messages);
        call.silenceMs = silenceMs;
        call.overallMs = overallMs;
        call.secret = config.apiKey;
        qCDebug(lmAgents).noquote() << "run" << request.runId << type() << "model" << config.model << "turn"
                                    << turnNo << "POST" << call.url.toString(QUrl::RemoveUserInfo);

        ModelTurn turn;
        std::unique_ptr<TurnParser> parser = newParser();
        QElapsedTimer clock;
        clock.start();
        // Usage is reported as soon as the stream tells it (Anthropic tells the input tokens first),
        // so a run over its budget stops before it generates more; and once more at the turn's end.
        QPair<qint64, qint64> reported {-1, -1};
        bool overBudget = false;
        const auto reportUsage = [&] {
            const QPair<qint64, qint64> now {
                outcome.inputTokens + turn.inputTokens, outcome.outputTokens + turn.outputTokens};
            if (now == reported)
                return true;
            reported = now;
            overBudget = !sink.reportUsage(now.first, now.second);
            return !overBudget;
        };
        auto streamed = http.stream(
            call,
            [&](const QByteArray &line) {
                const qsizetype before = turn.text.size();
                const bool more = parser->line(line, turn, sink) && !turn.error;
                if (turn.text.size() > before)
                    outcome.text += turn.text.mid(before);
                if (more && (turn.inputTokens > 0 || turn.outputTokens > 0))
                    return reportUsage();
                return more;
            },
            stopCheck);

        if (turn.error) {
            turn.error->message = StreamingCall::scrub(turn.error->message, config.apiKey);
            qCWarning(lmAgents).noquote()
                << "run" << request.runId << type() << "stream error:" << turn.error->message;
            return *turn.error;
        }
        if (!streamed) {
            qCWarning(lmAgents).noquote() << "run" << request.runId << type() << "call failed after"
                                          << clock.elapsed() << "ms:" << streamed.error().message;
            return streamed.error();
        }
        if (streamed->stopped) {
            outcome.inputTokens += turn.inputTokens;
            outcome.outputTokens += turn.outputTokens;
            qCInfo(lmAgents).noquote()
                << "run" << request.runId << type()
                << (overBudget ? "stopped by its budget mid-stream" : "stopped mid-stream");
            outcome.end = RunOutcome::End::Stopped;
            return outcome;
        }
        if (!turn.ended) {
            qCWarning(lmAgents).noquote() << "run" << request.runId << type() << "stream ended early";
            return ApiError {ErrorCode::Unavailable,
                QStringLiteral("the provider's stream ended before its end marker"), {}};
        }
        parser->finish(turn);
        outcome.finishReason = turn.finishReason;
        qCDebug(lmAgents).noquote() << "run" << request.runId << "turn" << turnNo << "done in"
                                    << clock.elapsed() << "ms; tokens in/out" << turn.inputTokens
                                    << turn.outputTokens << "tool calls" << turn.toolCalls.size() << "finish"
                                    << turn.finishReason;
        const bool withinBudget = reported.first < 0 ? reportUsage() : !overBudget;
        outcome.inputTokens += turn.inputTokens;
        outcome.outputTokens += turn.outputTokens;
        if (!withinBudget) {
            qCInfo(lmAgents).noquote() << "run" << request.runId << type() << "stopped by its budget";
            outcome.end = RunOutcome::End::Stopped;
            return outcome;
        }
        if (turn.toolCalls.isEmpty()) {
            outcome.end = RunOutcome::End::Completed;
            return outcome;
        }
        if (turnNo == maxTurns)
            break;

        QList<QJsonObject> results;
        for (const ModelToolCall &toolCall : std::as_const(turn.toolCalls)) {
            if (sink.stopRequested()) {
                outcome.end = RunOutcome::End::Stopped;
                return outcome;
            }
            if (!toolCall.inputValid) {
                // Told to the model, which can correct itself on its next turn.
                results.append(QJsonObject {
                    {QStringLiteral("error"), QStringLiteral("the tool arguments were not a JSON object")}});
                continue;
            }
            qCDebug(lmAgents).noquote()
                << "run" << request.runId << "tool call" << toolCall.name << toolCall.id;
            results.append(sink.callTool(toolCall.id, toolCall.name, toolCall.input));
        }
        appendToolRound(messages, turn, results);
    }
    qCWarning(lmAgents).noquote() << "run" << request.runId << type() << "reached its turn limit" << maxTurns;
    return ApiError {ErrorCode::Unprocessable,
        QStringLiteral("the model still called tools after %1 turns (maxTurnsPerRun)").arg(maxTurns), {}};
}

QList<HealthCheck> LlmAdapter::health(const AdapterConfig &config)
{
    QList<HealthCheck> checks;
    const KeyPolicy policy = keyPolicy(config);
    if (policy == KeyPolicy::Required) {
        checks.append({QStringLiteral("api_key_set"), !config.apiKey.isEmpty(),
            config.apiKey.isEmpty() ? QStringLiteral("no API key is configured") : QStringLiteral("set")});
    } else if (!config.apiKey.isEmpty()) {
        checks.append(
            {QStringLiteral("api_key_set"), true, QStringLiteral("set (optional for this endpoint)")});
    }

    QNetworkAccessManager nam;
    StreamingCall http(nam);
    HttpCall call = modelsCall(config);
    const int timeoutMs = std::min(kHealthTimeoutMs, std::max(1, config.timeoutSec) * 1000);
    call.silenceMs = timeoutMs;
    call.overallMs = timeoutMs;
    call.secret = config.apiKey;
    const QString where = call.url.toString(QUrl::RemoveUserInfo | QUrl::RemoveQuery);

    QElapsedTimer clock;
    clock.start();
    auto fetched = http.fetch(call);
    if (!fetched) {
        checks.append({QStringLiteral("endpoint_reachable"), false,
            QStringLiteral("%1: %2").arg(where, fetched.error().message)});
        checks.append(
            {QStringLiteral("model_available"), false, QStringLiteral("the endpoint is not reachable")});
        return checks;
    }
    const int status = fetched->status;
    checks.append({QStringLiteral("endpoint_reachable"), true,
        QStringLiteral("%1 answered HTTP %2 in %3 ms").arg(where).arg(status).arg(clock.elapsed())});
    if (status == 401 || status == 403) {
        checks.append({QStringLiteral("api_key_accepted"), false,
            StreamingCall::mapHttpError(status, fetched->body, {}, config.apiKey).message});
        checks.append(
            {QStringLiteral("model_available"), false, QStringLiteral("the models list needs a valid key")});
        return checks;
    }
    if (!config.apiKey.isEmpty() || policy == KeyPolicy::Required)
        checks.append(
            {QStringLiteral("api_key_accepted"), status < 400, QStringLiteral("HTTP %1").arg(status)});
    if (status >= 400) {
        checks.append({QStringLiteral("model_available"), false,
            StreamingCall::mapHttpError(status, fetched->body, {}, config.apiKey).message});
        return checks;
    }
    const auto list = parseObject(fetched->body);
    if (!list) {
        checks.append(
            {QStringLiteral("model_available"), false, QStringLiteral("the models list is not JSON")});
        return checks;
    }
    const QStringList names = modelNames(QJsonDocument(*list));
    const bool known = modelMatches(config.model, names);
    checks.append({QStringLiteral("model_available"), known,
        known ? QStringLiteral("%1 is served").arg(config.model)
              : QStringLiteral("%1 is not among the %2 models served").arg(config.model).arg(names.size())});
    return checks;
}

} // namespace lm::agents
