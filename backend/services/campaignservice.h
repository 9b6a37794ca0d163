// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "services/activityflow.h"
#include "services/approvalservice.h"

#include <QDate>

namespace lm::services {

/// A deliverable of a new campaign brief.
struct NewDeliverable
{
    QString type;
    int quantity = 1;
    QStringList platformIds;
    QString templateId;
};

/// A campaign brief (spec: POST /campaigns).
struct NewCampaign
{
    QString name;
    QString brief;
    QList<NewDeliverable> deliverables;
    std::optional<qint64> budgetCapMicros;
    QDate startDate;
    QDate endDate;
    QStringList attachments;
};

/// Changes to a campaign's metadata (spec: PATCH /campaigns/:id); unset fields stay as they are.
struct CampaignPatch
{
    std::optional<QString> name;
    std::optional<QString> brief;
    std::optional<std::optional<qint64>> budgetCapMicros; ///< set to nullopt: remove the cap
    std::optional<QString> status; ///< paused | active (pause or resume)
};

/// Campaigns and the Activity Planner: a brief becomes a planning activity for the tenant's
/// activity_planner agent; when that run completes, deliverables × quantity per period become
/// activities assigned to agent roles.
class CampaignService
{
public:
    static constexpr int kMaxPeriods = 12;
    /// A plan with more activities than this in its first period waits for a person's approval.
    static constexpr int kPlanApprovalThreshold = 30;

    explicit CampaignService(EngineContext &engine)
        : m_engine(engine)
        , m_flow(engine)
    { }

    /// Stores the brief (status draft) and enqueues its planning; returns the campaign.
    Result<store::Campaign> create(const QString &tenantId, const Actor &by, const NewCampaign &brief);
    /// Applies a patch: pausing blocks the campaign's waiting and running activities (reason paused),
    /// resuming wakes them. CONFLICT for an archived or completed campaign; audited.
    Result<store::Campaign> update(
        const QString &tenantId, const QString &campaignId, const CampaignPatch &patch, const Actor &by);
    /// Archives a campaign: its waiting and running activities are paused, no new ones are created.
    /// Archiving an archived campaign changes nothing.
    Result<void> archive(const QString &tenantId, const QString &campaignId, const Actor &by);

    /// Creates the periods and the current period's activities; the campaign becomes active.
    /// Runs inside the unit of work that completes the planning activity.
    Result<int> materializePlan(UnitOfWork &work, const QString &tenantId, const QString &campaignId);
    /// How many activities the plan makes in its first period (sum of the quantities).
    Result<int> plannedFirstPeriod(UnitOfWork &work, const QString &tenantId, const QString &campaignId);
    /// Creates the activities of the period starting at `periodStart` (a later period's job).
    Result<int> planPeriod(const QString &tenantId, const QString &campaignId, const QString &periodStart);

    /// The agent role that produces a deliverable type.
    [[nodiscard]] static QString roleFor(const QString &deliverableType);
    /// Human label of a deliverable type ("Blog post").
    [[nodiscard]] static QString labelFor(const QString &deliverableType);

private:
    /// Pauses the campaign's activities that wait for or hold a worker; returns how many.
    Result<int> pauseActivities(UnitOfWork &work, const store::Campaign &campaign);
    /// Wakes the campaign's activities that a pause blocked; returns how many.
    Result<int> resumeActivities(UnitOfWork &work, const store::Campaign &campaign);
    Result<int> createPeriodActivities(UnitOfWork &work, const store::Campaign &campaign,
        const store::Deliverable &deliverable, const store::DeliverablePeriod &period);
    EngineContext &m_engine;
    ActivityFlow m_flow;
};

} // namespace lm::services
