// SPDX-License-Identifier: GPL-3.0-or-later
// Session and ApprovalQueueModel against a real server: sign-in, paging in risk order, live rows that keep
// a view's index and selection, decisions online and offline, bulk results.
#include "approvaldetail.h"
#include "approvalqueuemodel.h"
#include "auth/totp.h"
#include "clientfixture.h"
#include "loopbackproxy.h"
#include "services/approvalservice.h"
#include "services/engine.h"
#include "session.h"
#include "testserver.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QQmlComponent>
#include <QQmlEngine>
#include <QTemporaryDir>
#include <QtQml/qqmlextensionplugin.h>

Q_IMPORT_QML_PLUGIN(Leadmetrics_ModelsPlugin)

using namespace lm;
using models::ApprovalQueueModel;
using models::Session;

namespace {
QByteArray base32Decode(const QString &text)
{
    static const QByteArray alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    QByteArray out;
    quint32 buffer = 0;
    int bits = 0;
    for (const QChar c : text) {
        const qsizetype v = alphabet.indexOf(char(c.toUpper().toLatin1()));
        if (v < 0)
            continue;
        buffer = (buffer << 5) | quint32(v);
        bits += 5;
        if (bits >= 8) {
            out.append(char((buffer >> (bits - 8)) & 0xff));
            bits -= 8;
        }
    }
    return out;
}

int riskRank(const QString &r)
{
    return r == QLatin1String("high") ? 0 : r == QLatin1String("medium") ? 1 : 2;
}
} // namespace

class TstClientModels : public QObject
{
    Q_OBJECT
private:
    std::unique_ptr<test::TestServer> m_server;
    QString m_acme;
    QByteArray m_colleague;

    bool signIn(Session &session, const QString &url)
    {
        session.setServerUrl(QUrl(url));
        session.login(QStringLiteral("admin@acme.demo"), QString::fromLatin1(server::DemoSeed::kPassword));
        return QTest::qWaitFor(
            [&] { return session.state() == Session::SignedIn && session.connection() == Session::Online; },
            15000);
    }
    static bool loadAll(ApprovalQueueModel &model)
    {
        if (!QTest::qWaitFor([&] { return !model.loading(); }, 10000))
            return false;
        while (model.canFetchMore({})) {
            model.fetchMore({});
            if (!QTest::qWaitFor([&] { return !model.loading(); }, 10000))
                return false;
        }
        return model.error().isEmpty();
    }
    QString createApproval(const QString &title, const QString &risk, qint64 expiresInMs)
    {
        services::UnitOfWork work(m_server->host().engine());
        services::NewApproval n;
        n.tenantId = m_acme;
        n.title = title;
        n.type = QStringLiteral("content_review");
        n.riskLevel = risk;
        n.expiresAtMs = m_server->clock().nowMs() + expiresInMs;
        services::Actor agent;
        agent.type = QStringLiteral("agent");
        agent.id = QStringLiteral("copywriter");
        agent.name = QStringLiteral("Copywriter");
        auto created = m_server->host().approvals().create(work, n, agent);
        if (!created.ok() || !work.commit().ok())
            return {};
        return created->id;
    }
    int colleagueResolves(const QString &id)
    {
        return m_server->http()
            .postJson("/dashboard/v1/approvals/" + id.toLatin1() + "/resolve",
                {{QStringLiteral("resolution"), QStringLiteral("approved")}}, m_colleague)
            .status;
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
        m_colleague = m_server->login(QStringLiteral("reviewer@acme.demo"));
        // More pending approvals than a few pages' worth, of every risk.
        for (int i = 0; i < 6; ++i)
            QVERIFY(!createApproval(QStringLiteral("Seeded %1").arg(i),
                i % 2 ? QStringLiteral("low") : QStringLiteral("high"), (i + 1) * 3600 * 1000LL)
                         .isEmpty());
    }

    void sessionSignsInAndOut()
    {
        QTemporaryDir dir;
        Session session(dir.path());
        QCOMPARE(Session::instance(), &session);
        QSignalSpy states(&session, &Session::stateChanged);
        session.setServerUrl(QUrl(m_server->host().baseUrl()));
        session.login(QStringLiteral("admin@acme.demo"), QStringLiteral("wrong"));
        QCOMPARE(session.state(), Session::SigningIn);
        QVERIFY(QTest::qWaitFor([&] { return session.state() == Session::SignedOut; }, 10000));
        QCOMPARE(session.errorMessage(), QStringLiteral("The e-mail, password or code is not correct."));
        QVERIFY(signIn(session, m_server->host().baseUrl()));
        QCOMPARE(session.errorMessage(), QString());
        QCOMPARE(session.user().value(QStringLiteral("email")).toString(), QStringLiteral("admin@acme.demo"));
        session.logout();
        QCOMPARE(session.state(), Session::SignedOut);
        QCOMPARE(session.connection(), Session::Offline);
        QVERIFY(session.user().isEmpty());
    }

