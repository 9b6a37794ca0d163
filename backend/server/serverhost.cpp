// SPDX-License-Identifier: GPL-3.0-or-later
#include "serverhost.h"

#include "agents/adapterregistry.h"
#include "agents/runexecutor.h"
#include "api/accesslog.h"
#include "api/handlers/agent/agentroutes.h"
#include "api/handlers/agent/runauthenticator.h"
#include "api/handlers/auth/authroutes.h"
#include "api/handlers/auth/inviteroutes.h"
#include "api/handlers/dashboard/dashboardroutes.h"
#include "api/handlers/dashboard/streamroutes.h"
#include "api/handlers/dm/dmroutes.h"
#include "api/handlers/system/healthroutes.h"
#include "api/httpserver.h"
#include "api/middleware/audit.h"
#include "api/middleware/authentication.h"
#include "api/middleware/idempotency.h"
#include "api/pipeline.h"
#include "api/router.h"
#include "api/sse/ssestreams.h"
#include "auth/authservice.h"
#include "auth/secretbox.h"
#include "auth/sodium.h"
#include "core/logging.h"
#include "core/ulid.h"
#include "events/eventhub.h"
#include "events/eventrelay.h"
#include "jobs/jobqueue.h"
#include "jobs/jobworkers.h"
#include "server/demoengine.h"
#include "server/demoseed.h"
#include "services/agentcontrol.h"
#include "services/approvalservice.h"
#include "services/campaignservice.h"
#include "services/engine.h"
#include "services/leadimport.h"
#include "services/recurringtasks.h"
#include "store/store.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QTimer>

#include <thread>

namespace lm::server {

struct ServerHost::Impl
{
    ServerOptions options;
    SystemClock systemClock;
    const Clock *clock;
    std::unique_ptr<store::Store> store;
    std::unique_ptr<auth::AuthService> auth;
    std::unique_ptr<api::Router> router;
    std::unique_ptr<jobs::JobQueue> jobQueue;
    std::unique_ptr<jobs::JobWorkers> jobWorkers;
    std::unique_ptr<services::EngineContext> engine;
    std::unique_ptr<services::ApprovalService> approvals;
    std::unique_ptr<services::CampaignService> campaigns;
    std::unique_ptr<services::AgentControl> control;
    std::unique_ptr<agents::RunExecutor> executor;
    std::unique_ptr<api::RunTokenAuthenticator> runTokens;
    // The hub and the SSE streams outlive the HTTP engine: stream close callbacks run as it stops.
    std::unique_ptr<events::EventHub> hub;
    std::unique_ptr<api::sse::SseStreams> sseStreams;
    std::unique_ptr<events::EventRelay> relay;
    std::unique_ptr<api::AccessLog> accessLog;
    std::unique_ptr<api::Pipeline> pipeline;
    std::unique_ptr<api::HttpServer> http;
    std::unique_ptr<QTimer> flushTimer;
    quint16 port = 0;

