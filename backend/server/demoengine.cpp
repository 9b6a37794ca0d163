// SPDX-License-Identifier: GPL-3.0-or-later
#include "demoengine.h"

#include "agents/simulatorcontent.h"
#include "core/logging.h"
#include "core/ulid.h"
#include "services/activityflow.h"
#include "services/campaignservice.h"
#include "workflow/budget.h"

#include <QDateTime>

namespace lm::server {

namespace {

constexpr qint64 kHour = 3600LL * 1000;
constexpr qint64 kDay = 24 * kHour;
const QString kModel = QStringLiteral("sim-standard");

struct AgentSpec
{
    const char *role;
    const char *name;
    const char *reportsTo;
};
// The org chart: the strategist leads; the planner and the specialists report to it.
constexpr AgentSpec kAgents[] = {
    {"strategist", "Stella Strategist", ""},
    {"activity_planner", "Percy Planner", "strategist"},
    {"copywriter", "Cora Copywriter", "strategist"},
    {"seo_specialist", "Sol SEO", "strategist"},
    {"social_media_manager", "Sam Social", "strategist"},
    {"designer", "Dee Designer", "strategist"},
    {"analyst", "Ana Analyst", "strategist"},
};

struct TenantStory
{
    const char *brief;
    const char *topicTitle;
};
constexpr TenantStory kStories[] = {
    {"Acme Dental is a family dental clinic in Leeds. Audience: families and young professionals. "
     "Keywords: teeth whitening, dental implants, emergency dentist. Tone: warm, reassuring, plain English.",
        "Teeth whitening"},
    {"Globex Bakery is an artisan bakery in Bristol. Audience: local food lovers and event planners. "
     "Keywords: sourdough, celebration cakes, pastries. Tone: friendly, a little playful.",
        "Celebration cakes"},
};

/// Writes rows for one tenant; everything it makes shares the seed's transaction.
class TenantSeeder
{
public:
    TenantSeeder(store::Store &store, jobs::JobQueue &queue, const Clock &clock, QString tenantId,
        QString tenantName, QString ownerId, int index)
        : m_store(store)
        , m_queue(queue)
        , m_now(clock.nowMs())
        , m_tenant(std::move(tenantId))
        , m_tenantName(std::move(tenantName))
        , m_owner(std::move(ownerId))
        , m_story(kStories[index % 2])
        , m_rng(0x1ead0000ULL + quint64(index))
    {
        m_topic = agents::sim::extractTopic(QString::fromLatin1(m_story.topicTitle),
            {{QStringLiteral("user"), QString::fromLatin1(m_story.brief)}});
    }

    Result<void> run();

private:
    Result<void> agents();
    Result<void> skills();
    Result<store::Campaign> campaign(const QString &name, const QString &status,
        std::optional<qint64> capMicros, qint64 createdAgo, const QList<QPair<QString, int>> &deliverables);
    /// An activity with its history: runs (and their cost), output, status as given.
    Result<store::Activity> activity(const store::Campaign &c, const QString &type, const QString &status,
        qint64 createdAgo, int runs = 1, const QString &parentId = {});
    Result<void> approval(const store::Activity &a, const QString &type, const QString &risk,
        qint64 expiresIn, const QString &status = QStringLiteral("pending"));
    Result<void> enqueueRun(const store::Activity &a);
    QString deliverableOf(const store::Campaign &c, const QString &type) const;

