// SPDX-License-Identifier: GPL-3.0-or-later
#include "eventrelay.h"

#include "core/logging.h"
#include "store/database.h"

#include <QEventLoop>
#include <QSqlDriver>
#include <QTimer>

namespace lm::events {

EventRelay::EventRelay(store::Database &db, store::EventRepository &events, Publish publish)
    : m_db(db)
    , m_events(events)
    , m_publish(std::move(publish))
{ }

EventRelay::~EventRelay()
{
    stop();
}

Result<void> EventRelay::start()
{
    auto last = m_events.lastSeq();
    if (!last.ok())
        return last.error();
    m_lastSeq = *last;
    m_thread.reset(QThread::create([this] {
        {
            // Scoped: the handle must be gone before the thread's connection is closed.
            QSqlDatabase connection = m_db.connection();
            if (!connection.isOpen()
                || !connection.driver()->subscribeToNotification(QLatin1String(kChannel)))
                qCWarning(lmServer) << "event relay: cannot LISTEN; falling back to polling every second";
            else
                QObject::connect(
                    connection.driver(), &QSqlDriver::notification, [this](const QString &) { drain(); });
            QTimer poll;
            poll.callOnTimeout([this] { drain(); });
            poll.start(1000);
            drain();
            QEventLoop loop;
            loop.exec();
            poll.stop();
            if (connection.isOpen())
                connection.driver()->unsubscribeFromNotification(QLatin1String(kChannel));
        }
        m_db.closeThreadConnection();
    }));
    m_thread->setObjectName(QStringLiteral("lm-event-relay"));
    m_thread->start();
    return {};
}

void EventRelay::stop()
{
    if (!m_thread)
        return;
    m_thread->quit();
    m_thread->wait();
    m_thread.reset();
}

void EventRelay::drain()
{
    while (true) {
        auto rows = m_events.allAfter(m_lastSeq.load(), 500);
        if (!rows.ok())
            return; // logged by the store; the next notification or poll tries again
        for (const auto &row : std::as_const(*rows)) {
            m_publish(row);
            m_lastSeq = row.seq;
        }
        if (rows->size() < 500)
            return;
    }
}

} // namespace lm::events
