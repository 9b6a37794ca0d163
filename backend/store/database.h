// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/result.h"
#include "store/databaseconfig.h"
#include "store/sqliteraw.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QVariant>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>

namespace lm::store {

class SqlQuery;

/// The store's database: one Qt Sql connection per thread (Qt Sql connections may only be used by
/// the thread that opened them), opened on first use, each with its own cache of prepared statements.
class Database
{
public:
    explicit Database(DatabaseConfig config);
    ~Database();
    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;

    [[nodiscard]] Dialect dialect() const { return m_config.dialect; }
    [[nodiscard]] const DatabaseConfig &config() const { return m_config; }

    /// Opens this thread's connection (if needed) and checks it answers.
    Result<void> ping();
    /// A prepared statement from this thread's cache, ready for binding.
    SqlQuery query(const QString &sql);
    /// This thread's statement for `sql` through SQLite's own API (see RawStatement); invalid on
    /// PostgreSQL. For hot reads only: everything else goes through query().
    RawStatement raw(const std::string &sql);
    /// Runs a statement that takes no parameters and returns nothing (DDL, pragmas).
    Result<void> exec(const QString &sql);
    /// This thread's connection; invalid (with an error logged) when it cannot be opened.
    QSqlDatabase connection();
    /// Drops this thread's connection (tests that simulate a lost connection, shutdown).
    void closeThreadConnection();

    /// Marks that this thread's write changes who may do what: a user's role, status or
    /// appAccess, or a tenant's status. Once it commits (at once outside a transaction) the
    /// accounts generation moves on, so cached account states are read again.
    void noteAccountsChanged();
    /// Moves on with every committed account change of this process.
    [[nodiscard]] quint64 accountsGeneration() const
    {
        return m_accountsGeneration.load(std::memory_order_acquire);
    }
    /// Called after each committed account change, on the committing thread (set before use).
    void setAccountsChangedHook(std::function<void()> hook) { m_accountsChangedHook = std::move(hook); }

    /// A thread's open connection and its prepared statements (internal; public for the thread-local map).
    struct ThreadConnection;

private:
    friend class Transaction;
    ThreadConnection *threadConnection();
    void accountsChanged();

    DatabaseConfig m_config;
    quint64 m_instanceId;
    std::atomic<quint64> m_accountsGeneration {0};
    std::function<void()> m_accountsChangedHook;
};

/// A prepared statement with positional `?` parameters. Finishes the statement when it goes out
/// of scope, so the cached statement can be reused at once.
class SqlQuery
{
public:
    SqlQuery(QSqlQuery *query, QString sql);
    ~SqlQuery();
    SqlQuery(SqlQuery &&other) noexcept;
    SqlQuery(const SqlQuery &) = delete;
    SqlQuery &operator=(const SqlQuery &) = delete;
    SqlQuery &operator=(SqlQuery &&) = delete;

    /// Appends a positional value.
    SqlQuery &bind(const QVariant &value);
    SqlQuery &bindNullableString(const QString &value); ///< empty → NULL
    SqlQuery &bindNullableInt(std::optional<qint64> value); ///< nullopt → NULL
    /// Runs the statement; errors are logged (without bound values) and returned as INTERNAL.
    Result<void> exec();
    bool next() { return m_query && m_query->next(); }
    [[nodiscard]] QVariant value(int column) const { return m_query->value(column); }
    [[nodiscard]] QString string(int column) const { return m_query->value(column).toString(); }
    [[nodiscard]] qint64 int64(int column) const { return m_query->value(column).toLongLong(); }
    [[nodiscard]] bool boolean(int column) const { return m_query->value(column).toBool(); }
    [[nodiscard]] bool isNull(int column) const { return m_query->isNull(column); }
    /// NULL → nullopt.
    [[nodiscard]] std::optional<qint64> optionalInt64(int column) const
    {
        return isNull(column) ? std::nullopt : std::optional<qint64>(int64(column));
    }
    [[nodiscard]] int rowsAffected() const { return m_query ? m_query->numRowsAffected() : -1; }

private:
    QSqlQuery *m_query;
    QString m_sql;
};

/// `?, ?, …` with `count` placeholders, for `IN (…)` lists.
[[nodiscard]] inline QString sqlPlaceholders(qsizetype count)
{
    QString out;
    out.reserve(count * 3);
    for (qsizetype i = 0; i < count; ++i)
        out += i == 0 ? QStringLiteral("?") : QStringLiteral(", ?");
    return out;
}

/// A write transaction on this thread's connection; rolls back unless committed.
/// On SQLite it takes the write lock up front (BEGIN IMMEDIATE) so two writers never deadlock
/// upgrading read locks; the busy timeout then makes them wait their turn.
class Transaction
{
public:
    explicit Transaction(Database &db);
    ~Transaction();
    Transaction(const Transaction &) = delete;
    Transaction &operator=(const Transaction &) = delete;

    /// False when BEGIN failed; error() says why.
    [[nodiscard]] bool isActive() const { return m_active; }
    [[nodiscard]] const ApiError &error() const { return m_error; }
    Result<void> commit();
    void rollback();

private:
    Database &m_db;
    bool m_active = false;
    ApiError m_error;
};

} // namespace lm::store
