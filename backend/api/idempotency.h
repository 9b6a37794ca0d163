// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "api/router.h"

namespace lm {
class Clock;
}
namespace lm::store {
class Database;
}

namespace lm::api {

/// Stripe-style `Idempotency-Key` for a route that opts in (docs/api/dm.md "Idempotency"): per
/// user, keyed on method, path and body; the first answer is replayed with
/// `Idempotent-Replayed: true`, another request under the key is 422, one still running is 409.
/// Keys live in the database, so replays survive restarts and work across instances.
class Idempotency
{
public:
    static constexpr int kMaxKeyChars = 255;
    static constexpr qint64 kLifetimeMs = 24LL * 3600 * 1000;
    /// A key still "running" this long belongs to a request whose server died.
    static constexpr qint64 kStaleRunningMs = 2LL * 60 * 1000;

    Idempotency(store::Database &db, const Clock &clock)
        : m_db(db)
        , m_clock(clock)
    { }

    /// `handler` honouring the header; without it the handler runs as it is. Needs a principal.
    [[nodiscard]] RouteHandler wrap(RouteHandler handler) const;

private:
    store::Database &m_db;
    const Clock &m_clock;
};

} // namespace lm::api
