// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "api/streaming.h"

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace lm::api::sse {

/// Sends `: ping` to every registered stream on one shared timer (one thread for all streams, not
/// a timer per stream), so proxies and clients see traffic on idle streams. Streams are held
/// weakly and forgotten once closed.
class SsePinger
{
public:
    explicit SsePinger(std::chrono::milliseconds interval);
    ~SsePinger();
    SsePinger(const SsePinger &) = delete;
    SsePinger &operator=(const SsePinger &) = delete;

    /// Pings this stream from the next tick on.
    void add(const std::shared_ptr<StreamChannel> &channel);
    /// Streams registered and still open.
    [[nodiscard]] std::size_t streamCount() const;
    /// Pings every open stream now (ticks call it; tests may too).
    void pingAll();
    [[nodiscard]] std::chrono::milliseconds interval() const { return m_interval; }

private:
    void run();

    const std::chrono::milliseconds m_interval;
    const std::shared_ptr<const std::string> m_ping;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::vector<std::weak_ptr<StreamChannel>> m_streams;
    bool m_stopping = false;
    std::thread m_thread;
};

} // namespace lm::api::sse
