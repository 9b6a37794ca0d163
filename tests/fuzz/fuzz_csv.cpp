// SPDX-License-Identifier: GPL-3.0-or-later
// The CSV lead import: the upload's check (LeadImporter::countRows) and the job's parse and per-row
// check (parseCsv, CsvColumns::fromHeader, leadFromRow).
#include "fuzzcheck.h"
#include "services/leadimport.h"

#include <cstddef>
#include <cstdint>

using namespace lm;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray content(reinterpret_cast<const char *>(data), qsizetype(size));
    const auto rows = services::LeadImporter::countRows(content);
    const QList<services::CsvRecord> records = services::parseCsv(content);
    if (rows.ok())
        LM_FUZZ_CHECK(*rows == records.size() - 1);
    else
        LM_FUZZ_CHECK(rows.error().code == ErrorCode::ValidationError);
    int previousRow = 0;
    for (const services::CsvRecord &r : records) {
        // Spreadsheet row numbers: increasing, and never beyond the number of lines.
        LM_FUZZ_CHECK(r.row > previousRow);
        LM_FUZZ_CHECK(r.row <= content.count('\n') + content.count('\r') + 1);
        previousRow = r.row;
    }
    if (records.isEmpty())
        return 0;
    const auto columns = services::CsvColumns::fromHeader(records.first().fields);
    const int columnCount = int(records.first().fields.size());
    for (qsizetype i = 1; i < records.size(); ++i) {
        store::Lead lead;
        const auto why = services::leadFromRow(records[i], columns, columnCount, lead);
        if (!why) {
            // A row that makes a lead names one within the limits.
            LM_FUZZ_CHECK(!lead.firstName.isEmpty() && !lead.lastName.isEmpty());
            LM_FUZZ_CHECK(lead.firstName.size() <= services::LeadRules::kMaxName);
        }
    }
    return 0;
}
