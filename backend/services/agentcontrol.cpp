// SPDX-License-Identifier: GPL-3.0-or-later
#include "agentcontrol.h"

#include "core/ulid.h"
#include "services/campaignservice.h"

namespace lm::services {

using workflow::ActivityEvent;

namespace {
QString canonical(QString name)
{
    // /agent/v1 paths use dashes, tool names underscores.
    return name.replace(QLatin1Char('-'), QLatin1Char('_'));
}

// A required string of the action's input, trimmed and bounded; empty when missing or too long.
QString text(const QJsonObject &input, const char *field, int maxLength, QList<FieldIssue> &issues,
    bool required = true)
{
    const QJsonValue v = input.value(QLatin1String(field));
    if (v.isUndefined() || v.isNull()) {
        if (required)
            issues.append({QLatin1String(field), QStringLiteral("required")});
        return {};
    }
    if (!v.isString()) {
        issues.append({QLatin1String(field), QStringLiteral("must_be_string")});
        return {};
    }
    const QString s = v.toString().trimmed();
    if (required && s.isEmpty())
        issues.append({QLatin1String(field), QStringLiteral("required")});
    else if (s.size() > maxLength)
        issues.append({QLatin1String(field), QStringLiteral("too_long")});
    return s;
}

Result<void> issuesResult(const QList<FieldIssue> &issues)
{
    if (issues.isEmpty())
        return {};
    return ApiError {ErrorCode::ValidationError, QStringLiteral("The action input is not valid"), issues};
}
} // namespace

Result<std::pair<store::Run, store::Activity>> runningRunAndActivity(
    UnitOfWork &work, const QString &tenantId, const QString &runId)
{
    const auto scope = store::TenantScope::tenant(tenantId);
    auto run = work.store().runs.find(scope, runId);
    if (!run.ok())
        return run.error();
    if (!run->has_value())
        return ApiError::notFound(QStringLiteral("run not found"));
    if ((*run)->status != QLatin1String("running"))
        return ApiError::conflict(QStringLiteral("the run has ended"));
    auto activity = work.store().activities.find(scope, (*run)->activityId);
    if (!activity.ok())
        return activity.error();
    if (!activity->has_value())
        return ApiError::notFound(QStringLiteral("activity not found"));
    return std::pair<store::Run, store::Activity>(**run, **activity);
}

bool AgentControl::isAction(const QString &name)
{
    static const QStringList actions {QStringLiteral("create_subtask"), QStringLiteral("create_approval"),
        QStringLiteral("request_review"), QStringLiteral("report_blocker"), QStringLiteral("reassign")};
    return actions.contains(canonical(name));
}

Result<QJsonObject> AgentControl::perform(
    const QString &runId, const QString &tenantId, const QString &name, const QJsonObject &input)
{
    const QString action = canonical(name);
    if (!isAction(action))
        return ApiError::notFound(QStringLiteral("unknown action"));
    UnitOfWork work(m_engine);
    if (!work.isActive())
        return work.error();
    auto loaded = runningRunAndActivity(work, tenantId, runId);
    if (!loaded.ok())
        return loaded.error();
    const store::Run &run = loaded->first;
    const store::Activity &a = loaded->second;
    // More subtasks may follow the first; everything else needs the activity still in progress.
    const bool mayAct = a.status == QLatin1String("in_progress")
        || (action == QLatin1String("create_subtask") && a.status == QLatin1String("awaiting_subtask"));
    if (!mayAct)
        return ApiError::conflict(
            QStringLiteral("The activity is %1; the action no longer applies").arg(a.status));

    Result<QJsonObject> outcome = QJsonObject();
    if (action == QLatin1String("create_subtask"))
        outcome = createSubtask(work, run, a, input);
    else if (action == QLatin1String("create_approval"))
        outcome = createApproval(work, run, a, input, false);
    else if (action == QLatin1String("request_review"))
        outcome = createApproval(work, run, a, input, true);
    else if (action == QLatin1String("report_blocker"))
        outcome = reportBlocker(work, a, input);
    else
        outcome = reassign(work, a, input);
    if (!outcome.ok())
        return outcome.error();
    if (auto r = work.commit(); !r.ok())
        return r.error();
    return outcome;
}

Result<QJsonObject> AgentControl::createSubtask(
    UnitOfWork &work, const store::Run &run, store::Activity parent, const QJsonObject &input)
{
    QList<FieldIssue> issues;
    const QString title = text(input, "title", kMaxTitle, issues);
    const QString role = text(input, "agentRole", 64, issues);
    QString type = text(input, "type", 64, issues, false);
    const QString instructions = text(input, "instructions", kMaxText, issues, false);
    if (auto r = issuesResult(issues); !r.ok())
        return r.error();
    auto agent = work.store().agents.findByRole(store::TenantScope::tenant(run.tenantId), role);
    if (!agent.ok())
        return agent.error();
    if (!agent->has_value())
        return ApiError {ErrorCode::Unprocessable, QStringLiteral("The tenant has no agent with that role"),
            {{QStringLiteral("agentRole"), QStringLiteral("unknown_role")}}};
    const qint64 now = work.nowMs();
    store::Activity sub;
    sub.id = Ulid::generate();
    sub.tenantId = run.tenantId;
    sub.campaignId = parent.campaignId;
    sub.parentId = parent.id;
    sub.title = title;
    sub.type = type.isEmpty() ? QStringLiteral("research") : type;
    sub.status = QStringLiteral("created");
    sub.agentRole = role;
    sub.inputPrompt = instructions;
    sub.createdAtMs = now;
    sub.updatedAtMs = now;
    if (auto r = work.store().activities.insert(sub); !r.ok())
        return r.error();
    if (auto r = m_flow.apply(work, sub, ActivityEvent::Assign); !r.ok())
        return r.error();
    if (parent.status == QLatin1String("in_progress")) {
        auto waiting = m_flow.apply(work, parent, ActivityEvent::CreateSubtask);
        if (!waiting.ok())
            return waiting.error();
    }
    return QJsonObject {
        {QStringLiteral("activityId"), sub.id}, {QStringLiteral("status"), QStringLiteral("assigned")}};
}

Result<QJsonObject> AgentControl::createApproval(UnitOfWork &work, const store::Run &run,
    const store::Activity &activity, const QJsonObject &input, bool asReview)
{
    static const QStringList kTypes {QStringLiteral("content_review"), QStringLiteral("content_direction"),
        QStringLiteral("brand_direction"), QStringLiteral("strategy_change"),
        QStringLiteral("budget_authorization"), QStringLiteral("channel_action")};
    static const QStringList kRisks {QStringLiteral("low"), QStringLiteral("medium"), QStringLiteral("high")};
    QList<FieldIssue> issues;
    NewApproval request;
    request.tenantId = run.tenantId;
    request.campaignId = activity.campaignId;
    request.runId = run.id;
    request.activityIds = {activity.id};
    if (asReview) {
        request.type = QStringLiteral("content_review");
        request.riskLevel = QStringLiteral("low");
        request.description = text(input, "note", kMaxText, issues);
        request.title = QStringLiteral("Review requested — %1").arg(activity.title);
    } else {
        request.type = text(input, "type", 64, issues);
        request.riskLevel = text(input, "riskLevel", 16, issues);
        request.title = text(input, "title", kMaxTitle, issues);
        request.description = text(input, "description", kMaxText, issues, false);
        if (!request.type.isEmpty() && !kTypes.contains(request.type))
            issues.append({QStringLiteral("type"), QStringLiteral("invalid")});
        if (!request.riskLevel.isEmpty() && !kRisks.contains(request.riskLevel))
            issues.append({QStringLiteral("riskLevel"), QStringLiteral("invalid")});
        const QJsonValue options = input.value(QLatin1String("options"));
        if (options.isArray()) {
            for (const QJsonValue &o : options.toArray()) {
                if (!o.isString() || o.toString().trimmed().isEmpty() || o.toString().size() > kMaxTitle) {
                    issues.append({QStringLiteral("options"), QStringLiteral("invalid")});
                    break;
                }
                request.options.append(o.toString().trimmed());
            }
            if (request.options.size() > 9)
                issues.append({QStringLiteral("options"), QStringLiteral("too_many")});
        } else if (!options.isUndefined() && !options.isNull()) {
            issues.append({QStringLiteral("options"), QStringLiteral("must_be_array")});
        }
    }
    const QJsonValue hours = input.value(QLatin1String("expiresInHours"));
    if (hours.isDouble() && hours.toDouble() > 0 && hours.toDouble() <= 24 * 30)
        request.expiresAtMs = work.nowMs() + qint64(hours.toDouble() * 3600 * 1000);
    else if (!hours.isUndefined() && !hours.isNull())
        issues.append({QStringLiteral("expiresInHours"), QStringLiteral("invalid")});
    if (auto r = issuesResult(issues); !r.ok())
        return r.error();

    auto agent = work.store().agents.findByRole(store::TenantScope::tenant(run.tenantId), run.agentRole);
    Actor by;
    by.type = QStringLiteral("agent");
    by.id = agent.ok() && agent->has_value() ? (*agent)->id : run.agentRole;
    by.name = agent.ok() && agent->has_value() ? (*agent)->name : run.agentRole;
    auto approval = m_approvals.create(work, request, by, asReview);
    if (!approval.ok())
        return approval.error();
    return QJsonObject {{QStringLiteral("approvalId"), approval->id},
        {QStringLiteral("status"), QStringLiteral("pending")},
        {QStringLiteral("expiresAt"), isoTimestamp(approval->expiresAtMs)}};
}

Result<QJsonObject> AgentControl::reportBlocker(
    UnitOfWork &work, const store::Activity &activity, const QJsonObject &input)
{
    QList<FieldIssue> issues;
    const QString reason = text(input, "reason", kMaxText, issues);
    if (auto r = issuesResult(issues); !r.ok())
        return r.error();
    auto blocked = m_flow.apply(work, activity, ActivityEvent::ReportBlocker, {reason, {}, 0});
    if (!blocked.ok())
        return blocked.error();
    return QJsonObject {
        {QStringLiteral("activityId"), activity.id}, {QStringLiteral("status"), blocked->status}};
}

Result<QJsonObject> AgentControl::reassign(
    UnitOfWork &work, store::Activity activity, const QJsonObject &input)
{
    QList<FieldIssue> issues;
    const QString role = text(input, "agentRole", 64, issues);
    const QString reason = text(input, "reason", kMaxText, issues, false);
    if (auto r = issuesResult(issues); !r.ok())
        return r.error();
    if (role == activity.agentRole)
        return ApiError {ErrorCode::Unprocessable, QStringLiteral("The activity is already with that role"),
            {{QStringLiteral("agentRole"), QStringLiteral("same_role")}}};
    auto agent = work.store().agents.findByRole(store::TenantScope::tenant(activity.tenantId), role);
    if (!agent.ok())
        return agent.error();
    if (!agent->has_value())
        return ApiError {ErrorCode::Unprocessable, QStringLiteral("The tenant has no agent with that role"),
            {{QStringLiteral("agentRole"), QStringLiteral("unknown_role")}}};
    auto handed = m_flow.apply(work, activity, ActivityEvent::Reassign, {reason, {}, 0});
    if (!handed.ok())
        return handed.error();
    store::Activity moved = *handed;
    moved.agentRole = role;
    auto woken = m_flow.wake(work, moved, workflow::WakeReason::Reassigned, {reason, {}, 0});
    if (!woken.ok())
        return woken.error();
    return QJsonObject {{QStringLiteral("activityId"), activity.id}, {QStringLiteral("agentRole"), role},
        {QStringLiteral("status"), woken->status}};
}

} // namespace lm::services
