// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "jobs/jobqueue.h"

#include <QHash>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace lm::jobs {

/// A pool of worker threads draining the job queue (`--workers N`). Each thread claims a job, runs
/// the handler registered for its kind and completes or fails it; idle threads sleep until woken
/// by an enqueue in this process or the poll interval passes (jobs enqueued by other instances).
class JobWorkers
{
public:
    /// Handles one job; an error (or an exception) counts as a failed attempt.
    using Handler = std::function<Result<void>(const Job &)>;

    JobWorkers(JobQueue &queue, store::Database &db, int count, QString instanceName,
        std::chrono::milliseconds pollInterval = std::chrono::milliseconds(500));
    ~JobWorkers();
    JobWorkers(const JobWorkers &) = delete;
    JobWorkers &operator=(const JobWorkers &) = delete;

    /// Registers the handler of a job kind; call before start().
    void registerHandler(const QString &kind, Handler handler);
    void start();
    /// Lets running jobs finish, then ends the threads.
    void stop();
    /// Wakes an idle worker now (after an enqueue).
    void wake();

    [[nodiscard]] int count() const { return m_count; }
    [[nodiscard]] qint64 completedCount() const { return m_completed.load(); }
    [[nodiscard]] qint64 failedCount() const { return m_failed.load(); }

private:
    void run(int index);
    void process(const Job &job);

    JobQueue &m_queue;
    store::Database &m_db;
    int m_count;
    QString m_instanceName;
    std::chrono::milliseconds m_pollInterval;
    QHash<QString, Handler> m_handlers;
    std::vector<std::thread> m_threads;
    std::atomic<bool> m_running {false};
    std::mutex m_mutex;
    std::condition_variable m_wakeUp;
    quint64 m_wakeups = 0;
    std::atomic<qint64> m_completed {0};
    std::atomic<qint64> m_failed {0};
};

} // namespace lm::jobs
