// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/result.h"

#include <QStringList>

#include <chrono>

namespace lm::server {

/// How a backend runs: flags and environment of spec/leadmetrics-contract.md ("Running the server").
struct ServerOptions
{
    QString host = QStringLiteral("127.0.0.1");
    quint16 port = 8787;
    QString dataDir; ///< default: the platform's app data dir
    QString databaseUrl; ///< default: sqlite:<dataDir>/leadmetrics.db
    bool demo = false;
    /// With demo: seed only the tenants and accounts, no engine data (tests build their own). No flag.
    bool demoAccountsOnly = false;
    int workers = 2; ///< job workers; 0: API only, the jobs are left to other instances
    int ioThreads = 0; ///< HTTP I/O threads; 0 = one per core
    /// The OAuth provider table of channel connections (JSON; docs/api/dashboard-intake.md);
    /// default <dataDir>/channel-providers.json, read on each use.
    QString channelProvidersFile;
    QString accessLogPath; ///< default: <dataDir>/logs/access.log; "-" stderr; "off" none
    std::chrono::milliseconds requestTimeout {30000};
    qint64 sweepIntervalMs = 30000; ///< how often approvals are checked for expiry and notices
    int sseMaxStreamsPerUser = 10; ///< open SSE streams per user; beyond → 429
    int sseSendBuffer = 64 * 1024; ///< SO_SNDBUF of a stream's socket; 0: the kernel's autotuning
    std::chrono::milliseconds ssePingInterval {15000};

    /// Parses arguments (argv without the program name) over the environment
    /// (LEADMETRICS_LISTEN, LEADMETRICS_DATABASE, LEADMETRICS_DATA_DIR). Errors name the flag.
    static Result<ServerOptions> parse(const QStringList &arguments);
    /// `HOST:PORT` → host and port.
    Result<void> setListen(const QString &listen);
    /// Fills defaults that depend on other options (data dir, database URL, access log).
    void resolveDefaults();
    /// The usage text for --help.
    static QString usage();
};

} // namespace lm::server
