// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/result.h"
#include "store/database.h"
#include "store/eventrepository.h"
#include "store/page.h"

#include <QList>
#include <QStringList>

#include <optional>

namespace lm::store {

/// What the DM approval queue asks for (every tenant unless `tenantId` is set).
struct DmQueueQuery
{
    QString status = QStringLiteral("pending");
    QString type;
    QString riskLevel;
    QString tenantId;
    QString search; ///< a substring of the title, case-insensitive (ASCII)
    QString afterId; ///< the cursor's approval: the page continues after its position
    int limit = 25;
};

/// Counts of one tenant for the DM overview.
struct DmTenantOverview
{
    QString tenantId;
    QString tenantName;
    int pending = 0;
    int highRisk = 0;
    int expiringIn24h = 0;
    int inProgress = 0;
    int failed = 0;
    int blocked = 0;
    qint64 monthToDateMicros = 0;
    std::optional<qint64> capMicros; ///< nullopt: no active campaign has a cap
};

/// The DM Portal's cross-tenant reads. Every call reads every tenant: only /dm/v1 handlers use it,
/// and they audit each read.
class DmRepository
{
public:
    explicit DmRepository(Database &db)
        : m_db(db)
    { }

    /// Approval ids of one queue page in the DM order: high risk first, soonest expiry, then id.
    Result<Page<QString>> queuePage(const DmQueueQuery &query);
    /// Every tenant (by name, then id) with its counts; `monthStartMs` starts the spend window.
    Result<QList<DmTenantOverview>> overview(qint64 nowMs, qint64 monthStartMs);
    /// Every tenant's stream events (topic tenant) after `afterSeq`, oldest first.
    Result<QList<EventRecord>> tenantEventsAfter(qint64 afterSeq, int limit);

private:
    Database &m_db;
};

} // namespace lm::store
