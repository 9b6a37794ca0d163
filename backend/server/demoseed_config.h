// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/clock.h"
#include "core/result.h"
#include "store/store.h"

namespace lm::auth {
class SecretBox;
}

namespace lm::server {

/// The demo's tenant configuration: per tenant more people of each role (password `demo-pass-2026`),
/// a pending invitation and a removed member, tenant skills beside the platform's global skills, and
/// integrations with sealed demo keys in each status. Runs inside the demo seed's transaction, after
/// the tenants, accounts and agents exist. Without a secret box no integration is seeded.
Result<void> seedConfigDemo(store::Store &store, const Clock &clock, const auth::SecretBox *secrets);

} // namespace lm::server
