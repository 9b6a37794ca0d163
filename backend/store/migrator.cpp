// SPDX-License-Identifier: GPL-3.0-or-later
#include "migrator.h"

#include "core/logging.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QRegularExpression>

#include <algorithm>

namespace lm::store {

Migrator::Migrator(Database &db)
    : Migrator(db, builtIn(db.dialect()))
{ }

Migrator::Migrator(Database &db, QList<Migration> migrations)
    : m_db(db)
    , m_migrations(std::move(migrations))
{
    std::sort(m_migrations.begin(), m_migrations.end(),
        [](const Migration &a, const Migration &b) { return a.version < b.version; });
}

QList<Migration> Migrator::builtIn(Dialect dialect)
{
    const QString dirPath = dialect == Dialect::Sqlite ? QStringLiteral(":/migrations/sqlite")
                                                       : QStringLiteral(":/migrations/postgres");
    static const QRegularExpression fileName(QStringLiteral("^(\\d{4})_([a-z0-9_]+)\\.sql$"));
    QList<Migration> out;
    const QDir dir(dirPath);
    for (const QString &entry : dir.entryList(QDir::Files, QDir::Name)) {
        const auto m = fileName.match(entry);
        if (!m.hasMatch()) {
            qCWarning(lmStore) << "ignoring migration file with a bad name:" << entry;
            continue;
        }
        QFile f(dir.filePath(entry));
        if (!f.open(QIODevice::ReadOnly))
            continue;
        out.append({m.captured(1).toInt(), m.captured(2), QString::fromUtf8(f.readAll())});
    }
    return out;
}

QStringList Migrator::splitStatements(const QString &sql)
{
    QStringList statements;
    QString current;
    for (const QString &line : sql.split(QLatin1Char('\n'))) {
        const QString trimmed = line.trimmed();
        if (trimmed.startsWith(QLatin1String("--")) || (trimmed.isEmpty() && current.isEmpty()))
            continue;
        current += line + QLatin1Char('\n');
        if (trimmed.endsWith(QLatin1Char(';'))) {
            statements.append(current.trimmed());
            current.clear();
        }
    }
    if (!current.trimmed().isEmpty())
        statements.append(current.trimmed());
    return statements;
}

int Migrator::latestVersion() const
{
    return m_migrations.isEmpty() ? 0 : m_migrations.last().version;
}

Result<void> Migrator::ensureVersionTable()
{
    return m_db.exec(QStringLiteral("CREATE TABLE IF NOT EXISTS schema_migrations ("
                                    " version INTEGER PRIMARY KEY,"
                                    " name TEXT NOT NULL,"
                                    " applied_at BIGINT NOT NULL)"));
}

Result<int> Migrator::currentVersion()
{
    if (auto r = ensureVersionTable(); !r.ok())
        return r.error();
    auto q = m_db.query(QStringLiteral("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
    if (auto r = q.exec(); !r.ok())
        return r.error();
    return q.next() ? int(q.int64(0)) : 0;
}

Result<void> Migrator::migrate()
{
    if (auto r = ensureVersionTable(); !r.ok())
        return r;
    for (const Migration &migration : m_migrations) {
        Transaction tx(m_db);
        if (!tx.isActive())
            return tx.error();
        if (m_db.dialect() == Dialect::Postgres) {
            // Several server instances may start together: one migrates, the others wait here.
            if (auto r = m_db.exec(QStringLiteral("SELECT pg_advisory_xact_lock(7262012026)")); !r.ok())
                return r;
        }
        auto current = currentVersion();
        if (!current.ok())
            return current.error();
        if (*current > latestVersion()) {
            return ApiError {ErrorCode::Unavailable,
                QStringLiteral("database schema version %1 is newer than this build supports (%2)")
                    .arg(*current)
                    .arg(latestVersion()),
                {}};
        }
        if (migration.version <= *current)
            continue;
        qCInfo(lmStore) << "applying migration" << migration.version << migration.name;
        for (const QString &statement : splitStatements(migration.sql)) {
            if (auto r = m_db.exec(statement); !r.ok())
                return ApiError::internal(QStringLiteral("migration %1 failed").arg(migration.version));
        }
        auto stamp = m_db.query(
            QStringLiteral("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)"));
        stamp.bind(migration.version).bind(migration.name).bind(QDateTime::currentMSecsSinceEpoch());
        if (auto r = stamp.exec(); !r.ok())
            return r;
        if (auto r = tx.commit(); !r.ok())
            return r;
    }
    // Also refuse when there was nothing to apply but the schema is ahead of us.
    auto current = currentVersion();
    if (!current.ok())
        return current.error();
    if (*current > latestVersion())
        return ApiError {ErrorCode::Unavailable,
            QStringLiteral("database schema version %1 is newer than this build supports (%2)")
                .arg(*current)
                .arg(latestVersion()),
            {}};
    return {};
}

} // namespace lm::store
