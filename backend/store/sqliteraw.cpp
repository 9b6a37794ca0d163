// SPDX-License-Identifier: GPL-3.0-or-later
#include "sqliteraw.h"

#include "core/logging.h"

#include <sqlite3.h>

namespace lm::store {

RawStatement::RawStatement(sqlite3_stmt *statement, QString error)
    : m_statement(statement)
    , m_error(std::move(error))
{ }

RawStatement::~RawStatement()
{
    if (m_statement) {
        sqlite3_reset(m_statement);
        sqlite3_clear_bindings(m_statement);
    }
}

RawStatement::RawStatement(RawStatement &&other) noexcept
    : m_statement(std::exchange(other.m_statement, nullptr))
    , m_nextParameter(other.m_nextParameter)
    , m_error(std::move(other.m_error))
{ }

RawStatement &RawStatement::bind(const QString &value)
{
    if (m_statement) {
        const QByteArray utf8 = value.toUtf8();
        sqlite3_bind_text(m_statement, m_nextParameter, utf8.constData(), int(utf8.size()), SQLITE_TRANSIENT);
    }
    ++m_nextParameter;
    return *this;
}

RawStatement &RawStatement::bind(qint64 value)
{
    if (m_statement)
        sqlite3_bind_int64(m_statement, m_nextParameter, value);
    ++m_nextParameter;
    return *this;
}

bool RawStatement::step()
{
    if (!m_statement)
        return false;
    const int rc = sqlite3_step(m_statement);
    if (rc == SQLITE_ROW)
        return true;
    if (rc != SQLITE_DONE && m_error.isEmpty()) {
        m_error = QString::fromUtf8(sqlite3_errmsg(sqlite3_db_handle(m_statement)));
        qCWarning(lmStore) << "query failed:" << m_error << "sql:" << sqlite3_sql(m_statement);
    }
    return false;
}

Result<void> RawStatement::status() const
{
    if (!m_statement || !m_error.isEmpty())
        return ApiError::internal(QStringLiteral("database error"));
    return {};
}

bool RawStatement::isNull(int column) const
{
    return sqlite3_column_type(m_statement, column) == SQLITE_NULL;
}

std::string_view RawStatement::text(int column) const
{
    const auto *data = reinterpret_cast<const char *>(sqlite3_column_text(m_statement, column));
    if (!data)
        return {};
    return {data, std::size_t(sqlite3_column_bytes(m_statement, column))};
}

qint64 RawStatement::int64(int column) const
{
    return sqlite3_column_int64(m_statement, column);
}

} // namespace lm::store
