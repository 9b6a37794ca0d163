// SPDX-License-Identifier: GPL-3.0-or-later
// The DM reviewer's models against a real server's /dm/v1: overview kept live, the cross-tenant queue with
// bulk results, approval detail, an activity's streamed output.
#include "activitydetail.h"
#include "approvaldetail.h"
#include "approvalqueuemodel.h"
#include "clientfixture.h"
#include "decisionqueue.h"
#include "overviewmodel.h"
#include "services/approvalservice.h"
#include "services/engine.h"
#include "session.h"
#include "testserver.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>

using namespace lm;
using models::ActivityDetail;
using models::ApprovalDetail;
using models::ApprovalQueueModel;
using models::OverviewModel;
using models::Session;

class TstDmClient : public QObject
{
    Q_OBJECT
private:
    std::unique_ptr<test::TestServer> m_server;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Session> m_session;
    QString m_acme;
    QByteArray m_dm;

    QString createApproval(const QString &title)
    {
        services::UnitOfWork work(m_server->host().engine());
        services::NewApproval n;
        n.tenantId = m_acme;
        n.title = title;
        n.type = QStringLiteral("content_review");
        n.riskLevel = QStringLiteral("high");
        n.expiresAtMs = m_server->clock().nowMs() + 3600 * 1000;
        services::Actor agent;
        agent.type = QStringLiteral("agent");
        agent.id = QStringLiteral("copywriter");
        agent.name = QStringLiteral("Copywriter");
        auto created = m_server->host().approvals().create(work, n, agent);
        if (!created.ok() || !work.commit().ok())
            return {};
        return created->id;
    }
    bool writeOutput(const QString &activityId, const QString &type, const QJsonObject &data)
    {
        services::UnitOfWork work(m_server->host().engine());
        return work.activityEvent(m_acme, activityId, type, data).ok() && work.commit().ok();
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_server = std::make_unique<test::TestServer>(
            test::TestServer::Settings {true, true, std::chrono::milliseconds(30000), 0});
        QVERIFY2(m_server->error().isEmpty(), qPrintable(m_server->error()));
        QJsonObject answer;
        QVERIFY(!m_server->login(QStringLiteral("admin@acme.demo"), &answer).isEmpty());
        m_acme = answer.value(QLatin1String("user")).toObject().value(QLatin1String("tenantId")).toString();
        m_dm = m_server->login(QStringLiteral("dm@leadmetrics.demo"));
        m_dir = std::make_unique<QTemporaryDir>();
        m_session = std::make_unique<Session>(m_dir->path());
        m_session->setServerUrl(QUrl(m_server->host().baseUrl()));
        m_session->login(
            QStringLiteral("dm@leadmetrics.demo"), QString::fromLatin1(server::DemoSeed::kPassword));
        QVERIFY(QTest::qWaitFor(
            [&] {
                return m_session->state() == Session::SignedIn && m_session->connection() == Session::Online;
            },
            15000));
        QCOMPARE(m_session->events()->path(), QStringLiteral("/dm/v1/events"));
    }

    void overviewShowsEveryTenantAndFollowsEvents()
    {
        OverviewModel model(m_session.get(), nullptr);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setDebounceMs(20);
        model.reload();
        QVERIFY(QTest::qWaitFor([&] { return !model.loading() && model.rowCount() > 0; }, 10000));
        QVERIFY(model.error().isEmpty());
        const QJsonArray tenants
            = m_server->http().get("/dm/v1/overview", m_dm).json().value(QLatin1String("tenants")).toArray();
        QCOMPARE(model.rowCount(), int(tenants.size()));
        int acmeRow = -1;
        int sum = 0;
        for (int i = 0; i < model.rowCount(); ++i) {
            if (model.index(i).data(OverviewModel::TenantIdRole).toString() == m_acme)
                acmeRow = i;
            sum += model.index(i).data(OverviewModel::PendingRole).toInt();
        }
        QVERIFY(acmeRow >= 0);
        QCOMPARE(model.index(acmeRow).data(OverviewModel::TenantNameRole).toString(),
            QStringLiteral("Acme Dental"));
        QCOMPARE(model.totals().value(QStringLiteral("pending")).toInt(), sum);
        const int before = model.index(acmeRow).data(OverviewModel::PendingRole).toInt();
        QVERIFY(before > 0);

        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        QVERIFY(!createApproval(QStringLiteral("Overview live")).isEmpty());
        QVERIFY(QTest::qWaitFor(
            [&] { return model.index(acmeRow).data(OverviewModel::PendingRole).toInt() == before + 1; },
            10000));
        QCOMPARE(model.totals().value(QStringLiteral("pending")).toInt(), sum + 1);
        QCOMPARE(resets.count(), 0);
    }

