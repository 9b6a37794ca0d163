// SPDX-License-Identifier: GPL-3.0-or-later
#include "testserver.h"

#include "server/demoseed.h"

namespace lm::test {

TestServer::TestServer()
    : TestServer(Settings {})
{ }

TestServer::TestServer(Settings settings)
{
    if (!m_db.error().isEmpty()) {
        m_error = m_db.error();
        return;
    }
    server::ServerOptions o;
    o.host = QStringLiteral("127.0.0.1");
    o.port = 0;
    o.dataDir = m_dir.path();
    o.databaseUrl = m_db.url();
    o.demo = settings.demo;
    o.demoAccountsOnly = !settings.demoEngineData;
    o.ioThreads = 2;
    o.workers = settings.workers;
    o.accessLogPath = m_dir.filePath(QStringLiteral("logs/access.log"));
    o.requestTimeout = settings.requestTimeout;
    m_host = std::make_unique<server::ServerHost>(o, &m_clock);
    if (auto r = m_host->start(); !r.ok())
        m_error = r.error().message;
}

TestServer::~TestServer()
{
    if (m_host)
        m_host->stop();
    m_host.reset();
}

TestHttp TestServer::http() const
{
    return TestHttp(QStringLiteral("127.0.0.1"), m_host->port());
}

QByteArray TestServer::login(const QString &email, QJsonObject *answer)
{
    const HttpReply reply = http().postJson("/auth/v1/login",
        {{QStringLiteral("email"), email},
            {QStringLiteral("password"), QString::fromLatin1(server::DemoSeed::kPassword)}});
    if (answer)
        *answer = reply.json();
    return reply.json().value(QStringLiteral("accessToken")).toString().toLatin1();
}

} // namespace lm::test
