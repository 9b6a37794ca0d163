// SPDX-License-Identifier: GPL-3.0-or-later
// Queue throughput (a benchmark, not a test): N jobs enqueued at once, W workers claim and complete
// them with a no-op handler; prints jobs a second. Run through bench/queue.sh.
#include "benchstats.h"
#include "jobs/jobqueue.h"
#include "jobs/jobworkers.h"
#include "store/store.h"

#include <QCoreApplication>
#include <QElapsedTimer>

#include <cstdio>
#include <thread>

using namespace lm;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const auto option = [&](const QString &name, const QString &fallback) {
        const int i = args.indexOf(name);
        return i > 0 && i + 1 < args.size() ? args[i + 1] : fallback;
    };
    const QString url = option(QStringLiteral("--database"), QString());
    const int jobs = option(QStringLiteral("--jobs"), QStringLiteral("5000")).toInt();
    const int workers = option(QStringLiteral("--workers"), QStringLiteral("2")).toInt();
    auto config = store::DatabaseConfig::fromUrl(url);
    if (url.isEmpty() || !config.ok() || jobs <= 0 || workers <= 0) {
        std::fprintf(stderr, "usage: lm-bench-queue --database URL [--jobs N] [--workers W]\n");
        return 2;
    }
    store::Store store(*config);
    if (auto r = store.migrate(); !r.ok()) {
        std::fprintf(stderr, "migrate: %s\n", qPrintable(r.error().message));
        return 1;
    }
    SystemClock clock;
    jobs::JobQueue queue(store.db(), clock);
    {
        store::Transaction tx(store.db());
        for (int i = 0; i < jobs; ++i)
            (void)queue.enqueue({QStringLiteral("bench.noop"), {}, {{QStringLiteral("n"), i}}});
        if (!tx.commit().ok())
            return 1;
    }
    jobs::JobWorkers pool(queue, store.db(), workers, QStringLiteral("bench"), std::chrono::milliseconds(10));
    pool.registerHandler(QStringLiteral("bench.noop"), [](const jobs::Job &) -> Result<void> { return {}; });
    QElapsedTimer timer;
    timer.start();
    pool.start();
    while (pool.completedCount() < jobs)
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    const double seconds = double(timer.nsecsElapsed()) / 1e9;
    pool.stop();
    std::printf(
        "queue (%s): %d jobs, %d workers, %.2f s, %.0f jobs/s (claim + complete, each a committed write)\n",
        qPrintable(store.db().dialect() == store::Dialect::Sqlite ? QStringLiteral("sqlite")
                                                                  : QStringLiteral("postgres")),
        jobs, workers, seconds, jobs / seconds);
    // The process's peak memory, for tools/bench's table (the figure a server's VmHWM is there).
    if (const qint64 peak = bench::procStatusKiB("VmHWM"); peak > 0)
        std::printf("queue: peak %lld kB\n", static_cast<long long>(peak));
    return 0;
}
