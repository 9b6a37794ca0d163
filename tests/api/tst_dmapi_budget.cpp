// SPDX-License-Identifier: GPL-3.0-or-later
// The `budget` of GET /dm/v1/approvals/:id against a real server on port 0, once per dialect: a
// campaign's cap, spend from its runs, the approval's own activities' spend and the projection,
// with Acme's and Globex's runs side by side so neither leaks into the other. Each campaign made
// through the API starts with its open planning activity (activity_planner, no cost yet).
#include "core/ulid.h"
#include "store/store.h"
#include "testserver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

namespace lm::test {

namespace {
constexpr qint64 kHour = 3600LL * 1000;

QByteArray campaignBody(const QString &name)
{
    return QJsonDocument(
        QJsonObject {{QStringLiteral("name"), name},
            {QStringLiteral("brief"), QStringLiteral("Grow bookings in spring.")},
            {QStringLiteral("deliverables"),
                QJsonArray {QJsonObject {
                    {QStringLiteral("type"), QStringLiteral("blog_post")}, {QStringLiteral("quantity"), 1}}}},
            {QStringLiteral("budgetCapUsd"), 250.5}})
        .toJson(QJsonDocument::Compact);
}
} // namespace

class TestDmApiBudget : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<TestServer> m_server;
    QByteArray m_dm;
    QByteArray m_acmeAdmin;
    QByteArray m_globexAdmin;
    QString m_acmeId;
    QString m_globexId;

    store::Store &store() { return m_server->host().store(); }
    [[nodiscard]] qint64 now() { return m_server->clock().nowMs(); }

    HttpReply get(const QByteArray &path, const QByteArray &token)
    {
        return m_server->http().request("GET", path, {}, {{"Authorization", "Bearer " + token}});
    }

    QString createCampaign(const QByteArray &adminToken, const QString &name)
    {
        const HttpReply r = m_server->http().request("POST", "/dashboard/v1/campaigns", campaignBody(name),
            {{"Authorization", "Bearer " + adminToken}});
        if (r.status != 201)
            qWarning() << r.status << r.body;
        return r.json().value(QStringLiteral("id")).toString();
    }

    /// An activity of the campaign (empty: none) and role (empty: a person's), with one run per cost.
    QString activity(const QString &tenantId, const QString &campaignId, const QString &status,
        const QString &role, const QList<qint64> &runCostsMicros = {})
    {
        store::Activity a;
        a.id = Ulid::generate();
        a.tenantId = tenantId;
        a.campaignId = campaignId;
        a.title = QStringLiteral("Hand-made");
        a.type = QStringLiteral("blog_post");
        a.status = status;
        a.agentRole = role;
        a.inputPrompt = QStringLiteral("Write it.");
        a.createdAtMs = a.updatedAtMs = now();
        if (auto r = store().activities.insert(a); !r.ok())
            qWarning() << r.error().message;
        for (const qint64 cost : runCostsMicros) {
            store::Run run;
            run.id = Ulid::generate();
            run.tenantId = tenantId;
            run.activityId = a.id;
            run.agentRole = role.isEmpty() ? QStringLiteral("copywriter") : role;
            run.adapterType = QStringLiteral("simulator");
            run.model = QStringLiteral("simulator-1");
            run.status = QStringLiteral("completed");
            run.costMicros = cost;
            run.startedAtMs = now();
            if (auto r = store().runs.insert(run); !r.ok())
                qWarning() << r.error().message;
        }
        return a.id;
    }

    /// A pending approval of the campaign (empty: none) holding `activityId` (empty: none).
    QString approval(const QString &tenantId, const QString &campaignId, const QString &activityId)
    {
        store::Approval a;
        a.id = Ulid::generate();
        a.tenantId = tenantId;
        a.campaignId = campaignId;
        a.title = QStringLiteral("Review the draft");
        a.type = QStringLiteral("content_review");
        a.riskLevel = QStringLiteral("medium");
        a.createdById = QStringLiteral("copywriter");
        a.createdByName = QStringLiteral("Sim copywriter");
        a.expiresAtMs = now() + 24 * kHour;
        a.createdAtMs = a.updatedAtMs = now();
        if (auto r
            = store().approvals.insert(a, activityId.isEmpty() ? QStringList() : QStringList {activityId});
            !r.ok())
            qWarning() << r.error().message;
        return a.id;
    }

