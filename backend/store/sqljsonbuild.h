// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// PostgreSQL SQL that builds the API's JSON in the database, for the hot list reads on PostgreSQL
// (the approval queue's page): json_build_object runs in C on the row the server already has, so
// no row travels as columns, becomes QVariants and is serialised again. On SQLite the same reads
// go through its own API and JsonWriter (store/sqliteraw.h). The output equals the C++
// serialisers'; tests hold the two to each other.

#include <QList>
#include <QPair>
#include <QString>

namespace lm::store::pgjson {

using Members = QList<QPair<QLatin1String, QString>>;

/// A JSON object from (key, SQL expression) pairs. With `dropNulls`, members whose value is NULL
/// are left out (as the serialisers leave out optional fields), in nested objects too.
[[nodiscard]] inline QString object(const Members &members, bool dropNulls = false)
{
    QString args;
    for (const auto &[key, expr] : members) {
        if (!args.isEmpty())
            args += QStringLiteral(", ");
        args += QLatin1Char('\'') + key + QStringLiteral("', ") + expr;
    }
    const QString built = QStringLiteral("json_build_object(") + args + QLatin1Char(')');
    return dropNulls ? QStringLiteral("json_strip_nulls(") + built + QLatin1Char(')') : built;
}

/// A TEXT column holding JSON, embedded as JSON (NULL stays NULL).
[[nodiscard]] inline QString jsonColumn(const QString &column)
{
    return column + QStringLiteral("::json");
}

/// A text column, NULL when empty (an optional field the serialisers leave out when empty).
[[nodiscard]] inline QString optionalText(const QString &column)
{
    return QStringLiteral("NULLIF(") + column + QStringLiteral(", '')");
}

/// A text column, '' when NULL (a field the serialisers always write).
[[nodiscard]] inline QString text(const QString &column)
{
    return QStringLiteral("COALESCE(") + column + QStringLiteral(", '')");
}

/// Milliseconds since the epoch as isoTimestamp() writes them: 2026-11-24T04:12:33.123Z (NULL stays NULL).
[[nodiscard]] inline QString isoTime(const QString &column)
{
    // Concatenated, not QString::arg(): the SQL has % signs.
    return QStringLiteral("to_char(to_timestamp(") + column
        + QStringLiteral(" / 1000) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS') || '.' || lpad((") + column
        + QStringLiteral(" % 1000)::text, 3, '0') || 'Z'");
}

/// A JSON array of `item` (an object() expression) over the rows of `from` (FROM … WHERE …),
/// ordered by `orderBy`; [] when there are none.
[[nodiscard]] inline QString array(const QString &item, const QString &from, const QString &orderBy)
{
    return QStringLiteral("(SELECT COALESCE(json_agg(s.o ORDER BY s.k), '[]'::json) FROM (SELECT ") + item
        + QStringLiteral(" AS o, ") + orderBy + QStringLiteral(" AS k ") + from + QStringLiteral(") s)");
}

} // namespace lm::store::pgjson
