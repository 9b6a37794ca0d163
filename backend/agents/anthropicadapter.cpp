// SPDX-License-Identifier: GPL-3.0-or-later
#include "anthropicadapter.h"

#include <QMap>

namespace lm::agents {

namespace {

QString str(const char *s)
{
    return QString::fromLatin1(s);
}

QList<QPair<QByteArray, QByteArray>> headersFor(const AdapterConfig &config)
{
    return {
        {QByteArrayLiteral("x-api-key"), config.apiKey},
        {QByteArrayLiteral("anthropic-version"), QByteArrayLiteral("2023-06-01")},
    };
}

ErrorCode codeForErrorType(const QString &type)
{
    if (type == QLatin1String("rate_limit_error"))
        return ErrorCode::RateLimited;
    if (type == QLatin1String("invalid_request_error") || type == QLatin1String("authentication_error")
        || type == QLatin1String("permission_error") || type == QLatin1String("not_found_error"))
        return ErrorCode::Unprocessable;
    return ErrorCode::Unavailable; // overloaded_error, api_error, and whatever comes next
}

// event:/data: pairs; every data object carries its event name in "type".
class AnthropicParser : public TurnParser
{
public:
    bool line(const QByteArray &line, ModelTurn &turn, RunSink &sink) override
    {
        if (!line.startsWith("data:"))
            return true; // event: lines (the type is in the data too), blank separators
        const QByteArray data = line.mid(5).trimmed();
        const auto event = LlmAdapter::parseObject(data);
        if (!event) {
            turn.error = LlmAdapter::malformed(data);
            return false;
        }
        const QString type = event->value(str("type")).toString();
        if (type == QLatin1String("message_start")) {
            const QJsonObject usage = event->value(str("message")).toObject().value(str("usage")).toObject();
            turn.inputTokens = usage.value(str("input_tokens")).toInteger()
                + usage.value(str("cache_creation_input_tokens")).toInteger()
                + usage.value(str("cache_read_input_tokens")).toInteger();
            turn.outputTokens = usage.value(str("output_tokens")).toInteger();
        } else if (type == QLatin1String("content_block_start")) {
            const int index = event->value(str("index")).toInt();
            const QJsonObject block = event->value(str("content_block")).toObject();
            if (block.value(str("type")).toString() == QLatin1String("tool_use")) {
                m_toolSlotOf.insert(index, int(turn.toolCalls.size()));
                ModelToolCall call;
                call.id = block.value(str("id")).toString();
                call.name = block.value(str("name")).toString();
                call.input = block.value(str("input")).toObject();
                turn.toolCalls.append(call);
            } else {
                emitText(block.value(str("text")).toString(), turn, sink);
            }
        } else if (type == QLatin1String("content_block_delta")) {
            const int index = event->value(str("index")).toInt();
            const QJsonObject delta = event->value(str("delta")).toObject();
            const QString deltaType = delta.value(str("type")).toString();
            if (deltaType == QLatin1String("text_delta")) {
                emitText(delta.value(str("text")).toString(), turn, sink);
            } else if (deltaType == QLatin1String("input_json_delta")) {
                const auto slot = m_toolSlotOf.constFind(index);
                if (slot == m_toolSlotOf.cend()) {
                    turn.error = ApiError {ErrorCode::Unavailable,
                        QStringLiteral("the provider sent tool input for a block it never started"), {}};
                    return false;
                }
                turn.toolCalls[*slot].arguments += delta.value(str("partial_json")).toString();
            }
        } else if (type == QLatin1String("message_delta")) {
            const QJsonValue stop = event->value(str("delta")).toObject().value(str("stop_reason"));
            if (stop.isString())
                turn.finishReason = stop.toString();
            const QJsonObject usage = event->value(str("usage")).toObject();
            if (usage.contains(str("output_tokens")))
                turn.outputTokens = usage.value(str("output_tokens")).toInteger();
        } else if (type == QLatin1String("message_stop")) {
            turn.ended = true;
        } else if (type == QLatin1String("error")) {
            const QJsonObject error = event->value(str("error")).toObject();
            turn.error = ApiError {codeForErrorType(error.value(str("type")).toString()),
                QStringLiteral("the provider reported an error mid-stream (%1): %2")
                    .arg(error.value(str("type")).toString(),
                        error.value(str("message")).toString().left(300)),
                {}};
            return false;
        }
        // ping, content_block_stop and unknown events need nothing.
        return true;
    }

private:
    static void emitText(const QString &text, ModelTurn &turn, RunSink &sink)
    {
        if (text.isEmpty())
            return;
        turn.text += text;
        sink.textDelta(text);
    }

