// SPDX-License-Identifier: GPL-3.0-or-later
#include "streamowners.h"

#include <QHash>

#include <algorithm>

namespace lm::api::sse {

namespace {
bool isGone(const std::weak_ptr<StreamChannel> &held)
{
    const auto channel = held.lock();
    return !channel || !channel->isOpen();
}
} // namespace

StreamOwners::~StreamOwners()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable())
        m_thread.join();
}

void StreamOwners::add(Owner owner, const std::shared_ptr<StreamChannel> &channel)
{
    std::lock_guard lock(m_mutex);
    // Closed streams are dropped whenever the list has doubled since the last sweep (and by every
    // check), so it stays near the open ones at an amortised constant cost per stream.
    if (m_streams.size() >= 2 * m_sweptSize + 64) {
        std::erase_if(m_streams, [](const Held &h) { return isGone(h.channel); });
        m_sweptSize = m_streams.size();
    }
    m_streams.push_back({std::move(owner), channel});
}

int StreamOwners::closeRefused(const Check &check)
{
    std::vector<Held> held;
    {
        std::lock_guard lock(m_mutex);
        std::erase_if(m_streams, [](const Held &h) { return isGone(h.channel); });
        m_sweptSize = m_streams.size();
        held = m_streams;
    }
    // Checked outside the lock (a check may read the database); one answer per user and route.
    QHash<QString, bool> allowed;
    int closed = 0;
    for (const Held &h : held) {
        const QString key = h.owner.userId + QLatin1Char('|') + QString::number(int(h.owner.access.kind()))
            + QLatin1Char('|') + QString::number(int(h.owner.access.surfaceValue()));
        auto it = allowed.constFind(key);
        if (it == allowed.constEnd())
            it = allowed.insert(key, check(h.owner));
        if (*it)
            continue;
        if (auto channel = h.channel.lock(); channel && channel->isOpen()) {
            channel->close();
            ++closed;
        }
    }
    return closed;
}

void StreamOwners::watch(Check check, std::chrono::milliseconds interval)
{
    m_thread = std::thread([this, check = std::move(check), interval] { run(check, interval); });
}

void StreamOwners::changed()
{
    {
        std::lock_guard lock(m_mutex);
        m_changed = true;
    }
    m_wake.notify_all();
}

std::size_t StreamOwners::size() const
{
    std::lock_guard lock(m_mutex);
    return std::size_t(
        std::count_if(m_streams.begin(), m_streams.end(), [](const Held &h) { return !isGone(h.channel); }));
}

void StreamOwners::run(Check check, std::chrono::milliseconds interval)
{
    std::unique_lock lock(m_mutex);
    while (!m_stopping) {
        const auto woken = [this] { return m_stopping || m_changed; };
        if (interval.count() > 0)
            m_wake.wait_for(lock, interval, woken);
        else
            m_wake.wait(lock, woken);
        if (m_stopping)
            break;
        m_changed = false;
        const bool any = !m_streams.empty();
        lock.unlock();
        if (any)
            (void)closeRefused(check);
        lock.lock();
    }
}

} // namespace lm::api::sse
