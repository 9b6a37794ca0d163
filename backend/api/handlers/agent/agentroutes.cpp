// SPDX-License-Identifier: GPL-3.0-or-later
#include "agentroutes.h"

#include "agents/adapterregistry.h"
#include "agents/controlplanetools.h"
#include "agents/runexecutor.h"
#include "api/json.h"
#include "core/clock.h"
#include "services/agentcontrol.h"
#include "store/store.h"

#include <QJsonArray>

#include <cmath>

namespace lm::api {

namespace {

constexpr qsizetype kMaxOutputBytes = 2 * 1024 * 1024;
constexpr std::size_t kEnvelope = 64 * 1024; // the JSON around a 2 MB output: usage, error, escapes
constexpr std::size_t kLargeBody = std::size_t(kMaxOutputBytes) + kEnvelope;
constexpr std::size_t kActionBody = 64 * 1024;
constexpr std::size_t kNoBody = 16 * 1024;
constexpr int kMaxStreamEvents = 500;
constexpr int kMaxError = 8000;
constexpr int kMaxName = 128;
constexpr double kMaxTokens = 1e12;

// What a handler of a runs/:runId route knows: the run the token proved and its tenant.
struct RunCaller
{
    QString tenantId;
    QString runId;
};

RunCaller callerOf(const RequestContext &ctx)
{
    return {ctx.principal->tenantId, ctx.principal->runId};
}

// A non-negative whole number of tokens, or an issue.
std::optional<qint64> tokenCount(const QJsonObject &usage, const QString &name, QList<FieldIssue> &issues)
{
    const QJsonValue v = usage.value(name);
    if (v.isUndefined() || v.isNull())
        return qint64(0);
    const double d = v.toDouble(-1);
    if (!v.isDouble() || d < 0 || d > kMaxTokens || std::floor(d) != d) {
        issues.append({QStringLiteral("usage.") + name, QStringLiteral("must be a non-negative integer")});
        return std::nullopt;
    }
    return qint64(d);
}

Result<agents::RunResult> parseResult(const QJsonObject &body)
{
    QList<FieldIssue> issues;
    agents::RunResult result;
    const QJsonValue status = body.value(QLatin1String("status"));
    if (status.isUndefined() || status.isNull())
        issues.append({QStringLiteral("status"), QStringLiteral("required")});
    else if (status != QJsonValue(QStringLiteral("completed"))
        && status != QJsonValue(QStringLiteral("failed")))
        issues.append({QStringLiteral("status"), QStringLiteral("must be completed or failed")});
    result.ok = status.toString() == QLatin1String("completed");

    // `output` is the documented name; `text` is accepted as its alias (RunResult's field).
    const QString outputField
        = body.contains(QLatin1String("output")) ? QStringLiteral("output") : QStringLiteral("text");
    const QJsonValue output = body.value(outputField);
    if (output.isUndefined() || output.isNull()) {
        if (result.ok)
            issues.append({QStringLiteral("output"), QStringLiteral("required")});
    } else if (!output.isString()) {
        issues.append({outputField, QStringLiteral("must be string")});
    } else {
        result.text = output.toString();
        if (result.ok && result.text.trimmed().isEmpty())
            issues.append({outputField, QStringLiteral("required")});
        else if (result.text.size() > kMaxOutputBytes || result.text.toUtf8().size() > kMaxOutputBytes)
            issues.append({outputField, QStringLiteral("too_long")});
    }

    const QJsonValue format = body.value(QLatin1String("format"));
    if (!format.isUndefined() && !format.isNull()) {
        static const QStringList kFormats {
            QStringLiteral("markdown"), QStringLiteral("html"), QStringLiteral("plain")};
        if (!format.isString() || !kFormats.contains(format.toString()))
            issues.append({QStringLiteral("format"), QStringLiteral("must be markdown, html or plain")});
        else
            result.format = format.toString();
    }

    const QJsonValue usage = body.value(QLatin1String("usage"));
    if (usage.isObject()) {
        const QJsonObject u = usage.toObject();
        result.inputTokens = tokenCount(u, QStringLiteral("inputTokens"), issues).value_or(0);
        result.outputTokens = tokenCount(u, QStringLiteral("outputTokens"), issues).value_or(0);
    } else if (!usage.isUndefined() && !usage.isNull()) {
        issues.append({QStringLiteral("usage"), QStringLiteral("must be object")});
    }

    const QJsonValue error = body.value(QLatin1String("error"));
    if (!result.ok) {
        if (!error.isString() || error.toString().trimmed().isEmpty())
            issues.append({QStringLiteral("error"), QStringLiteral("required")});
        else if (error.toString().size() > kMaxError)
            issues.append({QStringLiteral("error"), QStringLiteral("too_long")});
        else
            result.error = error.toString().trimmed();
    }

    const QJsonValue retriable = body.value(QLatin1String("retriable"));
    if (retriable.isBool())
        result.retriable = retriable.toBool() && !result.ok;
    else if (!retriable.isUndefined() && !retriable.isNull())
        issues.append({QStringLiteral("retriable"), QStringLiteral("must be boolean")});

    if (!issues.isEmpty())
        return ApiError {ErrorCode::ValidationError, QStringLiteral("The result is not valid"), issues};
    return result;
}

// Keeps the documented fields of one stream event, so nothing else lands in the activity stream.
Result<QJsonArray> parseStream(const QJsonObject &body)
{
    const QJsonValue events = body.value(QLatin1String("events"));
    if (!events.isArray())
        return ApiError::validation(QStringLiteral("events"), QStringLiteral("required"));
    const QJsonArray list = events.toArray();
    if (list.isEmpty())
        return ApiError::validation(QStringLiteral("events"), QStringLiteral("too few items"));
    if (list.size() > kMaxStreamEvents)
        return ApiError::validation(QStringLiteral("events"), QStringLiteral("too many items"));
    QJsonArray out;
    for (qsizetype i = 0; i < list.size(); ++i) {
        const QString at = QStringLiteral("events[%1]").arg(i);
        if (!list.at(i).isObject())
            return ApiError::validation(at, QStringLiteral("must be object"));
        const QJsonObject e = list.at(i).toObject();
        const QString type = e.value(QLatin1String("type")).toString();
        QJsonObject kept {{QStringLiteral("type"), type}};
        const QJsonValue callId = e.value(QLatin1String("callId"));
        if (callId.isString() && callId.toString().size() <= kMaxName)
            kept.insert(QStringLiteral("callId"), callId);
        else if (!callId.isUndefined() && !callId.isNull())
            return ApiError::validation(at + QStringLiteral(".callId"), QStringLiteral("must be string"));
        if (type == QLatin1String("text_delta")) {
            const QJsonValue delta = e.value(QLatin1String("delta"));
            if (!delta.isString() || delta.toString().isEmpty())
                return ApiError::validation(at + QStringLiteral(".delta"), QStringLiteral("required"));
            kept.insert(QStringLiteral("delta"), delta);
        } else if (type == QLatin1String("tool_call") || type == QLatin1String("tool_result")) {
            const QJsonValue name = e.value(QLatin1String("name"));
            if (!name.isString() || name.toString().isEmpty() || name.toString().size() > kMaxName)
                return ApiError::validation(at + QStringLiteral(".name"), QStringLiteral("required"));
            kept.insert(QStringLiteral("name"), name);
            const char *payload = type == QLatin1String("tool_call") ? "input" : "output";
            const QJsonValue value = e.value(QLatin1String(payload));
            if (!value.isUndefined())
                kept.insert(QLatin1String(payload), value);
        } else {
            return ApiError::validation(
                at + QStringLiteral(".type"), QStringLiteral("must be text_delta, tool_call or tool_result"));
        }
        out.append(kept);
    }
    return out;
}

// Why a running run should stop, as a built-in adapter's sink would tell it: its activity was
// paused or blocked meanwhile. Empty when it may go on.
QString stopReason(store::Store &store, const RunCaller &caller)
{
    const auto scope = store::TenantScope::tenant(caller.tenantId);
    auto run = store.runs.find(scope, caller.runId);
    if (!run.ok() || !run->has_value())
        return {};
    auto activity = store.activities.find(scope, (*run)->activityId);
    if (!activity.ok() || !activity->has_value() || (*activity)->status != QLatin1String("blocked"))
        return {};
    return (*activity)->blockReason.isEmpty() ? QStringLiteral("paused") : (*activity)->blockReason;
}

QJsonObject skillSummary(const store::Skill &s)
{
    return {{QStringLiteral("name"), s.name}, {QStringLiteral("description"), s.description},
        {QStringLiteral("sizeBytes"), qint64(s.content.toUtf8().size())},
        {QStringLiteral("scope"), s.tenantId.isEmpty() ? QStringLiteral("global") : QStringLiteral("tenant")},
        {QStringLiteral("updatedOn"), isoTimestamp(s.updatedAtMs)}};
}

// The skills of a role as the tenant's agent of that role is given them (a tenant skill hides a
// global one of the same name). NOT_FOUND when the tenant has no agent of that role.
Result<QList<store::Skill>> skillsOf(store::Store &store, const QString &tenantId, const QString &role)
{
    auto agent = store.agents.findByRole(store::TenantScope::tenant(tenantId), role);
    if (!agent.ok())
        return agent.error();
    if (!agent->has_value())
        return ApiError::notFound(QStringLiteral("The tenant has no agent with that role"));
    return store.agents.skillsForRole(tenantId, role);
}

Result<HttpResponse> health(agents::RunExecutor &executor, store::Store &store, const RequestContext &ctx)
{
    const QString role = ctx.param("agentRole");
    auto agent = store.agents.findByRole(store::TenantScope::tenant(ctx.principal->tenantId), role);
    if (!agent.ok())
        return agent.error();
    if (!agent->has_value())
        return ApiError::notFound(QStringLiteral("The tenant has no agent with that role"));
    const store::AgentConfig &a = **agent;
    QJsonArray checks;
    bool ok = true;
    const auto add = [&](const QString &name, bool passed, const QString &detail) {
        checks.append(QJsonObject {{QStringLiteral("name"), name}, {QStringLiteral("ok"), passed},
            {QStringLiteral("detail"), detail}});
        ok = ok && passed;
    };
    std::unique_ptr<agents::AgentAdapter> adapter = agents::makeAdapter(a.adapterType);
    auto config = executor.adapterConfig(a);
    if (!adapter)
        add(QStringLiteral("adapter_type"), false,
            QStringLiteral("unknown adapter type %1").arg(a.adapterType));
    else if (!config.ok())
        add(QStringLiteral("api_key"), false, config.error().message);
    else {
        for (const agents::HealthCheck &c : adapter->health(*config))
            add(c.name, c.ok, c.detail);
    }
    if (checks.isEmpty())
        add(QStringLiteral("adapter"), true, a.adapterType);
    return jsonResponse(200,
        {{QStringLiteral("agentRole"), role}, {QStringLiteral("adapterType"), a.adapterType},
            {QStringLiteral("model"), a.model}, {QStringLiteral("status"), a.status},
            {QStringLiteral("ok"), ok}, {QStringLiteral("checks"), checks}});
}

} // namespace

Result<void> registerAgentRoutes(
    Router &router, agents::RunExecutor &executor, services::AgentControl &control, store::Store &store)
{
    std::vector<RouteSpec> routes;

    routes.push_back({HttpMethod::Post, "/agent/v1/runs/:runId/result", AccessPolicy::agentRun(),
        [&executor](RequestContext &ctx) -> Result<HttpResponse> {
            auto body = parseJsonObject(ctx.request.body);
            if (!body.ok())
                return body.error();
            auto result = parseResult(*body);
            if (!result.ok())
                return result.error();
            const RunCaller caller = callerOf(ctx);
            auto done = executor.finish(caller.tenantId, caller.runId, *result);
            if (!done.ok())
                return done.error();
            return jsonResponse(200, *done);
        },
        kLargeBody});

    routes.push_back({HttpMethod::Post, "/agent/v1/runs/:runId/stream", AccessPolicy::agentRun(),
        [&executor, &store](RequestContext &ctx) -> Result<HttpResponse> {
            auto body = parseJsonObject(ctx.request.body);
            if (!body.ok())
                return body.error();
            auto events = parseStream(*body);
            if (!events.ok())
                return events.error();
            const RunCaller caller = callerOf(ctx);
            auto written = executor.appendStream(caller.tenantId, caller.runId, *events);
            if (!written.ok())
                return written.error();
            QJsonObject answer {{QStringLiteral("accepted"), *written}};
            if (const QString stop = stopReason(store, caller); !stop.isEmpty())
                answer.insert(QStringLiteral("stop"), QJsonObject {{QStringLiteral("reason"), stop}});
            return jsonResponse(202, answer);
        },
        kLargeBody});

    routes.push_back({HttpMethod::Get, "/agent/v1/runs/:runId/context", AccessPolicy::agentRun(),
        [&executor](RequestContext &ctx) -> Result<HttpResponse> {
            const RunCaller caller = callerOf(ctx);
            auto context = executor.context(caller.tenantId, caller.runId);
            if (!context.ok())
                return context.error();
            return jsonResponse(200, *context);
        },
        kNoBody});

    for (const QString &tool : {QString(agents::tools::CreateSubtask), QString(agents::tools::CreateApproval),
             QString(agents::tools::RequestReview), QString(agents::tools::ReportBlocker),
             QString(agents::tools::Reassign)}) {
        const int created = tool.startsWith(QLatin1String("create_")) ? 201 : 200;
        std::string path = "/agent/v1/runs/:runId/actions/"
            + QString(tool).replace(QLatin1Char('_'), QLatin1Char('-')).toStdString();
        routes.push_back({HttpMethod::Post, std::move(path), AccessPolicy::agentRun(),
            [&control, tool, created](RequestContext &ctx) -> Result<HttpResponse> {
                auto body = parseJsonObject(ctx.request.body);
                if (!body.ok())
                    return body.error();
                // The same schema the built-in adapters' models are given for this tool.
                if (auto valid = agents::tools::validateToolInput(tool, *body); !valid.ok())
                    return valid.error();
                const RunCaller caller = callerOf(ctx);
                auto done = control.perform(caller.runId, caller.tenantId, tool, *body);
                if (!done.ok())
                    return done.error();
                return jsonResponse(created, *done);
            },
            kActionBody});
    }

    routes.push_back({HttpMethod::Get, "/agent/v1/health/:agentRole", AccessPolicy::agentRuntime(),
        [&executor, &store](RequestContext &ctx) { return health(executor, store, ctx); }, kNoBody,
        /*offload*/ true}); // adapters probe their endpoints over the network

    routes.push_back({HttpMethod::Get, "/agent/v1/skills/:agentRole", AccessPolicy::agentRuntime(),
        [&store](RequestContext &ctx) -> Result<HttpResponse> {
            const QString role = ctx.param("agentRole");
            auto skills = skillsOf(store, ctx.principal->tenantId, role);
            if (!skills.ok())
                return skills.error();
            QJsonArray data;
            for (const store::Skill &s : std::as_const(*skills))
                data.append(skillSummary(s));
            return jsonResponse(200, {{QStringLiteral("agentRole"), role}, {QStringLiteral("data"), data}});
        },
        kNoBody});

    routes.push_back({HttpMethod::Get, "/agent/v1/skills/:agentRole/:skillName", AccessPolicy::agentRuntime(),
        [&store](RequestContext &ctx) -> Result<HttpResponse> {
            auto skills = skillsOf(store, ctx.principal->tenantId, ctx.param("agentRole"));
            if (!skills.ok())
                return skills.error();
            const QString name = ctx.param("skillName");
            for (const store::Skill &s : std::as_const(*skills)) {
                if (s.name == name) {
                    QJsonObject body = skillSummary(s);
                    body.insert(QStringLiteral("content"), s.content);
                    return jsonResponse(200, body);
                }
            }
            return ApiError::notFound(QStringLiteral("No skill of that name for the role"));
        },
        kNoBody});

    for (RouteSpec &route : routes) {
        if (auto r = router.add(std::move(route)); !r.ok())
            return r;
    }
    return {};
}

} // namespace lm::api
