// SPDX-License-Identifier: GPL-3.0-or-later
// Last-Event-ID parsing (sse::parseLastEventId), the resume point of every event stream.
#include "api/sse/sseformat.h"
#include "fuzzcheck.h"

#include <cstddef>
#include <cstdint>
#include <string>

using namespace lm;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char *>(data), size);
    const auto seq = api::sse::parseLastEventId(text);
    if (!seq)
        return 0;
    // Accepted: decimal digits only, at most 19 of them, naming a non-negative int64 that reads
    // back as the same number.
    LM_FUZZ_CHECK(!text.empty() && text.size() <= 19);
    for (const char c : text)
        LM_FUZZ_CHECK(c >= '0' && c <= '9');
    LM_FUZZ_CHECK(*seq >= 0);
    LM_FUZZ_CHECK(std::stoll(std::string(text)) == *seq);
    return 0;
}
