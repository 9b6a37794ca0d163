// SPDX-License-Identifier: GPL-3.0-or-later
// /dashboard/v1/recurring-tasks: the tenant's scheduled tasks, their settings and "run now".
#include "api/handlers/dashboard/insightsupport.h"
#include "services/recurringtasks.h"

#include <memory>

namespace lm::api::dashboard {

namespace {
constexpr int kMaxValueChars = 2000;

QJsonValue msOrNull(const std::optional<qint64> &ms)
{
    return ms ? QJsonValue(isoTimestamp(*ms)) : QJsonValue(QJsonValue::Null);
}

QJsonObject taskJson(const store::RecurringTask &t)
{
    return {{QStringLiteral("id"), t.id}, {QStringLiteral("name"), t.name},
        {QStringLiteral("description"), t.description}, {QStringLiteral("assigneeType"), t.assigneeType},
        {QStringLiteral("agentRole"), nullable(t.agentRole)}, {QStringLiteral("periodicity"), t.periodicity},
        {QStringLiteral("trigger"), t.trigger}, {QStringLiteral("isActive"), t.isActive},
        {QStringLiteral("variables"), t.variables}, {QStringLiteral("variableValues"), t.variableValues},
        {QStringLiteral("nextRunAt"), msOrNull(t.nextRunAtMs)},
        {QStringLiteral("lastRunAt"), msOrNull(t.lastRunAtMs)}};
}

/// Checks one value against its variable's type; the issue, or empty when it fits.
QString valueIssue(const QJsonObject &variable, const QJsonValue &value)
{
    const QString type = variable.value(QLatin1String("type")).toString();
    if (value.isNull())
        return variable.value(QLatin1String("required")).toBool() ? QStringLiteral("required") : QString();
    if (type == QLatin1String("number"))
        return value.isDouble() ? QString() : QStringLiteral("must_be_number");
    if (type == QLatin1String("boolean"))
        return value.isBool() ? QString() : QStringLiteral("must_be_boolean");
    if (!value.isString())
        return QStringLiteral("must_be_string");
    if (value.toString().size() > kMaxValueChars)
        return QStringLiteral("too_long");
    if (variable.value(QLatin1String("required")).toBool() && value.toString().trimmed().isEmpty())
        return QStringLiteral("required");
    return {};
}

/// The task with the patch applied; problems go to `f`.
store::RecurringTask applyPatch(JsonFields &f, const QJsonObject &o, store::RecurringTask t)
{
    if (o.contains(QLatin1String("isActive"))) {
        const QJsonValue v = o.value(QLatin1String("isActive"));
        if (!v.isBool())
            f.addIssue(QStringLiteral("isActive"), QStringLiteral("must_be_boolean"));
        else
            t.isActive = v.toBool();
    }
    if (const auto p = f.optionalString(QStringLiteral("periodicity"), 32)) {
        if (!services::RecurringTasks::periodicities().contains(*p))
            f.addIssue(QStringLiteral("periodicity"), QStringLiteral("invalid"));
        else
            t.periodicity = *p;
    }
    if (o.contains(QLatin1String("variableValues"))) {
        const QJsonValue v = o.value(QLatin1String("variableValues"));
        if (!v.isObject()) {
            f.addIssue(QStringLiteral("variableValues"), QStringLiteral("must_be_object"));
            return t;
        }
        QHash<QString, QJsonObject> variables;
        for (const QJsonValue &var : std::as_const(t.variables))
            variables.insert(var.toObject().value(QLatin1String("key")).toString(), var.toObject());
        const QJsonObject values = v.toObject();
        for (auto it = values.constBegin(); it != values.constEnd(); ++it) {
            const QString field = QStringLiteral("variableValues.") + it.key();
            if (!variables.contains(it.key())) {
                f.addIssue(field, QStringLiteral("unknown_variable"));
                continue;
            }
            if (const QString issue = valueIssue(variables.value(it.key()), it.value()); !issue.isEmpty())
                f.addIssue(field, issue);
            else if (it.value().isNull())
                t.variableValues.remove(it.key());
            else
                t.variableValues.insert(it.key(), it.value());
        }
    }
    return t;
}
} // namespace

void addRecurringRoutes(std::vector<RouteSpec> &routes, const DashboardDeps &deps)
{
    store::Store &store = deps.store;
    const Clock &clock = deps.engine.clock;
    auto tasks = std::make_shared<services::RecurringTasks>(deps.engine);

    routes.push_back({HttpMethod::Get, path("/recurring-tasks"), tenantUsers(),
        [&store](RequestContext &ctx) -> Result<HttpResponse> {
            auto rows = store.insight.recurringTasks.list(scopeOf(ctx));
            if (!rows.ok())
                return rows.error();
            QJsonArray data;
            for (const auto &t : std::as_const(*rows))
                data.append(taskJson(t));
            return jsonResponse(200, {{QStringLiteral("data"), data}});
        }});

    routes.push_back({HttpMethod::Patch, path("/recurring-tasks/:taskId"), adminsOnly(),
        [&store, &clock](RequestContext &ctx) -> Result<HttpResponse> {
            auto body = parseJsonObject(ctx.request.body);
            if (!body.ok())
                return body.error();
            const auto scope = scopeOf(ctx);
            store::Transaction tx(store.db());
            if (!tx.isActive())
                return tx.error();
            auto found = store.insight.recurringTasks.find(scope, ctx.param("taskId"));
            if (!found.ok())
                return found.error();
            JsonFields f(*body);
            // Validation first, then existence: bad input answers 400 whatever the id.
            const store::RecurringTask before = found->value_or(store::RecurringTask {});
            store::RecurringTask after = applyPatch(f, *body, before);
            if (auto v = f.result(); !v.ok())
                return v.error();
            if (!found->has_value())
                return ApiError::notFound(QStringLiteral("recurring task not found"));
            const qint64 now = clock.nowMs();
            // Enabling or a new periodicity schedules from now; disabling clears the next run.
            if (!after.isActive)
                after.nextRunAtMs.reset();
            else if (!before.isActive || after.periodicity != before.periodicity || !before.nextRunAtMs)
                after.nextRunAtMs = services::RecurringTasks::nextRunAfter(after.periodicity, now);
            after.updatedAtMs = now;
            QJsonObject changes;
            if (after.isActive != before.isActive)
                changes.insert(QStringLiteral("isActive"), change(before.isActive, after.isActive));
            if (after.periodicity != before.periodicity)
                changes.insert(QStringLiteral("periodicity"), change(before.periodicity, after.periodicity));
            if (after.variableValues != before.variableValues)
                changes.insert(
                    QStringLiteral("variableValues"), change(before.variableValues, after.variableValues));
            if (after.nextRunAtMs != before.nextRunAtMs)
                changes.insert(QStringLiteral("nextRunAt"),
                    change(msOrNull(before.nextRunAtMs), msOrNull(after.nextRunAtMs)));
            if (!changes.isEmpty()) {
                if (auto r = store.insight.recurringTasks.update(scope, after); !r.ok())
                    return r.error();
                if (auto r = store.audit.append(auditEntry(ctx, QStringLiteral("recurring_task.updated"),
                        QStringLiteral("recurring_task"), after.id, changes, now));
                    !r.ok())
                    return r.error();
                if (auto r = tx.commit(); !r.ok())
                    return r.error();
            } else {
                after = before;
            }
            return jsonResponse(200, taskJson(after));
        },
        kBodyLimit});

    routes.push_back({HttpMethod::Post, path("/recurring-tasks/:taskId/run"), adminsOnly(),
        [&store, &clock, tasks](RequestContext &ctx) -> Result<HttpResponse> {
            const auto scope = scopeOf(ctx);
            auto before = store.insight.recurringTasks.find(scope, ctx.param("taskId"));
            if (!before.ok())
                return before.error();
            if (!before->has_value())
                return ApiError::notFound(QStringLiteral("recurring task not found"));
            auto activityId = tasks->runNow(scope, (*before)->id,
                auditEntry(ctx, QStringLiteral("recurring_task.run"), QStringLiteral("recurring_task"),
                    (*before)->id, {}, clock.nowMs()));
            if (!activityId.ok())
                return activityId.error();
            return jsonResponse(202, {{QStringLiteral("activityId"), *activityId}});
        }});
}

} // namespace lm::api::dashboard
