// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine.h"

#include <QJsonDocument>

namespace lm::services {

Result<void> UnitOfWork::append(store::EventRecord event)
{
    event.createdAtMs = nowMs();
    if (auto r = m_engine.store.events.append(event); !r.ok())
        return r;
    m_events.append(std::move(event));
    return {};
}

Result<void> UnitOfWork::tenantEvent(const QString &tenantId, const QString &type, const QJsonObject &data)
{
    store::EventRecord e;
    e.tenantId = tenantId;
    e.topic = QStringLiteral("tenant");
    e.type = type;
    e.data = QJsonDocument(data).toJson(QJsonDocument::Compact);
    return append(std::move(e));
}

Result<void> UnitOfWork::activityEvent(
    const QString &tenantId, const QString &activityId, const QString &type, const QJsonObject &data)
{
    store::EventRecord e;
    e.tenantId = tenantId;
    e.topic = QStringLiteral("activity");
    e.activityId = activityId;
    e.type = type;
    e.data = QJsonDocument(data).toJson(QJsonDocument::Compact);
    return append(std::move(e));
}

Result<QString> UnitOfWork::enqueue(const jobs::NewJob &job)
{
    auto id = m_engine.queue.enqueue(job);
    if (id.ok())
        m_enqueued = true;
    return id;
}

Result<void> UnitOfWork::commit()
{
    if (m_engine.publishThroughRelay && !m_events.isEmpty()) {
        // NOTIFY is transactional: every instance's relay hears it when (and only if) this commits.
        auto notify = m_engine.store.db().query(QStringLiteral("SELECT pg_notify('lm_events', '')"));
        if (auto r = notify.exec(); !r.ok())
            return r;
    }
    const bool publish = m_engine.publish && !m_engine.publishThroughRelay && !m_events.isEmpty();
    std::unique_lock order(*m_engine.publishOrder, std::defer_lock);
    if (publish)
        order.lock();
    if (auto r = m_tx.commit(); !r.ok())
        return r;
    if (publish) {
        for (const auto &e : std::as_const(m_events))
            m_engine.publish(e);
        order.unlock();
    }
    m_events.clear();
    if (m_enqueued && m_engine.wakeWorkers)
        m_engine.wakeWorkers();
    return {};
}

} // namespace lm::services