    QMap<int, int> m_toolSlotOf; // content block index -> tool call
};

} // namespace

QString AnthropicAdapter::defaultBaseUrl() const
{
    return QStringLiteral("https://api.anthropic.com");
}

KeyPolicy AnthropicAdapter::keyPolicy(const AdapterConfig &) const
{
    return KeyPolicy::Required;
}

QJsonArray AnthropicAdapter::initialMessages(const RunRequest &request) const
{
    // The system prompt travels apart; the API wants user/assistant turns, so neighbours of the
    // same role are joined.
    QJsonArray messages;
    QString role;
    QString content;
    const auto flush = [&] {
        if (!role.isEmpty())
            messages.append(QJsonObject {{str("role"), role}, {str("content"), content}});
    };
    for (const ChatMessage &message : request.messages) {
        if (message.role == QLatin1String("system"))
            continue;
        const QString r = message.role == QLatin1String("assistant") ? str("assistant") : str("user");
        if (r == role) {
            content += QStringLiteral("\n\n") + message.content;
            continue;
        }
        flush();
        role = r;
        content = message.content;
    }
    flush();
    if (messages.isEmpty()
        || messages.first().toObject().value(str("role")).toString() != QLatin1String("user"))
        messages.prepend(QJsonObject {{str("role"), str("user")}, {str("content"), request.title}});
    return messages;
}

HttpCall AnthropicAdapter::chatCall(const RunRequest &request, const QJsonArray &messages) const
{
    const AdapterConfig &config = request.config;
    QJsonObject body {
        {str("model"), config.model},
        {str("max_tokens"), config.maxOutputTokens > 0 ? config.maxOutputTokens : 4096},
        {str("messages"), messages},
        {str("stream"), true},
    };
    const QString system = systemPrompt(request);
    if (!system.isEmpty())
        body.insert(str("system"), system);
    if (!request.tools.isEmpty()) {
        QJsonArray tools;
        for (const ToolSpec &tool : request.tools) {
            tools.append(QJsonObject {
                {str("name"), tool.name},
                {str("description"), tool.description},
                {str("input_schema"), inputSchema(tool)},
            });
        }
        body.insert(str("tools"), tools);
    }
    HttpCall call;
    call.url = endpoint(config, QStringLiteral("/v1/messages"));
    call.headers = headersFor(config);
    call.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    return call;
}

std::unique_ptr<TurnParser> AnthropicAdapter::newParser() const
{
    return std::make_unique<AnthropicParser>();
}

void AnthropicAdapter::appendToolRound(
    QJsonArray &messages, const ModelTurn &turn, const QList<QJsonObject> &results) const
{
    QJsonArray content;
    if (!turn.text.isEmpty())
        content.append(QJsonObject {{str("type"), str("text")}, {str("text"), turn.text}});
    QJsonArray toolResults;
    for (qsizetype i = 0; i < turn.toolCalls.size(); ++i) {
        const ModelToolCall &call = turn.toolCalls[i];
        content.append(QJsonObject {
            {str("type"), str("tool_use")},
            {str("id"), call.id},
            {str("name"), call.name},
            {str("input"), call.input},
        });
        const QJsonObject result = results.value(i);
        QJsonObject block {
            {str("type"), str("tool_result")},
            {str("tool_use_id"), call.id},
            {str("content"), toolResultText(result)},
        };
        if (result.contains(str("error")))
            block.insert(str("is_error"), true);
        toolResults.append(block);
    }
    messages.append(QJsonObject {{str("role"), str("assistant")}, {str("content"), content}});
    messages.append(QJsonObject {{str("role"), str("user")}, {str("content"), toolResults}});
}

HttpCall AnthropicAdapter::modelsCall(const AdapterConfig &config) const
{
    HttpCall call;
    call.method = "GET";
    call.url = endpoint(config, QStringLiteral("/v1/models?limit=1000"));
    call.headers = headersFor(config);
    return call;
}

QStringList AnthropicAdapter::modelNames(const QJsonDocument &list) const
{
    QStringList names;
    for (const QJsonValue &model : list.object().value(str("data")).toArray())
        names.append(model.toObject().value(str("id")).toString());
    return names;
}

bool AnthropicAdapter::modelMatches(const QString &model, const QStringList &names) const
{
    if (names.contains(model))
        return true;
    // Aliases such as claude-3-5-sonnet-latest are accepted by the API but not listed.
    if (model.endsWith(QLatin1String("-latest"))) {
        const QString prefix = model.chopped(6);
        return std::any_of(
            names.cbegin(), names.cend(), [&](const QString &name) { return name.startsWith(prefix); });
    }
    return false;
}

} // namespace lm::agents
