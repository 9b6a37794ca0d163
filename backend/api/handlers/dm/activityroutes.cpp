// SPDX-License-Identifier: GPL-3.0-or-later
// /dm/v1/activities/:id: any tenant's activity, and the reviewer's pause and resume.
#include "api/handlers/dashboard/dashboardsupport.h"
#include "api/handlers/dm/dmsupport.h"
#include "api/json.h"
#include "services/activityflow.h"

namespace lm::api::dm {

namespace {
Result<store::Activity> findActivity(store::Store &store, const QString &id)
{
    auto found = store.activities.find(store::TenantScope::allTenants(), id);
    if (!found.ok())
        return found.error();
    if (!found->has_value())
        return ApiError::notFound(QStringLiteral("activity not found"));
    return **found;
}

enum class Control
{
    Pause,
    Resume
};

/// Pauses or resumes in one transaction, with its audit row; 409 when the status does not allow it.
Result<HttpResponse> control(
    store::Store &store, services::EngineContext &engine, const RequestContext &ctx, Control what)
{
    services::UnitOfWork work(engine);
    if (!work.isActive())
        return work.error();
    auto activity = findActivity(store, ctx.param("activityId"));
    if (!activity.ok())
        return activity.error();
    const auto status = workflow::parseStatus(activity->status);
    const bool allowed = what == Control::Pause
        ? status && workflow::ActivityStateMachine::isPausable(*status)
        : activity->status == QLatin1String("blocked") && activity->blockReason == QLatin1String("paused");
    if (!allowed)
        return ApiError::conflict(what == Control::Pause
                ? QStringLiteral("The activity is %1 and cannot be paused").arg(activity->status)
                : QStringLiteral("The activity is %1, not paused").arg(activity->status));
    const services::Actor by = actorOf(ctx, store);
    services::ActivityFlow flow(engine);
    auto moved = what == Control::Pause ? flow.apply(work, *activity, workflow::ActivityEvent::Pause)
                                        : flow.wake(work, *activity, workflow::WakeReason::Manual,
                                            {QStringLiteral("Resumed by %1").arg(by.name), {}, 0});
    if (!moved.ok()) {
        if (moved.error().code == ErrorCode::Conflict) // moved on between the read and the write
            return ApiError::conflict(QStringLiteral("The activity changed meanwhile; read it again"));
        return moved.error();
    }
    if (auto r = work.store().audit.append(services::actorAudit(by, activity->tenantId,
            what == Control::Pause ? QStringLiteral("activity.paused") : QStringLiteral("activity.resumed"),
            QStringLiteral("activity"), activity->id,
            {{QStringLiteral("status"), dashboard::change(activity->status, moved->status)}}, work.nowMs()));
        !r.ok())
        return r.error();
    if (auto r = work.commit(); !r.ok())
        return r.error();
    return jsonResponse(200, services::activitySummaryJson(*moved));
}
} // namespace

void addActivityRoutes(std::vector<RouteSpec> &routes, const DashboardDeps &deps)
{
    store::Store &store = deps.store;
    services::EngineContext &engine = deps.engine;

    routes.push_back({HttpMethod::Get, path("/activities/:activityId"), reviewers(),
        [&store, &engine](RequestContext &ctx) -> Result<HttpResponse> {
            auto activity = findActivity(store, ctx.param("activityId"));
            if (!activity.ok())
                return activity.error();
            const qint64 now = engine.clock.nowMs();
            auto detail = dashboard::activityDetailJson(
                store, store::TenantScope::tenant(activity->tenantId), *activity, now);
            if (!detail.ok())
                return detail.error();
            detail->insert(QStringLiteral("tenant"), tenantRef(store, activity->tenantId));
            ctx.auditRead({QStringLiteral("dm.activity.read"), activity->tenantId, QStringLiteral("activity"),
                activity->id, QJsonObject()});
            return jsonResponse(200, *detail);
        }});

    routes.push_back({HttpMethod::Post, path("/activities/:activityId/pause"), reviewers(),
        [&store, &engine](RequestContext &ctx) { return control(store, engine, ctx, Control::Pause); },
        kBodyLimit});
    routes.push_back({HttpMethod::Post, path("/activities/:activityId/resume"), reviewers(),
        [&store, &engine](RequestContext &ctx) { return control(store, engine, ctx, Control::Resume); },
        kBodyLimit});
}

} // namespace lm::api::dm
