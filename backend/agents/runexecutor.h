// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "agents/agentadapter.h"
#include "jobs/jobqueue.h"
#include "services/agentcontrol.h"
#include "services/campaignservice.h"

#include <atomic>
#include <functional>
#include <memory>

namespace lm::agents {

/// Makes the adapter of a type (simulator, openai, …); null for an unknown type.
using AdapterFactory = std::function<std::unique_ptr<AgentAdapter>(const QString &type)>;
/// Opens a sealed provider key (the data dir's secret box); nullopt when it cannot.
using SecretOpener = std::function<std::optional<QByteArray>(const QByteArray &sealed)>;

/// What a run delivered, from a built-in adapter or an external runtime's /agent/v1 result.
struct RunResult
{
    bool ok = true;
    QString text;
    QString format = QStringLiteral("markdown");
    qint64 inputTokens = 0;
    qint64 outputTokens = 0;
    QString error; ///< when !ok
    bool timedOut = false;
    bool retriable = false;
    QString stoppedFor; ///< set when the run was stopped: cost_limit_exceeded | paused | shutdown
};

/// Runs activities: the `run_activity` job. It checks that the run may start (campaign state,
/// budget, the agent's concurrency), starts it, builds its context, calls the adapter with a sink
/// that streams deltas to the activity's stream and carries out control-plane tool calls, then
/// stores the output, prices the usage against the budgets and moves the activity on.
class RunExecutor
{
public:
    struct Settings
    {
        qint64 deltaFlushMs = 100; ///< deltas are batched into one text_delta event this often
        int maxAutoRetries = 2; ///< retriable failures re-enqueued automatically
        qint64 retryDelayMs = 5000; ///< first automatic retry; doubles after
        qint64 concurrencyRecheckMs = 2000; ///< a run held back by its agent's concurrency tries again after
        qint64 handedRunTimeoutMs
            = 3'600'000; ///< a run handed to a runtime ends unless it reports (adapterConfig runTimeoutSec)
        QString agentApiBaseUrl; ///< http://host:port for external runtimes
    };

    RunExecutor(services::EngineContext &engine, services::CampaignService &campaigns,
        services::ApprovalService &approvals, services::AgentControl &control, AdapterFactory adapters,
        SecretOpener secrets, Settings settings);

    /// The job handler of run_activity.
    Result<void> handle(const jobs::Job &job);
    /// The job handler of expire_run: ends a handed run its runtime has not finished by its deadline.
    Result<void> expire(const jobs::Job &job);
    /// Finishes a run with its result (built-in adapters, and /agent/v1 result from runtimes).
    Result<QJsonObject> finish(const QString &tenantId, const QString &runId, const RunResult &result);
    /// Appends output an external runtime streamed (/agent/v1 stream): text deltas, tool calls and results.
    Result<int> appendStream(const QString &tenantId, const QString &runId, const QJsonArray &events);
    /// The task context a runtime fetches at run start (/agent/v1 context).
    Result<QJsonObject> context(const QString &tenantId, const QString &runId);
    /// The run a run token opens, or UNAUTHORIZED. Any tenant: the token is the proof.
    Result<store::Run> authenticateRun(const QString &runId, const QString &token);
    /// The running run whose token this is, or UNAUTHORIZED (an ended run's token opens nothing).
    Result<store::Run> authenticateRunningToken(const QString &token);
    /// The adapter settings of an agent, its sealed API key opened (runs and health checks).
    Result<AdapterConfig> adapterConfig(const store::AgentConfig &agent) const;

    /// Asks running adapters to stop (shutdown).
    void requestStop() { m_stopping = true; }
    [[nodiscard]] const Settings &settings() const { return m_settings; }
    /// Known once the server listens; set before workers start.
    void setAgentApiBaseUrl(const QString &url) { m_settings.agentApiBaseUrl = url; }

private:
    struct Prepared;
    /// `runId`: the id promised for this run (a manual retry answered it); empty for a new one.
    Result<std::optional<Prepared>> start(
        const QString &tenantId, const QString &activityId, const QString &runId);
    Result<RunRequest> buildRequest(const Prepared &prepared);
    Result<QJsonObject> contextJson(const store::Activity &activity, const store::Run &run);

    services::EngineContext &m_engine;
    services::CampaignService &m_campaigns;
    services::ApprovalService &m_approvals;
    services::AgentControl &m_control;
    services::ActivityFlow m_flow;
    AdapterFactory m_adapters;
    SecretOpener m_secrets;
    Settings m_settings;
    std::atomic<bool> m_stopping {false};
};

/// Run tokens: `lmr_` + 32 random bytes; only their SHA-256 is stored.
namespace RunToken {
[[nodiscard]] QString generate();
[[nodiscard]] QByteArray hash(const QString &token);
} // namespace RunToken

} // namespace lm::agents
