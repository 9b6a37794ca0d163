// SPDX-License-Identifier: GPL-3.0-or-later
// multipart/form-data parsing (MultipartForm::parse: skill uploads and lead imports).
// Input: the Content-Type header, a newline, then the body.
#include "api/multipart.h"
#include "fuzzcheck.h"

#include <cstddef>
#include <cstdint>

using namespace lm;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::string_view input(reinterpret_cast<const char *>(data), size);
    const auto newline = input.find('\n');
    const std::string_view contentType = newline == std::string_view::npos ? input : input.substr(0, newline);
    const std::string_view body
        = newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);
    // Copied so that ASan sees any read past the body's end.
    const std::string owned(body);
    const int maxParts = 8; // the lead import's limit
    const auto form = api::MultipartForm::parse(contentType, owned, maxParts);
    if (!form.ok()) {
        LM_FUZZ_CHECK(form.error().code == ErrorCode::ValidationError);
        return 0;
    }
    LM_FUZZ_CHECK(form->parts().size() <= std::size_t(maxParts));
    for (const api::MultipartPart &part : form->parts()) {
        // Every part's data lies inside the body.
        LM_FUZZ_CHECK(part.data.data() >= owned.data());
        LM_FUZZ_CHECK(part.data.data() + part.data.size() <= owned.data() + owned.size());
        (void)form->text(part.name);
    }
    (void)api::headerParameter(contentType, "boundary");
    return 0;
}
