// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/result.h"
#include "store/approvalrepository.h"
#include "store/store.h"

#include <QJsonValue>

namespace lm::api::dm {

/// The `budget` of a DM approval detail: its campaign's cap, spend so far (all of the campaign's
/// runs, and those of the approval's own activities) and projected spend once the campaign's open
/// activities are done; null when the approval belongs to no campaign. Reads only the approval's
/// tenant. Rules: docs/api/dm.md.
[[nodiscard]] Result<QJsonValue> approvalBudgetJson(store::Store &store, const store::Approval &approval);

} // namespace lm::api::dm
