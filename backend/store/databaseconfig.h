// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/result.h"

#include <QString>

namespace lm::store {

enum class Dialect
{
    Sqlite,
    Postgres
};

/// Where the store lives, parsed from `sqlite:PATH` or `postgres://user:pass@host:port/dbname`.
struct DatabaseConfig
{
    Dialect dialect = Dialect::Sqlite;
    QString sqlitePath; ///< SQLite file (":memory:" is refused: every thread needs the same database)
    QString host;
    int port = 5432;
    QString user;
    QString password;
    QString databaseName;

    /// Parses a --database / LEADMETRICS_DATABASE URL.
    static Result<DatabaseConfig> fromUrl(const QString &url);
    /// The same URL with the password masked, for logs.
    [[nodiscard]] QString redactedUrl() const;
};

} // namespace lm::store
