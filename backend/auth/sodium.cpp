// SPDX-License-Identifier: GPL-3.0-or-later
#include "sodium.h"

#include <sodium.h>

namespace lm::auth {

bool ensureSodium()
{
    static const bool ok = sodium_init() >= 0;
    return ok;
}

} // namespace lm::auth
