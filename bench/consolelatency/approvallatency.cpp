// SPDX-License-Identifier: GPL-3.0-or-later
// approval_created → its row on screen (a benchmark, not a test). Runs the console's real parts in
// one process, offscreen: the embedded backend (ServerHost, with leadmetrics-server's flags), the
// Session and the Leadmetrics.Console QML (Main.qml, its ApprovalQueueModel and queue page), signed
// in over HTTP as a DM reviewer with the queue open. Then --events times: opens a pending approval
// through ApprovalService::create in a UnitOfWork (the service behind an agent's create-approval
// action: insert, commit, approval_created published by the hub after the commit), timestamped
// before the write, and waits for the first frame swapped after the queue's ListView has a delegate
// for that approval id. The approval is high risk and expires sooner than every other one, so it
// sorts to the top row. Prints p50/p99/max and where the time went (commit, SSE delivery to the
// Session, the model's detail read and insert, layout and frame). Run through bench/console-latency.sh.
//   lm-bench-console-latency [--events 200] [--gap-ms 50] [--email dm@bench.test]
//                            [--password bench-pass-2026] -- SERVER FLAGS...
#include "benchstats.h"
#include "consolecontext.h"
#include "server/serverhost.h"
#include "services/approvalservice.h"
#include "services/engine.h"
#include "session.h"
#include "store/store.h"

#include <QAbstractItemModel>
#include <QApplication>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QSGRendererInterface>
#include <QTemporaryDir>
#include <QTimer>
#include <QtQml/qqmlextensionplugin.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

Q_IMPORT_QML_PLUGIN(Leadmetrics_ConsolePlugin)
Q_IMPORT_QML_PLUGIN(Leadmetrics_HighlightPlugin)
Q_IMPORT_QML_PLUGIN(Leadmetrics_ModelsPlugin)

using namespace lm;

namespace {

double nowMs()
{
    return double(std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
                      .count())
        / 1000.0;
}

/// One approval's way to the screen, in ms since it was written (0: not reached).
struct Probe
{
    QString approvalId;
    double startMs = 0; ///< before the insert
    double committedMs = 0; ///< commit returned (the hub has queued the event on the streams)
    double eventMs = 0; ///< the Session emitted approval_created
    double insertedMs = 0; ///< the model inserted its row (after the detail read)
    double onScreenMs = 0; ///< the first frame swapped with its delegate in the ListView
};

/// Drives the events one after another and collects the probes.
class LatencyRun : public QObject
{
public:
    LatencyRun(server::ServerHost &host, QQuickWindow &window, int events, int gapMs)
        : m_host(host)
        , m_window(window)
        , m_events(events)
        , m_gapMs(gapMs)
    {
        m_timeout.setSingleShot(true);
        m_timeout.setInterval(10000);
        connect(&m_timeout, &QTimer::timeout, this, [this] { fail(QStringLiteral("no row within 10 s")); });
    }

    /// Starts once the queue page shows rows and the event stream is open; exits the app when done.
    void start(QQuickItem *list, models::Session &session)
    {
        m_list = list;
        m_model = qobject_cast<QAbstractItemModel *>(list->property("model").value<QObject *>());
        if (!m_model) {
            fail(QStringLiteral("the queue's ListView has no model"));
            return;
        }
        auto tenants = m_host.store().tenants.list(store::TenantScope::allTenants());
        if (!tenants.ok() || tenants->isEmpty()) {
            fail(QStringLiteral("the store has no tenants (seed it first)"));
            return;
        }
        for (const auto &t : std::as_const(*tenants))
            m_tenantIds << t.id;
        connect(&session, &models::Session::serverEvent, this,
            [this](const QString &type, const QJsonObject &data) {
                if (type == QLatin1String("approval_created") && m_current
                    && data.value(QLatin1String("approvalId")).toString() == m_current->approvalId
                    && !m_current->eventMs)
                    m_current->eventMs = nowMs();
            });
        connect(m_model, &QAbstractItemModel::rowsInserted, this,
            [this](const QModelIndex &, int first, int last) {
                if (!m_current)
                    return;
                for (int row = first; row <= last; ++row) {
                    if (m_model->index(row, 0).data(m_idRole).toString() == m_current->approvalId)
                        m_current->insertedMs = nowMs();
                }
            });
        // With the threaded render loop frameSwapped comes from the render thread: queued here.
        connect(&m_window, &QQuickWindow::frameSwapped, this, &LatencyRun::onFrame, Qt::QueuedConnection);
        m_idRole = m_model->roleNames().key("approvalId", -1);
        const auto *renderer = m_window.rendererInterface();
        std::printf("latency: scene graph %s (graphics API %d)\n",
            qPrintable(QQuickWindow::sceneGraphBackend()), renderer ? int(renderer->graphicsApi()) : -1);
        std::printf("latency: %lld tenants, %d rows loaded, %d events %d ms apart\n",
            static_cast<long long>(m_tenantIds.size()), m_model->rowCount(), m_events, m_gapMs);
        std::fflush(stdout);
        next();
    }

