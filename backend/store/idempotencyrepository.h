// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/result.h"
#include "store/database.h"

namespace lm::store {

/// What claiming an idempotency key found.
struct IdempotencyClaim
{
    enum class Kind
    {
        Acquired, ///< the key is new (or expired): the caller runs the request and finishes it
        Replay, ///< answered before with the same request: send `status` and `body` again
        Mismatch, ///< the key was used with another request
        InFlight, ///< the first request with the key is still running
    };
    Kind kind = Kind::Acquired;
    int status = 0;
    std::string body;
};

/// Idempotency keys per user (table idempotency_keys, migration 0008).
class IdempotencyRepository
{
public:
    explicit IdempotencyRepository(Database &db)
        : m_db(db)
    { }

    /// Claims `key` of `userId` for a request with fingerprint `hash`. Expired keys are purged
    /// first; a key still running after `staleRunningMs` (its server died) may be claimed anew.
    Result<IdempotencyClaim> claim(const QString &userId, const QString &key, const QString &hash,
        qint64 nowMs, qint64 lifetimeMs, qint64 staleRunningMs);
    /// Stores the answer of a claimed key.
    Result<void> finish(const QString &userId, const QString &key, int status, const std::string &body);
    /// Forgets a claimed key (the request failed in a way a retry may fix).
    Result<void> release(const QString &userId, const QString &key);

private:
    Database &m_db;
};

} // namespace lm::store
