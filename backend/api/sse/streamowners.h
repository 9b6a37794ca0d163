// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "api/router.h"
#include "api/streaming.h"

#include <QString>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace lm::api::sse {

/// Who holds each open SSE stream, so that a stream whose owner may no longer call its route —
/// removed from the tenant, demoted, their tenant suspended — is closed at once rather than left
/// streaming on an authorisation that ended. A watcher thread checks the owners when told that
/// accounts changed (this process) and, with several instances, every `interval` (changes made
/// by another instance).
class StreamOwners
{
public:
    struct Owner
    {
        QString userId;
        QString tenantId;
        AccessPolicy access; ///< the policy of the route that opened the stream
    };
    /// Whether the owner may still hold a stream of their route, as their account stands now.
    using Check = std::function<bool(const Owner &)>;

    StreamOwners() = default;
    ~StreamOwners();
    StreamOwners(const StreamOwners &) = delete;
    StreamOwners &operator=(const StreamOwners &) = delete;

    /// Remembers the stream's owner until the stream closes.
    void add(Owner owner, const std::shared_ptr<StreamChannel> &channel);
    /// Closes every stream whose owner fails `check` (each user checked once); returns how many.
    int closeRefused(const Check &check);
    /// Starts the watcher thread that runs closeRefused(check) on changed() and every `interval`
    /// (0: on changed() only — one instance sees every change it makes).
    void watch(Check check, std::chrono::milliseconds interval);
    /// Accounts changed: the watcher checks the owners now. Cheap; any thread.
    void changed();
    /// Streams with a known owner, still open.
    [[nodiscard]] std::size_t size() const;

private:
    struct Held
    {
        Owner owner;
        std::weak_ptr<StreamChannel> channel;
    };
    void run(Check check, std::chrono::milliseconds interval);

    mutable std::mutex m_mutex;
    std::vector<Held> m_streams;
    std::size_t m_sweptSize = 0; ///< m_streams.size() after the last sweep of closed streams
    std::condition_variable m_wake;
    bool m_changed = false;
    bool m_stopping = false;
    std::thread m_thread;
};

} // namespace lm::api::sse
