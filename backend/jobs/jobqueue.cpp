// SPDX-License-Identifier: GPL-3.0-or-later
#include "jobqueue.h"

#include "core/logging.h"
#include "core/ulid.h"
#include "store/logrepository.h"

#include <QJsonDocument>

namespace lm::jobs {

namespace {
// Due: queued and its time has come, or running under a lease that ran out with attempts left.
const QString kClaimSelect
    = QStringLiteral("SELECT id FROM jobs WHERE (status = 'queued' AND run_at <= ?)"
                     " OR (status = 'running' AND lease_expires_at <= ? AND attempts < max_attempts)"
                     " ORDER BY run_at, id LIMIT 1");
const QString kClaimUpdate = QStringLiteral(
    "UPDATE jobs SET status = 'running', attempts = attempts + 1, lease_owner = ?, lease_expires_at = ?,"
    " updated_at = ? WHERE id = (%1) RETURNING id, kind, tenant_id, payload, attempts, max_attempts");
} // namespace

JobQueue::JobQueue(store::Database &db, const Clock &clock, Settings settings)
    : m_db(db)
    , m_clock(clock)
    , m_settings(settings)
{ }

qint64 JobQueue::backoffMs(int attempt) const
{
    qint64 delay = m_settings.backoffBaseMs;
    for (int i = 1; i < attempt && delay < m_settings.backoffMaxMs; ++i)
        delay *= 2;
    return std::min(delay, m_settings.backoffMaxMs);
}

Result<QString> JobQueue::enqueue(const NewJob &job)
{
    if (job.kind.isEmpty() || job.maxAttempts < 1)
        return ApiError::validation(QStringLiteral("kind"), QStringLiteral("invalid"));
    const qint64 now = m_clock.nowMs();
    const QString id = Ulid::generate();
    auto q = m_db.query(QStringLiteral("INSERT INTO jobs (id, kind, tenant_id, payload, status, attempts, "
                                       "max_attempts, run_at, created_at, updated_at)"
                                       " VALUES (?, ?, ?, ?, 'queued', 0, ?, ?, ?, ?)"));
    q.bind(id)
        .bind(job.kind)
        .bindNullableString(job.tenantId)
        .bind(QString::fromUtf8(QJsonDocument(job.payload).toJson(QJsonDocument::Compact)))
        .bind(job.maxAttempts)
        .bind(job.runAtMs > 0 ? job.runAtMs : now)
        .bind(now)
        .bind(now);
    if (auto r = q.exec(); !r.ok())
        return r.error();
    return id;
}

Result<std::optional<Job>> JobQueue::claim(const QString &owner)
{
    const qint64 now = m_clock.nowMs();
    // PostgreSQL: concurrent claimers skip each other's locked rows instead of queueing on them.
    const QString select = m_db.dialect() == store::Dialect::Postgres
        ? kClaimSelect + QStringLiteral(" FOR UPDATE SKIP LOCKED")
        : kClaimSelect;
    const QString token = owner + QLatin1Char('/') + Ulid::generate();
    auto q = m_db.query(kClaimUpdate.arg(select));
    q.bind(token).bind(now + m_settings.leaseMs).bind(now).bind(now).bind(now);
    if (auto r = q.exec(); !r.ok())
        return r.error();
    if (!q.next())
        return std::optional<Job>();
    Job job;
    job.id = q.string(0);
    job.kind = q.string(1);
    job.tenantId = q.string(2);
    job.payload = QJsonDocument::fromJson(q.string(3).toUtf8()).object();
    job.attempts = int(q.int64(4));
    job.maxAttempts = int(q.int64(5));
    job.leaseOwner = token;
    return std::optional<Job>(job);
}

Result<void> JobQueue::complete(const Job &job)
{
    const qint64 now = m_clock.nowMs();
    auto q = m_db.query(QStringLiteral("UPDATE jobs SET status = 'done', finished_at = ?, updated_at = ?, "
                                       "lease_owner = NULL, lease_expires_at = NULL"
                                       " WHERE id = ? AND lease_owner = ? AND status = 'running'"));
    q.bind(now).bind(now).bind(job.id).bind(job.leaseOwner);
    if (auto r = q.exec(); !r.ok())
        return r;
    if (q.rowsAffected() != 1)
        return ApiError::conflict(QStringLiteral("the lease on job %1 was lost").arg(job.id));
    return {};
}

Result<void> JobQueue::fail(const Job &job, const QString &error)
{
    const qint64 now = m_clock.nowMs();
    const bool dead = job.attempts >= job.maxAttempts;
    auto q = m_db.query(dead
            ? QStringLiteral(
                "UPDATE jobs SET status = 'dead', last_error = ?, finished_at = ?, updated_at = ?,"
                " lease_owner = NULL, lease_expires_at = NULL"
                " WHERE id = ? AND lease_owner = ? AND status = 'running'")
            : QStringLiteral("UPDATE jobs SET status = 'queued', last_error = ?, run_at = ?, updated_at = ?,"
                             " lease_owner = NULL, lease_expires_at = NULL"
                             " WHERE id = ? AND lease_owner = ? AND status = 'running'"));
    q.bind(error.left(2000))
        .bind(dead ? now : now + backoffMs(job.attempts))
        .bind(now)
        .bind(job.id)
        .bind(job.leaseOwner);
    if (auto r = q.exec(); !r.ok())
        return r;
    if (q.rowsAffected() != 1)
        return ApiError::conflict(QStringLiteral("the lease on job %1 was lost").arg(job.id));
    if (dead)
        qCWarning(lmCore) << "job" << job.id << job.kind << "is dead after" << job.attempts << "attempts";
    if (dead)
        store::opsLog(m_db,
            {job.tenantId, QStringLiteral("error"), QStringLiteral("system"),
                QStringLiteral("Job %1 is dead after %2 attempts").arg(job.kind).arg(job.attempts),
                {{QStringLiteral("jobId"), job.id}, {QStringLiteral("kind"), job.kind},
                    {QStringLiteral("error"), error.left(500)}},
                job.payload.value(QLatin1String("activityId")).toString(), {}, now});
    return {};
}

Result<int> JobQueue::reapExpired()
{
    const qint64 now = m_clock.nowMs();
    auto q = m_db.query(
        QStringLiteral("UPDATE jobs SET status = 'dead', last_error = 'lease expired with no attempts left', "
                       "finished_at = ?,"
                       " updated_at = ?, lease_owner = NULL, lease_expires_at = NULL"
                       " WHERE status = 'running' AND lease_expires_at <= ? AND attempts >= max_attempts"));
    q.bind(now).bind(now).bind(now);
    if (auto r = q.exec(); !r.ok())
        return r.error();
    return q.rowsAffected();
}

Result<QList<DeadJob>> JobQueue::deadJobs(int limit)
{
    auto q
        = m_db.query(QStringLiteral("SELECT id, kind, tenant_id, attempts, last_error, finished_at FROM jobs"
                                    " WHERE status = 'dead' ORDER BY finished_at DESC, id DESC LIMIT ?"));
    q.bind(limit);
    if (auto r = q.exec(); !r.ok())
        return r.error();
    QList<DeadJob> out;
    while (q.next())
        out.append({q.string(0), q.string(1), q.string(2), int(q.int64(3)), q.string(4), q.int64(5)});
    return out;
}

Result<bool> JobQueue::hasPending(const QString &kind)
{
    auto q = m_db.query(
        QStringLiteral("SELECT 1 FROM jobs WHERE kind = ? AND status IN ('queued', 'running') LIMIT 1"));
    q.bind(kind);
    if (auto r = q.exec(); !r.ok())
        return r.error();
    return q.next();
}

Result<qint64> JobQueue::pendingCount()
{
    auto q = m_db.query(QStringLiteral("SELECT COUNT(*) FROM jobs WHERE status IN ('queued', 'running')"));
    if (auto r = q.exec(); !r.ok())
        return r.error();
    return q.next() ? q.int64(0) : 0;
}

} // namespace lm::jobs
