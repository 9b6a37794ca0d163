// SPDX-License-Identifier: GPL-3.0-or-later
#include "serveroptions.h"

#include <QDir>
#include <QStandardPaths>

namespace lm::server {

namespace {
ApiError flagError(const QString &flag, const QString &message)
{
    return ApiError::validation(flag, QStringLiteral("invalid"), message);
}
} // namespace

QString ServerOptions::usage()
{
    return QStringLiteral(
        "Usage: leadmetrics-server [--listen HOST:PORT] [--data-dir DIR] [--database URL] [--demo] "
        "[--workers N]\n"
        "  --listen HOST:PORT   address to serve on (default 127.0.0.1:8787; port 0 picks a free one)\n"
        "  --data-dir DIR       keys, logs and the SQLite database (default: the app data dir)\n"
        "  --database URL       sqlite:PATH or postgres://user:pass@host:port/dbname\n"
        "  --demo               seed the demo tenants and accounts into an empty database\n"
        "  --workers N          job workers (0-64, default 2; 0: this instance serves the API only and\n"
        "                       leaves the jobs to other instances on the same store)\n"
        "  --io-threads N       HTTP I/O threads (default: one per core)\n"
        "  --access-log PATH    JSON access log (default <data-dir>/logs/access.log; '-' stderr; 'off')\n"
        "  --channel-providers FILE\n"
        "                       OAuth providers of channel connections (default "
        "<data-dir>/channel-providers.json)\n"
        "  --sse-max-streams-per-user N\n"
        "                       open SSE streams per user, beyond answered 429 (1-100000, default 10)\n"
        "  --sse-send-buffer BYTES\n"
        "                       socket send buffer of an SSE stream (4096-4194304, default 65536; 0: the\n"
        "                       kernel's autotuning)\n"
        "Environment: LEADMETRICS_LISTEN, LEADMETRICS_DATABASE, LEADMETRICS_DATA_DIR.\n");
}

Result<void> ServerOptions::setListen(const QString &listen)
{
    const int colon = listen.lastIndexOf(QLatin1Char(':'));
    if (colon <= 0)
        return flagError(QStringLiteral("listen"), QStringLiteral("expected HOST:PORT"));
    bool ok = false;
    const int p = listen.mid(colon + 1).toInt(&ok);
    if (!ok || p < 0 || p > 65535)
        return flagError(QStringLiteral("listen"), QStringLiteral("port must be 0-65535"));
    QString h = listen.left(colon);
    if (h.startsWith(QLatin1Char('[')) && h.endsWith(QLatin1Char(']')))
        h = h.mid(1, h.size() - 2);
    if (h == QLatin1String("localhost"))
        h = QStringLiteral("127.0.0.1");
    host = h;
    port = quint16(p);
    return {};
}

Result<ServerOptions> ServerOptions::parse(const QStringList &arguments)
{
    ServerOptions o;
    if (const QString env = qEnvironmentVariable("LEADMETRICS_LISTEN"); !env.isEmpty()) {
        if (auto r = o.setListen(env); !r.ok())
            return r.error();
    }
    o.databaseUrl = qEnvironmentVariable("LEADMETRICS_DATABASE");
    o.dataDir = qEnvironmentVariable("LEADMETRICS_DATA_DIR");

    for (int i = 0; i < arguments.size(); ++i) {
        QString arg = arguments[i];
        QString value;
        bool hasInlineValue = false;
        if (const int eq = arg.indexOf(QLatin1Char('=')); arg.startsWith(QLatin1String("--")) && eq > 0) {
            value = arg.mid(eq + 1);
            arg = arg.left(eq);
            hasInlineValue = true;
        }
        const auto takeValue = [&](const QString &flag) -> Result<QString> {
            if (hasInlineValue)
                return value;
            if (i + 1 >= arguments.size())
                return flagError(flag, QStringLiteral("%1 needs a value").arg(flag));
            return arguments[++i];
        };
        const auto takeInt = [&](const QString &flag, int min, int max) -> Result<int> {
            auto v = takeValue(flag);
            if (!v.ok())
                return v.error();
            bool ok = false;
            const int n = v->toInt(&ok);
            if (!ok || n < min || n > max)
                return flagError(
                    flag, QStringLiteral("%1 must be a number from %2 to %3").arg(flag).arg(min).arg(max));
            return n;
        };

        if (arg == QLatin1String("--listen")) {
            auto v = takeValue(arg);
            if (!v.ok())
                return v.error();
            if (auto r = o.setListen(*v); !r.ok())
                return r.error();
        } else if (arg == QLatin1String("--data-dir")) {
            auto v = takeValue(arg);
            if (!v.ok())
                return v.error();
            o.dataDir = *v;
        } else if (arg == QLatin1String("--database")) {
            auto v = takeValue(arg);
            if (!v.ok())
                return v.error();
            o.databaseUrl = *v;
        } else if (arg == QLatin1String("--access-log")) {
            auto v = takeValue(arg);
            if (!v.ok())
                return v.error();
            o.accessLogPath = *v;
        } else if (arg == QLatin1String("--channel-providers")) {
            auto v = takeValue(arg);
            if (!v.ok())
                return v.error();
            o.channelProvidersFile = *v;
        } else if (arg == QLatin1String("--workers")) {
            auto n = takeInt(arg, 0, 64);
            if (!n.ok())
                return n.error();
            o.workers = *n;
        } else if (arg == QLatin1String("--io-threads")) {
            auto n = takeInt(arg, 1, 256);
            if (!n.ok())
                return n.error();
            o.ioThreads = *n;
        } else if (arg == QLatin1String("--sse-max-streams-per-user")) {
            auto n = takeInt(arg, 1, 100000);
            if (!n.ok())
                return n.error();
            o.sseMaxStreamsPerUser = *n;
        } else if (arg == QLatin1String("--sse-send-buffer")) {
            auto n = takeInt(arg, 0, 4 * 1024 * 1024);
            if (!n.ok())
                return n.error();
            if (*n != 0 && *n < 4096)
                return flagError(
                    QStringLiteral("sse-send-buffer"), QStringLiteral("expected 0 or 4096-4194304"));
            o.sseSendBuffer = *n;
        } else if (arg == QLatin1String("--demo")) {
            o.demo = true;
        } else {
            return flagError(
                QStringLiteral("arguments"), QStringLiteral("unknown argument: %1").arg(arguments[i]));
        }
    }
    o.resolveDefaults();
    return o;
}

void ServerOptions::resolveDefaults()
{
    if (dataDir.isEmpty())
        dataDir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    if (dataDir.isEmpty())
        dataDir = QDir::home().filePath(QStringLiteral(".local/share/leadmetrics"));
    dataDir = QDir(dataDir).absolutePath();
    if (databaseUrl.isEmpty())
        databaseUrl = QStringLiteral("sqlite:") + QDir(dataDir).filePath(QStringLiteral("leadmetrics.db"));
    if (accessLogPath.isEmpty())
        accessLogPath = QDir(dataDir).filePath(QStringLiteral("logs/access.log"));
    if (channelProvidersFile.isEmpty())
        channelProvidersFile = QDir(dataDir).filePath(QStringLiteral("channel-providers.json"));
}

} // namespace lm::server
