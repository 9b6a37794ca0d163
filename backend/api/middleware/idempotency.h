// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "api/middleware/stage.h"

namespace lm {
class Clock;
}
namespace lm::store {
class Database;
}

namespace lm::api {

/// Stripe-style `Idempotency-Key` for the routes that switch on Stage::Idempotency (docs/api/dm.md
/// "Idempotency"): per user, keyed on method, path and body; the first answer is replayed with
/// `Idempotent-Replayed: true`, another request under the key is 422, one still running is 409.
/// Keys live in the database, so replays survive restarts and work across instances. A request
/// without the header runs as it is.
class IdempotencyStage final : public PipelineStage
{
public:
    static constexpr int kMaxKeyChars = 255;
    static constexpr qint64 kLifetimeMs = 24LL * 3600 * 1000;
    /// A key still "running" this long belongs to a request whose server died.
    static constexpr qint64 kStaleRunningMs = 2LL * 60 * 1000;

    IdempotencyStage(store::Database &db, const Clock &clock)
        : m_db(db)
        , m_clock(clock)
    { }

    Result<std::optional<HttpResponse>> before(RequestContext &ctx) override;
    void after(RequestContext &ctx, HttpResponse &response) override;

private:
    store::Database &m_db;
    const Clock &m_clock;
};

} // namespace lm::api
