// SPDX-License-Identifier: GPL-3.0-or-later
#include "consoleapp.h"

#include "consolecontext.h"
#include "consoleoptions.h"
#include "server/serverhost.h"
#include "session.h"

#include <QApplication>
#include <QLoggingCategory>
#include <QQmlApplicationEngine>
#include <QTemporaryDir>
#include <QTimer>

#include <cstdio>
#include <memory>

Q_LOGGING_CATEGORY(lcConsole, "lm.console")

namespace lm::console {

namespace {
// A screenshot run that has not saved by then has failed (a page that never populates).
constexpr int ScreenshotTimeoutMs = 90000;
} // namespace

std::optional<int> ConsoleApp::parseArguments(const QStringList &arguments, ConsoleOptions &options)
{
    auto parsed = ConsoleOptions::parse(arguments);
    if (!parsed.ok()) {
        std::fprintf(stderr, "leadmetrics-console: %s\n%s", qPrintable(parsed.error().message),
            qPrintable(ConsoleOptions::usage()));
        return 2;
    }
    if (parsed->help) {
        std::fputs(qPrintable(ConsoleOptions::usage()), stdout);
        return 0;
    }
    options = *parsed;
    return std::nullopt;
}

int ConsoleApp::run(ConsoleOptions parsedOptions)
{
    ConsoleOptions *options = &parsedOptions;

    ConsoleContext context(nullptr);
    ConsoleContext::install(&context);

    // A screenshot run never touches the user's data: a fresh demo store in a temporary dir.
    std::unique_ptr<QTemporaryDir> scratch;
    if (!options->screenshotPage.isEmpty() && !options->dataDirGiven) {
        scratch = std::make_unique<QTemporaryDir>();
        options->embedded.dataDir = scratch->path();
        options->embedded.databaseUrl = QStringLiteral("sqlite:%1/leadmetrics.db").arg(scratch->path());
        options->embedded.accessLogPath = QStringLiteral("off");
        options->embedded.channelProvidersFile = scratch->filePath(QStringLiteral("channel-providers.json"));
    }

    context.setScreenshot(options->screenshotPage, options->screenshotFile);
    std::unique_ptr<server::ServerHost> host;
    if (options->serverUrl.isEmpty()) {
        host = std::make_unique<server::ServerHost>(options->embedded);
        if (auto started = host->start(); !started.ok()) {
            std::fprintf(stderr, "leadmetrics-console: the embedded backend did not start: %s\n",
                qPrintable(started.error().message));
            return 1;
        }
        qCInfo(lcConsole) << "embedded backend on" << host->baseUrl();
        context.markStartup(QStringLiteral("embedded backend started"));
        context.setEmbeddedUrl(host->baseUrl());
        context.setInitialServerUrl(host->baseUrl());
    } else {
        context.setInitialServerUrl(options->serverUrl);
    }

    // The models' singleton; its offline decision queue lives next to the user's data (a screenshot
    // run keeps it in its scratch dir).
    models::Session session(scratch ? scratch->path() : QString());
    session.setServerUrl(QUrl(context.initialServerUrl()));

    QQmlApplicationEngine engine;
    engine.addImportPath(QStringLiteral("qrc:/qt/qml"));
    QObject::connect(&engine, &QQmlEngine::exit, qApp, &QCoreApplication::exit);
    engine.load(QUrl(QStringLiteral("qrc:/qt/qml/Leadmetrics/Console/qml/Main.qml")));
    if (engine.rootObjects().isEmpty()) {
        std::fprintf(stderr, "leadmetrics-console: the QML did not load\n");
        if (host)
            host->stop();
        return 1;
    }
    context.markStartup(QStringLiteral("QML loaded"));
    if (!options->screenshotPage.isEmpty()) {
        QTimer::singleShot(ScreenshotTimeoutMs, &context,
            [&context] { context.failScreenshot(QStringLiteral("the page was not populated in time")); });
    }

    const int code = QApplication::exec();
    if (host)
        host->stop();
    return code;
}

} // namespace lm::console
