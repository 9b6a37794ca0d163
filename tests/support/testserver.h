// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/clock.h"
#include "server/serverhost.h"
#include "testdatabase.h"
#include "testhttp.h"

#include <QTemporaryDir>

#include <memory>

namespace lm::test {

/// A real backend on 127.0.0.1, port 0, on the test's dialect, with a clock the test moves.
class TestServer
{
public:
    struct Settings
    {
        bool demo = true;
        /// The demo's engine data (agents, campaigns, activities, approvals) besides its accounts.
        bool demoEngineData = false;
        std::chrono::milliseconds requestTimeout {30000};
        /// Job workers; 0 runs no jobs (the store changes only through the API).
        int workers = 2;
    };
    TestServer();
    explicit TestServer(Settings settings);
    ~TestServer();

    /// Empty on success; otherwise why the server did not start.
    [[nodiscard]] QString error() const { return m_error; }
    [[nodiscard]] server::ServerHost &host() { return *m_host; }
    [[nodiscard]] ManualClock &clock() { return m_clock; }
    [[nodiscard]] TestHttp http() const;
    [[nodiscard]] quint16 port() const { return m_host->port(); }
    [[nodiscard]] QString dataDir() const { return m_dir.path(); }
    /// The test's database, for a second instance on the same store.
    [[nodiscard]] QString databaseUrl() const { return m_db.url(); }

    /// Logs in with the demo password; returns the access token or empty.
    QByteArray login(const QString &email, QJsonObject *answer = nullptr);

private:
    QTemporaryDir m_dir;
    TestDatabase m_db;
    ManualClock m_clock;
    std::unique_ptr<server::ServerHost> m_host;
    QString m_error;
};

} // namespace lm::test
