// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "store/databaseconfig.h"

#include <QTemporaryDir>

#include <memory>

namespace lm::test {

/// The dialect this test process runs on: LM_TEST_DIALECT=sqlite|postgres (ctest registers each
/// store and API test once per dialect).
[[nodiscard]] store::Dialect currentDialect();
[[nodiscard]] QString dialectName();

/// A fresh, empty database for one test: a SQLite file in a temporary dir, or a new database on
/// the PostgreSQL cluster named by LM_TEST_POSTGRES_DSN, dropped again at the end. Without that
/// variable a PostgreSQL test fails: it never skips.
class TestDatabase
{
public:
    TestDatabase();
    ~TestDatabase();
    TestDatabase(const TestDatabase &) = delete;
    TestDatabase &operator=(const TestDatabase &) = delete;

    /// Empty when the database could not be made; error() says why.
    [[nodiscard]] QString url() const { return m_url; }
    [[nodiscard]] QString error() const { return m_error; }
    [[nodiscard]] store::DatabaseConfig config() const;

private:
    QTemporaryDir m_dir;
    QString m_url;
    QString m_error;
    QString m_pgName;
    QString m_adminUrl;
};

} // namespace lm::test
