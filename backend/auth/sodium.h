// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

namespace lm::auth {

/// Initialises libsodium once (thread-safe); false when it cannot be used.
[[nodiscard]] bool ensureSodium();

} // namespace lm::auth
