// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/clock.h"
#include "core/result.h"
#include "jobs/jobqueue.h"
#include "store/eventrepository.h"
#include "store/store.h"

#include <QJsonObject>

#include <functional>
#include <memory>
#include <mutex>

namespace lm::services {

/// Job kinds of the engine.
namespace JobKind {
inline const QString RunActivity = QStringLiteral("run_activity"); ///< {activityId}
inline const QString PlanCampaign = QStringLiteral("plan_campaign"); ///< {campaignId}
inline const QString SweepApprovals = QStringLiteral("sweep_approvals"); ///< recurring
inline const QString ExpireRun = QStringLiteral("expire_run"); ///< {runId}: a handed run's deadline
} // namespace JobKind

/// What the engine's services share: the store, the clock, the queue, and where committed events go.
struct EngineContext
{
    store::Store &store;
    const Clock &clock;
    jobs::JobQueue &queue;
    /// Receives each committed event (the SSE hub); set by the host.
    std::function<void(const store::EventRecord &)> publish;
    /// Wakes idle job workers after an enqueue commits.
    std::function<void()> wakeWorkers;
    /// Several instances (PostgreSQL): events reach the hubs through the relay (NOTIFY at commit)
    /// rather than straight from the committing instance.
    bool publishThroughRelay = false;
    /// Held from commit to the end of publish (straight publishing only): commits take turns on
    /// the store's write lock, so seq order is commit order, and under this lock it is publish
    /// order too. Without it, a commit publishing late could reach a stream after a later seq,
    /// which the stream would skip for good (it never sends an id below one it sent).
    std::shared_ptr<std::mutex> publishOrder = std::make_shared<std::mutex>();
};

/// One write transaction of the engine: state changes, their events and the jobs they cause
/// commit together; the events are published and the workers woken only once it has committed.
class UnitOfWork
{
public:
    explicit UnitOfWork(EngineContext &engine)
        : m_engine(engine)
        , m_tx(engine.store.db())
    { }

    [[nodiscard]] bool isActive() const { return m_tx.isActive(); }
    [[nodiscard]] const ApiError &error() const { return m_tx.error(); }
    [[nodiscard]] store::Store &store() { return m_engine.store; }
    [[nodiscard]] qint64 nowMs() const { return m_engine.clock.nowMs(); }
    [[nodiscard]] EngineContext &engine() { return m_engine; }

    /// Writes an event of the tenant's stream.
    Result<void> tenantEvent(const QString &tenantId, const QString &type, const QJsonObject &data);
    /// Writes an event of an activity's output stream.
    Result<void> activityEvent(
        const QString &tenantId, const QString &activityId, const QString &type, const QJsonObject &data);
    /// Enqueues a job in this transaction.
    Result<QString> enqueue(const jobs::NewJob &job);
    /// Commits, then announces.
    Result<void> commit();

private:
    Result<void> append(store::EventRecord event);

    EngineContext &m_engine;
    store::Transaction m_tx;
    QList<store::EventRecord> m_events;
    bool m_enqueued = false;
};

} // namespace lm::services
