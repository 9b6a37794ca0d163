// SPDX-License-Identifier: GPL-3.0-or-later
#include "auth/sodium.h"

#include <sodium.h>

namespace lm::auth {

bool ensureSodium()
{
    // A function-local static is initialised exactly once, even with concurrent callers.
    // sodium_init() returns 1 when already initialised, which is fine too.
    static const bool ok = sodium_init() >= 0;
    return ok;
}

} // namespace lm::auth