    Result<void> prepareDataDir();
    Result<void> registerRoutes();
    void createEngine();
    void registerJobHandlers();
};

ServerHost::ServerHost(ServerOptions options, const Clock *clock)
    : d(std::make_unique<Impl>())
{
    d->options = std::move(options);
    d->options.resolveDefaults();
    d->clock = clock ? clock : &d->systemClock;
}

ServerHost::~ServerHost()
{
    stop();
}

Result<void> ServerHost::Impl::prepareDataDir()
{
    QDir dir(options.dataDir);
    if (!dir.mkpath(QStringLiteral(".")))
        return ApiError::internal(QStringLiteral("cannot create the data dir %1").arg(options.dataDir));
    // Keys and the database live here: owner only.
    QFile::setPermissions(options.dataDir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    return {};
}

Result<void> ServerHost::Impl::registerRoutes()
{
    if (auto r = api::registerHealthRoutes(*router, store->db(), QCoreApplication::applicationVersion());
        !r.ok())
        return r;
    if (auto r = api::registerAuthRoutes(*router, *auth); !r.ok())
        return r;
    if (auto r = api::registerInviteRoutes(*router, *store, *clock); !r.ok())
        return r;
    if (auto r = api::registerDashboardStreamRoutes(*router, *store, *sseStreams); !r.ok())
        return r;
    api::DashboardDeps dashboard {*store, *engine, *campaigns, *approvals};
    dashboard.secrets = &auth->secretBox();
    dashboard.executor = executor.get();
    dashboard.channelProvidersFile = options.channelProvidersFile;
    dashboard.streams = sseStreams.get();
    dashboard.openSecret = [a = auth.get()](const QByteArray &sealed) { return a->secretBox().open(sealed); };
    if (auto r = api::registerDashboardEngineRoutes(*router, dashboard); !r.ok())
        return r;
    if (auto r = api::registerDmRoutes(*router, dashboard); !r.ok())
        return r;
    return api::registerAgentRoutes(*router, *executor, *control, *store);
}

void ServerHost::Impl::createEngine()
{
    hub = std::make_unique<events::EventHub>();
    sseStreams = std::make_unique<api::sse::SseStreams>(*hub,
        api::sse::SseStreams::Settings {
            options.sseMaxStreamsPerUser, options.ssePingInterval, 3000, 200, 2000});
    engine = std::make_unique<services::EngineContext>(services::EngineContext {*store, *clock, *jobQueue,
        [h = hub.get()](const store::EventRecord &e) {
            h->publish({e.seq, e.tenantId, api::StoredEventTopic::of(e.topic, e.activityId), e.type, e.data,
                e.createdAtMs});
        },
        [workers = jobWorkers.get()] { workers->wake(); }});
    engine->publishThroughRelay = store->db().dialect() == store::Dialect::Postgres;
    approvals = std::make_unique<services::ApprovalService>(*engine);
    campaigns = std::make_unique<services::CampaignService>(*engine);
    control = std::make_unique<services::AgentControl>(*engine, *approvals);
    const auth::AuthService *authService = auth.get();
    executor = std::make_unique<agents::RunExecutor>(
        *engine, *campaigns, *approvals, *control, &agents::makeAdapter,
        [authService](const QByteArray &sealed) { return authService->secretBox().open(sealed); },
        agents::RunExecutor::Settings {});
}

void ServerHost::Impl::registerJobHandlers()
{
    jobWorkers->registerHandler(
        services::JobKind::RunActivity, [this](const jobs::Job &job) { return executor->handle(job); });
    jobWorkers->registerHandler(
        services::JobKind::ExpireRun, [this](const jobs::Job &job) { return executor->expire(job); });
    jobWorkers->registerHandler(
        services::JobKind::PlanCampaign, [this](const jobs::Job &job) -> Result<void> {
            auto planned = campaigns->planPeriod(job.tenantId,
                job.payload.value(QLatin1String("campaignId")).toString(),
                job.payload.value(QLatin1String("periodStart")).toString());
            if (!planned.ok())
                return planned.error();
            return {};
        });
    jobWorkers->registerHandler(services::LeadImporter::kJobKind,
        [this](const jobs::Job &job) { return services::LeadImporter::run(*engine, job); });
    if (auto r = services::RecurringTasks::install(*engine, *jobWorkers); !r.ok())
        qCWarning(lmEngine) << "recurring tasks not scheduled:" << r.error().message;
    // The sweep keeps one job of its kind in the queue: each run enqueues the next one first.
    jobWorkers->registerHandler(services::JobKind::SweepApprovals, [this](const jobs::Job &) -> Result<void> {
        jobs::NewJob next;
        next.kind = services::JobKind::SweepApprovals;
        next.runAtMs = clock->nowMs() + options.sweepIntervalMs;
        if (auto r = jobQueue->enqueue(next); !r.ok())
            return r.error();
        // A failed sweep is not retried: the next one is queued already, and a retry would add a
        // second chain of sweeps.
        if (auto swept = approvals->sweep(); !swept.ok())
            qCWarning(lmEngine) << "approval sweep failed:" << swept.error().message;
        return {};
    });
}

Result<void> ServerHost::start()
{
    if (!auth::ensureSodium())
        return ApiError::internal(QStringLiteral("libsodium failed to initialise"));
    if (auto r = d->prepareDataDir(); !r.ok())
        return r;

    const QDir dir(d->options.dataDir);
    auto signingKey = auth::KeyFile::loadOrCreate(dir.filePath(QStringLiteral("keys/jwt-signing.key")));
    if (!signingKey.ok())
        return signingKey.error();
    auto secretKey = auth::KeyFile::loadOrCreate(dir.filePath(QStringLiteral("keys/secrets.key")));
    if (!secretKey.ok())
        return secretKey.error();

    auto config = store::DatabaseConfig::fromUrl(d->options.databaseUrl);
    if (!config.ok())
        return config.error();
    d->store = std::make_unique<store::Store>(*config);
    if (auto r = d->store->migrate(); !r.ok())
        return r;

    d->auth = std::make_unique<auth::AuthService>(*d->store, *d->clock,
        auth::AuthService::Keys {*signingKey, *secretKey}, auth::AuthService::Settings {});
    d->jobQueue = std::make_unique<jobs::JobQueue>(d->store->db(), *d->clock);
    // Each instance names its workers, so a lease in the jobs table says who holds it.
    d->jobWorkers = std::make_unique<jobs::JobWorkers>(*d->jobQueue, d->store->db(), d->options.workers,
        QStringLiteral("server-") + Ulid::generate().right(8));
    if (d->options.demo) {
        if (auto seeded = DemoSeed::seedIfEmpty(
                *d->store, *d->jobQueue, *d->clock, !d->options.demoAccountsOnly, &d->auth->secretBox());
            !seeded.ok())
            return seeded.error();
    }
    d->createEngine();
    d->registerJobHandlers();
    if (d->options.demo && !d->options.demoAccountsOnly) {
        // The demo stays alive: the simulator runs what is assigned and the feed adds work.
        d->jobWorkers->registerHandler(DemoEngine::kFeedJob,
            [engine = d->engine.get()](const jobs::Job &) { return DemoEngine::feed(*engine); });
        if (auto pending = d->jobQueue->hasPending(DemoEngine::kFeedJob); pending.ok() && !*pending) {
            if (auto r = d->jobQueue->enqueue(
                    {DemoEngine::kFeedJob, {}, {}, d->clock->nowMs() + DemoEngine::kFeedIntervalMs, 5});
                !r.ok())
                return r.error();
        }
    }
    if (auto pending = d->jobQueue->hasPending(services::JobKind::SweepApprovals);
        pending.ok() && !*pending) {
        if (auto r = d->jobQueue->enqueue({services::JobKind::SweepApprovals, {}, {}, 0, 5}); !r.ok())
            return r.error();
    }
    // An SSE stream lasts longer than the authorisation it opened with: its owner is checked again
    // when an account changes here and, on PostgreSQL (several instances), every two seconds (the
    // account cache's age) for changes made by another instance.
    d->sseStreams->owners().watch(
        [accounts = &d->auth->accounts()](const api::sse::StreamOwners::Owner &o) {
            return api::accountMayCall(*accounts, o.userId, o.tenantId, o.access);
        },
        std::chrono::milliseconds(d->store->db().dialect() == store::Dialect::Postgres ? 2000 : 0));
    d->store->db().setAccountsChangedHook([owners = &d->sseStreams->owners()] { owners->changed(); });
    d->router = std::make_unique<api::Router>();
    if (auto r = d->registerRoutes(); !r.ok())
        return r;

    const QString logPath
        = d->options.accessLogPath == QLatin1String("off") ? QString() : d->options.accessLogPath;
    d->accessLog = std::make_unique<api::AccessLog>(logPath);
    const int cores = int(std::max(1u, std::thread::hardware_concurrency()));
    d->pipeline = std::make_unique<api::Pipeline>(
        *d->router, *d->auth, *d->accessLog, *d->clock, api::Pipeline::Settings {1024 * 1024, cores});
    d->runTokens = std::make_unique<api::RunTokenAuthenticator>(*d->executor);
    d->pipeline->setRunAuthenticator(d->runTokens.get());
    d->pipeline->setStage(api::Stage::Audit, std::make_shared<api::AuditStage>(d->store->audit, *d->clock));
    d->pipeline->setStage(
        api::Stage::Idempotency, std::make_shared<api::IdempotencyStage>(d->store->db(), *d->clock));

    api::HttpServer::Options http;
    http.host = d->options.host.toStdString();
    http.port = d->options.port;
    http.threads = d->options.ioThreads > 0 ? d->options.ioThreads : cores;
    http.requestTimeout = d->options.requestTimeout;
    http.streamSocketSendBuffer = d->options.sseSendBuffer;
    d->http = std::make_unique<api::HttpServer>(http, *d->pipeline);
    auto port = d->http->start();
    if (!port.ok()) {
        d->http.reset();
        return port.error();
    }
    d->port = *port;
    d->executor->setAgentApiBaseUrl(baseUrl());
    if (d->engine->publishThroughRelay) {
        d->relay = std::make_unique<events::EventRelay>(d->store->db(), d->store->events, d->engine->publish);
        if (auto r = d->relay->start(); !r.ok())
            return r;
    }
    if (d->options.workers > 0)
        d->jobWorkers->start();

    if (QCoreApplication::instance()) {
        d->flushTimer = std::make_unique<QTimer>();
        d->flushTimer->callOnTimeout([log = d->accessLog.get()] { log->flush(); });
        d->flushTimer->start(1000);
    }
    qCInfo(lmServer) << "serving" << baseUrl() << "on" << d->store->db().config().redactedUrl();
    return {};
}

void ServerHost::stop()
{
    d->flushTimer.reset();
    if (d->http)
        d->http->stop();
    if (d->executor)
        d->executor->requestStop();
    if (d->relay)
        d->relay->stop();
    if (d->jobWorkers)
        d->jobWorkers->stop();
    if (d->pipeline)
        d->pipeline->drain();
    if (d->store)
        d->store->db().setAccountsChangedHook({}); // the streams it pokes go before the store
    d->http.reset();
    d->pipeline.reset();
    if (d->accessLog)
        d->accessLog->flush();
}

quint16 ServerHost::port() const
{
    return d->port;
}

QString ServerHost::baseUrl() const
{
    const QString host = d->options.host.contains(QLatin1Char(':'))
        ? QLatin1Char('[') + d->options.host + QLatin1Char(']')
        : d->options.host;
    return QStringLiteral("http://%1:%2").arg(host).arg(d->port);
}

const ServerOptions &ServerHost::options() const
{
    return d->options;
}
store::Store &ServerHost::store()
{
    return *d->store;
}
auth::AuthService &ServerHost::auth()
{
    return *d->auth;
}
api::Router &ServerHost::router()
{
    return *d->router;
}
jobs::JobQueue &ServerHost::jobQueue()
{
    return *d->jobQueue;
}
jobs::JobWorkers &ServerHost::jobWorkers()
{
    return *d->jobWorkers;
}
services::EngineContext &ServerHost::engine()
{
    return *d->engine;
}
services::ApprovalService &ServerHost::approvals()
{
    return *d->approvals;
}
services::CampaignService &ServerHost::campaigns()
{
    return *d->campaigns;
}
services::AgentControl &ServerHost::agentControl()
{
    return *d->control;
}
agents::RunExecutor &ServerHost::runExecutor()
{
    return *d->executor;
}
events::EventHub &ServerHost::eventHub()
{
    return *d->hub;
}

} // namespace lm::server
