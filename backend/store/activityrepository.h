// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/result.h"
#include "store/database.h"
#include "store/page.h"
#include "store/tenantscope.h"

#include <QJsonArray>

#include <optional>

namespace lm::store {

struct Activity
{
    QString id;
    QString tenantId;
    QString campaignId;
    QString deliverableId;
    QString periodId;
    QString parentId; ///< set on subtasks
    QString title;
    QString type; ///< a deliverable type, or research / plan
    QString status = QStringLiteral("created");
    QString blockReason;
    QString agentRole;
    QString assigneeUserId;
    QString inputPrompt;
    QString wakeReason;
    QString wakeNote; ///< reviewer feedback or the note that came with the wake
    QString approvalId; ///< the approval gate it waits on (or last waited on)
    QString outputDocumentId;
    QString outputPreview; ///< first 500 characters of the output
    qint64 costMicros = 0;
    int retryCount = 0;
    std::optional<qint64> startedAtMs;
    std::optional<qint64> completedAtMs;
    qint64 createdAtMs = 0;
    qint64 updatedAtMs = 0;

    // Read-only, joined by reads.
    QString campaignName;
    QString assigneeName;
    QString deliverableType;
};

struct ActivityFilter
{
    QString status;
    QString agentRole;
    QString campaignId;
    QString deliverableId;
    QString wakeReason;
    QString parentId;
};

struct ActivityComment
{
    QString id;
    QString tenantId;
    QString activityId;
    QString type = QStringLiteral("comment"); ///< comment | intervention_note
    QString authorType = QStringLiteral("human"); ///< human | agent
    QString authorId;
    QString authorName;
    QString text;
    QJsonArray mentions; ///< [{type, id, name}]
    qint64 createdAtMs = 0;
};

/// Activity counts of a campaign, for the campaign list and detail.
struct ActivityCounts
{
    int total = 0;
    int inProgress = 0;
    int pending = 0;
    int done = 0;
};

/// Activities and their comments.
class ActivityRepository
{
public:
    explicit ActivityRepository(Database &db)
        : m_db(db)
    { }

    Result<void> insert(const Activity &activity);
    Result<std::optional<Activity>> find(const TenantScope &scope, const QString &id);
    Result<Page<Activity>> list(
        const TenantScope &scope, const ActivityFilter &filter, const PageRequest &page);
    /// Saves the mutable fields if the activity is still in `expectedStatus`; CONFLICT when another
    /// writer moved it first (so every transition happens exactly once).
    Result<void> saveTransition(
        const TenantScope &scope, const Activity &activity, const QString &expectedStatus);
    /// Adds cost and returns the activity's total.
    Result<qint64> addCost(const TenantScope &scope, const QString &id, qint64 micros, qint64 nowMs);
    /// Activities of a campaign in one of the statuses (for pauses and budget blocks).
    Result<QList<Activity>> inCampaignWithStatus(
        const TenantScope &scope, const QString &campaignId, const QStringList &statuses);
    Result<QList<Activity>> subtasks(const TenantScope &scope, const QString &parentId);
    Result<ActivityCounts> counts(const TenantScope &scope, const QString &campaignId);

    Result<void> insertComment(const ActivityComment &comment);
    /// Oldest first.
    Result<QList<ActivityComment>> comments(const TenantScope &scope, const QString &activityId);

private:
    Database &m_db;
};

} // namespace lm::store
