// SPDX-License-Identifier: GPL-3.0-or-later
// Cursor decoding (CursorCodec::decode, what every list route calls on ?cursor=).
#include "api/cursor.h"
#include "fuzzcheck.h"

#include <cstddef>
#include <cstdint>

using namespace lm;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    // The route hands over the decoded query parameter: any UTF-8 (invalid bytes become U+FFFD).
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    const auto decoded = api::CursorCodec::decode(text);
    if (!decoded.ok()) {
        LM_FUZZ_CHECK(decoded.error().code == ErrorCode::ValidationError);
        return 0;
    }
    // A cursor that decodes names a position that survives a round trip.
    const auto again = api::CursorCodec::decode(api::CursorCodec::encode(*decoded));
    LM_FUZZ_CHECK(again.ok());
    LM_FUZZ_CHECK(again->lastId == decoded->lastId && again->descending == decoded->descending);
    return 0;
}
