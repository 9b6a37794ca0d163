// SPDX-License-Identifier: GPL-3.0-or-later
#include "openaiadapter.h"

#include <QMap>

namespace lm::agents {

namespace {

QString str(const char *s)
{
    return QString::fromLatin1(s);
}

QList<QPair<QByteArray, QByteArray>> authHeaders(const AdapterConfig &config)
{
    QList<QPair<QByteArray, QByteArray>> headers;
    if (!config.apiKey.isEmpty())
        headers.append({QByteArrayLiteral("Authorization"), QByteArrayLiteral("Bearer ") + config.apiKey});
    return headers;
}

// data: lines of chat.completion.chunk objects, then data: [DONE].
class OpenAiParser : public TurnParser
{
public:
    bool line(const QByteArray &line, ModelTurn &turn, RunSink &sink) override
    {
        if (!line.startsWith("data:"))
            return true; // blank separators, ": keep-alive" comments, event: lines
        const QByteArray data = line.mid(5).trimmed();
        if (data == "[DONE]") {
            turn.ended = true;
            return true;
        }
        const auto chunk = LlmAdapter::parseObject(data);
        if (!chunk) {
            turn.error = LlmAdapter::malformed(data);
            return false;
        }
        if (chunk->contains(str("error"))) {
            const QJsonValue error = chunk->value(str("error"));
            const QString message = error.isObject() ? error.toObject().value(str("message")).toString()
                                                     : error.toVariant().toString();
            turn.error = ApiError {ErrorCode::Unavailable,
                QStringLiteral("the provider reported an error mid-stream: %1").arg(message.left(300)), {}};
            return false;
        }
        const QJsonObject usage = chunk->value(str("usage")).toObject();
        if (!usage.isEmpty()) {
            turn.inputTokens = usage.value(str("prompt_tokens")).toInteger();
            turn.outputTokens = usage.value(str("completion_tokens")).toInteger();
        }
        const QJsonArray choices = chunk->value(str("choices")).toArray();
        for (const QJsonValue &choiceValue : choices) {
            const QJsonObject choice = choiceValue.toObject();
            if (choice.value(str("index")).toInt() != 0)
                continue; // we ask for one choice
            const QJsonObject delta = choice.value(str("delta")).toObject();
            const QString content = delta.value(str("content")).toString();
            if (!content.isEmpty()) {
                turn.text += content;
                sink.textDelta(content);
            }
            const QJsonArray calls = delta.value(str("tool_calls")).toArray();
            for (const QJsonValue &callValue : calls)
                addFragment(callValue.toObject(), turn);
            const QJsonValue finish = choice.value(str("finish_reason"));
            if (finish.isString())
                turn.finishReason = finish.toString();
        }
        return true;
    }

private:
    // Tool calls stream as fragments keyed by index: id and name first, then pieces of arguments.
    void addFragment(const QJsonObject &fragment, ModelTurn &turn)
    {
        const int index = fragment.value(str("index")).toInt(int(m_slotOf.size()));
        auto slot = m_slotOf.find(index);
        if (slot == m_slotOf.end()) {
            slot = m_slotOf.insert(index, int(turn.toolCalls.size()));
            turn.toolCalls.append(ModelToolCall {});
        }
        ModelToolCall &call = turn.toolCalls[*slot];
        const QString id = fragment.value(str("id")).toString();
        if (!id.isEmpty())
            call.id = id;
        const QJsonObject function = fragment.value(str("function")).toObject();
        const QString name = function.value(str("name")).toString();
        if (!name.isEmpty())
            call.name = name;
        call.arguments += function.value(str("arguments")).toString();
    }

    QMap<int, int> m_slotOf;
};

} // namespace

QString OpenAiAdapter::defaultBaseUrl() const
{
    return QStringLiteral("https://api.openai.com");
}

KeyPolicy OpenAiAdapter::keyPolicy(const AdapterConfig &config) const
{
    // OpenAI itself needs a key; local OpenAI-compatible servers usually do not.
    const QString host = endpoint(config, QStringLiteral("/")).host();
    return host == QLatin1String("api.openai.com") || host.endsWith(QLatin1String(".openai.com"))
        ? KeyPolicy::Required
        : KeyPolicy::Optional;
}

QJsonArray OpenAiAdapter::initialMessages(const RunRequest &request) const
{
    QJsonArray messages;
    for (const ChatMessage &message : request.messages)
        messages.append(QJsonObject {{str("role"), message.role}, {str("content"), message.content}});
    return messages;
}

HttpCall OpenAiAdapter::chatCall(const RunRequest &request, const QJsonArray &messages) const
{
    const AdapterConfig &config = request.config;
    QJsonObject body {
        {str("model"), config.model},
        {str("messages"), messages},
        {str("stream"), true},
    };
    // Usage in the last chunk; some older compatible servers refuse stream_options (extra.streamUsage false).
    if (config.extra.value(str("streamUsage")).toBool(true))
        body.insert(str("stream_options"), QJsonObject {{str("include_usage"), true}});
    // Newer OpenAI models want max_completion_tokens; compatible servers know max_tokens.
    const QString tokensField = config.extra.value(str("maxTokensField")).toString(str("max_tokens"));
    if (config.maxOutputTokens > 0)
        body.insert(tokensField, config.maxOutputTokens);
    if (!request.tools.isEmpty())
        body.insert(str("tools"), functionTools(request.tools));
    HttpCall call;
    call.url = endpoint(config, QStringLiteral("/v1/chat/completions"));
    call.headers = authHeaders(config);
    call.body = QJsonDocument(body).toJson(QJsonDocument::Compact);
    return call;
}

std::unique_ptr<TurnParser> OpenAiAdapter::newParser() const
{
    return std::make_unique<OpenAiParser>();
}

void OpenAiAdapter::appendToolRound(
    QJsonArray &messages, const ModelTurn &turn, const QList<QJsonObject> &results) const
{
    QJsonArray calls;
    for (const ModelToolCall &call : turn.toolCalls) {
        calls.append(QJsonObject {
            {str("id"), call.id},
            {str("type"), str("function")},
            {str("function"),
                QJsonObject {
                    {str("name"), call.name},
                    {str("arguments"), call.arguments.isEmpty() ? str("{}") : call.arguments},
                }},
        });
    }
    messages.append(QJsonObject {
        {str("role"), str("assistant")},
        {str("content"), turn.text.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(turn.text)},
        {str("tool_calls"), calls},
    });
    for (qsizetype i = 0; i < turn.toolCalls.size(); ++i) {
        messages.append(QJsonObject {
            {str("role"), str("tool")},
            {str("tool_call_id"), turn.toolCalls[i].id},
            {str("content"), toolResultText(results.value(i))},
        });
    }
}

HttpCall OpenAiAdapter::modelsCall(const AdapterConfig &config) const
{
    HttpCall call;
    call.method = "GET";
    call.url = endpoint(config, QStringLiteral("/v1/models"));
    call.headers = authHeaders(config);
    return call;
}

QStringList OpenAiAdapter::modelNames(const QJsonDocument &list) const
{
    QStringList names;
    for (const QJsonValue &model : list.object().value(str("data")).toArray())
        names.append(model.toObject().value(str("id")).toString());
    return names;
}

} // namespace lm::agents
