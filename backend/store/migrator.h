// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/result.h"
#include "store/database.h"

#include <QList>

namespace lm::store {

/// One numbered migration file, e.g. `0001_foundation.sql`.
struct Migration
{
    int version = 0;
    QString name;
    QString sql;
};

/// Applies the numbered SQL migrations of the database's dialect, each in its own transaction that
/// also stamps `schema_migrations`, and refuses to touch a schema newer than this binary knows.
class Migrator
{
public:
    explicit Migrator(Database &db);
    /// Uses these migrations instead of the built-in ones (tests).
    Migrator(Database &db, QList<Migration> migrations);

    /// Brings the schema up to date. Safe to run from several processes at once.
    Result<void> migrate();
    /// The highest applied version (0 for an empty database), or an error.
    Result<int> currentVersion();
    [[nodiscard]] int latestVersion() const;

    /// The migrations compiled into the binary for a dialect (from the `:/migrations/` resources).
    static QList<Migration> builtIn(Dialect dialect);
    /// Splits a migration file into statements at `;` ending a line (bodies with inner `;` lines
    /// are not used in our migrations).
    static QStringList splitStatements(const QString &sql);

private:
    Result<void> ensureVersionTable();

    Database &m_db;
    QList<Migration> m_migrations;
};

} // namespace lm::store
