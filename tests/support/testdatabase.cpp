// SPDX-License-Identifier: GPL-3.0-or-later
#include "testdatabase.h"

#include "core/ulid.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QUrl>

namespace lm::test {

namespace {
// Runs one statement on the cluster's maintenance database with a short-lived connection.
QString adminExec(const QString &adminUrl, const QString &sql)
{
    auto config = store::DatabaseConfig::fromUrl(adminUrl);
    if (!config.ok())
        return config.error().message;
    const QString name = QStringLiteral("lmtest-admin-") + Ulid::generate();
    QString error;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), name);
        db.setHostName(config->host);
        db.setPort(config->port);
        db.setUserName(config->user);
        db.setPassword(config->password);
        db.setDatabaseName(config->databaseName);
        if (!db.open()) {
            error = db.lastError().text();
        } else {
            QSqlQuery q(db);
            if (!q.exec(sql))
                error = q.lastError().text();
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return error;
}
} // namespace

store::Dialect currentDialect()
{
    return qEnvironmentVariable("LM_TEST_DIALECT") == QLatin1String("postgres") ? store::Dialect::Postgres
                                                                                : store::Dialect::Sqlite;
}

QString dialectName()
{
    return currentDialect() == store::Dialect::Postgres ? QStringLiteral("postgres")
                                                        : QStringLiteral("sqlite");
}

TestDatabase::TestDatabase()
{
    if (currentDialect() == store::Dialect::Sqlite) {
        m_url = QStringLiteral("sqlite:") + m_dir.filePath(QStringLiteral("test.db"));
        return;
    }
    m_adminUrl = qEnvironmentVariable("LM_TEST_POSTGRES_DSN");
    if (m_adminUrl.isEmpty()) {
        m_error = QStringLiteral(
            "LM_TEST_POSTGRES_DSN is not set: run the tests through tools/test, which starts a "
            "throwaway PostgreSQL cluster");
        return;
    }
    m_pgName = QStringLiteral("lmtest_") + Ulid::generate().toLower();
    if (const QString err = adminExec(m_adminUrl, QStringLiteral("CREATE DATABASE ") + m_pgName);
        !err.isEmpty()) {
        m_error = QStringLiteral("cannot create a test database: ") + err;
        m_pgName.clear();
        return;
    }
    QUrl url(m_adminUrl);
    url.setPath(QLatin1Char('/') + m_pgName);
    m_url = url.toString();
}

TestDatabase::~TestDatabase()
{
    if (!m_pgName.isEmpty())
        adminExec(m_adminUrl,
            QStringLiteral("DROP DATABASE IF EXISTS ") + m_pgName + QStringLiteral(" WITH (FORCE)"));
}

store::DatabaseConfig TestDatabase::config() const
{
    auto c = store::DatabaseConfig::fromUrl(m_url);
    return c.ok() ? *c : store::DatabaseConfig();
}

} // namespace lm::test
