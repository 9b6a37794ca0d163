// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/result.h"

#include <QString>

#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace lm::store {

/// A statement on this thread's SQLite connection through SQLite's own API, for the few hot reads
/// where Qt Sql's per-value QVariant and UTF-16 round trip cost more than the query (the approval
/// queue's page). Texts come back as UTF-8 views, valid until the next step(). Prepared once per
/// connection (Database::raw() caches it); reset and unbound when this goes out of scope.
class RawStatement
{
public:
    RawStatement() = default;
    RawStatement(sqlite3_stmt *statement, QString error);
    ~RawStatement();
    RawStatement(RawStatement &&other) noexcept;
    RawStatement(const RawStatement &) = delete;
    RawStatement &operator=(const RawStatement &) = delete;
    RawStatement &operator=(RawStatement &&) = delete;

    [[nodiscard]] bool isValid() const { return m_statement != nullptr; }
    RawStatement &bind(const QString &value);
    RawStatement &bind(qint64 value);
    /// The next row: true while there is one; false at the end or on an error (see error()).
    bool step();
    /// Why the statement failed (preparing or stepping), as INTERNAL.
    [[nodiscard]] Result<void> status() const;

    [[nodiscard]] bool isNull(int column) const;
    [[nodiscard]] std::string_view text(int column) const; ///< empty for NULL
    [[nodiscard]] qint64 int64(int column) const;

private:
    sqlite3_stmt *m_statement = nullptr;
    int m_nextParameter = 1;
    QString m_error;
};

} // namespace lm::store
