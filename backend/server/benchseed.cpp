// SPDX-License-Identifier: GPL-3.0-or-later
#include "benchseed.h"

#include "agents/simulatorcontent.h"
#include "auth/passwordhasher.h"
#include "core/ulid.h"
#include "server/demoengine.h"
#include "services/campaignservice.h"

#include <QDir>
#include <QFile>

namespace lm::server {

namespace {

constexpr qint64 kHour = 60 * 60 * 1000;
constexpr qint64 kDay = 24 * kHour;

const QStringList kTypes {QStringLiteral("content_review"), QStringLiteral("content_direction"),
    QStringLiteral("brand_direction"), QStringLiteral("strategy_change"),
    QStringLiteral("budget_authorization"), QStringLiteral("channel_action")};
const QStringList kRisks {QStringLiteral("low"), QStringLiteral("medium"), QStringLiteral("high")};
const QStringList kResolved {
    QStringLiteral("approved"), QStringLiteral("rejected"), QStringLiteral("expired")};
const QStringList kDeliverables {QStringLiteral("blog_post"), QStringLiteral("social_post"),
    QStringLiteral("email_campaign"), QStringLiteral("landing_page"), QStringLiteral("ad_copy")};
const QStringList kActivityStatuses {QStringLiteral("done"), QStringLiteral("in_progress"),
    QStringLiteral("assigned"), QStringLiteral("awaiting_review"), QStringLiteral("blocked"),
    QStringLiteral("failed")};

// What agents write when they ask: a few sentences, about 300–500 characters.
const QStringList kSentences {
    QStringLiteral(
        "The draft follows the brief and the brand voice guide, with the offer in the first paragraph."),
    QStringLiteral("Two claims cite figures from last quarter's report; please check they may be published."),
    QStringLiteral(
        "The tone is warmer than the last campaign's, which tested better with returning customers."),
    QStringLiteral(
        "It targets the keywords agreed in the research task and links to the booking page twice."),
    QStringLiteral("Publishing it now keeps the campaign on track for this month's target."),
    QStringLiteral("Spend so far is within the cap; this step adds an estimated 40 USD of agent time."),
    QStringLiteral("The images are placeholders until the designer's versions are approved."),
    QStringLiteral("Legal asked to see any mention of prices before it goes out."),
};

Result<QString> addAdmin(
    store::Store &store, const store::Tenant &tenant, int index, const QByteArray &hash, qint64 now)
{
    store::User u;
    u.id = Ulid::generate();
    u.tenantId = tenant.id;
    u.email = QStringLiteral("admin@bench-%1.test").arg(index);
    u.name = QStringLiteral("Admin %1").arg(index);
    u.role = Role::Admin;
    u.appAccess = {Surface::Dashboard};
    u.passwordHash = hash;
    u.createdAtMs = now;
    u.updatedAtMs = now;
    if (auto r = store.users.insert(u); !r.ok())
        return r.error();
    return u.id;
}

} // namespace

Result<BenchSeed::Options> BenchSeed::takeOptions(QStringList &args)
{
    Options o;
    const auto take = [&args](const QString &flag, int min, int max, int &into) -> Result<void> {
        const qsizetype at = args.indexOf(flag);
        if (at < 0)
            return {};
        bool ok = false;
        const int value = args.value(at + 1).toInt(&ok);
        if (!ok || value < min || value > max)
            return ApiError::validation(flag, QStringLiteral("invalid"),
                QStringLiteral("%1 takes a number from %2 to %3").arg(flag).arg(min).arg(max));
        into = value;
        args.remove(at, 2);
        return {};
    };
    int seed = 1;
    for (const auto &[flag, min, max, into] :
        {std::tuple {QStringLiteral("--tenants"), 1, 10'000, &o.tenants},
            std::tuple {QStringLiteral("--approvals-per-tenant"), 0, 1'000'000, &o.approvalsPerTenant},
            std::tuple {QStringLiteral("--activities-per-tenant"), 0, 1'000'000, &o.activitiesPerTenant},
            std::tuple {QStringLiteral("--seed"), 0, 1'000'000'000, &seed}}) {
        if (auto r = take(flag, min, max, *into); !r.ok())
            return r.error();
    }
    o.seed = quint64(seed);
    return o;
}

QString BenchSeed::usage()
{
    return QStringLiteral(
        "usage: leadmetrics-server seed [--tenants N] [--approvals-per-tenant M] [--activities-per-tenant "
        "K]\n"
        "                               [--seed S] [--data-dir DIR | --database URL]\n"
        "  Fills an empty store for the benchmarks (defaults 100 × 1,000 approvals, 2,000 activities).\n"
        "  Users admin@bench-N.test (N = 1 … tenants) and dm@bench.test, password bench-pass-2026.\n");
}

Result<void> BenchSeed::seedStore(
    ServerOptions server, const Options &options, const std::function<void(int, int)> &progress)
{
    server.resolveDefaults();
    if (!QDir(server.dataDir).mkpath(QStringLiteral(".")))
        return ApiError::internal(QStringLiteral("cannot create the data dir %1").arg(server.dataDir));
    QFile::setPermissions(server.dataDir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    auto config = store::DatabaseConfig::fromUrl(server.databaseUrl);
    if (!config.ok())
        return config.error();
    store::Store store(*config);
    if (auto r = store.migrate(); !r.ok())
        return r;
    SystemClock clock;
    jobs::JobQueue queue(store.db(), clock);
    return run(store, queue, clock, options, progress);
}

Result<void> BenchSeed::run(store::Store &store, jobs::JobQueue &queue, const Clock &clock,
    const Options &options, const std::function<void(int, int)> &progress)
{
    auto count = store.tenants.count();
    if (!count.ok())
        return count.error();
    if (*count > 0)
        return ApiError::conflict(QStringLiteral("the store is not empty: seed only fills a new one"));

    const qint64 now = clock.nowMs();
    // One hash for every account: argon2 per user would make seeding 100 tenants take minutes.
    const QByteArray hash = auth::PasswordHasher::hash(QByteArray(kPassword));
    if (hash.isEmpty())
        return ApiError::internal(QStringLiteral("password hashing failed"));
    agents::sim::Rng rng(options.seed);
    {
        store::Transaction tx(store.db());
        if (!tx.isActive())
            return tx.error();
        if (auto r = DemoEngine::seedPrices(store, now); !r.ok())
            return r.error();
        // A DM reviewer for the cross-tenant queue's benchmark (bench/dm-queue.sh).
        store::User dm;
        dm.id = Ulid::generate();
        dm.email = QStringLiteral("dm@bench.test");
        dm.name = QStringLiteral("Bench Reviewer");
        dm.role = Role::DmReviewer;
        dm.appAccess = {Surface::Dm};
        dm.passwordHash = hash;
        dm.createdAtMs = now;
        dm.updatedAtMs = now;
        if (auto r = store.users.insert(dm); !r.ok())
            return r.error();
        if (auto r = tx.commit(); !r.ok())
            return r.error();
    }

    for (int t = 1; t <= options.tenants; ++t) {
        store::Transaction tx(store.db());
        if (!tx.isActive())
            return tx.error();
        const store::Tenant tenant {Ulid::generate(), QStringLiteral("bench-%1").arg(t),
            QStringLiteral("Bench Tenant %1").arg(t), QStringLiteral("active"), now, now};
        if (auto r = store.tenants.insert(tenant); !r.ok())
            return r.error();
        auto owner = addAdmin(store, tenant, t, hash, now);
        if (!owner.ok())
            return owner.error();
        if (auto r = DemoEngine::seedTenant(store, queue, clock, tenant.id, tenant.name, *owner, t - 1);
            !r.ok())
            return r.error();

        const auto scope = store::TenantScope::tenant(tenant.id);
        auto campaigns = store.campaigns.list(scope, QString(), store::PageRequest {{}, 100, true});
        if (!campaigns.ok())
            return campaigns.error();
        if (campaigns->items.isEmpty())
            return ApiError::internal(QStringLiteral("the demo seeded no campaign"));

        // Activities first (oldest first, over the last 60 days), then approvals that link them.
        QList<store::Activity> activities;
        activities.reserve(options.activitiesPerTenant);
        for (int i = 0; i < options.activitiesPerTenant; ++i) {
            const store::Campaign &c = rng.pick(campaigns->items);
            const QString type = kDeliverables.at(rng.range(0, int(kDeliverables.size()) - 1));
            const qint64 created
                = now - 60 * kDay + qint64(i) * (60 * kDay / std::max(1, options.activitiesPerTenant));
            store::Activity a;
            a.id = Ulid::generate(QDateTime::fromMSecsSinceEpoch(created, Qt::UTC));
            a.tenantId = tenant.id;
            a.campaignId = c.id;
            a.type = type;
            a.agentRole = services::CampaignService::roleFor(type);
            a.title = QStringLiteral("%1 #%2 for %3")
                          .arg(services::CampaignService::labelFor(type))
                          .arg(i + 1)
                          .arg(c.name);
            a.status = kActivityStatuses.at(rng.range(0, int(kActivityStatuses.size()) - 1));
            a.inputPrompt = QStringLiteral("Write the %1 for the campaign \"%2\".")
                                .arg(services::CampaignService::labelFor(type).toLower(), c.name);
            a.createdAtMs = a.updatedAtMs = created;
            activities.append(a);
        }

        struct Planned
        {
            store::Approval approval;
            QStringList links;
        };
        QList<Planned> approvals;
        approvals.reserve(options.approvalsPerTenant);
        for (int i = 0; i < options.approvalsPerTenant; ++i) {
            Planned p;
            store::Approval &a = p.approval;
            const qint64 created
                = now - 30 * kDay + qint64(i) * (30 * kDay / std::max(1, options.approvalsPerTenant));
            a.id = Ulid::generate(QDateTime::fromMSecsSinceEpoch(created, Qt::UTC));
            a.tenantId = tenant.id;
            a.type = kTypes.at(rng.range(0, int(kTypes.size()) - 1));
            a.riskLevel = kRisks.at(rng.range(0, int(kRisks.size()) - 1));
            const bool pending = rng.range(0, 99) < 30;
            a.status
                = pending ? QStringLiteral("pending") : kResolved.at(rng.range(0, int(kResolved.size()) - 1));
            QStringList description;
            const int sentences = rng.range(2, 4);
            for (int s = 0; s < sentences; ++s)
                description.append(kSentences.at(rng.range(0, int(kSentences.size()) - 1)));
            a.description = description.join(QLatin1Char(' '));
            if (a.type == QLatin1String("content_direction") || a.type == QLatin1String("brand_direction")
                || a.type == QLatin1String("strategy_change"))
                a.options = {QStringLiteral("Lead with the offer"), QStringLiteral("Lead with the story"),
                    QStringLiteral("Lead with reviews")};
            a.createdByType = QStringLiteral("agent");
            a.createdAtMs = a.updatedAtMs = created;
            a.expiresAtMs = pending ? now + rng.range(1, 72) * kHour : created + 3 * kDay;
            if (!pending) {
                a.resolution = a.status == QLatin1String("expired") ? QString() : a.status;
                a.resolvedAtMs = created + rng.range(1, 48) * kHour;
                if (a.status != QLatin1String("expired")) {
                    a.resolvedById = *owner;
                    a.resolvedByName = QStringLiteral("Admin %1").arg(t);
                    a.selectedOption = a.options.value(0);
                }
            }
            const int links = activities.isEmpty() ? 0 : rng.range(1, 3);
            for (int l = 0; l < links; ++l) {
                store::Activity &linked = activities[rng.range(0, int(activities.size()) - 1)];
                if (p.links.contains(linked.id))
                    continue;
                p.links.append(linked.id);
                if (l == 0) {
                    a.campaignId = linked.campaignId;
                    a.title = (a.type == QLatin1String("content_review") ? QStringLiteral("Review: %1")
                                                                         : QStringLiteral("Decide: %1"))
                                  .arg(linked.title);
                    a.createdByName = linked.agentRole;
                    a.createdById = linked.agentRole;
                }
                if (pending) {
                    linked.status = QStringLiteral("awaiting_approval");
                    linked.approvalId = a.id;
                }
            }
            if (a.title.isEmpty()) {
                a.title = QStringLiteral("Decide: %1 %2").arg(a.type).arg(i + 1);
                a.createdById = a.createdByName = QStringLiteral("strategist");
            }
            approvals.append(std::move(p));
        }

        for (const auto &a : std::as_const(activities)) {
            if (auto r = store.activities.insert(a); !r.ok())
                return r.error();
        }
        for (const auto &p : std::as_const(approvals)) {
            if (auto r = store.approvals.insert(p.approval, p.links); !r.ok())
                return r.error();
        }
        if (auto r = tx.commit(); !r.ok())
            return r.error();
        if (progress)
            progress(t, options.tenants);
    }
    return {};
}

} // namespace lm::server