    void crossTenantQueueAndBulkResults()
    {
        ApprovalQueueModel model(m_session.get(), nullptr);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(QTest::qWaitFor([&] { return !model.loading() && model.count() > 0; }, 10000));
        QSet<QString> tenants;
        for (int i = 0; i < model.count(); ++i)
            tenants.insert(model.index(i).data(ApprovalQueueModel::TenantNameRole).toString());
        QVERIFY2(tenants.size() >= 2, "the DM queue spans tenants");

        model.setFilterTenantId(m_acme);
        QVERIFY(QTest::qWaitFor([&] { return !model.loading() && model.count() > 0; }, 10000));
        for (int i = 0; i < model.count(); ++i)
            QCOMPARE(model.index(i).data(ApprovalQueueModel::TenantIdRole).toString(), m_acme);

        // Two selected; a colleague decides one while this view hears no events (stream paused).
        QStringList chosen;
        for (int i = 0; i < model.count() && chosen.size() < 2; ++i) {
            if (model.index(i).data(ApprovalQueueModel::OptionsRole).toList().isEmpty()) {
                chosen.append(model.index(i).data(ApprovalQueueModel::ApprovalIdRole).toString());
                model.toggleSelected(i);
            }
        }
        QCOMPARE(model.selectedCount(), 2);
        m_session->events()->close();
        const QByteArray colleague = m_server->login(QStringLiteral("reviewer@acme.demo"));
        QCOMPARE(m_server->http()
                     .postJson("/dashboard/v1/approvals/" + chosen.at(1).toLatin1() + "/resolve",
                         {{QStringLiteral("resolution"), QStringLiteral("approved")}}, colleague)
                     .status,
            200);
        QSignalSpy bulk(&model, &ApprovalQueueModel::bulkFinished);
        model.approveSelected();
        QVERIFY(bulk.wait(10000));
        const QVariantList results = bulk.first().first().toList();
        QCOMPARE(results.size(), 2);
        QVariantMap byId;
        for (const QVariant &r : results)
            byId.insert(r.toMap().value(QStringLiteral("approvalId")).toString(), r);
        QVERIFY(byId.value(chosen.at(0)).toMap().value(QStringLiteral("ok")).toBool());
        QVERIFY(!byId.value(chosen.at(1)).toMap().value(QStringLiteral("ok")).toBool());
        QCOMPARE(byId.value(chosen.at(1)).toMap().value(QStringLiteral("message")).toString(),
            QStringLiteral("This approval was already resolved by someone else."));
        QCOMPARE(model.index(model.rowOf(chosen.at(0))).data(ApprovalQueueModel::DecisionRole).toString(),
            QStringLiteral("approved"));
        QCOMPARE(model.index(model.rowOf(chosen.at(1))).data(ApprovalQueueModel::DecisionRole).toString(),
            QStringLiteral("resolvedElsewhere"));
        m_session->events()->open(m_session->api()->eventsPath());
        QVERIFY(QTest::qWaitFor([&] { return m_session->connection() == Session::Online; }, 10000));
    }

    void approvalDetailLoadsAndResolves()
    {
        const QString id = createApproval(QStringLiteral("Detail check"));
        ApprovalDetail detail(m_session.get(), nullptr);
        detail.setApprovalId(id);
        QVERIFY(QTest::qWaitFor([&] { return !detail.loading() && !detail.approval().isEmpty(); }, 10000));
        QCOMPARE(detail.approval().value(QStringLiteral("title")).toString(), QStringLiteral("Detail check"));
        QCOMPARE(detail.approval()
                     .value(QStringLiteral("tenant"))
                     .toMap()
                     .value(QStringLiteral("name"))
                     .toString(),
            QStringLiteral("Acme Dental"));
        QCOMPARE(detail.approval().value(QStringLiteral("riskLevel")).toString(), QStringLiteral("high"));
        detail.resolve(QStringLiteral("rejected"), QStringLiteral("Wrong tone"));
        QVERIFY(QTest::qWaitFor([&] { return detail.decision() == QLatin1String("rejected"); }, 10000));
        QVERIFY(QTest::qWaitFor(
            [&] {
                return detail.approval().value(QStringLiteral("status")).toString()
                    == QLatin1String("rejected");
            },
            10000));

        ApprovalDetail missing(m_session.get(), nullptr);
        missing.setApprovalId(QStringLiteral("01ARZ3NDEKTSV4RRFFQ69G5FAV"));
        QVERIFY(QTest::qWaitFor([&] { return !missing.loading(); }, 10000));
        QCOMPARE(
            missing.error(), QStringLiteral("This approval no longer exists, or you can no longer see it."));
    }

