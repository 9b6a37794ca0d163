// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/principal.h"
#include "core/result.h"

#include <string_view>

namespace lm::auth {

/// Verifies bearer tokens: the pipeline's authentication stage calls it on every request that
/// is not open. Implemented by AuthService; tests and fuzzers bring their own.
class Authenticator
{
public:
    virtual ~Authenticator() = default;
    /// The principal of a valid access token, as the account stands now (role, appAccess): 401
    /// for a bad or expired token, or an account or tenant that may no longer act.
    [[nodiscard]] virtual Result<Principal> authenticate(std::string_view accessToken) const = 0;
};

} // namespace lm::auth