    void sessionSignsInWithASecondFactor()
    {
        const QByteArray token = m_server->login(QStringLiteral("member@acme.demo"));
        const test::HttpReply enroll = m_server->http().postJson("/auth/v1/mfa/enroll", {}, token);
        QCOMPARE(enroll.status, 200);
        const QByteArray secret = base32Decode(enroll.json().value(QLatin1String("secret")).toString());
        auto codeIn = [&](int steps) {
            return auth::Totp::codeAt(
                secret, m_server->clock().nowMs() / 1000 + steps * auth::Totp::kStepSeconds);
        };
        QCOMPARE(m_server->http()
                     .postJson("/auth/v1/mfa/activate", {{QStringLiteral("code"), codeIn(0)}}, token)
                     .status,
            200);
        m_server->clock().advanceMs(auth::Totp::kStepSeconds * 1000); // a fresh step: codes work once

        QTemporaryDir dir;
        Session session(dir.path());
        session.setServerUrl(QUrl(m_server->host().baseUrl()));
        session.login(QStringLiteral("member@acme.demo"), QString::fromLatin1(server::DemoSeed::kPassword));
        QVERIFY(QTest::qWaitFor([&] { return session.state() == Session::MfaRequired; }, 10000));
        session.verifyMfa(codeIn(10));
        QVERIFY(QTest::qWaitFor([&] { return !session.errorMessage().isEmpty(); }, 10000));
        QCOMPARE(session.errorMessage(), QStringLiteral("The e-mail, password or code is not correct."));
        QCOMPARE(session.state(), Session::MfaRequired); // the reviewer types the code again
        session.verifyMfa(codeIn(0));
        QVERIFY(QTest::qWaitFor([&] { return session.state() == Session::SignedIn; }, 10000));
        QCOMPARE(session.errorMessage(), QString());
        QCOMPARE(
            session.user().value(QStringLiteral("email")).toString(), QStringLiteral("member@acme.demo"));
    }

    void qmlGetsTheSessionMainMade()
    {
        QTemporaryDir dir;
        Session session(dir.path());
        QVERIFY(signIn(session, m_server->host().baseUrl()));
        QQmlEngine engine;
        QQmlComponent component(&engine);
        component.setData("import QtQml\nimport Leadmetrics.Models\n"
                          "QtObject {\n"
                          "  property bool signedIn: Session.state === Session.SignedIn\n"
                          "  property string email: Session.user.email\n"
                          "  property ApprovalQueueModel queue: ApprovalQueueModel {}\n"
                          "  property OverviewModel overview: OverviewModel {}\n"
                          "  property ApprovalDetail detail: ApprovalDetail {}\n"
                          "  property ActivityDetail activity: ActivityDetail {}\n"
                          "}\n",
            QUrl(QStringLiteral("qrc:/test.qml")));
        std::unique_ptr<QObject> root(component.create());
        QVERIFY2(root, qPrintable(component.errorString()));
        QCOMPARE(root->property("email").toString(), QStringLiteral("admin@acme.demo"));
        QVERIFY(root->property("signedIn").toBool());
        QCOMPARE(root->property("email").toString(), QStringLiteral("admin@acme.demo"));
        auto *queue = root->property("queue").value<ApprovalQueueModel *>();
        QVERIFY(queue);
        QVERIFY(QTest::qWaitFor([&] { return !queue->loading() && queue->count() > 0; }, 10000));
        QCOMPARE(queue->roleNames().value(ApprovalQueueModel::DecisionRole), QByteArray("decision"));
    }