    void approvalDetailShowsTheCampaignBudget()
    {
        // A demo approval of a campaign, and the figures the API gives for it.
        const QJsonArray queue = m_server->http()
                                     .get("/dm/v1/approvals?limit=100", m_dm)
                                     .json()
                                     .value(QLatin1String("data"))
                                     .toArray();
        QString id;
        QJsonObject budget;
        for (const QJsonValue &v : queue) {
            const QString candidate = v.toObject().value(QLatin1String("id")).toString();
            const QJsonValue b = m_server->http()
                                     .get("/dm/v1/approvals/" + candidate.toLatin1(), m_dm)
                                     .json()
                                     .value(QLatin1String("budget"));
            if (b.isObject() && b.toObject().value(QLatin1String("spentUsd")).toDouble() > 0) {
                id = candidate;
                budget = b.toObject();
                break;
            }
        }
        QVERIFY2(!id.isEmpty(), "the demo has a pending approval in a campaign that has spent");

        ApprovalDetail detail(m_session.get(), nullptr);
        detail.setApprovalId(id);
        QVERIFY(detail.loading());
        QVERIFY(!detail.hasBudget()); // nothing shown until the detail arrives
        QVERIFY(QTest::qWaitFor([&] { return !detail.loading() && detail.hasBudget(); }, 10000));
        QCOMPARE(detail.budgetCampaignName(), budget.value(QLatin1String("campaignName")).toString());
        QVERIFY(!detail.budgetCampaignName().isEmpty());
        QCOMPARE(detail.hasBudgetCap(), budget.value(QLatin1String("capUsd")).isDouble());
        QCOMPARE(detail.budgetCapUsd(), budget.value(QLatin1String("capUsd")).toDouble());
        QCOMPARE(detail.budgetSpentUsd(), budget.value(QLatin1String("spentUsd")).toDouble());
        QCOMPARE(detail.budgetLinkedSpentUsd(),
            budget.value(QLatin1String("linkedActivitiesSpentUsd")).toDouble());
        QCOMPARE(detail.hasProjection(), budget.value(QLatin1String("projectedUsd")).isDouble());
        QCOMPARE(detail.budgetProjectedUsd(), budget.value(QLatin1String("projectedUsd")).toDouble());
        QCOMPARE(detail.budgetProjectedBasis(), budget.value(QLatin1String("projectedBasis")).toString());
        QCOMPARE(detail.budgetOpenActivities(), budget.value(QLatin1String("openActivities")).toInt());
        QCOMPARE(
            detail.budgetCompletedActivities(), budget.value(QLatin1String("completedActivities")).toInt());
        const double projected
            = detail.hasProjection() ? detail.budgetProjectedUsd() : detail.budgetSpentUsd();
        QCOMPARE(detail.budgetOverCap(), detail.hasBudgetCap() && projected > detail.budgetCapUsd());

        // A cap under the spend: over it, whatever the projection.
        auto cap = m_server->host().store().db().query(
            QStringLiteral("UPDATE campaigns SET budget_cap_micros = 1 WHERE id = ?"));
        cap.bind(budget.value(QLatin1String("campaignId")).toString());
        QVERIFY(cap.exec().ok());
        detail.reload();
        QVERIFY(QTest::qWaitFor([&] { return !detail.loading() && detail.hasBudget(); }, 10000));
        QCOMPARE(detail.budgetCapUsd(), 0.000001);
        QVERIFY(detail.budgetOverCap());
        auto restore = m_server->host().store().db().query(
            QStringLiteral("UPDATE campaigns SET budget_cap_micros = ? WHERE id = ?"));
        const QJsonValue capUsd = budget.value(QLatin1String("capUsd"));
        restore
            .bindNullableInt(
                capUsd.isDouble() ? std::optional<qint64>(qRound64(capUsd.toDouble() * 1e6)) : std::nullopt)
            .bind(budget.value(QLatin1String("campaignId")).toString());
        QVERIFY(restore.exec().ok());

        // An approval outside any campaign has none.
        ApprovalDetail loose(m_session.get(), nullptr);
        loose.setApprovalId(createApproval(QStringLiteral("No campaign")));
        QVERIFY(QTest::qWaitFor([&] { return !loose.loading() && !loose.approval().isEmpty(); }, 10000));
        QVERIFY(!loose.hasBudget());
        QVERIFY(!loose.budgetOverCap());
        QVERIFY(loose.approval().contains(QStringLiteral("budget")));
    }

