// SPDX-License-Identifier: GPL-3.0-or-later
// /dashboard/v1/blog-requests and /social-requests: content asked for by the team, produced by the
// agents through a campaign period (services/contentrequests.h).
#include "api/handlers/dashboard/intakesupport.h"
#include "api/listquery.h"
#include "core/ulid.h"
#include "services/contentrequests.h"

#include <QDateTime>

namespace lm::api::dashboard {

namespace {
constexpr int kMaxTopic = 300;
constexpr int kMaxKeyword = 100;
constexpr int kMaxBrief = 5000;

const QStringList kStatuses {QStringLiteral("draft"), QStringLiteral("approved"),
    QStringLiteral("in_production"), QStringLiteral("completed"), QStringLiteral("rejected")};
const QStringList kPriorities {QStringLiteral("normal"), QStringLiteral("high")};
const QStringList kSocialPlatforms {QStringLiteral("linkedin"), QStringLiteral("facebook"),
    QStringLiteral("instagram"), QStringLiteral("tiktok")};

QJsonObject requestJson(const store::ContentRequest &r, UserNames &names)
{
    QJsonObject o {{QStringLiteral("id"), r.id}, {QStringLiteral("topic"), r.topic},
        {QStringLiteral("status"), r.status}, {QStringLiteral("priority"), r.priority},
        {QStringLiteral("createdBy"), names.name(r.createdBy)},
        {QStringLiteral("createdOn"), isoTimestamp(r.createdAtMs)}};
    if (!r.brief.isEmpty())
        o.insert(QStringLiteral("brief"), r.brief);
    if (!r.activityId.isEmpty()) {
        o.insert(QStringLiteral("activityId"), r.activityId);
        o.insert(QStringLiteral("campaignId"), r.campaignId);
    }
    if (r.kind == QLatin1String("blog")) {
        if (!r.targetKeyword.isEmpty())
            o.insert(QStringLiteral("targetKeyword"), r.targetKeyword);
        if (!r.channelId.isEmpty()) {
            o.insert(QStringLiteral("channelId"), r.channelId);
            o.insert(QStringLiteral("channelName"), r.channelName);
        }
        // The blog post is the output of the activity that produces it.
        if (!r.activityId.isEmpty())
            o.insert(QStringLiteral("blogPostId"), r.activityId);
    } else {
        o.insert(QStringLiteral("platforms"), QJsonArray::fromStringList(r.platforms));
        if (r.scheduleForMs)
            o.insert(QStringLiteral("scheduleFor"), isoTimestamp(*r.scheduleForMs));
    }
    return o;
}

/// An ISO 8601 date-time with an offset or Z (scheduleFor).
std::optional<qint64> dateTime(JsonFields &f, const QJsonObject &o, const QString &field)
{
    const QJsonValue v = o.value(field);
    if (v.isUndefined() || v.isNull())
        return std::nullopt;
    if (!v.isString()) {
        f.addIssue(field, QStringLiteral("must_be_string"));
        return std::nullopt;
    }
    const QDateTime t = QDateTime::fromString(v.toString(), Qt::ISODateWithMs);
    if (!t.isValid() || t.timeSpec() == Qt::LocalTime || v.toString().size() > 40) {
        f.addIssue(field, QStringLiteral("invalid_datetime"));
        return std::nullopt;
    }
    return t.toMSecsSinceEpoch();
}

Result<store::ContentRequest> parseRequest(const std::string &body, const QString &kind)
{
    auto parsed = parseJsonObject(body);
    if (!parsed.ok())
        return parsed.error();
    const QJsonObject &o = *parsed;
    JsonFields f(o);
    store::ContentRequest r;
    r.kind = kind;
    r.topic = f.requiredString(QStringLiteral("topic"), kMaxTopic).trimmed();
    r.brief = f.optionalString(QStringLiteral("brief"), kMaxBrief).value_or(QString()).trimmed();
    if (const auto priority = f.optionalString(QStringLiteral("priority"), 16)) {
        if (!kPriorities.contains(*priority))
            f.addIssue(QStringLiteral("priority"), QStringLiteral("invalid"));
        else
            r.priority = *priority;
    }
    if (kind == QLatin1String("blog")) {
        r.targetKeyword
            = f.optionalString(QStringLiteral("targetKeyword"), kMaxKeyword).value_or(QString()).trimmed();
        r.channelId = f.optionalString(QStringLiteral("channelId"), 64).value_or(QString()).trimmed();
    } else {
        const QJsonValue platforms = o.value(QLatin1String("platforms"));
        if (platforms.isUndefined() || platforms.isNull()
            || (platforms.isArray() && platforms.toArray().isEmpty()))
            f.addIssue(QStringLiteral("platforms"), QStringLiteral("required"));
        else
            r.platforms = stringArray(f, platforms, QStringLiteral("platforms"), 4, 16, kSocialPlatforms);
        r.scheduleForMs = dateTime(f, o, QStringLiteral("scheduleFor"));
    }
    if (auto v = f.result(); !v.ok())
        return v.error();
    return r;
}

RouteHandler listHandler(store::Store &store, const QString &kind)
{
    return [&store, kind](RequestContext &ctx) -> Result<HttpResponse> {
        ListQuery query(ctx.request);
        store::ContentRequestFilter filter;
        filter.kind = kind;
        filter.status = query.enumFilter(QStringLiteral("status"), kStatuses);
        if (kind == QLatin1String("social"))
            filter.platform = query.enumFilter(QStringLiteral("platform"), kSocialPlatforms);
        const store::PageRequest page = query.page();
        if (auto v = query.result(); !v.ok())
            return v.error();
        const auto scope = scopeOf(ctx);
        auto rows = store.contentRequests.list(scope, filter, page);
        if (!rows.ok())
            return rows.error();
        UserNames names(store, scope);
        QJsonArray data;
        for (const auto &r : std::as_const(rows->items))
            data.append(requestJson(r, names));
        const QString last = rows->items.isEmpty() ? QString() : rows->items.last().id;
        return jsonResponse(200, pageJson(data, rows->hasMore, last, page));
    };
}

RouteHandler createHandler(store::Store &store, services::EngineContext &engine, const QString &kind)
{
    return [&store, &engine, kind](RequestContext &ctx) -> Result<HttpResponse> {
        auto parsed = parseRequest(ctx.request.body, kind);
        if (!parsed.ok())
            return parsed.error();
        store::ContentRequest r = *parsed;
        const auto scope = scopeOf(ctx);
        services::UnitOfWork work(engine);
        if (!work.isActive())
            return work.error();
        if (!r.channelId.isEmpty()) {
            auto channel = store.channels.find(scope, r.channelId);
            if (!channel.ok())
                return channel.error();
            if (!channel->has_value())
                return ApiError::validation(QStringLiteral("channelId"), QStringLiteral("not_found"),
                    QStringLiteral("No channel of this tenant has that id"));
            if ((*channel)->platform != QLatin1String("wordpress"))
                return ApiError::validation(QStringLiteral("channelId"), QStringLiteral("not_wordpress"),
                    QStringLiteral("Blog posts are published to a WordPress channel"));
        }
        const auto actor = actorOf(ctx, store);
        r.id = Ulid::generate();
        r.tenantId = ctx.principal->tenantId;
        // Admins and reviewers approve content for the tenant, so their requests are approved as
        // they are made; a member's request is a draft for them (docs/api/dashboard-intake.md).
        r.status = ctx.principal->role == Role::Member ? QStringLiteral("draft") : QStringLiteral("approved");
        r.createdBy = actor.id;
        r.createdAtMs = work.nowMs();
        r.updatedAtMs = r.createdAtMs;
        if (auto res = store.contentRequests.insert(r); !res.ok())
            return res.error();
        services::ContentRequestPipeline pipeline(engine);
        auto started = pipeline.start(work, r);
        if (!started.ok())
            return started.error();
        QJsonObject changes {{QStringLiteral("topic"), change(QJsonValue::Null, r.topic)},
            {QStringLiteral("status"), change(QJsonValue::Null, started->status)},
            {QStringLiteral("priority"), change(QJsonValue::Null, r.priority)}};
        if (!started->activityId.isEmpty())
            changes.insert(QStringLiteral("activityId"), change(QJsonValue::Null, started->activityId));
        if (auto res = store.audit.append(auditEntry(ctx, QStringLiteral("content_request.created"),
                kind + QStringLiteral("_request"), r.id, changes, r.createdAtMs));
            !res.ok())
            return res.error();
        if (auto res = work.commit(); !res.ok())
            return res.error();
        auto saved = store.contentRequests.find(scope, r.id);
        if (!saved.ok())
            return saved.error();
        if (!saved->has_value())
            return ApiError::internal();
        UserNames names(store, scope);
        return jsonResponse(201, requestJson(**saved, names));
    };
}
} // namespace

void addContentRequestRoutes(std::vector<RouteSpec> &routes, const DashboardDeps &deps)
{
    const QString blog = QStringLiteral("blog");
    const QString social = QStringLiteral("social");
    routes.push_back({HttpMethod::Get, path("/blog-requests"), tenantUsers(), listHandler(deps.store, blog)});
    routes.push_back({HttpMethod::Post, path("/blog-requests"), tenantUsers(),
        createHandler(deps.store, deps.engine, blog), kBodyLimit});
    routes.push_back(
        {HttpMethod::Get, path("/social-requests"), tenantUsers(), listHandler(deps.store, social)});
    routes.push_back({HttpMethod::Post, path("/social-requests"), tenantUsers(),
        createHandler(deps.store, deps.engine, social), kBodyLimit});
}

} // namespace lm::api::dashboard
