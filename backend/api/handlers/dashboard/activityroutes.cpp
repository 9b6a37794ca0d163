// SPDX-License-Identifier: GPL-3.0-or-later
// /dashboard/v1/activities: lists, detail with runs, output, retry and comments.
#include "api/handlers/dashboard/dashboardsupport.h"
#include "api/listquery.h"
#include "core/ulid.h"
#include "services/activityflow.h"
#include "workflow/budget.h"

#include <QRegularExpression>

namespace lm::api::dashboard {

namespace {
constexpr int kMaxComment = 10000;

const QStringList kWakeReasons {QStringLiteral("review_approved"), QStringLiteral("review_feedback"),
    QStringLiteral("revision_requested"), QStringLiteral("subtask_completed"), QStringLiteral("reassigned"),
    QStringLiteral("retry"), QStringLiteral("manual")};
const QStringList kCommentTypes {QStringLiteral("comment"), QStringLiteral("intervention_note")};

QJsonObject commentJson(const store::ActivityComment &c)
{
    return {{QStringLiteral("id"), c.id}, {QStringLiteral("text"), c.text}, {QStringLiteral("type"), c.type},
        {QStringLiteral("author"),
            QJsonObject {{QStringLiteral("id"), c.authorId}, {QStringLiteral("name"), c.authorName},
                {QStringLiteral("type"), c.authorType}}},
        {QStringLiteral("mentions"), c.mentions}, {QStringLiteral("createdOn"), isoTimestamp(c.createdAtMs)}};
}

QJsonObject runJson(const store::Run &r, qint64 nowMs)
{
    QJsonObject o {{QStringLiteral("id"), r.id}, {QStringLiteral("status"), r.status},
        {QStringLiteral("model"), r.model}, {QStringLiteral("inputTokens"), r.inputTokens},
        {QStringLiteral("outputTokens"), r.outputTokens},
        {QStringLiteral("costUsd"), workflow::Budget::toUsd(r.costMicros)},
        // A running run reports how long it has run so far.
        {QStringLiteral("durationMs"), r.completedAtMs.value_or(nowMs) - r.startedAtMs},
        {QStringLiteral("startedAt"), isoTimestamp(r.startedAtMs)}};
    if (r.completedAtMs)
        o.insert(QStringLiteral("completedAt"), isoTimestamp(*r.completedAtMs));
    if (!r.error.isEmpty())
        o.insert(QStringLiteral("error"), r.error);
    return o;
}

Result<store::Activity> findActivity(store::Store &store, const RequestContext &ctx)
{
    auto found = store.activities.find(scopeOf(ctx), ctx.param("activityId"));
    if (!found.ok())
        return found.error();
    if (!found->has_value())
        return ApiError::notFound(QStringLiteral("activity not found"));
    return **found;
}

} // namespace

Result<QJsonObject> activityDetailJson(
    store::Store &store, const store::TenantScope &scope, const store::Activity &a, qint64 nowMs)
{
    QJsonObject o = services::activitySummaryJson(a);
    QJsonObject assignee;
    if (!a.assigneeUserId.isEmpty()) {
        assignee = {{QStringLiteral("id"), a.assigneeUserId}, {QStringLiteral("name"), a.assigneeName},
            {QStringLiteral("type"), QStringLiteral("human")}};
    } else {
        auto agent = store.agents.findByRole(scope, a.agentRole);
        if (!agent.ok())
            return agent.error();
        // Without a configured agent the role stands in for its id.
        assignee = {{QStringLiteral("id"), agent->has_value() ? (*agent)->id : a.agentRole},
            {QStringLiteral("name"), agent->has_value() ? (*agent)->name : a.assigneeName},
            {QStringLiteral("type"), QStringLiteral("agent")}};
    }
    o.insert(QStringLiteral("assignee"), assignee);
    o.insert(QStringLiteral("campaign"),
        QJsonObject {{QStringLiteral("id"), a.campaignId}, {QStringLiteral("name"), a.campaignName}});
    if (!a.deliverableId.isEmpty())
        o.insert(QStringLiteral("deliverable"),
            QJsonObject {
                {QStringLiteral("id"), a.deliverableId}, {QStringLiteral("type"), a.deliverableType}});
    if (!a.approvalId.isEmpty()) {
        auto approval = store.approvals.find(scope, a.approvalId);
        if (!approval.ok())
            return approval.error();
        if (approval->has_value())
            o.insert(QStringLiteral("approval"),
                QJsonObject {{QStringLiteral("id"), (*approval)->id},
                    {QStringLiteral("type"), (*approval)->type},
                    {QStringLiteral("status"), (*approval)->status}});
    }
    o.insert(QStringLiteral("inputPrompt"), a.inputPrompt);
    if (!a.outputDocumentId.isEmpty())
        o.insert(QStringLiteral("outputRef"), a.outputDocumentId);
    if (!a.outputPreview.isEmpty())
        o.insert(QStringLiteral("outputPreview"), a.outputPreview);
    if (!a.wakeNote.isEmpty())
        o.insert(QStringLiteral("wakeNote"), a.wakeNote);
    o.insert(QStringLiteral("retryCount"), a.retryCount);
    auto comments = store.activities.comments(scope, a.id);
    if (!comments.ok())
        return comments.error();
    QJsonArray commentItems;
    for (const auto &c : std::as_const(*comments))
        commentItems.append(commentJson(c));
    o.insert(QStringLiteral("comments"), commentItems);
    auto runs = store.runs.forActivity(scope, a.id);
    if (!runs.ok())
        return runs.error();
    QJsonArray runItems;
    for (const auto &r : std::as_const(*runs))
        runItems.append(runJson(r, nowMs));
    o.insert(QStringLiteral("runs"), runItems);
    auto subtasks = store.activities.subtasks(scope, a.id);
    if (!subtasks.ok())
        return subtasks.error();
    QJsonArray subtaskItems;
    for (const auto &s : std::as_const(*subtasks))
        subtaskItems.append(services::activitySummaryJson(s));
    o.insert(QStringLiteral("subtasks"), subtaskItems);
    if (!a.parentId.isEmpty())
        o.insert(QStringLiteral("parentId"), a.parentId);
    o.insert(QStringLiteral("updatedOn"), isoTimestamp(a.updatedAtMs));
    return o;
}

namespace {

/// `@agent:role` and `@human:userId` in a comment, resolved in the tenant; an unknown one is a 400
/// naming `text` (a mention nobody receives is a mistake the author should see).
Result<QJsonArray> resolveMentions(store::Store &store, const store::TenantScope &scope, const QString &text)
{
    static const QRegularExpression mention(QStringLiteral("@(agent|human):([A-Za-z0-9_\\-]+)"));
    QJsonArray out;
    QSet<QString> seen;
    auto it = mention.globalMatch(text);
    while (it.hasNext()) {
        const auto m = it.next();
        const QString type = m.captured(1);
        const QString ref = m.captured(2);
        if (seen.contains(type + QLatin1Char(':') + ref))
            continue;
        seen.insert(type + QLatin1Char(':') + ref);
        QString id;
        QString name;
        if (type == QLatin1String("agent")) {
            auto agent = store.agents.findByRole(scope, ref);
            if (!agent.ok())
                return agent.error();
            if (agent->has_value()) {
                id = (*agent)->role;
                name = (*agent)->name;
            }
        } else {
            auto user = store.users.find(scope, ref);
            if (!user.ok())
                return user.error();
            if (user->has_value()) {
                id = (*user)->id;
                name = (*user)->name;
            }
        }
        if (id.isEmpty())
            return ApiError::validation(QStringLiteral("text"), QStringLiteral("unknown_mention"),
                QStringLiteral("@%1:%2 is not a member of this workspace").arg(type, ref));
        out.append(QJsonObject {
            {QStringLiteral("type"), type}, {QStringLiteral("id"), id}, {QStringLiteral("name"), name}});
    }
    return out;
}
} // namespace

void addActivityRoutes(std::vector<RouteSpec> &routes, const DashboardDeps &deps)
{
    store::Store &store = deps.store;
    services::EngineContext &engine = deps.engine;

    routes.push_back({HttpMethod::Get, path("/activities"), tenantUsers(),
        [&store](RequestContext &ctx) -> Result<HttpResponse> {
            ListQuery query(ctx.request);
            store::ActivityFilter filter;
            filter.status = query.enumFilter(QStringLiteral("status"), activityStatuses());
            filter.agentRole = query.textFilter(QStringLiteral("agentRole"));
            filter.campaignId = query.textFilter(QStringLiteral("campaignId"));
            filter.deliverableId = query.textFilter(QStringLiteral("deliverableId"));
            filter.wakeReason = query.enumFilter(QStringLiteral("wakeReason"), kWakeReasons);
            const store::PageRequest page = query.page();
            if (auto v = query.result(); !v.ok())
                return v.error();
            auto rows = store.activities.list(scopeOf(ctx), filter, page);
            if (!rows.ok())
                return rows.error();
            QJsonArray data;
            for (const auto &a : std::as_const(rows->items))
                data.append(services::activitySummaryJson(a));
            const QString last = rows->items.isEmpty() ? QString() : rows->items.last().id;
            return jsonResponse(200, pageJson(data, rows->hasMore, last, page));
        }});

    routes.push_back({HttpMethod::Get, path("/activities/:activityId"), tenantUsers(),
        [&store, &engine](RequestContext &ctx) -> Result<HttpResponse> {
            auto activity = findActivity(store, ctx);
            if (!activity.ok())
                return activity.error();
            auto detail = activityDetailJson(store, scopeOf(ctx), *activity, engine.clock.nowMs());
            if (!detail.ok())
                return detail.error();
            return jsonResponse(200, *detail);
        }});

    routes.push_back({HttpMethod::Get, path("/activities/:activityId/output"), tenantUsers(),
        [&store](RequestContext &ctx) -> Result<HttpResponse> {
            auto activity = findActivity(store, ctx);
            if (!activity.ok())
                return activity.error();
            if (activity->outputDocumentId.isEmpty())
                return ApiError::notFound(QStringLiteral("the activity has no output yet"));
            auto doc = store.runs.findDocument(scopeOf(ctx), activity->outputDocumentId);
            if (!doc.ok())
                return doc.error();
            if (!doc->has_value())
                return ApiError::notFound(QStringLiteral("the activity has no output yet"));
            return jsonResponse(200,
                {{QStringLiteral("activityId"), activity->id}, {QStringLiteral("text"), (*doc)->body},
                    {QStringLiteral("format"), (*doc)->format},
                    {QStringLiteral("createdOn"), isoTimestamp((*doc)->createdAtMs)}});
        }});

    routes.push_back({HttpMethod::Post, path("/activities/:activityId/retry"), adminsOnly(),
        [&store, &engine](RequestContext &ctx) -> Result<HttpResponse> {
            const auto scope = scopeOf(ctx);
            services::UnitOfWork work(engine);
            if (!work.isActive())
                return work.error();
            auto activity = findActivity(store, ctx);
            if (!activity.ok())
                return activity.error();
            if (activity->status != QLatin1String("failed"))
                return ApiError {ErrorCode::Unprocessable,
                    QStringLiteral("Only a failed activity can be retried; this one is %1")
                        .arg(activity->status),
                    {{QStringLiteral("status"), QStringLiteral("not_failed")}}};
            auto campaign = store.campaigns.find(scope, activity->campaignId);
            if (!campaign.ok())
                return campaign.error();
            const QString campaignStatus = campaign->has_value() ? (*campaign)->status : QString();
            if (campaignStatus == QLatin1String("paused") || campaignStatus == QLatin1String("archived"))
                return ApiError {ErrorCode::Unprocessable,
                    QStringLiteral("The activity's campaign is %1").arg(campaignStatus),
                    {{QStringLiteral("campaign"), QStringLiteral("campaign_%1").arg(campaignStatus)}}};
            // The id the next run will carry: the run row is written when a worker starts it.
            const QString runId = Ulid::generate();
            services::ActivityFlow flow(engine);
            auto woken = flow.wake(work, *activity, workflow::WakeReason::Retry,
                {QStringLiteral("Retried by %1").arg(actorOf(ctx, store).name), {}, 0}, runId);
            if (!woken.ok()) {
                if (woken.error().code == ErrorCode::Conflict) // moved on between the read and the write
                    return ApiError {ErrorCode::Unprocessable,
                        QStringLiteral("The activity is no longer failed"),
                        {{QStringLiteral("status"), QStringLiteral("not_failed")}}};
                return woken.error();
            }
            if (auto r = work.store().audit.append(auditEntry(ctx, QStringLiteral("activity.retried"),
                    QStringLiteral("activity"), activity->id,
                    {{QStringLiteral("status"), change(activity->status, woken->status)},
                        {QStringLiteral("runId"), change(QJsonValue::Null, runId)}},
                    work.nowMs()));
                !r.ok())
                return r.error();
            if (auto r = work.commit(); !r.ok())
                return r.error();
            return jsonResponse(
                202, {{QStringLiteral("activityId"), activity->id}, {QStringLiteral("runId"), runId}});
        },
        kBodyLimit});

    routes.push_back({HttpMethod::Post, path("/activities/:activityId/comments"), tenantUsers(),
        [&store, &engine](RequestContext &ctx) -> Result<HttpResponse> {
            // The activity first: an id the caller cannot see is a 404 whatever the body.
            auto activity = findActivity(store, ctx);
            if (!activity.ok())
                return activity.error();
            auto body = parseJsonObject(ctx.request.body);
            if (!body.ok())
                return body.error();
            JsonFields f(*body);
            const QString text = f.requiredString(QStringLiteral("text"), kMaxComment);
            const QString type
                = f.optionalString(QStringLiteral("type"), 64).value_or(QStringLiteral("comment"));
            if (!kCommentTypes.contains(type))
                f.addIssue(QStringLiteral("type"), QStringLiteral("invalid"));
            if (auto v = f.result(); !v.ok())
                return v.error();
            const auto scope = scopeOf(ctx);
            auto mentions = resolveMentions(store, scope, text);
            if (!mentions.ok())
                return mentions.error();
            const services::Actor author = actorOf(ctx, store);
            store::ActivityComment c;
            c.id = Ulid::generate();
            c.tenantId = ctx.principal->tenantId;
            c.activityId = activity->id;
            c.type = type;
            c.authorType = QStringLiteral("human");
            c.authorId = author.id;
            c.authorName = author.name;
            c.text = text;
            c.mentions = *mentions;
            c.createdAtMs = engine.clock.nowMs();
            services::UnitOfWork work(engine);
            if (!work.isActive())
                return work.error();
            if (auto r = work.store().activities.insertComment(c); !r.ok())
                return r.error();
            if (auto r = work.store().audit.append(auditEntry(ctx, QStringLiteral("activity.commented"),
                    QStringLiteral("activity"), activity->id,
                    {{QStringLiteral("comment"), change(QJsonValue::Null, c.id)}}, c.createdAtMs));
                !r.ok())
                return r.error();
            if (auto r = work.tenantEvent(c.tenantId, QStringLiteral("activity_commented"),
                    {{QStringLiteral("activityId"), c.activityId}, {QStringLiteral("commentId"), c.id},
                        {QStringLiteral("type"), c.type}, {QStringLiteral("mentions"), c.mentions}});
                !r.ok())
                return r.error();
            if (auto r = work.commit(); !r.ok())
                return r.error();
            return jsonResponse(201, commentJson(c));
        },
        kBodyLimit});

    routes.push_back({HttpMethod::Get, path("/activities/:activityId/comments"), tenantUsers(),
        [&store](RequestContext &ctx) -> Result<HttpResponse> {
            auto activity = findActivity(store, ctx);
            if (!activity.ok())
                return activity.error();
            auto comments = store.activities.comments(scopeOf(ctx), activity->id);
            if (!comments.ok())
                return comments.error();
            QJsonArray data;
            for (const auto &c : std::as_const(*comments))
                data.append(commentJson(c));
            return jsonResponse(200, {{QStringLiteral("data"), data}});
        }});
}

} // namespace lm::api::dashboard
