// SPDX-License-Identifier: GPL-3.0-or-later
#include "contentrequests.h"

#include "core/logging.h"
#include "core/ulid.h"
#include "services/campaignservice.h"

#include <QDate>

namespace lm::services {

using workflow::ActivityEvent;

QString ContentRequestPipeline::deliverableType(const QString &kind)
{
    return kind == QLatin1String("blog") ? QStringLiteral("blog_post") : QStringLiteral("social_post");
}

namespace {

/// The channel ids and platform names a request targets (what a deliverable's platformIds may name).
Result<QStringList> targets(UnitOfWork &work, const store::ContentRequest &r)
{
    QStringList out;
    if (!r.channelId.isEmpty())
        out.append(r.channelId);
    if (!r.platforms.isEmpty()) {
        out.append(r.platforms);
        auto channels = work.store().channels.list(store::TenantScope::tenant(r.tenantId));
        if (!channels.ok())
            return channels.error();
        for (const auto &c : std::as_const(*channels)) {
            if (r.platforms.contains(c.platform))
                out.append(c.id);
        }
    }
    return out;
}

QString prompt(const store::ContentRequest &r)
{
    QString text = r.kind == QLatin1String("blog")
        ? QStringLiteral("Write a blog post on \"%1\" (requested by the team).").arg(r.topic)
        : QStringLiteral("Write a social media post on \"%1\" for %2 (requested by the team).")
              .arg(r.topic, r.platforms.join(QStringLiteral(", ")));
    if (!r.targetKeyword.isEmpty())
        text += QStringLiteral(" Target keyword: %1.").arg(r.targetKeyword);
    if (r.scheduleForMs)
        text += QStringLiteral(" Planned posting time: %1.").arg(isoTimestamp(*r.scheduleForMs));
    if (r.priority == QLatin1String("high"))
        text += QStringLiteral(" Priority: high.");
    if (!r.brief.isEmpty())
        text += QStringLiteral("\n\nBrief:\n") + r.brief;
    return text;
}

} // namespace

Result<store::ContentRequest> ContentRequestPipeline::start(UnitOfWork &work, store::ContentRequest request)
{
    if (request.status != QLatin1String("approved"))
        return request;
    const auto scope = store::TenantScope::tenant(request.tenantId);
    const QString type = deliverableType(request.kind);
    auto wanted = targets(work, request);
    if (!wanted.ok())
        return wanted.error();
    const QDate today = work.engine().clock.now().date();

    // Oldest active campaign first: the request counts against the longest-running plan.
    auto campaigns = work.store().campaigns.list(scope, QStringLiteral("active"), {{}, 100, false});
    if (!campaigns.ok())
        return campaigns.error();
    for (const auto &c : std::as_const(campaigns->items)) {
        auto deliverables = work.store().campaigns.deliverables(scope, c.id);
        if (!deliverables.ok())
            return deliverables.error();
        for (const auto &d : std::as_const(*deliverables)) {
            if (d.type != type)
                continue;
            bool targeted = d.platformIds.isEmpty();
            for (const QString &t : std::as_const(*wanted))
                targeted = targeted || d.platformIds.contains(t);
            if (!targeted)
                continue;
            auto periods = work.store().campaigns.periods(scope, d.id);
            if (!periods.ok())
                return periods.error();
            for (const auto &p : std::as_const(*periods)) {
                if (QDate::fromString(p.periodStart, Qt::ISODate) > today
                    || QDate::fromString(p.periodEnd, Qt::ISODate) < today)
                    continue;
                const qint64 now = work.nowMs();
                store::Activity a;
                a.id = Ulid::generate();
                a.tenantId = request.tenantId;
                a.campaignId = c.id;
                a.deliverableId = d.id;
                a.periodId = p.id;
                a.title = QStringLiteral("%1 request — %2")
                              .arg(CampaignService::labelFor(type), request.topic.left(120));
                a.type = type;
                a.status = QStringLiteral("created");
                a.agentRole = CampaignService::roleFor(type);
                a.inputPrompt = prompt(request);
                a.createdAtMs = now;
                a.updatedAtMs = now;
                if (auto r = work.store().activities.insert(a); !r.ok())
                    return r.error();
                if (auto r = m_flow.apply(work, a, ActivityEvent::Assign); !r.ok())
                    return r.error();
                if (auto r = work.store().contentRequests.startProduction(scope, request.id, a.id, c.id, now);
                    !r.ok())
                    return r.error();
                if (auto r = work.tenantEvent(request.tenantId, QStringLiteral("content_request_started"),
                        {{QStringLiteral("requestId"), request.id}, {QStringLiteral("activityId"), a.id},
                            {QStringLiteral("campaignId"), c.id}});
                    !r.ok())
                    return r.error();
                request.status = QStringLiteral("in_production");
                request.activityId = a.id;
                request.campaignId = c.id;
                qCInfo(lmEngine) << "content request" << request.id << "started activity" << a.id;
                return request;
            }
        }
    }
    return request;
}

} // namespace lm::services
