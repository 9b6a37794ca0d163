// SPDX-License-Identifier: GPL-3.0-or-later
#include "runexecutor.h"

#include "agents/controlplanetools.h"
#include "agents/runprompt.h"
#include "core/logging.h"
#include "core/ulid.h"
#include "workflow/budget.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QJsonArray>

#include <mutex>
#include <sodium.h>

namespace lm::agents {

using services::UnitOfWork;
using workflow::ActivityEvent;

namespace {
constexpr int kPreviewChars = 500;
constexpr qsizetype kMaxOutputChars = 2 * 1024 * 1024;
// Used when a model has no row in the price table: a conservative mid-range price, so nothing runs free.
constexpr workflow::ModelPrice kFallbackPrice {3'000'000, 15'000'000};

// A failed tool call as the model sees it: code, message and the fields to fix.
QJsonObject errorJson(const ApiError &error)
{
    QJsonObject e {{QStringLiteral("code"), error.codeName()}, {QStringLiteral("message"), error.message}};
    QJsonArray details;
    for (const FieldIssue &i : error.details)
        details.append(QJsonObject {{QStringLiteral("field"), i.field}, {QStringLiteral("issue"), i.issue}});
    if (!details.isEmpty())
        e.insert(QStringLiteral("details"), details);
    return e;
}

workflow::ModelPrice priceOf(store::Store &store, const QString &model)
{
    auto row = store.agents.price(model);
    if (row.ok() && row->has_value())
        return {(*row)->inputMicrosPerMillion, (*row)->outputMicrosPerMillion};
    return kFallbackPrice;
}
} // namespace

QString RunToken::generate()
{
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    const QByteArray bytes(reinterpret_cast<const char *>(raw), sizeof raw);
    sodium_memzero(raw, sizeof raw);
    return QStringLiteral("lmr_")
        + QString::fromLatin1(bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

QByteArray RunToken::hash(const QString &token)
{
    return QCryptographicHash::hash(token.toUtf8(), QCryptographicHash::Sha256);
}

struct RunExecutor::Prepared
{
    store::Activity activity;
    store::Run run;
    store::AgentConfig agent;
    store::Campaign campaign;
    QString runToken;
};

/// The sink a built-in adapter reports to during one run.
class ExecutorSink final : public RunSink
{
public:
    ExecutorSink(services::EngineContext &engine, services::AgentControl &control, const store::Run &run,
        const store::AgentConfig &agent, qint64 activityCostBefore, const std::atomic<bool> &stopping,
        qint64 flushMs)
        : m_engine(engine)
        , m_control(control)
        , m_run(run)
        , m_price(priceOf(engine.store, agent.model))
        , m_maxMicros(agent.maxCostMicrosPerActivity.value_or(0))
        , m_costBefore(activityCostBefore)
        , m_stopping(stopping)
        , m_flushMs(flushMs)
    {
        m_sinceFlush.start();
        m_sinceCheck.start();
    }

    void textDelta(const QString &delta) override
    {
        m_pending += delta;
        if (m_sinceFlush.elapsed() >= m_flushMs)
            flush();
    }

    QJsonObject callTool(const QString &callId, const QString &name, const QJsonObject &input) override
    {
        flush();
        streamEvent(QStringLiteral("tool_call"),
            {{QStringLiteral("name"), name}, {QStringLiteral("input"), input},
                {QStringLiteral("callId"), callId}});
        store::opsLog(m_engine.store.db(),
            {m_run.tenantId, QStringLiteral("info"), QStringLiteral("tool"),
                QStringLiteral("Tool call: %1").arg(name),
                {{QStringLiteral("runId"), m_run.id}, {QStringLiteral("callId"), callId},
                    {QStringLiteral("tool"), name}},
                m_run.activityId, m_run.agentRole, m_engine.clock.nowMs()});
        QJsonObject output;
        if (services::AgentControl::isAction(name)) {
            // The schema the model was given, checked as /agent/v1 checks it: both paths behave the same.
            auto valid = tools::validateToolInput(name, input);
            auto done = valid.ok() ? m_control.perform(m_run.id, m_run.tenantId, name, input)
                                   : Result<QJsonObject>(valid.error());
            if (done.ok())
                output = *done;
            else
                output = {{QStringLiteral("error"), errorJson(done.error())}};
        } else {
            output = {{QStringLiteral("error"),
                QJsonObject {{QStringLiteral("code"), QStringLiteral("NOT_FOUND")},
                    {QStringLiteral("message"), QStringLiteral("This tool is not available to the agent")}}}};
        }
        streamEvent(QStringLiteral("tool_result"),
            {{QStringLiteral("name"), name}, {QStringLiteral("output"), output},
                {QStringLiteral("callId"), callId}});
        return output;
    }

    bool reportUsage(qint64 inputTokens, qint64 outputTokens) override
    {
        m_inputTokens = inputTokens;
        m_outputTokens = outputTokens;
        if (m_maxMicros > 0
            && workflow::Budget::activityOverMaximum(m_maxMicros, m_costBefore + costMicros())) {
            m_stopFor = QStringLiteral("cost_limit_exceeded");
            return false;
        }
        return true;
    }

    [[nodiscard]] bool stopRequested() const override
    {
        if (m_stopping.load())
            m_stopFor = QStringLiteral("shutdown");
        else if (m_stopFor.isEmpty() && m_sinceCheck.elapsed() >= 1000) {
            // A person may have paused the activity meanwhile: look now and then, not at every token.
            m_sinceCheck.restart();
            auto a = m_engine.store.activities.find(
                store::TenantScope::tenant(m_run.tenantId), m_run.activityId);
            if (a.ok() && a->has_value() && (*a)->status == QLatin1String("blocked"))
                m_stopFor = (*a)->blockReason.isEmpty() ? QStringLiteral("paused") : (*a)->blockReason;
        }
        return !m_stopFor.isEmpty();
    }

    /// Writes the deltas not yet written as one text_delta event.
    void flush()
    {
        m_sinceFlush.restart();
        if (m_pending.isEmpty())
            return;
        streamEvent(QStringLiteral("text_delta"), {{QStringLiteral("delta"), m_pending}});
        m_pending.clear();
    }

    [[nodiscard]] qint64 costMicros() const
    {
        return workflow::Budget::costMicros(m_inputTokens, m_outputTokens, m_price);
    }
    [[nodiscard]] qint64 inputTokens() const { return m_inputTokens; }
    [[nodiscard]] qint64 outputTokens() const { return m_outputTokens; }
    [[nodiscard]] QString stoppedFor() const { return m_stopFor; }

private:
    void streamEvent(const QString &type, QJsonObject data)
    {
        data.insert(QStringLiteral("activityId"), m_run.activityId);
        data.insert(QStringLiteral("runId"), m_run.id);
        UnitOfWork work(m_engine);
        if (!work.isActive() || !work.activityEvent(m_run.tenantId, m_run.activityId, type, data).ok()
            || !work.commit().ok())
            qCWarning(lmEngine) << "could not write a stream event of run" << m_run.id;
    }

    services::EngineContext &m_engine;
    services::AgentControl &m_control;
    store::Run m_run;
    workflow::ModelPrice m_price;
    qint64 m_maxMicros;
    qint64 m_costBefore;
    const std::atomic<bool> &m_stopping;
    qint64 m_flushMs;
    QString m_pending;
    QElapsedTimer m_sinceFlush;
    mutable QElapsedTimer m_sinceCheck;
    mutable QString m_stopFor;
    qint64 m_inputTokens = 0;
    qint64 m_outputTokens = 0;
};

RunExecutor::RunExecutor(services::EngineContext &engine, services::CampaignService &campaigns,
    services::ApprovalService &approvals, services::AgentControl &control, AdapterFactory adapters,
    SecretOpener secrets, Settings settings)
    : m_engine(engine)
    , m_campaigns(campaigns)
    , m_approvals(approvals)
    , m_control(control)
    , m_flow(engine)
    , m_adapters(std::move(adapters))
    , m_secrets(std::move(secrets))
    , m_settings(std::move(settings))
{ }

Result<std::optional<RunExecutor::Prepared>> RunExecutor::start(
    const QString &tenantId, const QString &activityId, const QString &runId)
{
    using Nothing = std::optional<Prepared>;
    UnitOfWork work(m_engine);
    if (!work.isActive())
        return work.error();
    const auto scope = store::TenantScope::tenant(tenantId);
    auto found = work.store().activities.find(scope, activityId);
    if (!found.ok())
        return found.error();
    if (!found->has_value())
        return Nothing();
    store::Activity activity = **found;

    if (activity.status == QLatin1String("in_progress")) {
        // The worker of an earlier claim died mid-run (its lease ran out): end that run and retry.
        auto runs = work.store().runs.forActivity(scope, activity.id);
        if (!runs.ok())
            return runs.error();
        for (const auto &r : std::as_const(*runs)) {
            if (r.status == QLatin1String("running")) {
                if (auto f = work.store().runs.finish(scope, r.id, QStringLiteral("failed"),
                        QStringLiteral("interrupted: the worker stopped"), work.nowMs());
                    !f.ok() && f.error().code != ErrorCode::Conflict)
                    return f.error();
            }
        }
        auto failed
            = m_flow.apply(work, activity, ActivityEvent::Fail, {QStringLiteral("interrupted"), {}, 0});
        if (!failed.ok())
            return failed.error();
        auto retried = m_flow.wake(work, *failed, workflow::WakeReason::Retry);
        if (!retried.ok())
            return retried.error();
        if (auto r = work.commit(); !r.ok())
            return r.error();
        return Nothing();
    }
    if (activity.status != QLatin1String("assigned"))
        return Nothing(); // moved on since the job was enqueued (paused, reassigned, run by another job)

    auto campaign = work.store().campaigns.find(scope, activity.campaignId);
    if (!campaign.ok())
        return campaign.error();
    if (!campaign->has_value())
        return Nothing();
    const store::Campaign c = **campaign;
    if (c.status == QLatin1String("paused") || c.status == QLatin1String("archived")
        || c.status == QLatin1String("completed")) {
        if (auto r = m_flow.apply(work, activity, ActivityEvent::Pause); !r.ok())
            return r.error();
        if (auto r = work.commit(); !r.ok())
            return r.error();
        return Nothing();
    }
    if (!workflow::Budget::runMayStart(c.budgetCapMicros.value_or(0), c.spentMicros)) {
        if (auto r = m_flow.apply(work, activity, ActivityEvent::BudgetExceeded); !r.ok())
            return r.error();
        if (auto r = work.commit(); !r.ok())
            return r.error();
        return Nothing();
    }

    auto agent = work.store().agents.findByRole(scope, activity.agentRole);
    if (!agent.ok())
        return agent.error();
    if (!agent->has_value() || (*agent)->status == QLatin1String("terminated")) {
        auto started = m_flow.apply(work, activity, ActivityEvent::Start);
        if (!started.ok())
            return started.error();
        auto blocked = m_flow.apply(work, *started, ActivityEvent::ReportBlocker,
            {QStringLiteral("No active agent is configured for the role %1").arg(activity.agentRole), {}, 0});
        if (!blocked.ok())
            return blocked.error();
        if (auto r = work.commit(); !r.ok())
            return r.error();
        return Nothing();
    }
    const store::AgentConfig agentConfig = **agent;

    // The agent's concurrency, counted inside the write transaction so two workers cannot both
    // take the last slot (SQLite serialises writers; PostgreSQL takes a lock per tenant and role).
    if (work.store().db().dialect() == store::Dialect::Postgres) {
        auto lock = work.store().db().query(QStringLiteral("SELECT pg_advisory_xact_lock(hashtext(?))"));
        lock.bind(tenantId + QLatin1Char('/') + activity.agentRole);
        if (auto r = lock.exec(); !r.ok())
            return r.error();
    }
    auto running = work.store().runs.runningCount(tenantId, activity.agentRole);
    if (!running.ok())
        return running.error();
    if (agentConfig.status == QLatin1String("paused") || *running >= agentConfig.concurrency) {
        jobs::NewJob again;
        again.kind = services::JobKind::RunActivity;
        again.tenantId = tenantId;
        again.payload = {{QStringLiteral("activityId"), activity.id}};
        if (!runId.isEmpty())
            again.payload.insert(QStringLiteral("runId"), runId); // the promised id survives the wait
        again.runAtMs = work.nowMs() + m_settings.concurrencyRecheckMs;
        if (auto r = work.enqueue(again); !r.ok())
            return r.error();
        if (auto r = work.commit(); !r.ok())
            return r.error();
        return Nothing();
    }

    auto started = m_flow.apply(work, activity, ActivityEvent::Start);
    if (!started.ok())
        return started.error();
    Prepared p;
    p.activity = *started;
    p.agent = agentConfig;
    p.campaign = c;
    p.run.id = runId;
    if (!p.run.id.isEmpty()) {
        auto existing = work.store().runs.find(scope, p.run.id);
        if (!existing.ok())
            return existing.error();
        if (existing->has_value())
            p.run.id.clear(); // that run happened already (a job that ran twice)
    }
    if (p.run.id.isEmpty())
        p.run.id = Ulid::generate();
    p.run.tenantId = tenantId;
    p.run.activityId = activity.id;
    p.run.agentRole = activity.agentRole;
    p.run.adapterType = agentConfig.adapterType;
    p.run.model = agentConfig.model;
    p.run.startedAtMs = work.nowMs();
    if (agentConfig.adapterType == QLatin1String("webhook")) {
        p.runToken = RunToken::generate();
        p.run.tokenHash = RunToken::hash(p.runToken);
    }
    if (auto r = work.store().runs.insert(p.run); !r.ok())
        return r.error();
    store::opsLog(work.store().db(),
        {tenantId, QStringLiteral("info"), QStringLiteral("agent"), QStringLiteral("Run started"),
            {{QStringLiteral("runId"), p.run.id}, {QStringLiteral("model"), p.run.model},
                {QStringLiteral("adapter"), p.run.adapterType}},
            activity.id, activity.agentRole, work.nowMs()});
    if (!p.runToken.isEmpty()) {
        // A runtime that never reports must not hold the run (its token, the agent's concurrency
        // slot, the activity) for ever: its deadline is queued with the run itself.
        const qint64 timeoutSec
            = agentConfig.adapterConfig.value(QLatin1String("runTimeoutSec")).toInteger(0);
        jobs::NewJob deadline;
        deadline.kind = services::JobKind::ExpireRun;
        deadline.tenantId = tenantId;
        deadline.payload = {{QStringLiteral("runId"), p.run.id}};
        deadline.runAtMs
            = work.nowMs() + (timeoutSec > 0 ? timeoutSec * 1000 : m_settings.handedRunTimeoutMs);
        if (auto r = work.enqueue(deadline); !r.ok())
            return r.error();
    }
    if (auto r = work.commit(); !r.ok())
        return r.error();
    return std::optional<Prepared>(std::move(p));
}

Result<RunRequest> RunExecutor::buildRequest(const Prepared &p)
{
    RunRequest request;
    request.runId = p.run.id;
    request.activityId = p.activity.id;
    request.tenantId = p.activity.tenantId;
    request.agentRole = p.activity.agentRole;
    request.activityType = p.activity.type;
    request.title = p.activity.title;
    request.runToken = p.runToken;
    request.agentApiBaseUrl = m_settings.agentApiBaseUrl;
    request.tools = tools::controlPlaneTools();

    auto context = contextJson(p.activity, p.run);
    if (!context.ok())
        return context.error();
    request.messages = runMessages(p.agent, *context);

    auto config = adapterConfig(p.agent);
    if (!config.ok())
        return config.error();
    request.config = std::move(config).value();
    return request;
}

Result<AdapterConfig> RunExecutor::adapterConfig(const store::AgentConfig &agent) const
{
    AdapterConfig config;
    config.type = agent.adapterType;
    config.model = agent.model;
    config.baseUrl = agent.adapterConfig.value(QLatin1String("baseUrl")).toString();
    config.timeoutSec = agent.adapterConfig.value(QLatin1String("timeoutSec")).toInt(120);
    config.maxTurnsPerRun = agent.adapterConfig.value(QLatin1String("maxTurnsPerRun")).toInt(8);
    config.extra = agent.adapterConfig;
    if (!agent.adapterSecretSealed.isEmpty()) {
        const auto key = m_secrets ? m_secrets(agent.adapterSecretSealed) : std::nullopt;
        if (!key)
            return ApiError {
                ErrorCode::Unprocessable, QStringLiteral("the agent's API key cannot be opened"), {}};
        config.apiKey = *key;
    }
    return config;
}

Result<void> RunExecutor::handle(const jobs::Job &job)
{
    const QString activityId = job.payload.value(QLatin1String("activityId")).toString();
    auto prepared = start(job.tenantId, activityId, job.payload.value(QLatin1String("runId")).toString());
    if (!prepared.ok())
        return prepared.error();
    if (!prepared->has_value())
        return {};
    const Prepared &p = **prepared;

    RunResult result;
    auto request = buildRequest(p);
    std::unique_ptr<AgentAdapter> adapter = m_adapters ? m_adapters(p.agent.adapterType) : nullptr;
    if (!request.ok()) {
        result.ok = false;
        result.error = request.error().message;
    } else if (!adapter) {
        result.ok = false;
        result.error = QStringLiteral("unknown adapter type %1").arg(p.agent.adapterType);
    } else {
        ExecutorSink sink(
            m_engine, m_control, p.run, p.agent, p.activity.costMicros, m_stopping, m_settings.deltaFlushMs);
        auto outcome = adapter->run(*request, sink);
        sink.flush();
        result.inputTokens = sink.inputTokens();
        result.outputTokens = sink.outputTokens();
        if (!outcome.ok()) {
            result.ok = false;
            result.error = outcome.error().message;
            result.timedOut = outcome.error().code == ErrorCode::RequestTimeout;
            result.retriable = isRetriable(outcome.error());
        } else if (outcome->end == RunOutcome::End::Handed) {
            return {}; // the external runtime reports through /agent/v1 (or the deadline ends the run)
        } else {
            result.text = outcome->text;
            result.format = outcome->format;
            result.inputTokens = std::max(result.inputTokens, outcome->inputTokens);
            result.outputTokens = std::max(result.outputTokens, outcome->outputTokens);
            if (outcome->end == RunOutcome::End::Stopped) {
                result.ok = false;
                result.stoppedFor
                    = sink.stoppedFor().isEmpty() ? QStringLiteral("stopped") : sink.stoppedFor();
                result.error = QStringLiteral("stopped: %1").arg(result.stoppedFor);
            }
        }
    }
    auto finished = finish(job.tenantId, p.run.id, result);
    if (!finished.ok() && finished.error().code != ErrorCode::Conflict)
        return finished.error();
    return {};
}

Result<void> RunExecutor::expire(const jobs::Job &job)
{
    const QString runId = job.payload.value(QLatin1String("runId")).toString();
    RunResult result;
    result.ok = false;
    result.timedOut = true;
    result.retriable = true;
    result.error = QStringLiteral("the agent runtime did not report a result in time");
    auto finished = finish(job.tenantId, runId, result);
    // Most runs have reported long before: an ended (or vanished) run is nothing to do.
    if (!finished.ok() && finished.error().code != ErrorCode::Conflict
        && finished.error().code != ErrorCode::NotFound)
        return finished.error();
    return {};
}

Result<QJsonObject> RunExecutor::finish(
    const QString &tenantId, const QString &runId, const RunResult &result)
{
    UnitOfWork work(m_engine);
    if (!work.isActive())
        return work.error();
    const auto scope = store::TenantScope::tenant(tenantId);
    auto loaded = services::runningRunAndActivity(work, tenantId, runId);
    if (!loaded.ok())
        return loaded.error();
    const store::Run run = loaded->first;
    store::Activity activity = loaded->second;
    const qint64 now = work.nowMs();

    // Usage is paid for whatever the outcome.
    const qint64 cost = workflow::Budget::costMicros(
        result.inputTokens, result.outputTokens, priceOf(work.store(), run.model));
    if (auto r = work.store().runs.recordUsage(scope, runId, result.inputTokens, result.outputTokens, cost);
        !r.ok())
        return r.error();
    if (cost > 0) {
        auto total = work.store().activities.addCost(scope, activity.id, cost, now);
        if (!total.ok())
            return total.error();
        activity.costMicros = *total;
        auto before = work.store().campaigns.find(scope, activity.campaignId);
        if (!before.ok())
            return before.error();
        auto after = work.store().campaigns.addSpend(scope, activity.campaignId, cost, now);
        if (!after.ok())
            return after.error();
        const qint64 cap = after->budgetCapMicros.value_or(0);
        const auto budget = workflow::Budget::evaluate(cap, after->spentMicros - cost, after->spentMicros);
        if (budget.crossedAlertThreshold) {
            auto first = work.store().campaigns.markBudgetAlertSent(scope, activity.campaignId);
            if (!first.ok())
                return first.error();
            if (*first) {
                store::opsLog(work.store().db(),
                    {tenantId, QStringLiteral("warn"), QStringLiteral("billing"),
                        QStringLiteral("Campaign spend passed 90% of its budget cap"),
                        {{QStringLiteral("campaignId"), activity.campaignId},
                            {QStringLiteral("spentUsd"), workflow::Budget::toUsd(after->spentMicros)},
                            {QStringLiteral("capUsd"), workflow::Budget::toUsd(cap)}},
                        activity.id, run.agentRole, now});
                if (auto r = work.tenantEvent(tenantId, QStringLiteral("budget_alert"),
                        {{QStringLiteral("type"), QStringLiteral("campaign_cap_90pct")},
                            {QStringLiteral("campaignId"), activity.campaignId},
                            {QStringLiteral("spentUsd"), workflow::Budget::toUsd(after->spentMicros)},
                            {QStringLiteral("capUsd"), workflow::Budget::toUsd(cap)}});
                    !r.ok())
                    return r.error();
            }
        }
        if (budget.exhausted) {
            // No new run of this campaign starts: what waits for a worker is blocked now.
            auto waiting = work.store().activities.inCampaignWithStatus(
                scope, activity.campaignId, {QStringLiteral("created"), QStringLiteral("assigned")});
            if (!waiting.ok())
                return waiting.error();
            for (const auto &w : std::as_const(*waiting)) {
                if (auto r = m_flow.apply(work, w, ActivityEvent::BudgetExceeded); !r.ok())
                    return r.error();
            }
        }
    }

    QJsonObject answer {{QStringLiteral("runId"), runId}, {QStringLiteral("activityId"), activity.id}};
    if (result.ok) {
        store::Document doc;
        doc.id = Ulid::generate();
        doc.tenantId = tenantId;
        doc.activityId = activity.id;
        doc.runId = runId;
        doc.format = result.format;
        doc.body = result.text.left(kMaxOutputChars);
        doc.createdAtMs = now;
        if (auto r = work.store().runs.insertDocument(doc); !r.ok())
            return r.error();
        if (auto r = work.store().runs.finish(scope, runId, QStringLiteral("completed"), {}, now); !r.ok())
            return r.error();
        store::opsLog(work.store().db(),
            {tenantId, QStringLiteral("info"), QStringLiteral("agent"), QStringLiteral("Run completed"),
                {{QStringLiteral("runId"), runId}, {QStringLiteral("inputTokens"), result.inputTokens},
                    {QStringLiteral("outputTokens"), result.outputTokens},
                    {QStringLiteral("costUsd"), workflow::Budget::toUsd(cost)}},
                activity.id, run.agentRole, now});
        // Re-read: tool calls during the run may have moved the activity (awaiting an approval).
        auto current = work.store().activities.find(scope, activity.id);
        if (!current.ok())
            return current.error();
        store::Activity a = current->value_or(activity);
        a.outputDocumentId = doc.id;
        a.outputPreview = doc.body.left(kPreviewChars);
        a.updatedAtMs = now;
        if (a.status == QLatin1String("in_progress") && a.type == QLatin1String("plan")
            && a.wakeReason != QLatin1String("review_approved")) {
            // A big plan waits for a person before its activities (and their spend) exist.
            auto planned = m_campaigns.plannedFirstPeriod(work, tenantId, a.campaignId);
            if (!planned.ok())
                return planned.error();
            if (*planned > services::CampaignService::kPlanApprovalThreshold) {
                if (auto r = work.store().activities.saveTransition(scope, a, a.status); !r.ok())
                    return r.error();
                services::NewApproval gate;
                gate.tenantId = tenantId;
                gate.campaignId = a.campaignId;
                gate.type = QStringLiteral("strategy_change");
                gate.riskLevel = *planned > 3 * services::CampaignService::kPlanApprovalThreshold
                    ? QStringLiteral("high")
                    : QStringLiteral("medium");
                gate.title
                    = QStringLiteral("Approve the plan: %1 activities in the first period").arg(*planned);
                gate.description = doc.body.left(kPreviewChars);
                gate.runId = runId;
                gate.activityIds = {a.id};
                services::Actor planner;
                planner.type = QStringLiteral("agent");
                planner.id = run.agentRole;
                planner.name = QStringLiteral("Activity Planner");
                auto opened = m_approvals.create(work, gate, planner);
                if (!opened.ok())
                    return opened.error();
                auto held = work.store().activities.find(scope, a.id);
                if (!held.ok())
                    return held.error();
                a = held->value_or(a);
            }
        }
        if (a.status == QLatin1String("in_progress")) {
            auto completed = m_flow.apply(work, a, ActivityEvent::Complete);
            if (!completed.ok())
                return completed.error();
            a = *completed;
            if (a.type == QLatin1String("plan")) {
                auto planned = m_campaigns.materializePlan(work, tenantId, a.campaignId);
                if (!planned.ok())
                    return planned.error();
            }
        } else if (auto r = work.store().activities.saveTransition(scope, a, a.status); !r.ok()) {
            return r.error();
        }
        if (auto r = work.activityEvent(tenantId, a.id, QStringLiteral("completed"),
                {{QStringLiteral("activityId"), a.id}, {QStringLiteral("status"), a.status},
                    {QStringLiteral("runId"), runId}});
            !r.ok())
            return r.error();
        answer.insert(QStringLiteral("status"), a.status);
    } else {
        const QString runStatus = result.timedOut ? QStringLiteral("timeout") : QStringLiteral("failed");
        if (auto r = work.store().runs.finish(scope, runId, runStatus, result.error.left(2000), now); !r.ok())
            return r.error();
        store::opsLog(work.store().db(),
            {tenantId, QStringLiteral("error"), QStringLiteral("agent"),
                QStringLiteral("Run %1: %2").arg(runStatus, result.error.left(500)),
                {{QStringLiteral("runId"), runId}, {QStringLiteral("status"), runStatus},
                    {QStringLiteral("stoppedFor"), result.stoppedFor}},
                activity.id, run.agentRole, now});
        auto current = work.store().activities.find(scope, activity.id);
        if (!current.ok())
            return current.error();
        store::Activity a = current->value_or(activity);
        if (a.status == QLatin1String("in_progress")) {
            if (result.stoppedFor == QLatin1String("cost_limit_exceeded")) {
                auto blocked = m_flow.apply(work, a, ActivityEvent::BudgetExceeded);
                if (!blocked.ok())
                    return blocked.error();
                a = *blocked;
            } else if (result.stoppedFor == QLatin1String("shutdown")) {
                // Back in the queue: the next start of the server runs it again.
                auto failed = m_flow.apply(work, a, ActivityEvent::Fail, {result.error, {}, 0});
                if (!failed.ok())
                    return failed.error();
                auto again = m_flow.wake(work, *failed, workflow::WakeReason::Retry);
                if (!again.ok())
                    return again.error();
                a = *again;
            } else {
                auto failed = m_flow.apply(work, a, ActivityEvent::Fail, {result.error, {}, 0});
                if (!failed.ok())
                    return failed.error();
                a = *failed;
                if (result.retriable && a.retryCount <= m_settings.maxAutoRetries) {
                    const qint64 delay = m_settings.retryDelayMs << std::min(a.retryCount - 1, 10);
                    auto again = m_flow.wake(work, a, workflow::WakeReason::Retry, {result.error, {}, delay});
                    if (!again.ok())
                        return again.error();
                    a = *again;
                }
            }
        }
        const QString shown = result.stoppedFor.isEmpty()
            ? (result.timedOut ? QStringLiteral("timeout") : result.error)
            : result.stoppedFor;
        if (auto r = work.activityEvent(tenantId, a.id, QStringLiteral("error"),
                {{QStringLiteral("activityId"), a.id}, {QStringLiteral("error"), shown},
                    {QStringLiteral("runId"), runId}});
            !r.ok())
            return r.error();
        answer.insert(QStringLiteral("status"), a.status);
    }
    if (auto r = work.commit(); !r.ok())
        return r.error();
    return answer;
}

Result<int> RunExecutor::appendStream(const QString &tenantId, const QString &runId, const QJsonArray &events)
{
    static const QStringList kTypes {
        QStringLiteral("text_delta"), QStringLiteral("tool_call"), QStringLiteral("tool_result")};
    UnitOfWork work(m_engine);
    if (!work.isActive())
        return work.error();
    const auto scope = store::TenantScope::tenant(tenantId);
    auto run = work.store().runs.find(scope, runId);
    if (!run.ok())
        return run.error();
    if (!run->has_value())
        return ApiError::notFound(QStringLiteral("run not found"));
    if ((*run)->status != QLatin1String("running"))
        return ApiError::conflict(QStringLiteral("the run has ended"));
    int written = 0;
    for (const QJsonValue &v : events) {
        QJsonObject e = v.toObject();
        const QString type = e.value(QLatin1String("type")).toString();
        if (!kTypes.contains(type))
            return ApiError::validation(
                QStringLiteral("events[%1].type").arg(written), QStringLiteral("invalid"));
        e.remove(QStringLiteral("type"));
        e.insert(QStringLiteral("activityId"), (*run)->activityId);
        e.insert(QStringLiteral("runId"), runId);
        if (auto r = work.activityEvent(tenantId, (*run)->activityId, type, e); !r.ok())
            return r.error();
        ++written;
    }
    if (auto r = work.commit(); !r.ok())
        return r.error();
    return written;
}

Result<QJsonObject> RunExecutor::contextJson(const store::Activity &activity, const store::Run &run)
{
    store::Store &store = m_engine.store;
    const auto scope = store::TenantScope::tenant(activity.tenantId);
    auto tenant = store.tenants.find(scope, activity.tenantId);
    auto campaign = store.campaigns.find(scope, activity.campaignId);
    if (!campaign.ok())
        return campaign.error();
    auto comments = store.activities.comments(scope, activity.id);
    if (!comments.ok())
        return comments.error();
    auto skills = store.agents.skillsForRole(activity.tenantId, activity.agentRole);
    if (!skills.ok())
        return skills.error();
    QJsonArray commentList;
    for (const auto &c : std::as_const(*comments))
        commentList.append(QJsonObject {{QStringLiteral("author"), c.authorName},
            {QStringLiteral("text"), c.text}, {QStringLiteral("type"), c.type},
            {QStringLiteral("createdOn"), isoTimestamp(c.createdAtMs)}});
    QJsonArray skillList;
    for (const auto &s : std::as_const(*skills))
        skillList.append(QJsonObject {{QStringLiteral("name"), s.name},
            {QStringLiteral("description"), s.description}, {QStringLiteral("content"), s.content}});
    QJsonObject ctx {{QStringLiteral("runId"), run.id}, {QStringLiteral("activityId"), activity.id},
        {QStringLiteral("title"), activity.title}, {QStringLiteral("type"), activity.type},
        {QStringLiteral("agentRole"), activity.agentRole}, {QStringLiteral("task"), activity.inputPrompt},
        {QStringLiteral("tenantName"), tenant.ok() && tenant->has_value() ? (*tenant)->name : QString()},
        {QStringLiteral("comments"), commentList}, {QStringLiteral("skills"), skillList}};
    if (campaign->has_value())
        ctx.insert(QStringLiteral("campaign"),
            QJsonObject {{QStringLiteral("id"), (*campaign)->id}, {QStringLiteral("name"), (*campaign)->name},
                {QStringLiteral("brief"), (*campaign)->brief}});
    if (!activity.wakeReason.isEmpty()) {
        ctx.insert(QStringLiteral("wake"),
            QJsonObject {{QStringLiteral("reason"), activity.wakeReason},
                {QStringLiteral("note"), activity.wakeNote}});
        if (!activity.outputDocumentId.isEmpty()) {
            auto doc = store.runs.findDocument(scope, activity.outputDocumentId);
            if (doc.ok() && doc->has_value())
                ctx.insert(QStringLiteral("previousOutput"), (*doc)->body);
        }
    }
    return ctx;
}

Result<QJsonObject> RunExecutor::context(const QString &tenantId, const QString &runId)
{
    const auto scope = store::TenantScope::tenant(tenantId);
    auto run = m_engine.store.runs.find(scope, runId);
    if (!run.ok())
        return run.error();
    if (!run->has_value())
        return ApiError::notFound(QStringLiteral("run not found"));
    auto activity = m_engine.store.activities.find(scope, (*run)->activityId);
    if (!activity.ok())
        return activity.error();
    if (!activity->has_value())
        return ApiError::notFound(QStringLiteral("activity not found"));
    auto ctx = contextJson(**activity, **run);
    if (!ctx.ok())
        return ctx.error();
    // What a built-in adapter would send its model, so a runtime wrapping a model can do the same.
    auto agent = m_engine.store.agents.findByRole(scope, (*run)->agentRole);
    if (!agent.ok())
        return agent.error();
    if (agent->has_value()) {
        QJsonArray messages;
        for (const ChatMessage &m : runMessages(**agent, *ctx))
            messages.append(
                QJsonObject {{QStringLiteral("role"), m.role}, {QStringLiteral("content"), m.content}});
        ctx->insert(QStringLiteral("messages"), messages);
    }
    QJsonArray toolList;
    for (const ToolSpec &t : tools::controlPlaneTools())
        toolList.append(QJsonObject {{QStringLiteral("name"), t.name},
            {QStringLiteral("description"), t.description}, {QStringLiteral("inputSchema"), t.inputSchema}});
    ctx->insert(QStringLiteral("tools"), toolList);
    return ctx;
}

Result<store::Run> RunExecutor::authenticateRun(const QString &runId, const QString &token)
{
    if (!Ulid::isValid(runId) || !token.startsWith(QLatin1String("lmr_")) || token.size() > 128)
        return ApiError::unauthorized(QStringLiteral("invalid run token"));
    auto run = m_engine.store.runs.find(store::TenantScope::allTenants(), runId);
    if (!run.ok())
        return run.error();
    const QByteArray presented = RunToken::hash(token);
    if (!run->has_value() || (*run)->tokenHash.size() != presented.size()
        || sodium_memcmp((*run)->tokenHash.constData(), presented.constData(), std::size_t(presented.size()))
            != 0)
        return ApiError::unauthorized(QStringLiteral("invalid run token"));
    return **run;
}

Result<store::Run> RunExecutor::authenticateRunningToken(const QString &token)
{
    if (!token.startsWith(QLatin1String("lmr_")) || token.size() > 128)
        return ApiError::unauthorized(QStringLiteral("invalid run token"));
    // A lookup by the token's SHA-256: the hash is the index, so no comparison leaks timing.
    auto run = m_engine.store.runs.findRunningByTokenHash(RunToken::hash(token));
    if (!run.ok())
        return run.error();
    if (!run->has_value())
        return ApiError::unauthorized(QStringLiteral("invalid run token"));
    return **run;
}

} // namespace lm::agents
