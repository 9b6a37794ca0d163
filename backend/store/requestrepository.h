// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/result.h"
#include "store/database.h"
#include "store/page.h"
#include "store/tenantscope.h"

#include <QStringList>

#include <optional>

namespace lm::store {

/// A blog or social post request (spec: Content Requests).
struct ContentRequest
{
    QString id;
    QString tenantId;
    QString kind; ///< blog | social
    QString topic;
    QString targetKeyword; ///< blog
    QString brief;
    QString channelId; ///< blog: the WordPress channel to publish to
    QStringList platforms; ///< social
    std::optional<qint64> scheduleForMs; ///< social
    QString priority = QStringLiteral("normal"); ///< normal | high
    QString status = QStringLiteral("draft"); ///< draft | approved | in_production | completed | rejected
    QString activityId; ///< the activity that produces it, once production starts
    QString campaignId; ///< the campaign whose period it counts against
    QString createdBy; ///< user id
    qint64 createdAtMs = 0;
    qint64 updatedAtMs = 0;

    // Read-only, joined by reads.
    QString channelName;
    QString activityStatus;
};

struct ContentRequestFilter
{
    QString kind; ///< required: blog | social
    QString status;
    QString platform; ///< social: requests that include this platform
};

/// Blog and social post requests.
class ContentRequestRepository
{
public:
    explicit ContentRequestRepository(Database &db)
        : m_db(db)
    { }

    Result<void> insert(const ContentRequest &request);
    Result<std::optional<ContentRequest>> find(const TenantScope &scope, const QString &id);
    /// `filter.status` matches the status as reported (an in-production request whose activity is
    /// done reads as completed).
    Result<Page<ContentRequest>> list(
        const TenantScope &scope, const ContentRequestFilter &filter, const PageRequest &page);
    /// Records that production started: the activity, its campaign and status in_production.
    Result<void> startProduction(const TenantScope &scope, const QString &id, const QString &activityId,
        const QString &campaignId, qint64 nowMs);

private:
    Database &m_db;
};

} // namespace lm::store
