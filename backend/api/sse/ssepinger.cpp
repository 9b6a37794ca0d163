// SPDX-License-Identifier: GPL-3.0-or-later
#include "ssepinger.h"

#include "api/sse/sseformat.h"

#include <algorithm>

namespace lm::api::sse {

SsePinger::SsePinger(std::chrono::milliseconds interval)
    : m_interval(std::max(interval, std::chrono::milliseconds(10)))
    , m_ping(std::make_shared<const std::string>(pingComment()))
{
    m_thread = std::thread([this] { run(); });
}

SsePinger::~SsePinger()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    m_thread.join();
}

void SsePinger::add(const std::shared_ptr<StreamChannel> &channel)
{
    std::lock_guard lock(m_mutex);
    m_streams.push_back(channel);
}

std::size_t SsePinger::streamCount() const
{
    std::lock_guard lock(m_mutex);
    return std::size_t(std::count_if(m_streams.begin(), m_streams.end(), [](const auto &weak) {
        const auto channel = weak.lock();
        return channel && channel->isOpen();
    }));
}

void SsePinger::pingAll()
{
    // Snapshot under the lock, send outside it: a send only queues, but 10,000 of them should not
    // keep add() waiting.
    std::vector<std::shared_ptr<StreamChannel>> live;
    {
        std::lock_guard lock(m_mutex);
        live.reserve(m_streams.size());
        auto keep = m_streams.begin();
        for (auto &weak : m_streams) {
            auto channel = weak.lock();
            if (!channel || !channel->isOpen())
                continue;
            live.push_back(std::move(channel));
            *keep++ = std::move(weak);
        }
        m_streams.erase(keep, m_streams.end());
    }
    for (const auto &channel : live)
        (void)channel->send(m_ping);
}

void SsePinger::run()
{
    std::unique_lock lock(m_mutex);
    while (!m_stopping) {
        if (m_wake.wait_for(lock, m_interval, [this] { return m_stopping; }))
            break;
        lock.unlock();
        pingAll();
        lock.lock();
    }
}

} // namespace lm::api::sse