    void queuePagesInRiskThenExpiryOrder()
    {
        QTemporaryDir dir;
        Session session(dir.path());
        ApprovalQueueModel model(&session, nullptr);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setPageSize(4);
        QVERIFY(signIn(session, m_server->host().baseUrl()));
        QVERIFY(QTest::qWaitFor([&] { return !model.loading() && model.count() > 0; }, 10000));
        QCOMPARE(model.count(), 4);
        QVERIFY(model.hasMore());
        QVERIFY(loadAll(model));
        QVERIFY(!model.hasMore());
        const int pending = int(
            m_server->http()
                .get("/dashboard/v1/approvals?limit=100", m_server->login(QStringLiteral("admin@acme.demo")))
                .json()
                .value(QLatin1String("data"))
                .toArray()
                .size());
        QCOMPARE(model.count(), pending);
        for (int i = 1; i < model.count(); ++i) {
            const QModelIndex a = model.index(i - 1);
            const QModelIndex b = model.index(i);
            const int ra = riskRank(a.data(ApprovalQueueModel::RiskLevelRole).toString());
            const int rb = riskRank(b.data(ApprovalQueueModel::RiskLevelRole).toString());
            QVERIFY(ra <= rb);
            if (ra == rb)
                QVERIFY(a.data(ApprovalQueueModel::ExpiresAtRole).toDateTime()
                    <= b.data(ApprovalQueueModel::ExpiresAtRole).toDateTime());
        }
        QCOMPARE(model.index(0).data(ApprovalQueueModel::TenantNameRole).toString(),
            QStringLiteral("Acme Dental"));
        QCOMPARE(model.index(0).data(ApprovalQueueModel::StatusRole).toString(), QStringLiteral("pending"));

        session.logout(); // nothing of this account stays on screen
        QCOMPARE(model.count(), 0);
        QVERIFY(!model.hasMore());
    }

    void liveRowsKeepTheViewsIndexAndSelection()
    {
        QTemporaryDir dir;
        Session session(dir.path());
        ApprovalQueueModel model(&session, nullptr);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(signIn(session, m_server->host().baseUrl()));
        QVERIFY(loadAll(model));
        QVERIFY(model.count() >= 4);
        const int last = model.count() - 1;
        const QString watchedId = model.index(last).data(ApprovalQueueModel::ApprovalIdRole).toString();
        const QPersistentModelIndex watched(model.index(last));
        model.toggleSelected(last);
        QCOMPARE(model.selectedCount(), 1);
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);

        // An urgent high-risk approval arrives: it goes to the top.
        const int before = model.count();
        const QString urgent
            = createApproval(QStringLiteral("Urgent live one"), QStringLiteral("high"), 60 * 1000);
        QVERIFY(!urgent.isEmpty());
        QVERIFY(inserted.wait(10000));
        QCOMPARE(model.count(), before + 1);
        QCOMPARE(inserted.first().at(1).toInt(), 0);
        QCOMPARE(model.rowOf(urgent), 0);
        QCOMPARE(watched.data(ApprovalQueueModel::ApprovalIdRole).toString(), watchedId);
        QCOMPARE(watched.row(), last + 1);
        QVERIFY(watched.data(ApprovalQueueModel::SelectedRole).toBool());

