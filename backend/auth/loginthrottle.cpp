// SPDX-License-Identifier: GPL-3.0-or-later
#include "loginthrottle.h"

namespace lm::auth {

namespace {
// Bounds memory under a flood of distinct keys: beyond this, the oldest-looking entries go first.
constexpr qsizetype kMaxKeys = 100000;
} // namespace

LoginThrottle::LoginThrottle(const Clock &clock, int maxFailures, qint64 windowMs)
    : m_clock(clock)
    , m_maxFailures(maxFailures)
    , m_windowMs(windowMs)
{ }

int LoginThrottle::retryAfterSeconds(const QString &key) const
{
    std::lock_guard lock(m_mutex);
    const auto it = m_failures.constFind(key);
    if (it == m_failures.constEnd())
        return 0;
    const qint64 now = m_clock.nowMs();
    QList<qint64> recent;
    for (qint64 t : *it) {
        if (now - t < m_windowMs)
            recent.append(t);
    }
    if (recent.size() < m_maxFailures)
        return 0;
    // The attempt becomes possible when enough failures have left the window.
    const qint64 freeAt = recent[recent.size() - m_maxFailures] + m_windowMs;
    return int(std::max<qint64>(1, (freeAt - now + 999) / 1000));
}

void LoginThrottle::recordFailure(const QString &key)
{
    std::lock_guard lock(m_mutex);
    const qint64 now = m_clock.nowMs();
    if (now - m_lastPruneMs > m_windowMs || m_failures.size() >= kMaxKeys)
        pruneLocked(now);
    auto &list = m_failures[key];
    list.append(now);
    while (list.size() > m_maxFailures * 2)
        list.removeFirst();
}

void LoginThrottle::reset(const QString &key)
{
    std::lock_guard lock(m_mutex);
    m_failures.remove(key);
}

void LoginThrottle::pruneLocked(qint64 now)
{
    m_lastPruneMs = now;
    for (auto it = m_failures.begin(); it != m_failures.end();) {
        if (it->isEmpty() || now - it->last() >= m_windowMs)
            it = m_failures.erase(it);
        else
            ++it;
    }
    // Still full of live keys (a flood): drop arbitrary ones rather than grow without end.
    while (m_failures.size() >= kMaxKeys)
        m_failures.erase(m_failures.begin());
}

} // namespace lm::auth
