// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/clock.h"

#include <QHash>
#include <QList>

#include <mutex>

namespace lm::auth {

/// Counts failed attempts per key (e-mail + client ip for logins, user for MFA codes) in a sliding
/// window; past the maximum, further attempts wait. In memory, per process: with several server
/// instances each enforces the limit on its own (docs/security.md).
class LoginThrottle
{
public:
    explicit LoginThrottle(const Clock &clock, int maxFailures = 5, qint64 windowMs = 60000);

    /// Seconds until the next attempt may be made; 0 when it may be made now.
    [[nodiscard]] int retryAfterSeconds(const QString &key) const;
    void recordFailure(const QString &key);
    void reset(const QString &key);

private:
    void pruneLocked(qint64 now);

    const Clock &m_clock;
    int m_maxFailures;
    qint64 m_windowMs;
    mutable std::mutex m_mutex;
    QHash<QString, QList<qint64>> m_failures;
    qint64 m_lastPruneMs = 0;
};

} // namespace lm::auth