    void aDecisionThatReachedTheServerBeforeACrashIsNotAppliedTwice()
    {
        const QString id = createApproval(QStringLiteral("Crash replay"));
        const QString key = QStringLiteral("0b6f3c1e-7d7a-4b8e-9a51-5d2f1f0c9e11");
        // The first attempt reached the server; the app died before it saw the answer.
        const test::HttpReply first = m_server->http().request("POST",
            "/dm/v1/approvals/" + id.toLatin1() + "/resolve", R"({"resolution":"approved"})",
            {{"Authorization", "Bearer " + m_dm}, {"Idempotency-Key", key.toLatin1()}});
        QCOMPARE(first.status, 200);
        // What the queue had on disk.
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("decisions.json"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        const QString userId = m_session->api()->user().value(QLatin1String("id")).toString();
        file.write(QJsonDocument(QJsonObject {{QStringLiteral("version"), 1},
                                     {QStringLiteral("decisions"),
                                         QJsonArray {QJsonObject {{QStringLiteral("idempotencyKey"), key},
                                             {QStringLiteral("approvalId"), id},
                                             {QStringLiteral("resolution"), QStringLiteral("approved")},
                                             {QStringLiteral("userId"), userId}}}}})
                       .toJson());
        file.close();

        client::ApiClient api;
        api.setBaseUrl(QUrl(m_server->host().baseUrl()));
        client::DecisionQueue queue(&api, path);
        QCOMPARE(queue.count(), 1);
        QSignalSpy decided(&queue, &client::DecisionQueue::decided);
        QVERIFY(test::signIn(api, QStringLiteral("dm@leadmetrics.demo")));
        QVERIFY(decided.count() == 1 || decided.wait(10000));
        // The server answered the stored outcome: applied (once), not "resolved by someone else".
        QCOMPARE(decided.at(0).at(2).value<client::DecisionQueue::Outcome>(),
            client::DecisionQueue::Outcome::Applied);
        const QJsonObject after = m_server->http().get("/dm/v1/approvals/" + id.toLatin1(), m_dm).json();
        QCOMPARE(after.value(QLatin1String("resolution")).toString(), QStringLiteral("approved"));
    }

    void activityOutputStreamsLive()
    {
        const QJsonArray data
            = m_server->http()
                  .get("/dashboard/v1/activities?limit=1", m_server->login(QStringLiteral("admin@acme.demo")))
                  .json()
                  .value(QLatin1String("data"))
                  .toArray();
        const QString activityId = data.first().toObject().value(QLatin1String("id")).toString();
        QVERIFY(writeOutput(activityId, QStringLiteral("text_delta"),
            {{QStringLiteral("delta"), QStringLiteral("# Spring ")}}));
        ActivityDetail detail(m_session.get(), nullptr);
        detail.setActivityId(activityId);
        QVERIFY(detail.streaming());
        QVERIFY(QTest::qWaitFor([&] { return detail.output() == QLatin1String("# Spring "); }, 10000));
        QVERIFY(QTest::qWaitFor([&] { return !detail.loading(); }, 10000));
        QVERIFY2(detail.error().isEmpty(), qPrintable(detail.error()));
        QCOMPARE(detail.activity().value(QStringLiteral("id")).toString(), activityId);
        QCOMPARE(detail.outputFormat(), QStringLiteral("markdown"));
        QVERIFY(writeOutput(activityId, QStringLiteral("tool_call"),
            {{QStringLiteral("name"), QStringLiteral("keyword_research")}}));
        QVERIFY(writeOutput(
            activityId, QStringLiteral("text_delta"), {{QStringLiteral("delta"), QStringLiteral("offers")}}));
        QVERIFY(writeOutput(
            activityId, QStringLiteral("completed"), {{QStringLiteral("status"), QStringLiteral("done")}}));
        QVERIFY(QTest::qWaitFor([&] { return !detail.streaming(); }, 10000));
        QCOMPARE(detail.output(), QStringLiteral("# Spring offers"));
        QCOMPARE(detail.toolCalls().size(), 1);
        QCOMPARE(detail.toolCalls().first().toMap().value(QStringLiteral("name")).toString(),
            QStringLiteral("keyword_research"));

        // Pause and resume show in the activity; resuming what is not paused is refused with a reason.
        QCOMPARE(detail.activity().value(QStringLiteral("status")).toString(), QStringLiteral("assigned"));
        auto status = [&] { return detail.activity().value(QStringLiteral("status")).toString(); };
        detail.pause();
        QVERIFY(QTest::qWaitFor([&] { return status() == QLatin1String("blocked"); }, 10000));
        QCOMPARE(detail.activity().value(QStringLiteral("blockReason")).toString(), QStringLiteral("paused"));
        detail.resume();
        QVERIFY(QTest::qWaitFor([&] { return status() != QLatin1String("blocked"); }, 10000));
        QSignalSpy errors(&detail, &ActivityDetail::errorChanged);
        detail.resume();
        QVERIFY(errors.wait(10000));
        QCOMPARE(detail.error(), QStringLiteral("The activity cannot do that in its current state."));
    }
};

QTEST_GUILESS_MAIN(TstDmClient)
#include "tst_dmclient.moc"
