// SPDX-License-Identifier: GPL-3.0-or-later
// SSE fan-out, the server side (a benchmark, not a test). Runs the ServerHost the headless server
// runs, in-process, with the server's own flags; waits until --streams SSE streams follow the
// tenant event stream of --email's tenant; reads the process RSS before the first stream and once
// all are connected and idle; then writes --events tenant events, --interval-ms apart, each through
// a UnitOfWork (event row, commit, hub publish after the commit): the real path of every event.
// Each event's data carries benchIndex and benchSentNs (steady clock, taken before the write), which
// the client (lm-bench-sse-client, another process) subtracts from its receive time.
// Run through bench/sse-fanout.sh.
//   lm-bench-sse-server --streams N [--events 50] [--interval-ms 200] [--settle-ms 3000]
//                       [--email admin@acme.demo] [--connect-timeout-s 300] [--timeline FILE]
//                       -- SERVER FLAGS...
#include "benchstats.h"
#include "events/eventhub.h"
#include "server/serverhost.h"
#include "server/signalwatcher.h"
#include "services/engine.h"
#include "store/store.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonObject>
#include <QTimer>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <malloc.h>
#include <vector>

using namespace lm;

namespace {

qint64 steadyNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
        std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

qint64 rssKiB()
{
    return bench::procStatusKiB("VmRSS");
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("leadmetrics"));
    QStringList args = app.arguments().mid(1);
    QStringList serverArgs;
    if (const int dashes = int(args.indexOf(QStringLiteral("--"))); dashes >= 0) {
        serverArgs = args.mid(dashes + 1);
        args = args.mid(0, dashes);
    }
    const auto option = [&](const QString &name, const QString &fallback) {
        const qsizetype i = args.indexOf(name);
        return i >= 0 && i + 1 < args.size() ? args[i + 1] : fallback;
    };
    const int streams = option(QStringLiteral("--streams"), QStringLiteral("0")).toInt();
    const int events = option(QStringLiteral("--events"), QStringLiteral("50")).toInt();
    const int intervalMs = option(QStringLiteral("--interval-ms"), QStringLiteral("200")).toInt();
    const int settleMs = option(QStringLiteral("--settle-ms"), QStringLiteral("3000")).toInt();
    const int connectTimeoutS = option(QStringLiteral("--connect-timeout-s"), QStringLiteral("300")).toInt();
    const QString email = option(QStringLiteral("--email"), QStringLiteral("admin@acme.demo"));
    const QString timeline = option(QStringLiteral("--timeline"), QString());
    auto options = server::ServerOptions::parse(serverArgs);
    if (streams <= 0 || events <= 0 || intervalMs < 0 || !options.ok()) {
        std::fprintf(stderr,
            "usage: lm-bench-sse-server --streams N [--events 50] [--interval-ms 200] [--settle-ms 3000]\n"
            "                           [--email admin@acme.demo] -- SERVER FLAGS (leadmetrics-server)\n%s",
            options.ok() ? "" : qPrintable(options.error().message));
        return 2;
    }

    server::SignalWatcher watcher;
    QObject::connect(&watcher, &server::SignalWatcher::terminationRequested, &app, &QCoreApplication::quit);
    const qint64 startNs = steadyNs();
    server::ServerHost host(*options);
    if (auto started = host.start(); !started.ok()) {
        std::fprintf(stderr, "lm-bench-sse-server: %s\n", qPrintable(started.error().message));
        return 1;
    }
    auto user = host.store().users.findActiveForLogin(email);
    if (!user.ok() || !user->has_value() || (*user)->tenantId.isEmpty()) {
        std::fprintf(stderr, "lm-bench-sse-server: no tenant user %s (run with --demo)\n", qPrintable(email));
        return 1;
    }
    const QString tenantId = (*user)->tenantId;
    const QString topicKey = events::EventHub::topicKey(tenantId, QStringLiteral("tenant"));
    std::printf("listening on %s\n", qPrintable(host.baseUrl()));
    std::printf("server: cap %d streams per user, %d events %d ms apart, topic %s\n",
        host.options().sseMaxStreamsPerUser, events, intervalMs, qPrintable(topicKey));
    std::fflush(stdout);

    // Instrumentation only: the host's publish callback (the hub) still runs as is; this times it.
    // sent → publish start is the event row's insert and commit; publish start → end is the hub
    // queueing the event's bytes on every stream.
    std::vector<double> commitMs, fanoutMs;
    {
        auto &engine = host.engine();
        auto publish = engine.publish;
        engine.publish = [publish, &fanoutMs](const store::EventRecord &e) {
            const qint64 t0 = steadyNs();
            publish(e);
            fanoutMs.push_back(double(steadyNs() - t0) / 1e6);
        };
    }

    qint64 baselineKiB = rssKiB();
    qint64 idleKiB = 0;
    qint64 firstStreamNs = 0;
    const qint64 pollStartNs = steadyNs();
    int sent = 0;
    bench::CpuMs cpuAtStart;
    QTimer poll;
    QTimer tick;

