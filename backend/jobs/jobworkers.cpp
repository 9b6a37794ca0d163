// SPDX-License-Identifier: GPL-3.0-or-later
#include "jobworkers.h"

#include "core/logging.h"

#include <exception>

namespace lm::jobs {

JobWorkers::JobWorkers(JobQueue &queue, store::Database &db, int count, QString instanceName,
    std::chrono::milliseconds pollInterval)
    : m_queue(queue)
    , m_db(db)
    , m_count(std::max(1, count))
    , m_instanceName(std::move(instanceName))
    , m_pollInterval(pollInterval)
{ }

JobWorkers::~JobWorkers()
{
    stop();
}

void JobWorkers::registerHandler(const QString &kind, Handler handler)
{
    m_handlers.insert(kind, std::move(handler));
}

void JobWorkers::start()
{
    if (m_running.exchange(true))
        return;
    for (int i = 0; i < m_count; ++i)
        m_threads.emplace_back([this, i] { run(i); });
}

void JobWorkers::stop()
{
    if (!m_running.exchange(false))
        return;
    {
        std::lock_guard lock(m_mutex);
        ++m_wakeups;
    }
    m_wakeUp.notify_all();
    for (auto &t : m_threads)
        t.join();
    m_threads.clear();
}

void JobWorkers::wake()
{
    {
        std::lock_guard lock(m_mutex);
        ++m_wakeups;
    }
    m_wakeUp.notify_one();
}

void JobWorkers::process(const Job &job)
{
    const auto handler = m_handlers.constFind(job.kind);
    Result<void> outcome = ApiError::internal(QStringLiteral("no handler for job kind %1").arg(job.kind));
    if (handler != m_handlers.constEnd()) {
        try {
            outcome = (*handler)(job);
        } catch (const std::exception &e) {
            outcome
                = ApiError::internal(QStringLiteral("handler threw: %1").arg(QString::fromUtf8(e.what())));
        } catch (...) {
            outcome = ApiError::internal(QStringLiteral("handler threw"));
        }
    }
    if (outcome.ok()) {
        if (m_queue.complete(job).ok())
            ++m_completed;
        return;
    }
    ++m_failed;
    if (auto r = m_queue.fail(job, outcome.error().message); !r.ok())
        qCWarning(lmCore) << "could not record the failure of job" << job.id << r.error().message;
}

void JobWorkers::run(int index)
{
    const QString owner = m_instanceName + QStringLiteral("#") + QString::number(index);
    auto lastReap = std::chrono::steady_clock::now();
    while (m_running.load()) {
        // Read the wake-up count before claiming, so an enqueue that lands between an empty claim
        // and the wait below is not slept through.
        quint64 seen = 0;
        {
            std::lock_guard lock(m_mutex);
            seen = m_wakeups;
        }
        auto claimed = m_queue.claim(owner);
        if (claimed.ok() && claimed->has_value()) {
            process(**claimed);
            continue;
        }
        // Worker 0 also retires jobs whose worker died with no attempts left.
        if (index == 0 && std::chrono::steady_clock::now() - lastReap > std::chrono::seconds(30)) {
            (void)m_queue.reapExpired();
            lastReap = std::chrono::steady_clock::now();
        }
        std::unique_lock lock(m_mutex);
        m_wakeUp.wait_for(lock, m_pollInterval, [&] { return m_wakeups != seen || !m_running.load(); });
    }
    m_db.closeThreadConnection();
}

} // namespace lm::jobs