    void agent(const QString &tenantId, const QString &role, std::optional<qint64> maxMicros)
    {
        store::AgentConfig a;
        a.id = Ulid::generate();
        a.tenantId = tenantId;
        a.role = role;
        a.name = QStringLiteral("Sim ") + role;
        a.model = QStringLiteral("simulator-1");
        a.adapterType = QStringLiteral("simulator");
        a.maxCostMicrosPerActivity = maxMicros;
        a.createdAtMs = a.updatedAtMs = now();
        if (auto r = store().agents.insert(a); !r.ok())
            qWarning() << r.error().message;
    }

    void setCap(const QString &campaignId, std::optional<qint64> capMicros)
    {
        auto q
            = store().db().query(QStringLiteral("UPDATE campaigns SET budget_cap_micros = ? WHERE id = ?"));
        q.bindNullableInt(capMicros).bind(campaignId);
        QVERIFY(q.exec().ok());
    }

    QJsonValue budgetOf(const QString &approvalId)
    {
        const HttpReply r = get("/dm/v1/approvals/" + approvalId.toLatin1(), m_dm);
        if (r.status != 200)
            qWarning() << r.status << r.body;
        return r.json().value(QStringLiteral("budget"));
    }

private Q_SLOTS:
    void init()
    {
        TestServer::Settings settings;
        settings.workers = 0; // activities stay as seeded
        m_server = std::make_unique<TestServer>(settings);
        QVERIFY2(m_server->error().isEmpty(), qPrintable(m_server->error()));
        QJsonObject answer;
        const auto tenantOf = [&answer] {
            return answer.value(QStringLiteral("user"))
                .toObject()
                .value(QLatin1String("tenantId"))
                .toString();
        };
        m_dm = m_server->login(QStringLiteral("dm@leadmetrics.demo"));
        m_acmeAdmin = m_server->login(QStringLiteral("admin@acme.demo"), &answer);
        m_acmeId = tenantOf();
        m_globexAdmin = m_server->login(QStringLiteral("admin@globex.demo"), &answer);
        m_globexId = tenantOf();
        QVERIFY(!m_dm.isEmpty() && !m_acmeAdmin.isEmpty() && !m_globexAdmin.isEmpty());
    }

    void cleanup() { m_server.reset(); }

