// SPDX-License-Identifier: GPL-3.0-or-later
#include "database.h"

#include "core/logging.h"
#include "store/sqliteraw.h"

#include <QHash>
#include <QSqlDriver>
#include <QSqlError>
#include <QThread>

#include <sqlite3.h>

#include <unordered_map>

namespace lm::store {

namespace {
std::atomic<quint64> s_nextInstanceId {1};
std::atomic<quint64> s_nextConnectionId {1};
} // namespace

/// A thread's connection to one Database, with its prepared statements. Lives in a thread_local
/// map and is closed when the thread ends or the Database closes it.
struct Database::ThreadConnection
{
    QString name;
    QHash<QString, QSqlQuery *> statements;
    sqlite3 *sqliteHandle = nullptr; ///< the QSQLITE driver's handle (SQLite only)
    std::unordered_map<std::string, sqlite3_stmt *> rawStatements;
    bool inTransaction = false;
    bool accountsChanged = false; ///< the open transaction changed an account (noteAccountsChanged)

    ~ThreadConnection()
    {
        qDeleteAll(statements);
        statements.clear();
        // Before close: SQLite refuses to close a connection with statements left.
        for (auto &[sql, statement] : rawStatements)
            sqlite3_finalize(statement);
        rawStatements.clear();
        {
            QSqlDatabase db = QSqlDatabase::database(name, false);
            if (db.isValid())
                db.close();
        }
        QSqlDatabase::removeDatabase(name);
    }
};

namespace {
// Keyed by Database instance id; ids are never reused, so a stale entry can't be mistaken for a new
// database.
using ConnectionMap = std::unordered_map<quint64, std::unique_ptr<Database::ThreadConnection>>;
ConnectionMap &threadConnections()
{
    thread_local ConnectionMap map;
    return map;
}
} // namespace

Database::Database(DatabaseConfig config)
    : m_config(std::move(config))
    , m_instanceId(s_nextInstanceId++)
{ }

Database::~Database()
{
    closeThreadConnection();
}

void Database::closeThreadConnection()
{
    threadConnections().erase(m_instanceId);
}

Database::ThreadConnection *Database::threadConnection()
{
    auto &map = threadConnections();
    auto it = map.find(m_instanceId);
    if (it != map.end()) {
        if (QSqlDatabase::database(it->second->name, false).isOpen())
            return it->second.get();
        map.erase(it);
    }

    auto conn = std::make_unique<ThreadConnection>();
    conn->name = QStringLiteral("lm-%1-%2").arg(m_instanceId).arg(s_nextConnectionId++);
    const bool sqlite = m_config.dialect == Dialect::Sqlite;
    QSqlDatabase db
        = QSqlDatabase::addDatabase(sqlite ? QStringLiteral("QSQLITE") : QStringLiteral("QPSQL"), conn->name);
    if (sqlite) {
        db.setDatabaseName(m_config.sqlitePath);
        db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=10000"));
    } else {
        db.setHostName(m_config.host);
        db.setPort(m_config.port);
        db.setUserName(m_config.user);
        db.setPassword(m_config.password);
        db.setDatabaseName(m_config.databaseName);
        db.setConnectOptions(QStringLiteral("connect_timeout=10;application_name=leadmetrics"));
    }
    if (!db.open()) {
        qCWarning(lmStore) << "cannot open" << m_config.redactedUrl() << ":" << db.lastError().text();
        return nullptr;
    }
    if (sqlite) {
        // WAL lets readers run beside the writer; FULL makes every acknowledged commit durable.
        // Reads go through a memory map (up to 1 GiB of the file): a page read is a memory access,
        // not a pread() into each connection's own small cache.
        for (const char *pragma : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL",
                 "PRAGMA foreign_keys=ON", "PRAGMA busy_timeout=10000", "PRAGMA mmap_size=1073741824"}) {
            QSqlQuery q(db);
            if (!q.exec(QString::fromLatin1(pragma))) {
                qCWarning(lmStore) << pragma << "failed:" << q.lastError().text();
                return nullptr;
            }
        }
        const QVariant handle = db.driver()->handle();
        if (handle.isValid() && qstrcmp(handle.typeName(), "sqlite3*") == 0)
            conn->sqliteHandle = *static_cast<sqlite3 *const *>(handle.constData());
    } else {
        QSqlQuery q(db);
        q.exec(QStringLiteral("SET TIME ZONE 'UTC'"));
    }
    auto *raw = conn.get();
    map.emplace(m_instanceId, std::move(conn));
    return raw;
}

QSqlDatabase Database::connection()
{
    auto *conn = threadConnection();
    return conn ? QSqlDatabase::database(conn->name, false) : QSqlDatabase();
}

Result<void> Database::ping()
{
    auto q = query(QStringLiteral("SELECT 1"));
    auto r = q.exec();
    if (!r.ok() || !q.next())
        return ApiError {ErrorCode::Unavailable, QStringLiteral("database unreachable"), {}};
    return {};
}

