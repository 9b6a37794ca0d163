// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/clock.h"
#include "core/result.h"
#include "store/database.h"

#include <QJsonObject>

#include <optional>

namespace lm::jobs {

/// A job as a worker receives it.
struct Job
{
    QString id;
    QString kind;
    QString tenantId;
    QJsonObject payload;
    int attempts = 0; ///< including the current one
    int maxAttempts = 0;
    QString leaseOwner; ///< proves this claim when finishing
};

/// What enqueue takes.
struct NewJob
{
    QString kind;
    QString tenantId;
    QJsonObject payload;
    qint64 runAtMs = 0; ///< 0: now; later for delayed work
    int maxAttempts = 5;
};

/// A dead job (retries spent, or its worker died once too often): kept and visible.
struct DeadJob
{
    QString id;
    QString kind;
    QString tenantId;
    int attempts = 0;
    QString lastError;
    qint64 finishedAtMs = 0;
};

/// The durable job queue in the store. Claims are atomic across threads and server instances:
/// `FOR UPDATE SKIP LOCKED` on PostgreSQL, a single `UPDATE … RETURNING` on SQLite (whose writers
/// are serialised). A claim holds a lease; a job whose worker died is claimed again once the lease
/// runs out. Failures retry with exponential backoff up to the job's maximum, then the job is dead.
class JobQueue
{
public:
    struct Settings
    {
        qint64 leaseMs = 5 * 60 * 1000;
        qint64 backoffBaseMs = 2000; ///< first retry after 2 s, then 4, 8, …
        qint64 backoffMaxMs = 10 * 60 * 1000;
    };

    JobQueue(store::Database &db, const Clock &clock, Settings settings);
    JobQueue(store::Database &db, const Clock &clock)
        : JobQueue(db, clock, Settings {})
    { }

    /// Adds a job. Inside the caller's open transaction it commits or rolls back with it.
    Result<QString> enqueue(const NewJob &job);
    /// Claims the next due job for `owner`, or nothing.
    Result<std::optional<Job>> claim(const QString &owner);
    /// Marks a claimed job done. CONFLICT when the lease was lost (another worker took it over).
    Result<void> complete(const Job &job);
    /// Records a failure: back to the queue after the backoff, or dead when attempts are spent.
    Result<void> fail(const Job &job, const QString &error);
    /// Marks jobs whose lease ran out with no attempts left as dead; returns how many.
    Result<int> reapExpired();
    /// Dead jobs, newest first.
    Result<QList<DeadJob>> deadJobs(int limit = 100);
    /// True when a job of this kind is queued or running (recurring jobs keep one in the queue).
    Result<bool> hasPending(const QString &kind);
    /// Jobs waiting or running (queue depth for health).
    Result<qint64> pendingCount();
    /// The delay before attempt `attempt + 1` after `attempt` failed.
    [[nodiscard]] qint64 backoffMs(int attempt) const;

private:
    store::Database &m_db;
    const Clock &m_clock;
    Settings m_settings;
};

} // namespace lm::jobs