    [[nodiscard]] const std::vector<Probe> &probes() const { return m_probes; }

private:
    void next()
    {
        if (int(m_probes.size()) == m_events) {
            report();
            return;
        }
        const int i = int(m_probes.size());
        m_probes.push_back({});
        m_current = &m_probes.back();
        const QString tenantId = m_tenantIds.at(i % m_tenantIds.size());
        services::NewApproval request;
        request.tenantId = tenantId;
        request.title = QStringLiteral("Latency probe %1").arg(i + 1);
        request.type = QStringLiteral("channel_action");
        request.riskLevel = QStringLiteral("high");
        request.description = QStringLiteral("Opened by lm-bench-console-latency.");
        // Sooner than every seeded approval (≥ 1 h) and every probe before it: the top row.
        const qint64 wallNow = QDateTime::currentMSecsSinceEpoch();
        request.expiresAtMs = wallNow + 30 * 60 * 1000 - qint64(i) * 1000;
        services::Actor by;
        by.type = QStringLiteral("agent");
        by.id = QStringLiteral("bench");
        by.name = QStringLiteral("Latency bench");

        m_current->startMs = nowMs();
        services::UnitOfWork work(m_host.engine());
        auto approval = m_host.approvals().create(work, request, by);
        if (!approval.ok()) {
            fail(approval.error().message);
            return;
        }
        m_current->approvalId = approval->id;
        if (auto r = work.commit(); !r.ok()) {
            fail(r.error().message);
            return;
        }
        m_current->committedMs = nowMs();
        m_timeout.start();
    }

    void onFrame()
    {
        if (!m_current || !m_current->insertedMs || m_current->onScreenMs)
            return;
        if (!hasDelegate(m_current->approvalId)) {
            m_window.update(); // inserted but not laid out yet: look again at the next frame
            return;
        }
        m_current->onScreenMs = nowMs();
        m_timeout.stop();
        m_current = nullptr;
        QTimer::singleShot(m_gapMs, this, &LatencyRun::next);
    }

    /// A delegate of the ListView shows `approvalId` (one within the view: ListView culls the rest).
    [[nodiscard]] bool hasDelegate(const QString &approvalId) const
    {
        auto *content = m_list->property("contentItem").value<QQuickItem *>();
        if (!content)
            return false;
        const qreal top = m_list->property("contentY").toReal();
        const qreal bottom = top + m_list->height();
        const auto items = content->childItems();
        return std::any_of(items.cbegin(), items.cend(), [&](const QQuickItem *item) {
            return item->isVisible() && item->property("approvalId").toString() == approvalId
                && item->y() + item->height() > top && item->y() < bottom;
        });
    }

    void fail(const QString &message)
    {
        std::fprintf(
            stderr, "lm-bench-console-latency: event %zu: %s\n", m_probes.size(), qPrintable(message));
        QCoreApplication::exit(1);
    }

    void report()
    {
        std::vector<double> total, commit, delivery, insert, frame;
        for (const Probe &p : m_probes) {
            total.push_back(p.onScreenMs - p.startMs);
            commit.push_back(p.committedMs - p.startMs);
            delivery.push_back(p.eventMs ? p.eventMs - p.committedMs : 0);
            insert.push_back(p.eventMs ? p.insertedMs - p.eventMs : 0);
            frame.push_back(p.onScreenMs - p.insertedMs);
        }
        const auto line = [](const char *what, const std::vector<double> &v) {
            std::printf("latency: %-48s p50 %7.2f ms  p99 %7.2f ms  max %7.2f ms\n", what,
                bench::percentile(v, 50), bench::percentile(v, 99), bench::percentile(v, 100));
        };
        line("write + commit (publish after it)", commit);
        line("commit → Session has the event (SSE)", delivery);
        line("event → row inserted (detail GET, insert)", insert);
        line("row inserted → frame swapped with its delegate", frame);
        line("approval_created → row on screen (total)", total);
        // Where the slowest went: each phase of the three slowest events.
        std::vector<std::size_t> order(m_probes.size());
        for (std::size_t i = 0; i < order.size(); ++i)
            order[i] = i;
        std::sort(
            order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return total[a] > total[b]; });
        for (std::size_t k = 0; k < std::min<std::size_t>(3, order.size()); ++k) {
            const std::size_t i = order[k];
            std::printf(
                "latency: slow #%zu: event %zu, %.2f ms = commit %.2f + SSE %.2f + detail/insert %.2f + "
                "frame %.2f\n",
                k + 1, i + 1, total[i], commit[i], delivery[i], insert[i], frame[i]);
        }
        std::printf("latency: %zu events, total p50 %.2f ms p99 %.2f ms max %.2f ms; peak RSS %lld kB\n",
            m_probes.size(), bench::percentile(total, 50), bench::percentile(total, 99),
            bench::percentile(total, 100), static_cast<long long>(bench::procStatusKiB("VmHWM")));
        std::fflush(stdout);
        QCoreApplication::exit(0);
    }

