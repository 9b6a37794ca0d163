// SPDX-License-Identifier: GPL-3.0-or-later
// The request body of POST /dashboard/v1/approvals/:id/resolve, validated apart from the route so
// that the fuzzer (tests/fuzz) checks exactly what the route runs.
#pragma once

#include "core/result.h"
#include "services/approvalservice.h"

#include <string>

namespace lm::api::dashboard {

/// The decision of a resolve body (option trimmed); every problem listed at once (400). The
/// service checks what needs the approval itself (note length, pending, option).
Result<services::ApprovalDecision> parseResolveBody(const std::string &body);

} // namespace lm::api::dashboard
