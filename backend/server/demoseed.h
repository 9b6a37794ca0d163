// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/clock.h"
#include "core/result.h"
#include "jobs/jobqueue.h"
#include "store/store.h"

namespace lm::auth {
class SecretBox;
}

namespace lm::server {

/// The demo data of spec/leadmetrics-contract.md: two tenants and the six demo accounts (password
/// `demo-pass-2026`), and each tenant's engine data (DemoEngine). Seeds only an empty database,
/// so restarting with --demo changes nothing.
class DemoSeed
{
public:
    static constexpr const char *kPassword = "demo-pass-2026";

    /// True when it seeded; false when the database already had data.
    /// `withEngineData` false seeds only the tenants and accounts. `secrets` seals demo integration keys.
    static Result<bool> seedIfEmpty(store::Store &store, jobs::JobQueue &queue, const Clock &clock,
        bool withEngineData = true, const auth::SecretBox *secrets = nullptr);
};

} // namespace lm::server