SqlQuery Database::query(const QString &sql)
{
    auto *conn = threadConnection();
    if (!conn)
        return SqlQuery(nullptr, sql);
    auto it = conn->statements.constFind(sql);
    if (it != conn->statements.constEnd())
        return SqlQuery(it.value(), sql);
    auto *q = new QSqlQuery(QSqlDatabase::database(conn->name, false));
    q->setForwardOnly(true);
    if (!q->prepare(sql)) {
        qCWarning(lmStore) << "prepare failed:" << q->lastError().text() << "sql:" << sql;
        delete q;
        return SqlQuery(nullptr, sql);
    }
    conn->statements.insert(sql, q);
    return SqlQuery(q, sql);
}

RawStatement Database::raw(const std::string &sql)
{
    auto *conn = threadConnection();
    if (!conn || !conn->sqliteHandle)
        return RawStatement(nullptr, QStringLiteral("no SQLite connection"));
    if (auto it = conn->rawStatements.find(sql); it != conn->rawStatements.end())
        return RawStatement(it->second, {});
    sqlite3_stmt *statement = nullptr;
    if (sqlite3_prepare_v3(
            conn->sqliteHandle, sql.c_str(), int(sql.size()), SQLITE_PREPARE_PERSISTENT, &statement, nullptr)
        != SQLITE_OK) {
        const QString error = QString::fromUtf8(sqlite3_errmsg(conn->sqliteHandle));
        qCWarning(lmStore) << "prepare failed:" << error << "sql:" << sql.c_str();
        return RawStatement(nullptr, error);
    }
    conn->rawStatements.emplace(sql, statement);
    return RawStatement(statement, {});
}

Result<void> Database::exec(const QString &sql)
{
    QSqlDatabase db = connection();
    if (!db.isOpen())
        return ApiError {ErrorCode::Unavailable, QStringLiteral("database unreachable"), {}};
    QSqlQuery q(db);
    if (!q.exec(sql)) {
        qCWarning(lmStore) << "exec failed:" << q.lastError().text() << "sql:" << sql.left(200);
        return ApiError::internal(QStringLiteral("database error"));
    }
    return {};
}

SqlQuery::SqlQuery(QSqlQuery *query, QString sql)
    : m_query(query)
    , m_sql(std::move(sql))
{ }

SqlQuery::SqlQuery(SqlQuery &&other) noexcept
    : m_query(std::exchange(other.m_query, nullptr))
    , m_sql(std::move(other.m_sql))
{ }

SqlQuery::~SqlQuery()
{
    if (m_query)
        m_query->finish();
}

SqlQuery &SqlQuery::bind(const QVariant &value)
{
    if (m_query)
        m_query->addBindValue(value);
    return *this;
}

SqlQuery &SqlQuery::bindNullableString(const QString &value)
{
    return bind(value.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(value));
}

SqlQuery &SqlQuery::bindNullableInt(std::optional<qint64> value)
{
    return bind(value ? QVariant(*value) : QVariant(QMetaType::fromType<qint64>()));
}

Result<void> SqlQuery::exec()
{
    if (!m_query)
        return ApiError {ErrorCode::Unavailable, QStringLiteral("database unreachable"), {}};
    if (!m_query->exec()) {
        const QSqlError err = m_query->lastError();
        // Bound values are never logged: they may be secrets or personal data.
        qCWarning(lmStore) << "query failed:" << err.text() << "sql:" << m_sql.left(200);
        const QString native = err.nativeErrorCode();
        // Constraint violations are the caller's conflict, not a server fault.
        if (native == QLatin1String("23505") || native == QLatin1String("2067")
            || native == QLatin1String("1555")
            || err.databaseText().contains(QLatin1String("UNIQUE constraint failed")))
            return ApiError::conflict(QStringLiteral("already exists"));
        return ApiError::internal(QStringLiteral("database error"));
    }
    return {};
}

void Database::noteAccountsChanged()
{
    auto *conn = threadConnection();
    if (conn && conn->inTransaction)
        conn->accountsChanged = true;
    else
        accountsChanged();
}

void Database::accountsChanged()
{
    m_accountsGeneration.fetch_add(1, std::memory_order_acq_rel);
    if (m_accountsChangedHook)
        m_accountsChangedHook();
}

Transaction::Transaction(Database &db)
    : m_db(db)
{
    auto r = db.exec(
        db.dialect() == Dialect::Sqlite ? QStringLiteral("BEGIN IMMEDIATE") : QStringLiteral("BEGIN"));
    m_active = r.ok();
    if (!r.ok())
        m_error = r.error();
    else if (auto *conn = db.threadConnection()) {
        conn->inTransaction = true;
        conn->accountsChanged = false;
    }
}

Transaction::~Transaction()
{
    rollback();
}

Result<void> Transaction::commit()
{
    if (!m_active)
        return m_error.message.isEmpty() ? ApiError::internal(QStringLiteral("no transaction")) : m_error;
    m_active = false;
    auto *conn = m_db.threadConnection();
    const bool accountsChanged = conn && conn->accountsChanged;
    if (conn)
        conn->inTransaction = conn->accountsChanged = false;
    auto r = m_db.exec(QStringLiteral("COMMIT"));
    // After the commit, never before: a reader between the two would cache the old state for good.
    if (r.ok() && accountsChanged)
        m_db.accountsChanged();
    return r;
}

void Transaction::rollback()
{
    if (!m_active)
        return;
    m_active = false;
    if (auto *conn = m_db.threadConnection())
        conn->inTransaction = conn->accountsChanged = false;
    (void)m_db.exec(QStringLiteral("ROLLBACK"));
}

} // namespace lm::store