    server::ServerHost &m_host;
    QQuickWindow &m_window;
    const int m_events;
    const int m_gapMs;
    QQuickItem *m_list = nullptr;
    QAbstractItemModel *m_model = nullptr;
    int m_idRole = -1;
    QStringList m_tenantIds;
    std::vector<Probe> m_probes;
    Probe *m_current = nullptr;
    QTimer m_timeout;
};

} // namespace

int main(int argc, char *argv[])
{
    QApplication::setOrganizationName(QStringLiteral("Leadmetrics"));
    QApplication::setApplicationName(QStringLiteral("leadmetrics"));
    QApplication app(argc, argv); // QtCharts' QML types need a QApplication
    QStringList args = QApplication::arguments().mid(1);
    QStringList serverArgs;
    if (const int dashes = int(args.indexOf(QStringLiteral("--"))); dashes >= 0) {
        serverArgs = args.mid(dashes + 1);
        args = args.mid(0, dashes);
    }
    const auto option = [&](const QString &name, const QString &fallback) {
        const qsizetype i = args.indexOf(name);
        return i >= 0 && i + 1 < args.size() ? args[i + 1] : fallback;
    };
    const int events = option(QStringLiteral("--events"), QStringLiteral("200")).toInt();
    const int gapMs = option(QStringLiteral("--gap-ms"), QStringLiteral("50")).toInt();
    const QString email = option(QStringLiteral("--email"), QStringLiteral("dm@bench.test"));
    const QString password = option(QStringLiteral("--password"), QStringLiteral("bench-pass-2026"));
    auto options = server::ServerOptions::parse(serverArgs);
    if (events <= 0 || gapMs < 0 || !options.ok()) {
        std::fprintf(stderr,
            "usage: lm-bench-console-latency [--events 200] [--gap-ms 50] [--email E] [--password P]\n"
            "                                -- SERVER FLAGS (leadmetrics-server's, e.g. --data-dir DIR)\n%s",
            options.ok() ? "" : qPrintable(options.error().message));
        return 2;
    }
    options->host = QStringLiteral("127.0.0.1");
    options->port = 0;

    server::ServerHost host(*options);
    if (auto started = host.start(); !started.ok()) {
        std::fprintf(stderr, "lm-bench-console-latency: %s\n", qPrintable(started.error().message));
        return 1;
    }
    console::ConsoleContext context(nullptr);
    console::ConsoleContext::install(&context);
    context.setEmbeddedUrl(host.baseUrl());
    context.setInitialServerUrl(host.baseUrl());
    QTemporaryDir scratch; // the Session's offline decision queue
    models::Session session(scratch.path());
    session.setServerUrl(QUrl(host.baseUrl()));

    QQmlApplicationEngine engine;
    engine.addImportPath(QStringLiteral("qrc:/qt/qml"));
    engine.load(QUrl(QStringLiteral("qrc:/qt/qml/Leadmetrics/Console/qml/Main.qml")));
    auto *window = engine.rootObjects().isEmpty()
        ? nullptr
        : qobject_cast<QQuickWindow *>(engine.rootObjects().first());
    if (!window) {
        std::fprintf(stderr, "lm-bench-console-latency: the QML did not load\n");
        return 1;
    }
    LatencyRun run(host, *window, events, gapMs);

    // Signed in (Main.qml then shows Mission Control): open the queue as Ctrl+2 would.
    QObject::connect(&session, &models::Session::stateChanged, window, [&session, window] {
        if (session.state() == models::Session::SignedIn)
            QMetaObject::invokeMethod(window, "showQueue", Q_ARG(QVariant, QVariant(QString())));
        else if (!session.errorMessage().isEmpty())
            std::fprintf(
                stderr, "lm-bench-console-latency: sign-in: %s\n", qPrintable(session.errorMessage()));
    });
    session.login(email, password);

    // Ready: the queue page's ListView has rows, its first page is in and the event stream is open.
    QTimer ready;
    int waited = 0;
    QObject::connect(&ready, &QTimer::timeout, window, [&] {
        auto *list = window->findChild<QQuickItem *>(QStringLiteral("approvalList"));
        const bool loaded = list && list->property("count").toInt() > 0;
        if (loaded && session.connection() == models::Session::Online) {
            ready.stop();
            run.start(list, session);
        } else if (++waited > 600) {
            ready.stop();
            std::fprintf(
                stderr, "lm-bench-console-latency: the queue was not populated and online in 60 s\n");
            QCoreApplication::exit(1);
        }
    });
    ready.start(100);

    const int code = QApplication::exec();
    host.stop();
    return code;
}
