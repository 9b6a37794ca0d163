// SPDX-License-Identifier: GPL-3.0-or-later
#include "eventrepository.h"

namespace lm::store {

namespace {
// Any constant key works; it only has to be the same for every appender.
constexpr qint64 kEventLockKey = 0x6c6d657665; // "lmeve"

Result<QList<EventRecord>> readAll(SqlQuery &q)
{
    if (auto r = q.exec(); !r.ok())
        return r.error();
    QList<EventRecord> out;
    while (q.next())
        out.append({q.int64(0), q.string(1), q.string(2), q.string(3), q.string(4),
            q.value(5).toString().toUtf8(), q.int64(6)});
    return out;
}
} // namespace

Result<void> EventRepository::append(EventRecord &e)
{
    if (m_db.dialect() == Dialect::Postgres) {
        auto lock = m_db.query(QStringLiteral("SELECT pg_advisory_xact_lock(?)"));
        lock.bind(kEventLockKey);
        if (auto r = lock.exec(); !r.ok())
            return r;
    }
    auto q = m_db.query(
        QStringLiteral("INSERT INTO events (tenant_id, topic, activity_id, type, data, created_at)"
                       " VALUES (?, ?, ?, ?, ?, ?) RETURNING seq"));
    q.bind(e.tenantId)
        .bind(e.topic)
        .bindNullableString(e.activityId)
        .bind(e.type)
        .bind(QString::fromUtf8(e.data))
        .bind(e.createdAtMs);
    if (auto r = q.exec(); !r.ok())
        return r;
    if (!q.next())
        return ApiError::internal(QStringLiteral("event insert returned no seq"));
    e.seq = q.int64(0);
    return {};
}

Result<QList<EventRecord>> EventRepository::tenantEventsAfter(
    const QString &tenantId, qint64 afterSeq, int limit)
{
    auto q = m_db.query(QStringLiteral("SELECT seq, tenant_id, topic, activity_id, type, data, created_at "
                                       "FROM events WHERE tenant_id = ?"
                                       " AND topic = 'tenant' AND seq > ? ORDER BY seq LIMIT ")
        + QString::number(limit));
    q.bind(tenantId).bind(afterSeq);
    return readAll(q);
}

Result<QList<EventRecord>> EventRepository::activityEventsAfter(
    const QString &activityId, qint64 afterSeq, int limit)
{
    auto q = m_db.query(QStringLiteral("SELECT seq, tenant_id, topic, activity_id, type, data, created_at "
                                       "FROM events WHERE activity_id = ?"
                                       " AND topic = 'activity' AND seq > ? ORDER BY seq LIMIT ")
        + QString::number(limit));
    q.bind(activityId).bind(afterSeq);
    return readAll(q);
}

Result<QList<qint64>> EventRepository::activityRunEnds(const QString &activityId, int limit)
{
    auto q = m_db.query(QStringLiteral("SELECT seq FROM events WHERE activity_id = ? AND topic = 'activity'"
                                       " AND type IN ('completed', 'error') ORDER BY seq DESC LIMIT ")
        + QString::number(limit));
    q.bind(activityId);
    if (auto r = q.exec(); !r.ok())
        return r.error();
    QList<qint64> out;
    while (q.next())
        out.append(q.int64(0));
    return out;
}

Result<QList<EventRecord>> EventRepository::allAfter(qint64 afterSeq, int limit)
{
    auto q = m_db.query(
        QStringLiteral("SELECT seq, tenant_id, topic, activity_id, type, data, created_at FROM events"
                       " WHERE seq > ? ORDER BY seq LIMIT ")
        + QString::number(limit));
    q.bind(afterSeq);
    return readAll(q);
}

Result<qint64> EventRepository::lastSeq()
{
    auto q = m_db.query(QStringLiteral("SELECT COALESCE(MAX(seq), 0) FROM events"));
    if (auto r = q.exec(); !r.ok())
        return r.error();
    return q.next() ? q.int64(0) : 0;
}

} // namespace lm::store
