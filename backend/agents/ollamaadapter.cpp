// SPDX-License-Identifier: GPL-3.0-or-later
#include "ollamaadapter.h"

namespace lm::agents {

namespace {

QString str(const char *s)
{
    return QString::fromLatin1(s);
}

QList<QPair<QByteArray, QByteArray>> authHeaders(const AdapterConfig &config)
{
    // Ollama needs no key; one set here is for a proxy in front of it.
    QList<QPair<QByteArray, QByteArray>> headers;
    if (!config.apiKey.isEmpty())
        headers.append({QByteArrayLiteral("Authorization"), QByteArrayLiteral("Bearer ") + config.apiKey});
    return headers;
}

// One JSON object per line; the last one says done:true and carries the counts.
class OllamaParser : public TurnParser
{
public:
    bool line(const QByteArray &line, ModelTurn &turn, RunSink &sink) override
    {
        const QByteArray data = line.trimmed();
        if (data.isEmpty())
            return true;
        const auto chunk = LlmAdapter::parseObject(data);
        if (!chunk) {
            turn.error = LlmAdapter::malformed(data);
            return false;
        }
        if (chunk->contains(str("error"))) {
            turn.error = ApiError {ErrorCode::Unavailable,
                QStringLiteral("the provider reported an error mid-stream: %1")
                    .arg(chunk->value(str("error")).toVariant().toString().left(300)),
                {}};
            return false;
        }
        const QJsonObject message = chunk->value(str("message")).toObject();
        const QString content = message.value(str("content")).toString();
        if (!content.isEmpty()) {
            turn.text += content;
            sink.textDelta(content);
        }
        // Ollama sends each tool call whole; the arguments are an object (a string in some builds).
        for (const QJsonValue &value : message.value(str("tool_calls")).toArray()) {
            const QJsonObject call = value.toObject();
            const QJsonObject function = call.value(str("function")).toObject();
            ModelToolCall toolCall;
            toolCall.id = call.value(str("id")).toString();
            if (toolCall.id.isEmpty())
                toolCall.id = QStringLiteral("call_%1").arg(turn.toolCalls.size() + 1);
            toolCall.name = function.value(str("name")).toString();
            const QJsonValue arguments = function.value(str("arguments"));
            if (arguments.isString())
                toolCall.arguments = arguments.toString();
            else
                toolCall.input = arguments.toObject();
            turn.toolCalls.append(toolCall);
        }
        if (chunk->value(str("done")).toBool()) {
            turn.ended = true;
            turn.finishReason = chunk->value(str("done_reason")).toString(str("stop"));
            turn.inputTokens = chunk->value(str("prompt_eval_count")).toInteger();
            turn.outputTokens = chunk->value(str("eval_count")).toInteger();
        }
        return true;
    }
};

} // namespace

QString OllamaAdapter::defaultBaseUrl() const
{
    return QStringLiteral("http://127.0.0.1:11434");
}

KeyPolicy OllamaAdapter::keyPolicy(const AdapterConfig &) const
{
    return KeyPolicy::Optional;
}

QJsonArray OllamaAdapter::initialMessages(const RunRequest &request) const
{
    QJsonArray messages;
    for (const ChatMessage &message : request.messages)
        messages.append(QJsonObject {{str("role"), message.role}, {str("content"), message.content}});
    return messages;
}

HttpCall OllamaAdapter::chatCall(const RunRequest &request, const QJsonArray &messages) const
{
    const AdapterConfig &config = request.config;
    QJsonObject body {
        {str("model"), config.model},
        {str("messages"), messages},
        {str("stream"), true},
    };
    if (config.maxOutputTokens > 0)
        body.insert(str("options"), QJsonObject {{str("num_predict"), config.maxOutputTokens}});
    if (!request.tools.isEmpty())
        body.insert(str("tools"), functionTools(request.tools));
    HttpCall call;
    call.url = endpoint(config, QStringLiteral("/api/chat"));
    call.headers = authHeaders(config);
    call.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    return call;
}

std::unique_ptr<TurnParser> OllamaAdapter::newParser() const
{
    return std::make_unique<OllamaParser>();
}

void OllamaAdapter::appendToolRound(
    QJsonArray &messages, const ModelTurn &turn, const QList<QJsonObject> &results) const
{
    QJsonArray calls;
    for (const ModelToolCall &call : turn.toolCalls) {
        calls.append(QJsonObject {
            {str("function"), QJsonObject {{str("name"), call.name}, {str("arguments"), call.input}}},
        });
    }
    messages.append(QJsonObject {
        {str("role"), str("assistant")},
        {str("content"), turn.text},
        {str("tool_calls"), calls},
    });
    for (qsizetype i = 0; i < turn.toolCalls.size(); ++i) {
        messages.append(QJsonObject {
            {str("role"), str("tool")},
            {str("tool_name"), turn.toolCalls[i].name},
            {str("content"), toolResultText(results.value(i))},
        });
    }
}

HttpCall OllamaAdapter::modelsCall(const AdapterConfig &config) const
{
    HttpCall call;
    call.method = "GET";
    call.url = endpoint(config, QStringLiteral("/api/tags"));
    call.headers = authHeaders(config);
    return call;
}

QStringList OllamaAdapter::modelNames(const QJsonDocument &list) const
{
    QStringList names;
    for (const QJsonValue &model : list.object().value(str("models")).toArray())
        names.append(model.toObject().value(str("name")).toString());
    return names;
}

bool OllamaAdapter::modelMatches(const QString &model, const QStringList &names) const
{
    // "llama3.2" means "llama3.2:latest".
    return names.contains(model)
        || (!model.contains(QLatin1Char(':')) && names.contains(model + QStringLiteral(":latest")));
}

} // namespace lm::agents