    // Spent is every run of the campaign; the projection adds, for each open agent activity, the
    // mean of the done agent activities less what it already cost.
    void exactFiguresFromRuns()
    {
        const QString spring = createCampaign(m_acmeAdmin, QStringLiteral("Spring push"));
        const QString other = createCampaign(m_acmeAdmin, QStringLiteral("Autumn push"));
        const QString globex = createCampaign(m_globexAdmin, QStringLiteral("Globex launch"));
        QVERIFY(!spring.isEmpty() && !other.isEmpty() && !globex.isEmpty());
        agent(m_acmeId, QStringLiteral("copywriter"), 9'000'000); // not used: activities are done
        // Done: 1.00 + 0.50 and 2.50 → a mean of 2.00. A person's done task costs nothing and is
        // not in the mean; a failed run costs 0.75 and is finished.
        activity(
            m_acmeId, spring, QStringLiteral("done"), QStringLiteral("copywriter"), {1'000'000, 500'000});
        activity(m_acmeId, spring, QStringLiteral("done"), QStringLiteral("strategist"), {2'500'000});
        activity(m_acmeId, spring, QStringLiteral("done"), {});
        activity(m_acmeId, spring, QStringLiteral("failed"), QStringLiteral("copywriter"), {750'000});
        // Open: 0.40 spent (1.60 to come), the approval's own 0.30 (1.70 to come), one over the
        // mean already (nothing to come), a person's task (nothing), the plan (2.00 to come).
        activity(m_acmeId, spring, QStringLiteral("in_progress"), QStringLiteral("copywriter"), {400'000});
        const QString held = activity(m_acmeId, spring, QStringLiteral("awaiting_approval"),
            QStringLiteral("copywriter"), {100'000, 200'000});
        activity(m_acmeId, spring, QStringLiteral("blocked"), QStringLiteral("designer"), {2'600'000});
        activity(m_acmeId, spring, QStringLiteral("created"), {});
        // Not Spring's: another Acme campaign, Globex's campaign, and a Globex row that names
        // Spring (a bad row the tenant scope keeps out).
        activity(m_acmeId, other, QStringLiteral("done"), QStringLiteral("copywriter"), {40'000'000});
        activity(m_globexId, globex, QStringLiteral("done"), QStringLiteral("copywriter"), {70'000'000});
        activity(
            m_globexId, spring, QStringLiteral("in_progress"), QStringLiteral("copywriter"), {90'000'000});
        const QString approvalId = approval(m_acmeId, spring, held);

        const QJsonObject budget = budgetOf(approvalId).toObject();
        QCOMPARE(budget.value(QStringLiteral("campaignId")).toString(), spring);
        QCOMPARE(budget.value(QStringLiteral("campaignName")).toString(), QStringLiteral("Spring push"));
        QCOMPARE(budget.value(QStringLiteral("capUsd")).toDouble(), 250.5);
        // 1.50 + 2.50 + 0.75 + 0.40 + 0.30 + 2.60
        QCOMPARE(budget.value(QStringLiteral("spentUsd")).toDouble(), 8.05);
        QCOMPARE(budget.value(QStringLiteral("linkedActivitiesSpentUsd")).toDouble(), 0.3);
        QCOMPARE(budget.value(QStringLiteral("projectedUsd")).toDouble(), 8.05 + 1.6 + 1.7 + 2.0);
        QCOMPARE(budget.value(QStringLiteral("projectedBasis")).toString(), QStringLiteral("completed_mean"));
        QCOMPARE(budget.value(QStringLiteral("completedActivities")).toInt(), 2);
        QCOMPARE(budget.value(QStringLiteral("openActivities")).toInt(), 4);

        // The same spend as the campaign detail's costByAgent, which reads the same runs.
        const HttpReply detail = get("/dashboard/v1/campaigns/" + spring.toLatin1(), m_acmeAdmin);
        QCOMPARE(detail.status, 200);
        qint64 byAgent = 0;
        for (const QJsonValue &v : detail.json().value(QStringLiteral("costByAgent")).toArray())
            byAgent += qRound64(v.toObject().value(QStringLiteral("costUsd")).toDouble() * 1e6);
        QCOMPARE(byAgent, 8'050'000);

        // Globex's approval sees Globex's campaign only.
        const QString globexHeld
            = activity(m_globexId, globex, QStringLiteral("awaiting_approval"), QStringLiteral("copywriter"));
        const QJsonObject theirs = budgetOf(approval(m_globexId, globex, globexHeld)).toObject();
        QCOMPARE(theirs.value(QStringLiteral("spentUsd")).toDouble(), 70.0);
        QCOMPARE(theirs.value(QStringLiteral("linkedActivitiesSpentUsd")).toDouble(), 0.0);
        // Its plan and the held activity at Globex's mean of 70.00 each.
        QCOMPARE(theirs.value(QStringLiteral("projectedUsd")).toDouble(), 210.0);

        // The Dashboard's detail keeps the spec's shape.
        const HttpReply tenantView = get("/dashboard/v1/approvals/" + approvalId.toLatin1(), m_acmeAdmin);
        QCOMPARE(tenantView.status, 200);
        QVERIFY(!tenantView.json().contains(QStringLiteral("budget")));
    }

    // Nothing done yet: each open agent activity is estimated at its agent's maximum per activity.
    void uncappedWithAgentMaximum()
    {
        const QString campaign = createCampaign(m_globexAdmin, QStringLiteral("Globex launch"));
        setCap(campaign, std::nullopt);
        agent(m_globexId, QStringLiteral("copywriter"), 2'000'000);
        agent(m_globexId, QStringLiteral("strategist"), 1'500'000);
        agent(m_globexId, QStringLiteral("activity_planner"), 500'000);
        const QString held = activity(
            m_globexId, campaign, QStringLiteral("awaiting_approval"), QStringLiteral("copywriter"));
        activity(
            m_globexId, campaign, QStringLiteral("in_progress"), QStringLiteral("strategist"), {200'000});
        const QString approvalId = approval(m_globexId, campaign, held);

        QJsonObject budget = budgetOf(approvalId).toObject();
        QVERIFY(budget.contains(QStringLiteral("capUsd")));
        QVERIFY(budget.value(QStringLiteral("capUsd")).isNull());
        QCOMPARE(budget.value(QStringLiteral("spentUsd")).toDouble(), 0.2);
        QCOMPARE(budget.value(QStringLiteral("linkedActivitiesSpentUsd")).toDouble(), 0.0);
        // 0.20 + 2.00 + (1.50 - 0.20) + 0.50 for the plan
        QCOMPARE(budget.value(QStringLiteral("projectedUsd")).toDouble(), 4.0);
        QCOMPARE(budget.value(QStringLiteral("projectedBasis")).toString(), QStringLiteral("agent_max_cost"));
        QCOMPARE(budget.value(QStringLiteral("completedActivities")).toInt(), 0);
        QCOMPARE(budget.value(QStringLiteral("openActivities")).toInt(), 3);

        // An open activity whose agent has no maximum: no projection rather than a low one.
        activity(m_globexId, campaign, QStringLiteral("assigned"), QStringLiteral("seo_specialist"));
        budget = budgetOf(approvalId).toObject();
        QVERIFY(budget.value(QStringLiteral("projectedUsd")).isNull());
        QCOMPARE(budget.value(QStringLiteral("projectedBasis")).toString(), QStringLiteral("no_estimate"));
        QCOMPARE(budget.value(QStringLiteral("spentUsd")).toDouble(), 0.2);

        // Once one is done, its cost is the estimate for the rest.
        activity(m_globexId, campaign, QStringLiteral("done"), QStringLiteral("copywriter"), {1'000'000});
        budget = budgetOf(approvalId).toObject();
        QCOMPARE(budget.value(QStringLiteral("projectedBasis")).toString(), QStringLiteral("completed_mean"));
        // 1.20 spent + 1.00 + (1.00 - 0.20) + 1.00 + 1.00 for the plan
        QCOMPARE(budget.value(QStringLiteral("projectedUsd")).toDouble(), 5.0);
    }

    // An approval outside any campaign has no budget; one whose activities all finished projects
    // what was spent.
    void withoutCampaignOrOpenWork()
    {
        const QString looseApproval = approval(m_acmeId, {}, {});
        const HttpReply r = get("/dm/v1/approvals/" + looseApproval.toLatin1(), m_dm);
        QCOMPARE(r.status, 200);
        QVERIFY(r.json().contains(QStringLiteral("budget")));
        QVERIFY(r.json().value(QStringLiteral("budget")).isNull());

        // The approval row lost its campaign, its activity still names it: the activity decides.
        const QString campaign = createCampaign(m_acmeAdmin, QStringLiteral("Spring push"));
        const QString done
            = activity(m_acmeId, campaign, QStringLiteral("done"), QStringLiteral("copywriter"), {1'250'000});
        auto planned = store().db().query(
            QStringLiteral("UPDATE activities SET status = 'done' WHERE campaign_id = ? AND type = 'plan'"));
        planned.bind(campaign);
        QVERIFY(planned.exec().ok());
        const QJsonObject budget = budgetOf(approval(m_acmeId, {}, done)).toObject();
        QCOMPARE(budget.value(QStringLiteral("campaignId")).toString(), campaign);
        QCOMPARE(budget.value(QStringLiteral("spentUsd")).toDouble(), 1.25);
        QCOMPARE(budget.value(QStringLiteral("linkedActivitiesSpentUsd")).toDouble(), 1.25);
        QCOMPARE(budget.value(QStringLiteral("projectedUsd")).toDouble(), 1.25);
        QCOMPARE(budget.value(QStringLiteral("projectedBasis")).toString(), QStringLiteral("nothing_open"));
        QCOMPARE(budget.value(QStringLiteral("completedActivities")).toInt(), 2);
        QCOMPARE(budget.value(QStringLiteral("openActivities")).toInt(), 0);
    }
};

} // namespace lm::test

QTEST_GUILESS_MAIN(lm::test::TestDmApiBudget)
#include "tst_dmapi_budget.moc"
