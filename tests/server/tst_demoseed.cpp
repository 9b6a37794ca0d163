// SPDX-License-Identifier: GPL-3.0-or-later
// --demo's engine data against spec/leadmetrics-contract.md ("Demo data"), per dialect, and the
// demo staying alive: the simulator picks up the seeded live work.
#include "server/demoseed.h"
#include "store/store.h"
#include "testserver.h"

#include <QJsonArray>
#include <QSet>
#include <QTest>

using namespace lm;
using namespace lm::test;

class TestDemoSeed : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void eachTenantHasWhatTheContractLists()
    {
        TestServer::Settings settings;
        settings.demoEngineData = true;
        TestServer server(settings);
        QVERIFY2(server.error().isEmpty(), qPrintable(server.error()));
        store::Store &db = server.host().store();
        const qint64 now = server.clock().nowMs();

        for (const QString &email :
            {QStringLiteral("admin@acme.demo"), QStringLiteral("admin@globex.demo")}) {
            const auto user = db.users.findActiveForLogin(email);
            QVERIFY(user.ok() && user->has_value());
            const auto scope = store::TenantScope::tenant((*user)->tenantId);

            // Seven agents in an org chart under the strategist.
            const auto agents = db.agents.list(scope);
            QVERIFY(agents.ok());
            QSet<QString> roles;
            for (const auto &a : *agents) {
                roles.insert(a.role);
                QCOMPARE(a.reportsTo.isEmpty(), a.role == QLatin1String("strategist"));
            }
            QCOMPARE(roles,
                (QSet<QString> {QStringLiteral("activity_planner"), QStringLiteral("strategist"),
                    QStringLiteral("copywriter"), QStringLiteral("seo_specialist"),
                    QStringLiteral("social_media_manager"), QStringLiteral("designer"),
                    QStringLiteral("analyst")}));
            QVERIFY(!db.agents.skillsForRole((*user)->tenantId, QStringLiteral("copywriter"))->isEmpty());

            // Team (people of each role, a pending invitation), skills and integrations.
            const auto people = db.team.members(scope);
            QVERIFY(people.ok() && people->size() >= 7);
            QSet<Role> tenantRoles;
            for (const auto &p : *people)
                tenantRoles.insert(p.role);
            QCOMPARE(tenantRoles, (QSet<Role> {Role::Admin, Role::Member, Role::Reviewer}));
            QCOMPARE(db.team.pendingInvites(scope)->size(), 1);
            QVERIFY(db.agents.visibleSkills((*user)->tenantId, QStringLiteral("tenant"), {})->size() >= 3);
            QVERIFY(db.agents.visibleSkills((*user)->tenantId, QStringLiteral("global"), {})->size() >= 3);
            QCOMPARE(db.integrations.list(scope)->size(), 3);

            // Three campaigns, one active with a budget cap and spend against it.
            QList<store::Campaign> campaigns;
            for (const QString &status :
                {QStringLiteral("active"), QStringLiteral("paused"), QStringLiteral("completed")})
                campaigns += db.campaigns.list(scope, status, {{}, 25, true})->items;
            QCOMPARE(campaigns.size(), 3);
            QVERIFY(campaigns.first().budgetCapMicros.value_or(0) > 0);
            QVERIFY(campaigns.first().spentMicros > 0);

            // At least 20 activities over the statuses, with runs and costs across 30 days.
            const auto activities = db.activities.list(scope, {}, {{}, 100, true});
            QVERIFY(activities.ok());
            QVERIFY(activities->items.size() >= 20);
            QSet<QString> statuses;
            qint64 oldestRun = now;
            for (const auto &a : activities->items) {
                statuses.insert(a.status);
                const auto runs = db.runs.forActivity(scope, a.id);
                QVERIFY(runs.ok());
                for (const auto &r : *runs)
                    oldestRun = std::min(oldestRun, r.startedAtMs);
            }
            for (const QString &s : {QStringLiteral("created"), QStringLiteral("done"),
                     QStringLiteral("awaiting_approval"), QStringLiteral("awaiting_review"),
                     QStringLiteral("awaiting_subtask"), QStringLiteral("blocked"), QStringLiteral("failed")})
                QVERIFY2(statuses.contains(s), qPrintable(s));
            QVERIFY(now - oldestRun >= 25LL * 24 * 3600 * 1000);

            // At least 8 pending approvals of mixed type and risk, some expiring within 24 hours.
            const auto pending
                = db.approvals.list(scope, {QStringLiteral("pending"), {}, {}}, {{}, 100, true});
            QVERIFY(pending->items.size() >= 8);
            QSet<QString> types;
            QSet<QString> risks;
            int soon = 0;
            for (const auto &p : pending->items) {
                types.insert(p.type);
                risks.insert(p.riskLevel);
                soon += p.expiresAtMs - now <= 24LL * 3600 * 1000 ? 1 : 0;
                QCOMPARE(p.linkedActivities.size(), 1);
                QVERIFY(!p.linkedActivities.first().outputPreview.isEmpty());
            }
            QVERIFY(types.size() >= 4);
            QCOMPARE(risks.size(), 3);
            QVERIFY(soon >= 1);

            // Intake: leads of every status, a finished import, requests and channels with health data.
            const auto leads = db.leads.list(scope, {}, {{}, 100, true});
            QSet<QString> leadStatuses;
            for (const auto &l : leads->items)
                leadStatuses.insert(l.status);
            QCOMPARE(leadStatuses.size(), 5);
            QVERIFY(!db.leads.events(scope, leads->items.first().id)->isEmpty());
            QVERIFY(!db.contentRequests.list(scope, {QStringLiteral("blog"), {}, {}}, {{}, 25, true})
                         ->items.isEmpty());
            QVERIFY(!db.contentRequests.list(scope, {QStringLiteral("social"), {}, {}}, {{}, 25, true})
                         ->items.isEmpty());
            const auto channels = db.channels.list(scope);
            QVERIFY(channels->size() >= 3);
            QVERIFY(channels->first().metricsUpdatedAtMs.has_value());
            QCOMPARE(
                leads->items.last().importId.isEmpty() && leads->items.first().importId.isEmpty(), false);
        }
    }

    void insightListsAreSeeded()
    {
        TestServer::Settings settings;
        settings.demoEngineData = true;
        TestServer server(settings);
        QVERIFY2(server.error().isEmpty(), qPrintable(server.error()));
        for (const QString &email :
            {QStringLiteral("admin@acme.demo"), QStringLiteral("admin@globex.demo")}) {
            const QByteArray token = server.login(email);
            QVERIFY(!token.isEmpty());
            const auto get = [&](const QByteArray &path) {
                return server.http()
                    .request("GET", "/dashboard/v1" + path, {}, {{"Authorization", "Bearer " + token}})
                    .json();
            };
            for (const char *list :
                {"/audit-log", "/logs", "/reports", "/paid-ads/campaigns", "/paid-ads/search-terms",
                    "/recurring-tasks", "/chat/conversations", "/analytics/performance"})
                QVERIFY2(!get(list).value(QStringLiteral("data")).toArray().isEmpty(), list);
            QVERIFY(get("/org-chart").value(QStringLiteral("nodes")).toArray().size() >= 8);
            QVERIFY(get("/analytics/spend").value(QStringLiteral("totalUsd")).toDouble() > 0);
            QVERIFY(!get("/analytics/spend").value(QStringLiteral("breakdown")).toArray().isEmpty());
        }
    }

    void theSimulatorKeepsTheDemoAlive()
    {
        TestServer::Settings settings;
        settings.demoEngineData = true;
        TestServer server(settings);
        QVERIFY2(server.error().isEmpty(), qPrintable(server.error()));
        store::Store &db = server.host().store();
        const auto user = db.users.findActiveForLogin(QStringLiteral("admin@acme.demo"));
        const auto scope = store::TenantScope::tenant((*user)->tenantId);
        // The seeded live work (two posts and a research subtask) is picked up and streams output;
        // the seeded history has no stream events, so only live runs count here.
        const auto started = [&] {
            int streaming = 0;
            // Kept in a variable: a range over a member of a temporary Result would dangle.
            const auto activities = db.activities.list(scope, {}, {{}, 100, true});
            if (!activities.ok())
                return false;
            for (const auto &a : activities->items) {
                const auto stream = db.events.activityEventsAfter(a.id, 0, 1);
                streaming += stream.ok() && !stream->isEmpty() ? 1 : 0;
            }
            return streaming >= 3;
        };
        QTRY_VERIFY_WITH_TIMEOUT(started(), 30000);
    }
};

QTEST_GUILESS_MAIN(TestDemoSeed)
#include "tst_demoseed.moc"
