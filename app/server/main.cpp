// SPDX-License-Identifier: GPL-3.0-or-later
// leadmetrics-server: the headless backend. All logic lives in lmbackend; this only wires.
#include "server/benchseed.h"
#include "server/serverhost.h"
#include "server/signalwatcher.h"

#include <QCoreApplication>

#include <cstdio>

namespace {

// `leadmetrics-server seed …`: fills an empty store for the benchmarks, then exits.
int seed(QStringList args)
{
    if (args.contains(QStringLiteral("--help"))) {
        std::fputs(qPrintable(lm::server::BenchSeed::usage()), stdout);
        return 0;
    }
    auto seedOptions = lm::server::BenchSeed::takeOptions(args);
    if (!seedOptions.ok()) {
        std::fprintf(stderr, "leadmetrics-server seed: %s\n%s", qPrintable(seedOptions.error().message),
            qPrintable(lm::server::BenchSeed::usage()));
        return 2;
    }
    auto options = lm::server::ServerOptions::parse(args);
    if (!options.ok()) {
        std::fprintf(stderr, "leadmetrics-server seed: %s\n%s", qPrintable(options.error().message),
            qPrintable(lm::server::BenchSeed::usage()));
        return 2;
    }
    auto seeded = lm::server::BenchSeed::seedStore(*options, *seedOptions, [](int done, int total) {
        if (done % 10 == 0 || done == total) {
            std::printf("seeded %d of %d tenants\n", done, total);
            std::fflush(stdout);
        }
    });
    if (!seeded.ok()) {
        std::fprintf(stderr, "leadmetrics-server seed: %s\n", qPrintable(seeded.error().message));
        return 1;
    }
    return 0;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("Leadmetrics"));
    QCoreApplication::setApplicationName(QStringLiteral("leadmetrics"));
    QCoreApplication::setApplicationVersion(QStringLiteral(LM_VERSION));

    QStringList args = app.arguments().mid(1);
    if (args.value(0) == QLatin1String("seed"))
        return seed(args.mid(1));
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
