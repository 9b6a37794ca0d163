// SPDX-License-Identifier: GPL-3.0-or-later
// The JSON bodies of the campaign and approval routes (parseBrief, parsePatch, parseResolveBody:
// exactly what POST/PATCH /campaigns and POST /approvals/:id/resolve run). The first byte picks the
// body kind; the rest is the body.
#include "api/handlers/dashboard/approvalbodies.h"
#include "api/handlers/dashboard/campaignbodies.h"
#include "fuzzcheck.h"

#include <cstddef>
#include <cstdint>

using namespace lm;

namespace {
/// A refused body is a 400 (or 422) with the envelope's details naming what is wrong.
void checkRefusal(const ApiError &error)
{
    LM_FUZZ_CHECK(error.code == ErrorCode::ValidationError || error.code == ErrorCode::Unprocessable);
    LM_FUZZ_CHECK(!error.details.isEmpty());
    for (const FieldIssue &issue : error.details)
        LM_FUZZ_CHECK(!issue.field.isEmpty() && !issue.issue.isEmpty());
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size == 0)
        return 0;
    const std::string body(reinterpret_cast<const char *>(data) + 1, size - 1);
    switch (data[0] % 3) {
    case 0: {
        const auto brief = api::dashboard::parseBrief(body);
        if (!brief.ok())
            return checkRefusal(brief.error()), 0;
        LM_FUZZ_CHECK(!brief->name.isEmpty() && brief->name.size() <= 200);
        LM_FUZZ_CHECK(!brief->deliverables.isEmpty() && brief->deliverables.size() <= 20);
        for (const auto &d : brief->deliverables)
            LM_FUZZ_CHECK(d.quantity >= 1 && d.quantity <= 100 && !d.type.isEmpty());
        if (brief->budgetCapMicros)
            LM_FUZZ_CHECK(*brief->budgetCapMicros >= 0);
        if (brief->startDate.isValid() && brief->endDate.isValid())
            LM_FUZZ_CHECK(brief->startDate <= brief->endDate);
        break;
    }
    case 1: {
        const auto patch = api::dashboard::parsePatch(body);
        if (!patch.ok())
            return checkRefusal(patch.error()), 0;
        if (patch->name)
            LM_FUZZ_CHECK(!patch->name->isEmpty() && patch->name->size() <= 200);
        if (patch->status)
            LM_FUZZ_CHECK(
                *patch->status == QLatin1String("paused") || *patch->status == QLatin1String("active"));
        break;
    }
    default: {
        const auto decision = api::dashboard::parseResolveBody(body);
        if (!decision.ok())
            return checkRefusal(decision.error()), 0;
        LM_FUZZ_CHECK(decision->resolution == QLatin1String("approved")
            || decision->resolution == QLatin1String("rejected")
            || decision->resolution == QLatin1String("revision_requested"));
        break;
    }
    }
    return 0;
}