    const auto publishOne = [&] {
        const qint64 sentNs = steadyNs();
        services::UnitOfWork work(host.engine());
        auto r = work.tenantEvent(tenantId, QStringLiteral("bench_fanout"),
            QJsonObject {{QStringLiteral("benchIndex"), sent}, {QStringLiteral("benchSentNs"), sentNs}});
        if (r.ok()) {
            const qint64 beforeCommit = steadyNs();
            r = work.commit();
            // commit() publishes after the transaction commits: subtract the fan-out measured inside.
            const double total = double(steadyNs() - beforeCommit) / 1e6;
            commitMs.push_back(
                double(beforeCommit - sentNs) / 1e6 + total - (fanoutMs.empty() ? 0.0 : fanoutMs.back()));
        }
        if (!r.ok()) {
            std::fprintf(stderr, "lm-bench-sse-server: event %d: %s\n", sent, qPrintable(r.error().message));
            app.exit(1);
            return;
        }
        if (++sent < events)
            return;
        tick.stop();
        std::printf("server: published %d events; write+commit p50 %.2f ms p99 %.2f ms; hub publish to "
                    "all streams (queueing) p50 %.2f ms p99 %.2f ms max %.2f ms\n",
            sent, bench::percentile(commitMs, 50), bench::percentile(commitMs, 99),
            bench::percentile(fanoutMs, 50), bench::percentile(fanoutMs, 99),
            bench::percentile(fanoutMs, 100));
        std::printf("server: subscribers after the events %zu\n", host.eventHub().subscriberCount(topicKey));
        if (!timeline.isEmpty()) {
            // Per event: its index and the write + commit before the publish, for the script to
            // take off the client's figures (publish → last subscriber, as the target words it).
            QFile out(timeline);
            if (out.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
                for (std::size_t i = 0; i < commitMs.size(); ++i)
                    out.write(QByteArray::number(qulonglong(i)) + ' ' + QByteArray::number(commitMs[i], 'f', 3) + '\n');
            }
        }
        std::fflush(stdout);
        QTimer::singleShot(3000, &app, [&] {
            const bench::CpuMs cpu = bench::processCpuMs();
            std::printf("server: CPU from the first event to 3 s after the last: %.1f ms an event (user %.1f, "
                        "system %.1f)\n",
                (cpu.total() - cpuAtStart.total()) / sent,
                (cpu.user - cpuAtStart.user) / sent, (cpu.system - cpuAtStart.system) / sent);
            const qint64 after = rssKiB();
            // Diagnostic: how much of the growth is freed heap that malloc keeps, not live memory.
            malloc_trim(0);
            std::printf(
                "server: RSS after the events %lld KiB (%.2f KiB per stream over the baseline); after "
                "malloc_trim(0) %lld KiB\n",
                after, double(after - baselineKiB) / double(streams), rssKiB());
            std::printf("server: done\n");
            std::fflush(stdout);
        });
    };

    tick.setTimerType(Qt::PreciseTimer);
    tick.callOnTimeout(publishOne);
    poll.callOnTimeout([&] {
        const std::size_t count = host.eventHub().subscriberCount(topicKey);
        if (count == 0) {
            baselineKiB = rssKiB(); // the last reading before the first stream
            if ((steadyNs() - pollStartNs) / 1000000000 > connectTimeoutS) {
                std::fprintf(stderr, "lm-bench-sse-server: no stream connected\n");
                app.exit(1);
            }
            return;
        }
        if (firstStreamNs == 0) {
            firstStreamNs = steadyNs();
            std::printf("server: baseline RSS %lld KiB (before the first stream)\n", baselineKiB);
            std::fflush(stdout);
        }
        if (count < std::size_t(streams)) {
            if ((steadyNs() - firstStreamNs) / 1000000000 > connectTimeoutS) {
                std::fprintf(stderr, "lm-bench-sse-server: only %zu of %d streams after %d s\n", count,
                    streams, connectTimeoutS);
                app.exit(1);
            }
            return;
        }
        poll.stop();
        std::printf("server: %zu streams subscribed %.2f s after the first\n", count,
            double(steadyNs() - firstStreamNs) / 1e9);
        std::fflush(stdout);
        // Let the streams go idle (headers and retry: written, buffers released), then measure.
        QTimer::singleShot(settleMs, &app, [&] {
            idleKiB = rssKiB();
            const std::size_t now = host.eventHub().subscriberCount(topicKey);
            std::printf("server: idle RSS %lld KiB with %zu streams; delta %lld KiB; %.2f KiB per stream\n",
                idleKiB, now, idleKiB - baselineKiB,
                double(idleKiB - baselineKiB) / double(std::max<std::size_t>(1, now)));
            std::printf("server: publishing from %.2f s after the start\n", double(steadyNs() - startNs) / 1e9);
            std::fflush(stdout);
            cpuAtStart = bench::processCpuMs();
            tick.start(intervalMs);
        });
    });
    poll.start(10);

    const int code = app.exec();
    host.stop();
    return code;
}
