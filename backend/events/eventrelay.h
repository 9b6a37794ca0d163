// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/result.h"
#include "store/eventrepository.h"

#include <QThread>

#include <atomic>
#include <functional>
#include <memory>

namespace lm::store {
class Database;
}

namespace lm::events {

/// Carries committed events from the shared PostgreSQL event log to this instance's hub, so the
/// SSE clients of every instance see every instance's events live. Writers NOTIFY `lm_events` in
/// their transaction (delivered at commit); the relay LISTENs on its own thread and connection and
/// publishes the rows after the last one it saw, in seq order — which is commit order, because
/// event writers take turns on an advisory lock. A poll every second covers a lost notification.
class EventRelay
{
public:
    static constexpr const char *kChannel = "lm_events";

    using Publish = std::function<void(const store::EventRecord &)>;
    EventRelay(store::Database &db, store::EventRepository &events, Publish publish);
    ~EventRelay();
    EventRelay(const EventRelay &) = delete;
    EventRelay &operator=(const EventRelay &) = delete;

    /// Starts after the newest event now in the log.
    Result<void> start();
    void stop();

private:
    void drain();

    store::Database &m_db;
    store::EventRepository &m_events;
    Publish m_publish;
    std::unique_ptr<QThread> m_thread;
    std::atomic<qint64> m_lastSeq {0};
};

} // namespace lm::events
