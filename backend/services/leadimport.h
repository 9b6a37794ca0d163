// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "jobs/jobqueue.h"
#include "services/engine.h"
#include "store/leadrepository.h"

#include <QByteArrayView>
#include <QStringList>

namespace lm::services {

/// The lead rules shared by the lead routes and the CSV import.
namespace LeadRules {
inline constexpr int kMaxName = 100;
inline constexpr int kMaxEmail = 254;
inline constexpr int kMaxPhone = 50;
inline constexpr int kMaxCompany = 200;
inline constexpr int kMaxSourceRef = 200;
inline constexpr int kMaxTag = 50;
inline constexpr int kMaxTags = 20;
inline constexpr int kMaxNotes = 5000;
/// Spec: filter.status.
[[nodiscard]] const QStringList &statuses();
/// Spec: filter.source.
[[nodiscard]] const QStringList &sources();
/// A plausible address: one '@', something before it, a dot in the domain, no spaces.
[[nodiscard]] bool validEmail(const QString &email);
} // namespace LeadRules

/// One record of a CSV file.
struct CsvRecord
{
    int row = 0; ///< 1-based record number; the header is row 1 (as a spreadsheet shows it)
    QStringList fields;
    bool unterminated = false; ///< a quoted field ran to the end of the file
};

/// RFC 4180 CSV: comma-separated, fields in double quotes may hold commas, line breaks and doubled
/// quotes; CRLF or LF line ends; a UTF-8 BOM is dropped; blank lines are skipped (they keep their number).
[[nodiscard]] QList<CsvRecord> parseCsv(QByteArrayView content);

/// Which column holds which lead field, from the header row (names compared case-insensitively,
/// ignoring spaces, '_' and '-').
struct CsvColumns
{
    int firstName = -1;
    int lastName = -1;
    int name = -1; ///< a full name, split at its first space when first/last are absent
    int email = -1;
    int phone = -1;
    int company = -1;
    int status = -1;
    int score = -1;
    int tags = -1; ///< separated by ';' or '|'
    int sourceRef = -1;
    int notes = -1;

    [[nodiscard]] static CsvColumns fromHeader(const QStringList &header);
    /// A name (first and last, or full) is required to make a lead.
    [[nodiscard]] bool usable() const { return name >= 0 || (firstName >= 0 && lastName >= 0); }
};

/// The lead of one data row (the import job's check of every row), or why it cannot be one.
[[nodiscard]] std::optional<QString> leadFromRow(
    const CsvRecord &r, const CsvColumns &cols, int columnCount, store::Lead &lead);

/// CSV lead imports (POST /leads/import): the route checks and stores the file, the job imports it.
class LeadImporter
{
public:
    /// The durable job that imports one file: {importId}.
    static inline const QString kJobKind = QStringLiteral("import_leads");
    /// Row errors kept per import (the rest are counted in the row numbers only of the first ones).
    static constexpr int kMaxErrors = 1000;

    /// Data rows of a file whose header is usable; 400 VALIDATION_ERROR on `file` otherwise
    /// (`empty`, `missing_columns`).
    [[nodiscard]] static Result<int> countRows(QByteArrayView content);
    /// The job: imports every good row in one transaction, skips duplicate e-mails (within the file
    /// and against the tenant's leads), records row errors, and completes the import. Running it
    /// again after it completed changes nothing. On its last attempt a failure marks the import failed.
    [[nodiscard]] static Result<void> run(EngineContext &engine, const jobs::Job &job);
};

} // namespace lm::services
