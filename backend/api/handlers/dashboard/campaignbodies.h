// SPDX-License-Identifier: GPL-3.0-or-later
// The request bodies of /dashboard/v1/campaigns, validated apart from the routes so that the fuzzer
// (tests/fuzz) checks exactly what the routes run.
#pragma once

#include "core/result.h"
#include "services/campaignservice.h"

#include <string>

namespace lm::api::dashboard {

/// POST /campaigns: a brief, every problem listed at once (400 VALIDATION_ERROR).
Result<services::NewCampaign> parseBrief(const std::string &body);
/// PATCH /campaigns/:id: the fields sent; deliverables are refused (422).
Result<services::CampaignPatch> parsePatch(const std::string &body);

} // namespace lm::api::dashboard
