// SPDX-License-Identifier: GPL-3.0-or-later
// QtQuickTest of the console's pages against a real backend on loopback seeded with the demo,
// signed in through the real Session (HTTP + SSE) as the demo's DM reviewer.
#include "consoletestbackend.h"
#include "session.h"
#include "testserver.h"

#include <QQmlEngine>
#include <QTemporaryDir>
#include <QtQml/qqmlextensionplugin.h>
#include <QtQuickTest>

#include <memory>

Q_IMPORT_QML_PLUGIN(Leadmetrics_ConsolePlugin)
Q_IMPORT_QML_PLUGIN(Leadmetrics_HighlightPlugin)
Q_IMPORT_QML_PLUGIN(Leadmetrics_ModelsPlugin)

class Setup : public QObject
{
    Q_OBJECT

public Q_SLOTS:
    void applicationAvailable()
    {
        lm::test::TestServer::Settings settings;
        settings.demoEngineData = true;
        settings.workers = 0; // decisions stay as the console left them
        m_server = std::make_unique<lm::test::TestServer>(settings);
        m_backend = std::make_unique<lm::test::ConsoleTestBackend>(m_server.get());
        m_session = std::make_unique<lm::models::Session>(m_sessionDir.path());
    }

    void qmlEngineAvailable(QQmlEngine *engine)
    {
        engine->addImportPath(QStringLiteral("qrc:/qt/qml"));
        qmlRegisterSingletonInstance("Leadmetrics.ConsoleTest", 1, 0, "Backend", m_backend.get());
    }

    void cleanupTestCase()
    {
        m_session.reset();
        m_backend.reset();
        m_server.reset();
    }

private:
    QTemporaryDir m_sessionDir;
    std::unique_ptr<lm::test::TestServer> m_server;
    std::unique_ptr<lm::test::ConsoleTestBackend> m_backend;
    std::unique_ptr<lm::models::Session> m_session;
};

QUICK_TEST_MAIN_WITH_SETUP(tst_console, Setup)
#include "tst_console.moc"
