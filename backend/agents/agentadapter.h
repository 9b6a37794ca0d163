// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/result.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <memory>

namespace lm::agents {

/// One message of the conversation an adapter sends to its model.
struct ChatMessage
{
    QString role; ///< "system" | "user" | "assistant"
    QString content;
};

/// A tool the model may call: control-plane actions (create_approval, create_subtask,
/// request_review, report_blocker, reassign) and the role's work tools.
struct ToolSpec
{
    QString name;
    QString description;
    QJsonObject inputSchema; ///< JSON Schema of the input object
};

/// How a tenant's agent reaches its model. Secrets arrive decrypted and are never logged.
struct AdapterConfig
{
    QString type; ///< simulator | openai | anthropic | ollama | webhook
    QString model;
    QString baseUrl; ///< e.g. https://api.openai.com (the adapter appends its path)
    QByteArray apiKey; ///< empty when the endpoint needs none
    int timeoutSec = 120; ///< whole-request bound; also the bound on silence within a stream
    int maxTurnsPerRun = 8; ///< model calls per run (tool round trips included)
    int maxOutputTokens = 4096;
    QJsonObject extra; ///< adapter-specific settings (simulator: seed, rates; webhook: url, secret)
};

/// Everything one run needs; built by the run executor from the activity's context.
struct RunRequest
{
    QString runId;
    QString activityId;
    QString tenantId;
    QString agentRole; ///< copywriter, strategist, seo_specialist, …
    QString activityType; ///< the deliverable type: blog_post, social_post, … (or "research", "plan")
    QString title;
    QList<ChatMessage> messages; ///< system prompt (role, skills), task, brief, comments, feedback
    QList<ToolSpec> tools;
    QString runToken; ///< for runtimes that call /agent/v1 themselves (webhook)
    QString agentApiBaseUrl; ///< http://host:port of this backend, for the same
    AdapterConfig config;
};

/// Where an adapter reports while it runs. The run executor implements it: deltas go to the
/// activity's live stream, tool calls to the control plane, usage to the budget. Called on the
/// thread that called run().
class RunSink
{
public:
    virtual ~RunSink() = default;
    /// A piece of output text, in order.
    virtual void textDelta(const QString &delta) = 0;
    /// The model calls a tool. Control-plane tools are carried out by the same service calls as
    /// /agent/v1/runs/:runId/actions/*; the result (or an error object) goes back to the model.
    virtual QJsonObject callTool(const QString &callId, const QString &name, const QJsonObject &input) = 0;
    /// Tokens used so far in this run (cumulative). Returns false when the run must stop now
    /// (its activity passed its cost maximum): the adapter stops reading and returns Stopped.
    virtual bool reportUsage(qint64 inputTokens, qint64 outputTokens) = 0;
    /// True when the run must stop (pause, budget, shutdown); adapters check it between chunks.
    [[nodiscard]] virtual bool stopRequested() const = 0;
};

/// How a run ended, when it did not fail.
struct RunOutcome
{
    enum class End
    {
        Completed, ///< the model finished its answer
        Stopped, ///< the sink asked to stop (cost maximum, pause, shutdown)
        Handed, ///< an external runtime took the run over (webhook); it reports through /agent/v1
    };
    End end = End::Completed;
    QString text; ///< the whole output (deltas concatenated, final answer)
    QString format = QStringLiteral("markdown"); ///< markdown | html | plain
    qint64 inputTokens = 0;
    qint64 outputTokens = 0;
    QString finishReason; ///< as the provider said it (stop, length, end_turn, …)
};

/// One line of a health check (spec: POST /agents/:agentRole/test).
struct HealthCheck
{
    QString name;
    bool ok = false;
    QString detail;
};

/// An agent adapter: runs one turn-bounded agent loop against its model. run() blocks the calling
/// thread (a job worker; Qt-based adapters run their own local event loop) until the run ends.
/// Failures come back as errors: RATE_LIMITED (429 from the provider), REQUEST_TIMEOUT, and
/// UNAVAILABLE (connection refused, broken stream, 5xx) are worth a retry; others are not.
class AgentAdapter
{
public:
    virtual ~AgentAdapter() = default;
    [[nodiscard]] virtual QString type() const = 0;
    virtual Result<RunOutcome> run(const RunRequest &request, RunSink &sink) = 0;
    /// Checks that the adapter can work with this config (key set, endpoint reachable, model known).
    virtual QList<HealthCheck> health(const AdapterConfig &config) = 0;
};

/// True for adapter errors that a later attempt may not meet again.
[[nodiscard]] inline bool isRetriable(const ApiError &error)
{
    return error.code == ErrorCode::RateLimited || error.code == ErrorCode::RequestTimeout
        || error.code == ErrorCode::Unavailable;
}

} // namespace lm::agents
