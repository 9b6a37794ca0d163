// SPDX-License-Identifier: GPL-3.0-or-later
#include "campaignservice.h"

#include "core/logging.h"
#include "core/ulid.h"
#include "workflow/budget.h"

#include <QSet>

namespace lm::services {

using workflow::ActivityEvent;

namespace {
QDate monthStart(QDate d)
{
    return QDate(d.year(), d.month(), 1);
}
QString dateText(QDate d)
{
    return d.toString(Qt::ISODate);
}
} // namespace

QString CampaignService::roleFor(const QString &type)
{
    static const QHash<QString, QString> roles {{QStringLiteral("blog_post"), QStringLiteral("copywriter")},
        {QStringLiteral("social_post"), QStringLiteral("social_media_manager")},
        {QStringLiteral("gbp_post"), QStringLiteral("social_media_manager")},
        {QStringLiteral("ad_copy"), QStringLiteral("copywriter")},
        {QStringLiteral("email_newsletter"), QStringLiteral("copywriter")},
        {QStringLiteral("backlink"), QStringLiteral("seo_specialist")},
        {QStringLiteral("website_audit"), QStringLiteral("seo_specialist")},
        {QStringLiteral("performance_report"), QStringLiteral("analyst")},
        {QStringLiteral("plan"), QStringLiteral("activity_planner")},
        {QStringLiteral("research"), QStringLiteral("seo_specialist")}};
    return roles.value(type, QStringLiteral("strategist"));
}

QString CampaignService::labelFor(const QString &type)
{
    static const QHash<QString, QString> labels {{QStringLiteral("blog_post"), QStringLiteral("Blog post")},
        {QStringLiteral("social_post"), QStringLiteral("Social post")},
        {QStringLiteral("gbp_post"), QStringLiteral("Google Business Profile post")},
        {QStringLiteral("ad_copy"), QStringLiteral("Ad copy")},
        {QStringLiteral("email_newsletter"), QStringLiteral("Email newsletter")},
        {QStringLiteral("backlink"), QStringLiteral("Backlink outreach")},
        {QStringLiteral("website_audit"), QStringLiteral("Website audit")},
        {QStringLiteral("performance_report"), QStringLiteral("Performance report")}};
    return labels.value(type, type);
}

Result<store::Campaign> CampaignService::create(
    const QString &tenantId, const Actor &by, const NewCampaign &brief)
{
    UnitOfWork work(m_engine);
    if (!work.isActive())
        return work.error();
    const qint64 now = work.nowMs();
    store::Campaign c;
    c.id = Ulid::generate();
    c.tenantId = tenantId;
    c.name = brief.name;
    c.brief = brief.brief;
    c.status = QStringLiteral("draft");
    c.budgetCapMicros = brief.budgetCapMicros;
    c.startDate = brief.startDate.isValid() ? dateText(brief.startDate) : QString();
    c.endDate = brief.endDate.isValid() ? dateText(brief.endDate) : QString();
    c.attachments = brief.attachments;
    c.createdBy = by.id;
    c.createdAtMs = now;
    c.updatedAtMs = now;
    if (auto r = work.store().campaigns.insert(c); !r.ok())
        return r.error();
    QStringList deliverables;
    for (const auto &d : brief.deliverables) {
        store::Deliverable row;
        row.id = Ulid::generate();
        row.tenantId = tenantId;
        row.campaignId = c.id;
        row.type = d.type;
        row.quantity = d.quantity;
        row.platformIds = d.platformIds;
        row.templateId = d.templateId;
        row.createdAtMs = now;
        if (auto r = work.store().campaigns.insertDeliverable(row); !r.ok())
            return r.error();
        deliverables.append(QStringLiteral("%1 × %2").arg(d.quantity).arg(labelFor(d.type)));
    }

    // Planning is itself an activity of the tenant's activity_planner agent.
    store::Activity plan;
    plan.id = Ulid::generate();
    plan.tenantId = tenantId;
    plan.campaignId = c.id;
    plan.title = QStringLiteral("Plan campaign — %1").arg(c.name);
    plan.type = QStringLiteral("plan");
    plan.status = QStringLiteral("created");
    plan.agentRole = roleFor(plan.type);
    plan.inputPrompt
        = QStringLiteral("Plan the activity pipeline of this campaign. Deliverables per period: %1.")
              .arg(deliverables.join(QStringLiteral(", ")));
    plan.createdAtMs = now;
    plan.updatedAtMs = now;
    if (auto r = work.store().activities.insert(plan); !r.ok())
        return r.error();
    if (auto r = m_flow.apply(work, plan, ActivityEvent::Assign); !r.ok())
        return r.error();

    const store::AuditEntry audit
        = actorAudit(by, tenantId, QStringLiteral("campaign.created"), QStringLiteral("campaign"), c.id,
            {{QStringLiteral("name"),
                QJsonObject {{QStringLiteral("from"), QJsonValue()}, {QStringLiteral("to"), c.name}}}},
            now);
    if (auto r = work.store().audit.append(audit); !r.ok())
        return r.error();
    if (auto r = work.commit(); !r.ok())
        return r.error();
    return c;
}

Result<int> CampaignService::pauseActivities(UnitOfWork &work, const store::Campaign &campaign)
{
    auto running = work.store().activities.inCampaignWithStatus(store::TenantScope::tenant(campaign.tenantId),
        campaign.id, {QStringLiteral("created"), QStringLiteral("assigned"), QStringLiteral("in_progress")});
    if (!running.ok())
        return running.error();
    const auto scope = store::TenantScope::tenant(campaign.tenantId);
    int paused = 0;
    for (store::Activity a : std::as_const(*running)) {
        // A worker may move an activity between the read and the write: read it again and retry.
        for (int attempt = 0;; ++attempt) {
            auto r = m_flow.apply(work, a, ActivityEvent::Pause);
            if (r.ok()) {
                ++paused;
                break;
            }
            if (r.error().code != ErrorCode::Conflict || attempt == 2)
                return r.error();
            auto again = work.store().activities.find(scope, a.id);
            if (!again.ok())
                return again.error();
            const auto status = again->has_value() ? workflow::parseStatus((*again)->status) : std::nullopt;
            if (!status || !workflow::ActivityStateMachine::allows(*status, ActivityEvent::Pause))
                break; // it moved somewhere a pause does not apply (done, awaiting a person)
            a = **again;
        }
    }
    return paused;
}

Result<int> CampaignService::resumeActivities(UnitOfWork &work, const store::Campaign &campaign)
{
    auto blocked = work.store().activities.inCampaignWithStatus(
        store::TenantScope::tenant(campaign.tenantId), campaign.id, {QStringLiteral("blocked")});
    if (!blocked.ok())
        return blocked.error();
    int woken = 0;
    for (const auto &a : std::as_const(*blocked)) {
        if (a.blockReason != QLatin1String("paused"))
            continue; // blocked for another reason (budget, blocker, expiry): not the pause's to undo
        if (auto r
            = m_flow.wake(work, a, workflow::WakeReason::Manual, {QStringLiteral("Campaign resumed"), {}, 0});
            !r.ok())
            return r.error();
        ++woken;
    }
    return woken;
}

Result<store::Campaign> CampaignService::update(
    const QString &tenantId, const QString &campaignId, const CampaignPatch &patch, const Actor &by)
{
    UnitOfWork work(m_engine);
    if (!work.isActive())
        return work.error();
    const auto scope = store::TenantScope::tenant(tenantId);
    auto found = work.store().campaigns.find(scope, campaignId);
    if (!found.ok())
        return found.error();
    if (!found->has_value())
        return ApiError::notFound(QStringLiteral("campaign not found"));
    const store::Campaign before = **found;
    if (before.status == QLatin1String("archived") || before.status == QLatin1String("completed"))
        return ApiError::conflict(
            QStringLiteral("The campaign is %1 and cannot be changed").arg(before.status));
    store::Campaign c = before;
    QJsonObject changes;
    const auto note = [&changes](const QString &field, const QJsonValue &from, const QJsonValue &to) {
        if (from != to)
            changes.insert(field, QJsonObject {{QStringLiteral("from"), from}, {QStringLiteral("to"), to}});
    };
    const auto usd = [](const std::optional<qint64> &micros) {
        return micros ? QJsonValue(workflow::Budget::toUsd(*micros)) : QJsonValue(QJsonValue::Null);
    };
    if (patch.name)
        c.name = *patch.name;
    if (patch.brief)
        c.brief = *patch.brief;
    if (patch.budgetCapMicros)
        c.budgetCapMicros = *patch.budgetCapMicros;
    note(QStringLiteral("name"), before.name, c.name);
    note(QStringLiteral("brief"), before.brief, c.brief);
    note(QStringLiteral("budgetCapUsd"), usd(before.budgetCapMicros), usd(c.budgetCapMicros));
    const bool pausing = patch.status == QLatin1String("paused") && before.status != QLatin1String("paused");
    // A paused campaign resumes to active; a draft one is planning and is active already in intent.
    const bool resuming = patch.status == QLatin1String("active") && before.status == QLatin1String("paused");
    if (pausing || resuming)
        c.status = *patch.status;
    note(QStringLiteral("status"), before.status, c.status);
    if (changes.isEmpty())
        return before;
    c.updatedAtMs = work.nowMs();
    if (auto r = work.store().campaigns.update(scope, c); !r.ok())
        return r.error();
    if (pausing) {
        if (auto r = pauseActivities(work, c); !r.ok())
            return r.error();
    } else if (resuming) {
        if (auto r = resumeActivities(work, c); !r.ok())
            return r.error();
    }
    QJsonObject event {{QStringLiteral("campaignId"), c.id}, {QStringLiteral("status"), c.status}};
    if (auto r = work.tenantEvent(tenantId, QStringLiteral("campaign_updated"), event); !r.ok())
        return r.error();
    const store::AuditEntry audit = actorAudit(by, tenantId, QStringLiteral("campaign.updated"),
        QStringLiteral("campaign"), c.id, changes, c.updatedAtMs);
    if (auto r = work.store().audit.append(audit); !r.ok())
        return r.error();
    if (auto r = work.commit(); !r.ok())
        return r.error();
    return c;
}

Result<void> CampaignService::archive(const QString &tenantId, const QString &campaignId, const Actor &by)
{
    UnitOfWork work(m_engine);
    if (!work.isActive())
        return work.error();
    const auto scope = store::TenantScope::tenant(tenantId);
    auto found = work.store().campaigns.find(scope, campaignId);
    if (!found.ok())
        return found.error();
    if (!found->has_value())
        return ApiError::notFound(QStringLiteral("campaign not found"));
    store::Campaign c = **found;
    if (c.status == QLatin1String("archived"))
        return {};
    const QString previous = c.status;
    c.status = QStringLiteral("archived");
    c.updatedAtMs = work.nowMs();
    if (auto r = work.store().campaigns.update(scope, c); !r.ok())
        return r.error();
    if (auto r = pauseActivities(work, c); !r.ok())
        return r.error();
    if (auto r = work.tenantEvent(tenantId, QStringLiteral("campaign_updated"),
            {{QStringLiteral("campaignId"), c.id}, {QStringLiteral("status"), c.status}});
        !r.ok())
        return r.error();
    const store::AuditEntry audit
        = actorAudit(by, tenantId, QStringLiteral("campaign.archived"), QStringLiteral("campaign"), c.id,
            {{QStringLiteral("status"),
                QJsonObject {{QStringLiteral("from"), previous}, {QStringLiteral("to"), c.status}}}},
            c.updatedAtMs);
    if (auto r = work.store().audit.append(audit); !r.ok())
        return r.error();
    return work.commit();
}

Result<int> CampaignService::createPeriodActivities(UnitOfWork &work, const store::Campaign &campaign,
    const store::Deliverable &deliverable, const store::DeliverablePeriod &period)
{
    const qint64 now = work.nowMs();
    const qint64 startMs
        = QDate::fromString(period.periodStart, Qt::ISODate).startOfDay(Qt::UTC).toMSecsSinceEpoch();
    for (int i = 1; i <= period.target; ++i) {
        store::Activity a;
        a.id = Ulid::generate();
        a.tenantId = campaign.tenantId;
        a.campaignId = campaign.id;
        a.deliverableId = deliverable.id;
        a.periodId = period.id;
        a.title = QStringLiteral("%1 %2/%3 — %4")
                      .arg(labelFor(deliverable.type))
                      .arg(i)
                      .arg(period.target)
                      .arg(campaign.name);
        a.type = deliverable.type;
        a.status = QStringLiteral("created");
        a.agentRole = roleFor(deliverable.type);
        a.inputPrompt = QStringLiteral("Write %1 %2 of %3 for the campaign \"%4\" (period %5 to %6).%7")
                            .arg(labelFor(deliverable.type).toLower())
                            .arg(i)
                            .arg(period.target)
                            .arg(campaign.name, period.periodStart, period.periodEnd,
                                deliverable.platformIds.isEmpty()
                                    ? QString()
                                    : QStringLiteral(" Platforms: %1.")
                                          .arg(deliverable.platformIds.join(QStringLiteral(", "))));
        a.createdAtMs = now;
        a.updatedAtMs = now;
        if (auto r = work.store().activities.insert(a); !r.ok())
            return r.error();
        auto assigned
            = m_flow.apply(work, a, ActivityEvent::Assign, {{}, {}, std::max<qint64>(0, startMs - now)});
        if (!assigned.ok())
            return assigned.error();
    }
    return period.target;
}

Result<int> CampaignService::materializePlan(
    UnitOfWork &work, const QString &tenantId, const QString &campaignId)
{
    const auto scope = store::TenantScope::tenant(tenantId);
    auto campaign = work.store().campaigns.find(scope, campaignId);
    if (!campaign.ok())
        return campaign.error();
    if (!campaign->has_value())
        return ApiError::notFound(QStringLiteral("campaign not found"));
    const store::Campaign c = **campaign;
    auto deliverables = work.store().campaigns.deliverables(scope, campaignId);
    if (!deliverables.ok())
        return deliverables.error();

    const QDate today = work.engine().clock.now().date();
    const QDate start = c.startDate.isEmpty() ? today : QDate::fromString(c.startDate, Qt::ISODate);
    const QDate end = c.endDate.isEmpty() ? start : QDate::fromString(c.endDate, Qt::ISODate);
    const qint64 now = work.nowMs();
    int created = 0;
    for (const auto &d : std::as_const(*deliverables)) {
        QDate from = monthStart(start);
        for (int n = 0; n < kMaxPeriods && from <= end; ++n, from = from.addMonths(1)) {
            store::DeliverablePeriod p;
            p.id = Ulid::generate();
            p.tenantId = tenantId;
            p.deliverableId = d.id;
            p.periodStart = dateText(std::max(from, start));
            const QDate monthEnd = from.addMonths(1).addDays(-1);
            p.periodEnd = dateText(c.endDate.isEmpty() ? monthEnd : std::min(monthEnd, end));
            p.target = d.quantity;
            p.createdAtMs = now;
            if (auto r = work.store().campaigns.insertPeriod(p); !r.ok())
                return r.error();
            // The first period is worked now; later ones when they begin.
            if (n == 0) {
                auto made = createPeriodActivities(work, c, d, p);
                if (!made.ok())
                    return made.error();
                created += *made;
            }
        }
    }
    // One job per later period start (all deliverables of that period at once).
    QSet<QString> laterStarts;
    for (const auto &d : std::as_const(*deliverables)) {
        auto periods = work.store().campaigns.periods(scope, d.id);
        if (!periods.ok())
            return periods.error();
        for (qsizetype i = 1; i < periods->size(); ++i)
            laterStarts.insert(periods->at(i).periodStart);
    }
    for (const QString &periodStart : std::as_const(laterStarts)) {
        jobs::NewJob job;
        job.kind = JobKind::PlanCampaign;
        job.tenantId = tenantId;
        job.payload
            = {{QStringLiteral("campaignId"), campaignId}, {QStringLiteral("periodStart"), periodStart}};
        job.runAtMs = QDate::fromString(periodStart, Qt::ISODate).startOfDay(Qt::UTC).toMSecsSinceEpoch();
        if (auto r = work.enqueue(job); !r.ok())
            return r.error();
    }
    if (c.status == QLatin1String("draft")) {
        if (auto r = work.store().campaigns.setStatus(scope, campaignId, QStringLiteral("active"), now);
            !r.ok())
            return r.error();
        if (auto r = work.tenantEvent(tenantId, QStringLiteral("campaign_planned"),
                {{QStringLiteral("campaignId"), campaignId}, {QStringLiteral("activities"), created}});
            !r.ok())
            return r.error();
    }
    qCInfo(lmEngine) << "planned campaign" << campaignId << "with" << created << "activities";
    return created;
}

Result<int> CampaignService::plannedFirstPeriod(
    UnitOfWork &work, const QString &tenantId, const QString &campaignId)
{
    auto deliverables = work.store().campaigns.deliverables(store::TenantScope::tenant(tenantId), campaignId);
    if (!deliverables.ok())
        return deliverables.error();
    int total = 0;
    for (const auto &d : std::as_const(*deliverables))
        total += d.quantity;
    return total;
}

Result<int> CampaignService::planPeriod(
    const QString &tenantId, const QString &campaignId, const QString &periodStart)
{
    UnitOfWork work(m_engine);
    if (!work.isActive())
        return work.error();
    const auto scope = store::TenantScope::tenant(tenantId);
    auto campaign = work.store().campaigns.find(scope, campaignId);
    if (!campaign.ok())
        return campaign.error();
    // A paused, archived or completed campaign creates no new activities.
    if (!campaign->has_value() || (*campaign)->status != QLatin1String("active"))
        return 0;
    auto deliverables = work.store().campaigns.deliverables(scope, campaignId);
    if (!deliverables.ok())
        return deliverables.error();
    int created = 0;
    for (const auto &d : std::as_const(*deliverables)) {
        auto periods = work.store().campaigns.periods(scope, d.id);
        if (!periods.ok())
            return periods.error();
        for (const auto &p : std::as_const(*periods)) {
            if (p.periodStart != periodStart)
                continue;
            auto progress = work.store().campaigns.periodProgress(p.id);
            if (!progress.ok())
                return progress.error();
            if (progress->completed + progress->inProgress > 0)
                continue; // planned already (a job that ran twice)
            auto made = createPeriodActivities(work, **campaign, d, p);
            if (!made.ok())
                return made.error();
            created += *made;
        }
    }
    if (auto r = work.commit(); !r.ok())
        return r.error();
    return created;
}

} // namespace lm::services
