// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/result.h"
#include "store/database.h"
#include "store/page.h"
#include "store/tenantscope.h"

#include <QStringList>

#include <optional>

namespace lm::store {

/// An activity linked to an approval, as approval reads show it.
struct LinkedActivity
{
    QString id;
    QString title;
    QString status;
    QString outputDocumentId;
    QString outputPreview;
};

struct Approval
{
    QString id;
    QString tenantId;
    QString campaignId;
    QString title;
    QString type; ///< content_review | content_direction | brand_direction | strategy_change | …
    QString riskLevel; ///< low | medium | high
    QString status = QStringLiteral("pending"); ///< pending | approved | rejected | expired
    QString description;
    QStringList options;
    QString createdByType = QStringLiteral("agent"); ///< agent | human
    QString createdById;
    QString createdByName;
    QString runId;
    qint64 expiresAtMs = 0;
    bool expiringNoticeSent = false;
    QString resolution; ///< approved | rejected | revision_requested | expired
    QString resolutionNote;
    QString selectedOption;
    std::optional<qint64> resolvedAtMs;
    QString resolvedById;
    QString resolvedByName;
    qint64 createdAtMs = 0;
    qint64 updatedAtMs = 0;

    QList<LinkedActivity> linkedActivities; ///< filled by reads
    QString tenantName; ///< filled by reads
};

struct ApprovalFilter
{
    QString status;
    QString type;
    QString riskLevel;
};

/// Counts for the approval stats widget.
struct ApprovalStats
{
    int pending = 0;
    int highRisk = 0;
    int expiringIn24h = 0;
    int resolvedThisWeek = 0;
};

/// Approval gates and the activities they hold.
class ApprovalRepository
{
public:
    explicit ApprovalRepository(Database &db)
        : m_db(db)
    { }

    /// Inserts the approval and links its activities.
    Result<void> insert(const Approval &approval, const QStringList &activityIds);
    Result<std::optional<Approval>> find(const TenantScope &scope, const QString &id);
    /// The approvals of `ids` visible in `scope`, in the order of `ids`, in two queries (DM queue pages).
    Result<QList<Approval>> findMany(const TenantScope &scope, const QStringList &ids);
    /// The same page as list(), as the API's list items (services::approvalJson(a, false)), built
    /// by the database: the read path of the approval queue.
    Result<JsonPage> listJson(
        const TenantScope &scope, const ApprovalFilter &filter, const PageRequest &page);
    Result<Page<Approval>> list(
        const TenantScope &scope, const ApprovalFilter &filter, const PageRequest &page);
    /// Records the decision if the approval is still pending; CONFLICT otherwise (decided once).
    Result<void> resolve(const TenantScope &scope, const Approval &resolved);
    /// Pending approvals whose expiresAt has passed, every tenant (the expiry sweep).
    Result<QList<Approval>> pendingExpiredBy(qint64 nowMs, int limit);
    /// Pending approvals expiring before `beforeMs` whose notice has not gone out, every tenant.
    Result<QList<Approval>> pendingNoticeDue(qint64 beforeMs, int limit);
    /// Records that approval_expiring went out; false when it already had.
    Result<bool> markNoticeSent(const QString &id);
    Result<ApprovalStats> stats(const TenantScope &scope, qint64 nowMs);
    /// Pending approvals of a campaign.
    Result<int> pendingCount(const TenantScope &scope, const QString &campaignId);

private:
    Result<JsonPage> listJsonSqlite(const QString &where, const QStringList &binds, int limit);
    Result<QList<Approval>> readApprovals(SqlQuery &q, bool withActivities);
    Result<void> attachActivities(QList<Approval> &approvals);
    Database &m_db;
};

} // namespace lm::store
