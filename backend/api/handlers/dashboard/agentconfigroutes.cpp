// SPDX-License-Identifier: GPL-3.0-or-later
// /dashboard/v1/agents: the tenant's agent configurations, their bounded overrides and the adapter
// health check (decisions in docs/api/dashboard-config.md).
#include "agents/adapterregistry.h"
#include "agents/runexecutor.h"
#include "api/handlers/dashboard/configsupport.h"
#include "services/engine.h"
#include "workflow/budget.h"

#include <QRegularExpression>

#include <cmath>

namespace lm::api::dashboard {

namespace {
constexpr int kMaxModel = 128;
constexpr int kMaxTools = 50;
constexpr int kMaxToolChars = 64;
constexpr int kMaxPromptTemplate = 20000;
constexpr double kMaxCostUsd = 1e6;
const QStringList kPatchStatuses {QStringLiteral("active"), QStringLiteral("paused")};

Result<store::AgentConfig> findAgent(store::Store &store, const RequestContext &ctx)
{
    auto found = store.agents.findByRole(scopeOf(ctx), ctx.param("agentRole"));
    if (!found.ok())
        return found.error();
    if (!found->has_value())
        return ApiError::notFound(QStringLiteral("agent not found"));
    return **found;
}

/// The list item of GET /agents (also the answer of PATCH).
Result<QJsonObject> summaryJson(store::Store &store, const store::AgentConfig &a)
{
    auto running = store.runs.runningCount(a.tenantId, a.role);
    if (!running.ok())
        return running.error();
    auto skills = store.agents.skillsForRole(a.tenantId, a.role);
    if (!skills.ok())
        return skills.error();
    QStringList skillIds;
    for (const store::Skill &s : std::as_const(*skills))
        skillIds.append(s.id);
    const bool busy
        = *running > 0 && (a.status == QLatin1String("active") || a.status == QLatin1String("idle"));
    QJsonObject o {{QStringLiteral("id"), a.id}, {QStringLiteral("role"), a.role},
        {QStringLiteral("name"), a.name},
        {QStringLiteral("status"), busy ? QStringLiteral("running") : a.status},
        {QStringLiteral("runningCount"), *running}, {QStringLiteral("model"), a.model},
        {QStringLiteral("adapterType"), a.adapterType},
        {QStringLiteral("toolNames"), QJsonArray::fromStringList(a.toolNames)},
        {QStringLiteral("skillIds"), QJsonArray::fromStringList(skillIds)},
        {QStringLiteral("concurrency"), a.concurrency},
        {QStringLiteral("isGlobalDefault"), a.isGlobalDefault}};
    if (a.maxCostMicrosPerActivity)
        o.insert(
            QStringLiteral("maxCostUsdPerActivity"), workflow::Budget::toUsd(*a.maxCostMicrosPerActivity));
    if (a.lastErrorAtMs) {
        o.insert(QStringLiteral("lastErrorAt"), isoTimestamp(*a.lastErrorAtMs));
        o.insert(QStringLiteral("lastErrorMessage"), a.lastErrorMessage);
    }
    return o;
}

/// An integer field within [min, max]; problems go to `f`.
std::optional<int> boundedInt(JsonFields &f, const QJsonValue &v, const QString &field, int min, int max)
{
    if (!v.isDouble() || v.toDouble() != std::floor(v.toDouble())) {
        f.addIssue(field, QStringLiteral("must_be_integer"));
        return std::nullopt;
    }
    if (v.toDouble() < min || v.toDouble() > max) {
        f.addIssue(field, QStringLiteral("out_of_range"));
        return std::nullopt;
    }
    return v.toInt();
}

/// Applies a PATCH body to `agent`; the audit changes of each field that changed go to `changes`.
Result<void> applyPatch(const QJsonObject &o, store::AgentConfig &agent, QJsonObject &changes)
{
    JsonFields f(o);
    store::AgentConfig next = agent;
    if (o.contains(QLatin1String("model")))
        next.model = f.requiredString(QStringLiteral("model"), kMaxModel).trimmed();
    if (const auto status = f.optionalString(QStringLiteral("status"), 32)) {
        if (!kPatchStatuses.contains(*status))
            f.addIssue(QStringLiteral("status"), QStringLiteral("invalid"));
        else
            next.status = *status;
    }
    if (o.contains(QLatin1String("concurrency"))) {
        if (const auto c
            = boundedInt(f, o.value(QLatin1String("concurrency")), QStringLiteral("concurrency"), 1, 10))
            next.concurrency = *c;
    }
    if (o.contains(QLatin1String("maxCostUsdPerActivity"))) {
        const QJsonValue v = o.value(QLatin1String("maxCostUsdPerActivity"));
        if (v.isNull())
            next.maxCostMicrosPerActivity.reset();
        else if (!v.isDouble())
            f.addIssue(QStringLiteral("maxCostUsdPerActivity"), QStringLiteral("must_be_number"));
        else if (v.toDouble() < 0 || v.toDouble() > kMaxCostUsd)
            f.addIssue(QStringLiteral("maxCostUsdPerActivity"), QStringLiteral("out_of_range"));
        else
            next.maxCostMicrosPerActivity = std::llround(v.toDouble() * 1e6);
    }
    if (o.contains(QLatin1String("toolNames"))) {
        static const QRegularExpression toolForm(QStringLiteral("^[A-Za-z0-9_.\\-]+$"));
        const QJsonValue v = o.value(QLatin1String("toolNames"));
        if (!v.isArray())
            f.addIssue(QStringLiteral("toolNames"), QStringLiteral("must_be_array"));
        else if (v.toArray().size() > kMaxTools)
            f.addIssue(QStringLiteral("toolNames"), QStringLiteral("too_many"));
        else {
            QStringList tools;
            const QJsonArray items = v.toArray();
            for (qsizetype i = 0; i < items.size(); ++i) {
                const QString field = QStringLiteral("toolNames[%1]").arg(i);
                const QString name = items[i].toString();
                if (!items[i].isString() || name.isEmpty())
                    f.addIssue(field, QStringLiteral("must_be_string"));
                else if (name.size() > kMaxToolChars)
                    f.addIssue(field, QStringLiteral("too_long"));
                else if (!toolForm.match(name).hasMatch())
                    f.addIssue(field, QStringLiteral("invalid"));
                else if (!tools.contains(name))
                    tools.append(name);
            }
            next.toolNames = tools;
        }
    }
    if (o.contains(QLatin1String("adapterConfig"))) {
        const QJsonValue v = o.value(QLatin1String("adapterConfig"));
        if (!v.isObject())
            f.addIssue(QStringLiteral("adapterConfig"), QStringLiteral("must_be_object"));
        else {
            const QJsonObject ac = v.toObject();
            for (auto it = ac.begin(); it != ac.end(); ++it) {
                const QString field = QStringLiteral("adapterConfig.") + it.key();
                if (it.key() == QLatin1String("promptTemplate")) {
                    if (!it->isString())
                        f.addIssue(field, QStringLiteral("must_be_string"));
                    else if (it->toString().size() > kMaxPromptTemplate)
                        f.addIssue(field, QStringLiteral("too_long"));
                    else
                        next.adapterConfig.insert(it.key(), *it);
                } else if (it.key() == QLatin1String("timeoutSec")) {
                    if (const auto n = boundedInt(f, *it, field, 5, 3600))
                        next.adapterConfig.insert(it.key(), *n);
                } else if (it.key() == QLatin1String("maxTurnsPerRun")) {
                    if (const auto n = boundedInt(f, *it, field, 1, 50))
                        next.adapterConfig.insert(it.key(), *n);
                } else {
                    // The endpoint, keys and adapter type are the platform's (master config).
                    f.addIssue(field, QStringLiteral("not_allowed"));
                }
            }
        }
    }
    if (auto v = f.result(); !v.ok())
        return v;

    const auto note = [&](const char *field, const QJsonValue &from, const QJsonValue &to) {
        if (from != to)
            changes.insert(QLatin1String(field), change(from, to));
    };
    const auto usd = [](const std::optional<qint64> &micros) {
        return micros ? QJsonValue(workflow::Budget::toUsd(*micros)) : QJsonValue(QJsonValue::Null);
    };
    note("model", agent.model, next.model);
    note("status", agent.status, next.status);
    note("concurrency", agent.concurrency, next.concurrency);
    note("maxCostUsdPerActivity", usd(agent.maxCostMicrosPerActivity), usd(next.maxCostMicrosPerActivity));
    note(
        "toolNames", QJsonArray::fromStringList(agent.toolNames), QJsonArray::fromStringList(next.toolNames));
    for (const char *key : {"promptTemplate", "timeoutSec", "maxTurnsPerRun"}) {
        const QJsonValue from = agent.adapterConfig.value(QLatin1String(key));
        const QJsonValue to = next.adapterConfig.value(QLatin1String(key));
        if (from != to)
            changes.insert(QStringLiteral("adapterConfig.") + QLatin1String(key),
                change(from.isUndefined() ? QJsonValue(QJsonValue::Null) : from, to));
    }
    agent = next;
    return {};
}
} // namespace

void addAgentConfigRoutes(std::vector<RouteSpec> &routes, const DashboardDeps &deps)
{
    store::Store &store = deps.store;
    services::EngineContext &engine = deps.engine;
    agents::RunExecutor *executor = deps.executor;

    routes.push_back({HttpMethod::Get, path("/agents"), tenantUsers(),
        [&store](RequestContext &ctx) -> Result<HttpResponse> {
            auto agents = store.agents.list(scopeOf(ctx));
            if (!agents.ok())
                return agents.error();
            QJsonArray data;
            for (const store::AgentConfig &a : std::as_const(*agents)) {
                auto item = summaryJson(store, a);
                if (!item.ok())
                    return item.error();
                data.append(*item);
            }
            return jsonResponse(200, {{QStringLiteral("data"), data}});
        }});

    routes.push_back({HttpMethod::Get, path("/agents/:agentRole"), tenantUsers(),
        [&store](RequestContext &ctx) -> Result<HttpResponse> {
            auto agent = findAgent(store, ctx);
            if (!agent.ok())
                return agent.error();
            auto detail = summaryJson(store, *agent);
            if (!detail.ok())
                return detail.error();
            QJsonObject adapterConfig = redacted(agent->adapterConfig);
            adapterConfig.insert(QStringLiteral("model"), agent->model);
            if (!agent->adapterSecretSealed.isEmpty())
                adapterConfig.insert(QStringLiteral("apiKey"), kRedacted);
            detail->insert(QStringLiteral("adapterConfig"), adapterConfig);
            detail->insert(QStringLiteral("hasApiKey"), !agent->adapterSecretSealed.isEmpty());
            detail->insert(QStringLiteral("reportsTo"), nullable(agent->reportsTo));
            detail->insert(QStringLiteral("createdOn"), isoTimestamp(agent->createdAtMs));
            detail->insert(QStringLiteral("updatedOn"), isoTimestamp(agent->updatedAtMs));
            return jsonResponse(200, *detail);
        }});

    routes.push_back({HttpMethod::Patch, path("/agents/:agentRole"), adminsOnly(),
        [&store, &engine](RequestContext &ctx) -> Result<HttpResponse> {
            auto body = parseJsonObject(ctx.request.body);
            if (!body.ok())
                return body.error();
            services::UnitOfWork work(engine);
            if (!work.isActive())
                return work.error();
            auto agent = findAgent(store, ctx);
            if (!agent.ok())
                return agent.error();
            QJsonObject changes;
            if (auto r = applyPatch(*body, *agent, changes); !r.ok())
                return r.error();
            if (!changes.isEmpty()) {
                // A customised config no longer follows the platform's master config.
                agent->isGlobalDefault = false;
                agent->updatedAtMs = work.nowMs();
                if (auto r = store.agents.update(scopeOf(ctx), *agent); !r.ok())
                    return r.error();
                if (auto r = store.audit.append(auditEntry(ctx, QStringLiteral("agent.updated"),
                        QStringLiteral("agent"), agent->id, changes, work.nowMs()));
                    !r.ok())
                    return r.error();
                if (auto r = work.commit(); !r.ok())
                    return r.error();
            }
            auto summary = summaryJson(store, *agent);
            if (!summary.ok())
                return summary.error();
            return jsonResponse(200, *summary);
        },
        kBodyLimit});

    routes.push_back({HttpMethod::Post, path("/agents/:agentRole/test"), tenantUsers(),
        [&store, executor](RequestContext &ctx) -> Result<HttpResponse> {
            auto agent = findAgent(store, ctx);
            if (!agent.ok())
                return agent.error();
            QJsonArray checks;
            QStringList failed;
            QString firstProblem;
            const auto add = [&](const QString &name, bool passed, const QString &detail) {
                QJsonObject check {{QStringLiteral("name"), name}, {QStringLiteral("ok"), passed}};
                if (!detail.isEmpty())
                    check.insert(QStringLiteral("detail"), detail);
                checks.append(check);
                if (!passed) {
                    failed.append(name);
                    if (firstProblem.isEmpty())
                        firstProblem = detail;
                }
            };
            std::unique_ptr<agents::AgentAdapter> adapter = agents::makeAdapter(agent->adapterType);
            if (!adapter) {
                add(QStringLiteral("adapter_type"), false,
                    QStringLiteral("unknown adapter type %1").arg(agent->adapterType));
            } else if (!executor) {
                add(QStringLiteral("api_key"), false,
                    QStringLiteral("the agent's settings cannot be read here"));
            } else if (auto config = executor->adapterConfig(*agent); !config.ok()) {
                add(QStringLiteral("api_key"), false, config.error().message);
            } else {
                add(QStringLiteral("adapter_type"), true, agent->adapterType);
                for (const agents::HealthCheck &c : adapter->health(*config))
                    add(c.name, c.ok, c.detail);
            }
            const bool ok = failed.isEmpty();
            const QString message = ok
                ? QStringLiteral("All %1 checks passed").arg(checks.size())
                : QStringLiteral("Failed: %1 — %2").arg(failed.join(QStringLiteral(", ")), firstProblem);
            return jsonResponse(200,
                {{QStringLiteral("ok"), ok}, {QStringLiteral("message"), message},
                    {QStringLiteral("checks"), checks}});
        },
        kBodyLimit, /*offload*/ true}); // adapters probe their endpoints over the network
}

} // namespace lm::api::dashboard
