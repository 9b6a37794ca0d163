// SPDX-License-Identifier: GPL-3.0-or-later
#include "sselimiter.h"

#include <QHash>

#include <atomic>
#include <mutex>

namespace lm::api::sse {

struct SseLimiter::State
{
    mutable std::mutex mutex;
    QHash<QString, int> open;
    std::atomic<int> maxPerUser {10};

    void release(const QString &userKey)
    {
        std::lock_guard lock(mutex);
        const auto it = open.find(userKey);
        if (it == open.end())
            return;
        if (--it.value() <= 0)
            open.erase(it);
    }
};

SseLimiter::SseLimiter(int maxPerUser)
    : m_state(std::make_shared<State>())
{
    setMaxPerUser(maxPerUser);
}

SseLimiter::~SseLimiter() = default;

Result<SseLimiter::Slot> SseLimiter::acquire(const QString &userKey)
{
    {
        std::lock_guard lock(m_state->mutex);
        int &count = m_state->open[userKey];
        if (count >= m_state->maxPerUser.load()) {
            if (count == 0)
                m_state->open.remove(userKey);
            return ApiError {ErrorCode::RateLimited,
                QStringLiteral("At most %1 event streams may be open per user")
                    .arg(m_state->maxPerUser.load()),
                {}};
        }
        ++count;
    }
    // The deleter frees the slot; it holds the state weakly so a slot may outlive the limiter.
    std::weak_ptr<State> weak = m_state;
    return Slot(static_cast<void *>(nullptr), [weak, userKey](void *) {
        if (auto state = weak.lock())
            state->release(userKey);
    });
}

int SseLimiter::openFor(const QString &userKey) const
{
    std::lock_guard lock(m_state->mutex);
    return m_state->open.value(userKey, 0);
}

int SseLimiter::maxPerUser() const
{
    return m_state->maxPerUser.load();
}

void SseLimiter::setMaxPerUser(int maxPerUser)
{
    m_state->maxPerUser = std::max(1, maxPerUser);
}

} // namespace lm::api::sse