        // A colleague decides another one: it leaves; the watched row and its selection stay.
        const QString gone = model.index(1).data(ApprovalQueueModel::ApprovalIdRole).toString();
        QCOMPARE(colleagueResolves(gone), 200);
        QVERIFY(removed.wait(10000));
        QCOMPARE(model.rowOf(gone), -1);
        QCOMPARE(watched.data(ApprovalQueueModel::ApprovalIdRole).toString(), watchedId);
        QVERIFY(watched.data(ApprovalQueueModel::SelectedRole).toBool());
        QCOMPARE(model.selectedCount(), 1);
        QCOMPARE(resets.count(), 0);
    }

    void approvalDetailShowsTheWholeOutput()
    {
        // A pending approval whose held activity has an output document.
        const QByteArray admin = m_server->login(QStringLiteral("admin@acme.demo"));
        QString approvalId;
        QString activityId;
        for (const QJsonValue &v : m_server->http()
                                       .get("/dashboard/v1/approvals?limit=100", admin)
                                       .json()
                                       .value(QLatin1String("data"))
                                       .toArray()) {
            const QString id = v.toObject().value(QLatin1String("id")).toString();
            const QJsonObject d
                = m_server->http().get("/dashboard/v1/approvals/" + id.toLatin1(), admin).json();
            for (const QJsonValue &a : d.value(QLatin1String("linkedActivities")).toArray()) {
                if (a.toObject().contains(QLatin1String("outputRef")) && approvalId.isEmpty()) {
                    approvalId = id;
                    activityId = a.toObject().value(QLatin1String("id")).toString();
                }
            }
        }
        QVERIFY2(!approvalId.isEmpty(), "the demo data has a pending approval with an output document");
        const QString full = m_server->http()
                                 .get("/dashboard/v1/activities/" + activityId.toLatin1() + "/output", admin)
                                 .json()
                                 .value(QLatin1String("text"))
                                 .toString();
        QVERIFY(!full.isEmpty());

        QTemporaryDir dir;
        Session session(dir.path());
        QVERIFY(signIn(session, m_server->host().baseUrl()));
        models::ApprovalDetail detail(&session, nullptr);
        detail.setApprovalId(approvalId);
        auto outputOf = [&] {
            for (const QVariant &a : detail.activities()) {
                if (a.toMap().value(QStringLiteral("id")).toString() == activityId)
                    return a.toMap().value(QStringLiteral("output")).toString();
            }
            return QString();
        };
        QVERIFY(QTest::qWaitFor([&] { return outputOf() == full; }, 10000));
        QCOMPARE(detail.approval().value(QStringLiteral("id")).toString(), approvalId);
        // The tenant surface reports no budget (the DM detail does): none is shown.
        QVERIFY(!detail.approval().contains(QStringLiteral("budget")));
        QVERIFY(!detail.hasBudget());
    }

    void decisionsOnlineOfflineAndInBulk()
    {
        QTemporaryDir dir;
        test::LoopbackProxy proxy(m_server->port());
        QVERIFY(proxy.up());
        Session session(dir.path());
        session.events()->setBackoff(20, 200);
        ApprovalQueueModel model(&session, nullptr);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(signIn(session, proxy.url()));
        QVERIFY(loadAll(model));
        auto rowWithoutOptions = [&](int skip) {
            for (int i = 0; i < model.count(); ++i) {
                const QModelIndex ix = model.index(i);
                if (ix.data(ApprovalQueueModel::OptionsRole).toList().isEmpty()
                    && ix.data(ApprovalQueueModel::DecisionRole).toString().isEmpty() && skip-- == 0)
                    return ix.data(ApprovalQueueModel::ApprovalIdRole).toString();
            }
            return QString();
        };
        auto decisionOf = [&](const QString &id) {
            return model.index(model.rowOf(id)).data(ApprovalQueueModel::DecisionRole).toString();
        };

        // Online: applied, and the row shows it.
        const QString a = rowWithoutOptions(0);
        model.approve(model.rowOf(a));
        QVERIFY(QTest::qWaitFor([&] { return decisionOf(a) == QLatin1String("approved"); }, 10000));

        // Refused: the reason is on the row.
        const QString b = rowWithoutOptions(0);
        model.reject(model.rowOf(b), QString());
        QVERIFY(QTest::qWaitFor([&] { return decisionOf(b) == QLatin1String("failed"); }, 10000));
        QCOMPARE(model.index(model.rowOf(b)).data(ApprovalQueueModel::DecisionMessageRole).toString(),
            QStringLiteral("Note is required."));

        // Offline: queued, counted, sent when the server is back.
        proxy.down();
        QVERIFY(QTest::qWaitFor([&] { return session.connection() == Session::Offline; }, 10000));
        const QString c = rowWithoutOptions(1);
        model.requestRevision(model.rowOf(c), QStringLiteral("Add the price"));
        QVERIFY(QTest::qWaitFor([&] { return decisionOf(c) == QLatin1String("queued"); }, 5000));
        QCOMPARE(session.pendingDecisions(), 1);
        QVERIFY(proxy.up());
        QVERIFY(QTest::qWaitFor([&] { return decisionOf(c) == QLatin1String("revision_requested"); }, 15000));
        QCOMPARE(session.pendingDecisions(), 0);

        // Bulk: two selected; the tenant surface has no bulk route, so each goes through the queue.
        const QString d = rowWithoutOptions(1);
        const QString e = rowWithoutOptions(2);
        model.toggleSelected(model.rowOf(d));
        model.toggleSelected(model.rowOf(e));
        QCOMPARE(model.selectedCount(), 2);
        QSignalSpy bulk(&model, &ApprovalQueueModel::bulkFinished);
        model.approveSelected();
        QVERIFY(bulk.wait(15000));
        const QVariantList results = bulk.first().first().toList();
        QCOMPARE(results.size(), 2);
        for (const QVariant &r : results) {
            const QVariantMap m = r.toMap();
            QVERIFY(m.value(QStringLiteral("ok")).toBool());
            QVERIFY(!m.value(QStringLiteral("title")).toString().isEmpty());
            QCOMPARE(
                decisionOf(m.value(QStringLiteral("approvalId")).toString()), QStringLiteral("approved"));
        }
        QCOMPARE(model.selectedCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TstClientModels)
#include "tst_clientmodels.moc"
