// SPDX-License-Identifier: GPL-3.0-or-later
#include "databaseconfig.h"

#include <QUrl>

namespace lm::store {

Result<DatabaseConfig> DatabaseConfig::fromUrl(const QString &url)
{
    DatabaseConfig config;
    if (url.startsWith(QLatin1String("sqlite:"))) {
        config.dialect = Dialect::Sqlite;
        config.sqlitePath = url.mid(7);
        if (config.sqlitePath.startsWith(QLatin1String("//")))
            config.sqlitePath = config.sqlitePath.mid(2);
        if (config.sqlitePath.isEmpty() || config.sqlitePath == QLatin1String(":memory:"))
            return ApiError::validation(QStringLiteral("database"), QStringLiteral("invalid"),
                QStringLiteral("sqlite: needs a file path"));
        return config;
    }
    const QUrl parsed(url, QUrl::StrictMode);
    if (!parsed.isValid()
        || (parsed.scheme() != QLatin1String("postgres") && parsed.scheme() != QLatin1String("postgresql")))
        return ApiError::validation(QStringLiteral("database"), QStringLiteral("invalid"),
            QStringLiteral("expected sqlite:PATH or postgres://user:pass@host:port/dbname"));
    config.dialect = Dialect::Postgres;
    config.host = parsed.host().isEmpty() ? QStringLiteral("127.0.0.1") : parsed.host();
    config.port = parsed.port(5432);
    config.user = parsed.userName(QUrl::FullyDecoded);
    config.password = parsed.password(QUrl::FullyDecoded);
    config.databaseName = parsed.path().mid(1);
    if (config.databaseName.isEmpty())
        return ApiError::validation(QStringLiteral("database"), QStringLiteral("invalid"),
            QStringLiteral("postgres:// URL needs a database name"));
    return config;
}

QString DatabaseConfig::redactedUrl() const
{
    if (dialect == Dialect::Sqlite)
        return QStringLiteral("sqlite:") + sqlitePath;
    return QStringLiteral("postgres://%1:***@%2:%3/%4").arg(user, host).arg(port).arg(databaseName);
}

} // namespace lm::store
