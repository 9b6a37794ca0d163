// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "agents/agentadapter.h"
#include "agents/streamingcall.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QStringList>

#include <memory>
#include <optional>

namespace lm::agents {

/// A tool call the model made in one turn, assembled from streamed fragments.
struct ModelToolCall
{
    QString id;
    QString name;
    QString arguments; ///< the JSON text as streamed (empty when the provider sent an object)
    QJsonObject input; ///< parsed arguments
    bool inputValid = true; ///< false when the arguments were not a JSON object
};

/// What one streamed model call produced.
struct ModelTurn
{
    QString text;
    QList<ModelToolCall> toolCalls;
    QString finishReason;
    qint64 inputTokens = 0;
    qint64 outputTokens = 0;
    bool ended = false; ///< the protocol's end marker arrived
    std::optional<ApiError> error; ///< an error the stream reported, or a chunk we could not read
};

/// Reads one model call's stream, line by line; one per call, so it may keep fragment state.
class TurnParser
{
public:
    virtual ~TurnParser() = default;
    /// Consumes one line; text goes to the sink at once. False ends the call (turn.error says why).
    virtual bool line(const QByteArray &line, ModelTurn &turn, RunSink &sink) = 0;
    /// Called once the stream ended cleanly: parse assembled tool arguments.
    virtual void finish(ModelTurn &turn);
};

/// Whether a provider wants an API key.
enum class KeyPolicy
{
    Required,
    Optional, ///< sent when set (local servers, proxies)
};

/// The turn-bounded tool loop and the health checks shared by the streamed chat adapters
/// (openai, anthropic, ollama); each subclass speaks its provider's wire format.
class LlmAdapter : public AgentAdapter
{
public:
    Result<RunOutcome> run(const RunRequest &request, RunSink &sink) override;
    QList<HealthCheck> health(const AdapterConfig &config) override;

    /// The conversation's system messages joined, and the others as they are.
    [[nodiscard]] static QString systemPrompt(const RunRequest &request);
    /// Parses `text` as a JSON object; nullopt when it is not one.
    [[nodiscard]] static std::optional<QJsonObject> parseObject(const QByteArray &text);
    /// The error a malformed chunk gives.
    [[nodiscard]] static ApiError malformed(const QByteArray &line);
    /// The tool's input schema, or an empty object schema when it has none.
    [[nodiscard]] static QJsonObject inputSchema(const ToolSpec &tool);
    /// Tools in the OpenAI function form ({type:"function", function:{name, description, parameters}}),
    /// which OpenAI-compatible servers and Ollama's native API both take.
    [[nodiscard]] static QJsonArray functionTools(const QList<ToolSpec> &tools);
    /// Compact JSON text of a tool result, as providers want it back.
    [[nodiscard]] static QString toolResultText(const QJsonObject &result);

protected:
    /// Base URL used when the config leaves it empty.
    [[nodiscard]] virtual QString defaultBaseUrl() const = 0;
    [[nodiscard]] virtual KeyPolicy keyPolicy(const AdapterConfig &config) const = 0;
    /// The conversation in the provider's message format (system prompt excluded where it is separate).
    [[nodiscard]] virtual QJsonArray initialMessages(const RunRequest &request) const = 0;
    /// The streamed chat request for the conversation so far.
    [[nodiscard]] virtual HttpCall chatCall(const RunRequest &request, const QJsonArray &messages) const = 0;
    [[nodiscard]] virtual std::unique_ptr<TurnParser> newParser() const = 0;
    /// Appends the assistant's tool-call message and the tool results, in the provider's format.
    virtual void appendToolRound(
        QJsonArray &messages, const ModelTurn &turn, const QList<QJsonObject> &results) const = 0;
    /// The request that lists the provider's models (health).
    [[nodiscard]] virtual HttpCall modelsCall(const AdapterConfig &config) const = 0;
    /// Model names out of the models list.
    [[nodiscard]] virtual QStringList modelNames(const QJsonDocument &list) const = 0;
    /// True when `model` names one of `names` (aliases differ per provider).
    [[nodiscard]] virtual bool modelMatches(const QString &model, const QStringList &names) const;

    /// {baseUrl or the default}{path}, tolerating a trailing slash (and a trailing /v1 when
    /// `path` starts with /v1).
    [[nodiscard]] QUrl endpoint(const AdapterConfig &config, const QString &path) const;
};

} // namespace lm::agents
