// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/clock.h"
#include "core/result.h"
#include "store/store.h"

namespace lm::server {

/// The demo data of spec/leadmetrics-contract.md: two tenants and the six demo accounts (password
/// `demo-pass-2026`). Seeds only an empty database, so restarting with --demo changes nothing.
class DemoSeed
{
public:
    static constexpr const char *kPassword = "demo-pass-2026";

    /// True when it seeded; false when the database already had data.
    static Result<bool> seedIfEmpty(store::Store &store, const Clock &clock);
};

} // namespace lm::server
