// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/roles.h"

#include <QString>

namespace lm {

/// Who is calling, as proven by a verified access token.
struct Principal
{
    QString userId;
    QString tenantId; ///< empty for platform accounts
    Role role = Role::Member;
    SurfaceSet appAccess;
    QString tokenId; ///< the access token's jti
    QString impersonatorId; ///< the super-admin acting as this user, if any
    QString runId; ///< set for an agent runtime's run token (/agent/v1): the run it proved

    [[nodiscard]] bool isPlatform() const { return tenantId.isEmpty(); }
};

} // namespace lm
