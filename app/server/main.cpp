// SPDX-License-Identifier: GPL-3.0-or-later
// leadmetrics-server: the headless backend. All logic lives in lmbackend; this only wires.
#include "server/serverhost.h"
#include "server/signalwatcher.h"

#include <QCoreApplication>

#include <cstdio>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("Leadmetrics"));
    QCoreApplication::setApplicationName(QStringLiteral("leadmetrics"));
    QCoreApplication::setApplicationVersion(QStringLiteral(LM_VERSION));

    const QStringList args = app.arguments().mid(1);
    if (args.contains(QStringLiteral("--help")) || args.contains(QStringLiteral("-h"))) {
        std::fputs(qPrintable(lm::server::ServerOptions::usage()), stdout);
        return 0;
    }
    if (args.contains(QStringLiteral("--version"))) {
        std::printf("leadmetrics-server %s\n", LM_VERSION);
        return 0;
    }
    auto options = lm::server::ServerOptions::parse(args);
    if (!options.ok()) {
        std::fprintf(stderr, "leadmetrics-server: %s\n%s", qPrintable(options.error().message),
            qPrintable(lm::server::ServerOptions::usage()));
        return 2;
    }

    // Installed before listening, so a SIGTERM right after the "listening on" line is handled.
    lm::server::SignalWatcher watcher;
    QObject::connect(
        &watcher, &lm::server::SignalWatcher::terminationRequested, &app, &QCoreApplication::quit);

    lm::server::ServerHost host(*options);
    if (auto started = host.start(); !started.ok()) {
        std::fprintf(stderr, "leadmetrics-server: %s\n", qPrintable(started.error().message));
        return 1;
    }
    std::printf("listening on %s\n", qPrintable(host.baseUrl()));
    std::fflush(stdout);

    const int code = app.exec();
    host.stop();
    return code;
}
