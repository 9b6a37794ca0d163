// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/result.h"
#include "store/database.h"

#include <QByteArray>

namespace lm::store {

/// One row of the event log. `seq` is the SSE id: strictly increasing in commit order.
struct EventRecord
{
    qint64 seq = 0;
    QString tenantId;
    QString topic = QStringLiteral("tenant"); ///< tenant | activity
    QString activityId; ///< for topic activity
    QString type; ///< activity_started, approval_created, text_delta, …
    QByteArray data; ///< compact JSON object
    qint64 createdAtMs = 0;
};

/// The event log that SSE streams replay from.
class EventRepository
{
public:
    explicit EventRepository(Database &db)
        : m_db(db)
    { }

    /// Appends inside the caller's transaction and fills `event.seq`. On PostgreSQL the appending
    /// transactions take turns (an advisory lock held to commit), so a reader that has seen seq N
    /// never later meets a smaller one committed after it.
    Result<void> append(EventRecord &event);
    /// A tenant's events after `afterSeq`, oldest first.
    Result<QList<EventRecord>> tenantEventsAfter(const QString &tenantId, qint64 afterSeq, int limit);
    /// An activity's stream after `afterSeq`, oldest first.
    Result<QList<EventRecord>> activityEventsAfter(const QString &activityId, qint64 afterSeq, int limit);
    /// Seqs of an activity's last `limit` terminal stream events (completed, error), newest first:
    /// where its runs' streams end.
    Result<QList<qint64>> activityRunEnds(const QString &activityId, int limit);
    /// Every tenant's events after `afterSeq`, oldest first (the relay between instances).
    Result<QList<EventRecord>> allAfter(qint64 afterSeq, int limit);
    /// The newest seq (0 when empty).
    Result<qint64> lastSeq();

private:
    Database &m_db;
};

} // namespace lm::store