    store::Store &m_store;
    jobs::JobQueue &m_queue;
    qint64 m_now;
    QString m_tenant;
    QString m_tenantName;
    QString m_owner;
    TenantStory m_story;
    agents::sim::Rng m_rng;
    agents::sim::Topic m_topic;
    QHash<QString, QString> m_deliverables; // campaign id + type → deliverable id
    QHash<QString, qint64> m_spend; // campaign id → micro-dollars
};

Result<void> TenantSeeder::agents()
{
    for (const AgentSpec &spec : kAgents) {
        store::AgentConfig a;
        a.id = Ulid::generate();
        a.tenantId = m_tenant;
        a.role = QString::fromLatin1(spec.role);
        a.name = QString::fromLatin1(spec.name);
        a.model = kModel;
        a.adapterType = QStringLiteral("simulator");
        // Slow enough to watch the text arrive; the dice stay at the simulator's defaults.
        a.adapterConfig = {{QStringLiteral("tokensPerSecond"), 25}, {QStringLiteral("seed"), m_tenantName}};
        a.toolNames = {QStringLiteral("web_search")};
        a.concurrency = 2;
        a.maxCostMicrosPerActivity = 2'000'000;
        a.reportsTo = QString::fromLatin1(spec.reportsTo);
        a.createdAtMs = a.updatedAtMs = m_now - 30 * kDay;
        if (auto r = m_store.agents.insert(a); !r.ok())
            return r;
    }
    return {};
}

Result<void> TenantSeeder::skills()
{
    store::Skill s;
    s.id = Ulid::generate();
    s.tenantId = m_tenant;
    s.name = QStringLiteral("brand-voice");
    s.description = QStringLiteral("How %1 sounds").arg(m_tenantName);
    s.agentRoles = {QStringLiteral("copywriter"), QStringLiteral("social_media_manager")};
    s.content
        = QStringLiteral("# Brand voice\n\n%1\n\n- Short sentences.\n- No jargon.\n- One call to action.")
              .arg(QString::fromLatin1(m_story.brief));
    s.createdBy = m_owner;
    s.createdAtMs = s.updatedAtMs = m_now - 29 * kDay;
    return m_store.agents.insertSkill(s);
}

QString TenantSeeder::deliverableOf(const store::Campaign &c, const QString &type) const
{
    return m_deliverables.value(c.id + QLatin1Char('/') + type);
}

Result<store::Campaign> TenantSeeder::campaign(const QString &name, const QString &status,
    std::optional<qint64> capMicros, qint64 createdAgo, const QList<QPair<QString, int>> &deliverables)
{
    store::Campaign c;
    c.id = Ulid::generate(QDateTime::fromMSecsSinceEpoch(m_now - createdAgo, Qt::UTC));
    c.tenantId = m_tenant;
    c.name = name;
    c.brief = QString::fromLatin1(m_story.brief);
    c.status = status;
    c.budgetCapMicros = capMicros;
    const QDate start = QDateTime::fromMSecsSinceEpoch(m_now - createdAgo, Qt::UTC).date();
    c.startDate = start.toString(Qt::ISODate);
    c.endDate = start.addMonths(3).toString(Qt::ISODate);
    c.createdBy = m_owner;
    c.createdAtMs = c.updatedAtMs = m_now - createdAgo;
    if (auto r = m_store.campaigns.insert(c); !r.ok())
        return r.error();
    for (const auto &[type, quantity] : deliverables) {
        store::Deliverable d;
        d.id = Ulid::generate();
        d.tenantId = m_tenant;
        d.campaignId = c.id;
        d.type = type;
        d.quantity = quantity;
        d.createdAtMs = c.createdAtMs;
        if (auto r = m_store.campaigns.insertDeliverable(d); !r.ok())
            return r.error();
        m_deliverables.insert(c.id + QLatin1Char('/') + type, d.id);
        // Periods of one month from the start, as the planner makes them.
        QDate from(start.year(), start.month(), 1);
        for (int n = 0; n < 3; ++n, from = from.addMonths(1)) {
            store::DeliverablePeriod p;
            p.id = Ulid::generate();
            p.tenantId = m_tenant;
            p.deliverableId = d.id;
            p.periodStart = std::max(from, start).toString(Qt::ISODate);
            p.periodEnd = from.addMonths(1).addDays(-1).toString(Qt::ISODate);
            p.target = quantity;
            p.createdAtMs = c.createdAtMs;
            if (auto r = m_store.campaigns.insertPeriod(p); !r.ok())
                return r.error();
        }
    }
    return c;
}

Result<store::Activity> TenantSeeder::activity(const store::Campaign &c, const QString &type,
    const QString &status, qint64 createdAgo, int runs, const QString &parentId)
{
    const qint64 created = m_now - createdAgo;
    store::Activity a;
    a.id = Ulid::generate(QDateTime::fromMSecsSinceEpoch(created, Qt::UTC));
    a.tenantId = m_tenant;
    a.campaignId = c.id;
    a.deliverableId = parentId.isEmpty() ? deliverableOf(c, type) : QString();
    a.parentId = parentId;
    a.type = type;
    a.agentRole = services::CampaignService::roleFor(type);
    a.title = type == QLatin1String("research")
        ? QStringLiteral("Keyword research — %1").arg(m_topic.keywords.value(0, m_tenantName))
        : QStringLiteral("%1 — %2").arg(services::CampaignService::labelFor(type),
            m_topic.keywords.value(
                m_rng.range(0, int(std::max<qsizetype>(1, m_topic.keywords.size())) - 1), m_tenantName));
    a.status = status;
    a.inputPrompt = QStringLiteral("Write the %1 for the campaign \"%2\".")
                        .arg(services::CampaignService::labelFor(type).toLower(), c.name);
    a.createdAtMs = created;
    a.updatedAtMs = created;

    const bool ran = status != QLatin1String("assigned") && status != QLatin1String("created");
    const auto price = workflow::ModelPrice {2'500'000, 10'000'000};
    // Rows that point at the activity go in after it; their figures go into it first.
    QList<store::Run> runRows;
    std::optional<store::Document> document;
    if (ran) {
        for (int i = 0; i < runs; ++i) {
            store::Run r;
            r.id
                = Ulid::generate(QDateTime::fromMSecsSinceEpoch(created + (i + 1) * 10 * 60 * 1000, Qt::UTC));
            r.tenantId = m_tenant;
            r.activityId = a.id;
            r.agentRole = a.agentRole;
            r.adapterType = QStringLiteral("simulator");
            r.model = kModel;
            r.startedAtMs = created + (i + 1) * 10 * 60 * 1000;
            r.inputTokens = m_rng.range(600, 1400);
            const bool failedRun = status == QLatin1String("failed") && i == runs - 1;
            r.outputTokens = failedRun ? m_rng.range(50, 300) : m_rng.range(700, 2200);
            r.costMicros = workflow::Budget::costMicros(r.inputTokens, r.outputTokens, price);
            r.status = failedRun ? QStringLiteral("timeout") : QStringLiteral("completed");
            r.error = failedRun ? QStringLiteral("the provider did not answer in 120 s") : QString();
            r.completedAtMs = r.startedAtMs + m_rng.range(20, 140) * 1000;
            a.costMicros += r.costMicros;
            a.startedAtMs = r.startedAtMs;
            runRows.append(r);
        }
        if (status != QLatin1String("failed") && status != QLatin1String("blocked")) {
            agents::sim::Rng rng(m_rng.next());
            store::Document d;
            d.id = Ulid::generate();
            d.tenantId = m_tenant;
            d.activityId = a.id;
            d.format = QStringLiteral("markdown");
            d.body = agents::sim::generateContent(type, m_topic, rng);
            d.createdAtMs = a.startedAtMs.value_or(created) + 60 * 1000;
            a.outputDocumentId = d.id;
            a.outputPreview = d.body.left(500);
            document = d;
        }
    }
    if (status == QLatin1String("done"))
        a.completedAtMs = a.startedAtMs.value_or(created) + 5 * 60 * 1000;
    if (status == QLatin1String("failed"))
        a.retryCount = 3;
    a.updatedAtMs = a.completedAtMs.value_or(a.startedAtMs.value_or(created));
    if (auto r = m_store.activities.insert(a); !r.ok())
        return r.error();
    for (const auto &r : std::as_const(runRows)) {
        if (auto ins = m_store.runs.insert(r); !ins.ok())
            return ins.error();
    }
    if (document) {
        if (auto r = m_store.runs.insertDocument(*document); !r.ok())
            return r.error();
    }
    m_spend[c.id] += a.costMicros;
    return a;
}

Result<void> TenantSeeder::approval(const store::Activity &a, const QString &type, const QString &risk,
    qint64 expiresIn, const QString &status)
{
    store::Approval p;
    p.id = Ulid::generate(QDateTime::fromMSecsSinceEpoch(a.updatedAtMs, Qt::UTC));
    p.tenantId = m_tenant;
    p.campaignId = a.campaignId;
    p.type = type;
    p.riskLevel = risk;
    p.status = status;
    p.title = type == QLatin1String("content_review") ? QStringLiteral("Review: %1").arg(a.title)
                                                      : QStringLiteral("Decide: %1").arg(a.title);
    p.description = QStringLiteral("%1 asks for a decision before this goes out.")
                        .arg(services::CampaignService::labelFor(a.type));
    if (type == QLatin1String("content_direction") || type == QLatin1String("brand_direction"))
        p.options = {QStringLiteral("Lead with the offer"), QStringLiteral("Lead with the story"),
            QStringLiteral("Lead with reviews")};
    p.createdByType = QStringLiteral("agent");
    auto agent = m_store.agents.findByRole(store::TenantScope::tenant(m_tenant), a.agentRole);
    p.createdById = agent.ok() && agent->has_value() ? (*agent)->id : a.agentRole;
    p.createdByName = agent.ok() && agent->has_value() ? (*agent)->name : a.agentRole;
    p.createdAtMs = p.updatedAtMs = a.updatedAtMs;
    p.expiresAtMs = m_now + expiresIn;
    if (status != QLatin1String("pending")) {
        p.resolution = status;
        p.resolvedAtMs = a.updatedAtMs + 2 * kHour;
        p.resolvedById = m_owner;
        p.resolvedByName = QStringLiteral("Demo reviewer");
        p.selectedOption = p.options.value(0);
    }
    if (auto r = m_store.approvals.insert(p, {a.id}); !r.ok())
        return r;
    if (status == QLatin1String("pending")) {
        store::Activity held = a;
        held.approvalId = p.id;
        return m_store.activities.saveTransition(store::TenantScope::tenant(m_tenant), held, a.status);
    }
    return {};
}

Result<void> TenantSeeder::enqueueRun(const store::Activity &a)
{
    jobs::NewJob job;
    job.kind = services::JobKind::RunActivity;
    job.tenantId = m_tenant;
    job.payload = {{QStringLiteral("activityId"), a.id}};
    auto id = m_queue.enqueue(job);
    if (!id.ok())
        return id.error();
    return {};
}

Result<void> TenantSeeder::run()
{
    if (auto r = agents(); !r.ok())
        return r;
    if (auto r = skills(); !r.ok())
        return r;

    auto spring = campaign(QStringLiteral("Spring growth"), QStringLiteral("active"), 40'000'000, 30 * kDay,
        {{QStringLiteral("blog_post"), 4}, {QStringLiteral("social_post"), 8},
            {QStringLiteral("gbp_post"), 2}, {QStringLiteral("email_newsletter"), 1}});
    auto local = campaign(QStringLiteral("Local search boost"), QStringLiteral("paused"), std::nullopt,
        26 * kDay, {{QStringLiteral("website_audit"), 1}, {QStringLiteral("backlink"), 2}});
    auto winter = campaign(QStringLiteral("Winter newsletter"), QStringLiteral("completed"), 5'000'000,
        29 * kDay, {{QStringLiteral("email_newsletter"), 2}, {QStringLiteral("performance_report"), 1}});
    for (const auto *c : {&spring, &local, &winter}) {
        if (!c->ok())
            return c->error();
    }

    // Done work, spread over the month.
    const QStringList doneTypes {QStringLiteral("blog_post"), QStringLiteral("social_post"),
        QStringLiteral("social_post"), QStringLiteral("gbp_post"), QStringLiteral("blog_post"),
        QStringLiteral("social_post"), QStringLiteral("social_post"), QStringLiteral("gbp_post")};
    QList<store::Activity> done;
    for (int i = 0; i < doneTypes.size(); ++i) {
        auto a
            = activity(*spring, doneTypes[i], QStringLiteral("done"), (28 - i * 3) * kDay, 1 + (i % 3 == 0));
        if (!a.ok())
            return a.error();
        done.append(*a);
    }
    // Approved gates of the past, so the week's stats and history have something.
    for (int i = 0; i < 3; ++i) {
        if (auto r = approval(done[i + 5], QStringLiteral("content_review"), QStringLiteral("medium"), -kDay,
                QStringLiteral("approved"));
            !r.ok())
            return r;
    }

    // Eight drafts held by pending gates of every type and risk; three expire within 24 hours.
    const QStringList gateTypes {QStringLiteral("content_review"), QStringLiteral("content_direction"),
        QStringLiteral("brand_direction"), QStringLiteral("strategy_change"),
        QStringLiteral("budget_authorization"), QStringLiteral("channel_action"),
        QStringLiteral("content_review"), QStringLiteral("content_review")};
    const QStringList risks {QStringLiteral("high"), QStringLiteral("medium"), QStringLiteral("low")};
    const qint64 expiries[]
        = {3 * kHour, 10 * kHour, 20 * kHour, 30 * kHour, 40 * kHour, 50 * kHour, 60 * kHour, 70 * kHour};
    const QStringList draftTypes {QStringLiteral("blog_post"), QStringLiteral("social_post"),
        QStringLiteral("gbp_post"), QStringLiteral("email_newsletter"), QStringLiteral("social_post"),
        QStringLiteral("social_post"), QStringLiteral("blog_post"), QStringLiteral("social_post")};
    for (int i = 0; i < 8; ++i) {
        auto a = activity(*spring, draftTypes[i], QStringLiteral("awaiting_approval"), (i + 1) * 9 * kHour);
        if (!a.ok())
            return a.error();
        if (auto r = approval(*a, gateTypes[i], risks[i % 3], expiries[i]); !r.ok())
            return r;
    }
    // A mid-task review request, a blocker, a failure.
    auto review = activity(*spring, QStringLiteral("blog_post"), QStringLiteral("awaiting_review"), 2 * kDay);
    if (!review.ok())
        return review.error();
    if (auto r = approval(*review, QStringLiteral("content_review"), QStringLiteral("low"), 48 * kHour);
        !r.ok())
        return r;
    auto blocked = activity(*spring, QStringLiteral("social_post"), QStringLiteral("blocked"), 4 * kDay);
    if (!blocked.ok())
        return blocked.error();
    store::Activity b = *blocked;
    b.blockReason = QStringLiteral("agent_blocker");
    b.wakeNote = QStringLiteral("Needs photos of the new premises before it can go out.");
    if (auto r = m_store.activities.saveTransition(store::TenantScope::tenant(m_tenant), b, b.status);
        !r.ok())
        return r;
    if (auto r = activity(*spring, QStringLiteral("social_post"), QStringLiteral("failed"), 6 * kDay, 3);
        !r.ok())
        return r.error();

    // Live work: two assigned posts and a newsletter waiting on its research subtask.
    for (const QString &type : {QStringLiteral("blog_post"), QStringLiteral("social_post")}) {
        auto a = activity(*spring, type, QStringLiteral("assigned"), 10 * 60 * 1000);
        if (!a.ok())
            return a.error();
        if (auto r = enqueueRun(*a); !r.ok())
            return r;
    }
    auto parent
        = activity(*spring, QStringLiteral("email_newsletter"), QStringLiteral("awaiting_subtask"), kHour);
    if (!parent.ok())
        return parent.error();
    auto research = activity(
        *spring, QStringLiteral("research"), QStringLiteral("assigned"), 50 * 60 * 1000, 1, parent->id);
    if (!research.ok())
        return research.error();
    if (auto r = enqueueRun(*research); !r.ok())
        return r;

    // Planned for the next period: created, and assigned when its period begins.
    if (auto a = activity(*spring, QStringLiteral("blog_post"), QStringLiteral("created"), kHour); !a.ok())
        return a.error();

    // The paused campaign's work is paused; the completed one's is done.
    for (const QString &type : {QStringLiteral("website_audit"), QStringLiteral("backlink")}) {
        auto a = activity(*local, type, QStringLiteral("blocked"), 20 * kDay);
        if (!a.ok())
            return a.error();
        store::Activity p = *a;
        p.blockReason = QStringLiteral("paused");
        if (auto r = m_store.activities.saveTransition(store::TenantScope::tenant(m_tenant), p, p.status);
            !r.ok())
            return r;
    }
    for (const QString &type : {QStringLiteral("email_newsletter"), QStringLiteral("email_newsletter"),
             QStringLiteral("performance_report")}) {
        if (auto a = activity(*winter, type, QStringLiteral("done"), 25 * kDay); !a.ok())
            return a.error();
    }

    for (auto it = m_spend.cbegin(); it != m_spend.cend(); ++it) {
        auto c
            = m_store.campaigns.addSpend(store::TenantScope::tenant(m_tenant), it.key(), it.value(), m_now);
        if (!c.ok())
            return c.error();
    }
    return {};
}

} // namespace

Result<void> DemoEngine::seedPrices(store::Store &store, qint64 nowMs)
{
    // Published list prices per million tokens (input, output), in micro-dollars.
    const store::ModelPriceRow prices[] = {
        {kModel, 2'500'000, 10'000'000},
        {QStringLiteral("gpt-4o"), 2'500'000, 10'000'000},
        {QStringLiteral("gpt-4o-mini"), 150'000, 600'000},
        {QStringLiteral("claude-sonnet-4"), 3'000'000, 15'000'000},
        {QStringLiteral("claude-3-5-haiku"), 800'000, 4'000'000},
        {QStringLiteral("llama3.1"), 0, 0},
    };
    for (const auto &p : prices) {
        if (auto r = store.agents.upsertPrice(p, nowMs); !r.ok())
            return r;
    }
    return {};
}

Result<void> DemoEngine::seedTenant(store::Store &store, jobs::JobQueue &queue, const Clock &clock,
    const QString &tenantId, const QString &tenantName, const QString &ownerUserId, int tenantIndex)
{
    TenantSeeder seeder(store, queue, clock, tenantId, tenantName, ownerUserId, tenantIndex);
    return seeder.run();
}

Result<void> DemoEngine::feed(services::EngineContext &engine)
{
    services::UnitOfWork work(engine);
    if (!work.isActive())
        return work.error();
    jobs::NewJob next;
    next.kind = kFeedJob;
    next.runAtMs = work.nowMs() + kFeedIntervalMs;
    if (auto r = work.enqueue(next); !r.ok())
        return r.error();
    auto tenants = work.store().campaigns.list(
        store::TenantScope::allTenants(), QStringLiteral("active"), {{}, 100, true});
    if (!tenants.ok())
        return tenants.error();
    services::ActivityFlow flow(engine);
    agents::sim::Rng rng(quint64(work.nowMs()));
    QSet<QString> fed;
    for (const auto &c : std::as_const(tenants->items)) {
        if (fed.contains(c.tenantId))
            continue; // one new activity per tenant a round
        const auto scope = store::TenantScope::tenant(c.tenantId);
        auto counts = work.store().activities.counts(scope, c.id);
        if (!counts.ok())
            return counts.error();
        auto deliverables = work.store().campaigns.deliverables(scope, c.id);
        if (!deliverables.ok())
            return deliverables.error();
        if (counts->total >= kFeedCap || deliverables->isEmpty())
            continue;
        const store::Deliverable d = rng.pick(*deliverables);
        store::Activity a;
        a.id = Ulid::generate();
        a.tenantId = c.tenantId;
        a.campaignId = c.id;
        a.deliverableId = d.id;
        a.type = d.type;
        a.agentRole = services::CampaignService::roleFor(d.type);
        a.title = QStringLiteral("%1 #%2 — %3")
                      .arg(services::CampaignService::labelFor(d.type))
                      .arg(counts->total + 1)
                      .arg(c.name);
        a.inputPrompt = QStringLiteral("Write the next %1 of the campaign.")
                            .arg(services::CampaignService::labelFor(d.type).toLower());
        a.status = QStringLiteral("created");
        a.createdAtMs = a.updatedAtMs = work.nowMs();
        if (auto r = work.store().activities.insert(a); !r.ok())
            return r.error();
        if (auto r = flow.apply(work, a, workflow::ActivityEvent::Assign); !r.ok())
            return r.error();
        fed.insert(c.tenantId);
    }
    return work.commit();
}

} // namespace lm::server
