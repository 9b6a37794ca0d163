// SPDX-License-Identifier: GPL-3.0-or-later
// Crash durability of the real leadmetrics-server binary, per dialect: concurrent approval
// resolutions and campaign creations over HTTP, SIGKILL in the middle, a restart on the same store.
// Every request that was answered 2xx must be there after the restart, and every write must be
// whole or absent: an approval rejected ⇔ its activities woken with their run jobs and its audit
// row; a campaign ⇔ its deliverables, its planning activity and that activity's run job.
#include "serverprocess.h"
#include "store/store.h"
#include "testdatabase.h"
#include "testhttp.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <atomic>
#include <mutex>
#include <thread>

using namespace lm;
using namespace lm::test;

namespace {

constexpr int kTenants = 2;
constexpr int kCampaignsPerTenant = 60;
constexpr int kClientThreads = 6;

/// One write a client sends: reject an approval, or create a campaign.
struct Write
{
    bool resolve = false;
    QByteArray token;
    QString approvalId; ///< resolve
    QString campaignName; ///< create
    int status = -1; ///< -1 never sent (the server was already gone), 0 no answer
    QString createdId; ///< the campaign id of a 2xx create
};

int count(store::Database &db, const QString &sql, const QStringList &binds)
{
    auto q = db.query(sql);
    for (const QString &b : binds)
        q.bind(b);
    if (!q.exec().ok() || !q.next())
        return -1;
    return int(q.int64(0));
}

} // namespace

class TestDurability : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void answeredWritesSurviveSigkillAndNoneIsHalfApplied()
    {
        TestDatabase database;
        QVERIFY2(!database.url().isEmpty(), qPrintable(database.error()));
        QTemporaryDir dataDir;
        const QStringList storeArgs {
            QStringLiteral("--data-dir"), dataDir.path(), QStringLiteral("--database"), database.url()};
        ServerProcess server(QStringLiteral(LM_SERVER_BINARY));
        QCOMPARE(server.runToEnd(QStringList {QStringLiteral("seed"), QStringLiteral("--tenants"),
                                     QString::number(kTenants), QStringLiteral("--approvals-per-tenant"),
                                     QStringLiteral("200"), QStringLiteral("--activities-per-tenant"),
                                     QStringLiteral("600")}
                     + storeArgs),
            0);

        // The targets: pending approvals whose activities all wait on them alone (the seed's, not the
        // demo's reviews), so "rejected ⇔ its activities woken" holds exactly for each of them.
        QHash<QString, QString> adminOfApproval;
        {
            store::Store store(database.config());
            auto q = store.db().query(QStringLiteral(
                "SELECT a.id, u.email FROM approvals a JOIN users u ON u.tenant_id = a.tenant_id "
                "AND u.email LIKE 'admin@bench-%' WHERE a.status = 'pending' "
                "AND EXISTS (SELECT 1 FROM approval_activities l WHERE l.approval_id = a.id) "
                "AND NOT EXISTS (SELECT 1 FROM approval_activities l JOIN activities t ON t.id = "
                "l.activity_id "
                "WHERE l.approval_id = a.id AND t.status <> 'awaiting_approval') "
                "AND NOT EXISTS (SELECT 1 FROM approval_activities l JOIN approval_activities o "
                "ON o.activity_id = l.activity_id AND o.approval_id <> l.approval_id "
                "JOIN approvals p ON p.id = o.approval_id AND p.status = 'pending' WHERE l.approval_id = "
                "a.id)"));
            QVERIFY(q.exec().ok());
            while (q.next())
                adminOfApproval.insert(q.string(0), q.string(1));
        }
        QVERIFY2(adminOfApproval.size() >= 40, qPrintable(QString::number(adminOfApproval.size())));

        // Job workers off: what a request wrote stays as it wrote it, so it can be checked exactly.
        const QStringList serveArgs
            = storeArgs + QStringList {QStringLiteral("--workers"), QStringLiteral("0")};
        QVERIFY2(server.start(serveArgs) > 0, qPrintable(server.error()));
        TestHttp http(QStringLiteral("127.0.0.1"), server.port());
        QHash<QString, QByteArray> tokens;
        for (int t = 1; t <= kTenants; ++t) {
            const QString email = QStringLiteral("admin@bench-%1.test").arg(t);
            const HttpReply login = http.postJson("/auth/v1/login",
                {{QStringLiteral("email"), email},
                    {QStringLiteral("password"), QStringLiteral("bench-pass-2026")}});
            QCOMPARE(login.status, 200);
            tokens.insert(email, login.json().value(QStringLiteral("accessToken")).toString().toLatin1());
        }

        // Resolutions and creations interleaved, dealt out to the client threads.
        QList<Write> writes;
        for (auto it = adminOfApproval.cbegin(); it != adminOfApproval.cend(); ++it)
            writes.append(Write {true, tokens.value(it.value()), it.key(), {}, -1, {}});
        for (int i = 0; i < kCampaignsPerTenant * kTenants; ++i) {
            const QString email = QStringLiteral("admin@bench-%1.test").arg(i % kTenants + 1);
            const qsizetype at = std::min<qsizetype>(writes.size(), qsizetype(i) * 2 + 1);
            writes.insert(
                at, Write {false, tokens.value(email), {}, QStringLiteral("Durable %1").arg(i), -1, {}});
        }

        Write *const owned = writes.data(); // detached once here: the threads only write their own slots
        const qsizetype total = writes.size();
        std::atomic<int> answered2xx {0};
        std::atomic<bool> gone {false};
        std::vector<std::thread> clients;
        for (int c = 0; c < kClientThreads; ++c) {
            clients.emplace_back([&, c] {
                TestHttp client(QStringLiteral("127.0.0.1"), server.port());
                for (qsizetype i = c; i < total && !gone.load(); i += kClientThreads) {
                    Write &w = owned[i];
                    HttpReply reply;
                    if (w.resolve) {
                        reply = client.postJson(
                            "/dashboard/v1/approvals/" + w.approvalId.toLatin1() + "/resolve",
                            {{QStringLiteral("resolution"), QStringLiteral("rejected")},
                                {QStringLiteral("note"), QStringLiteral("Not before the launch.")}},
                            w.token);
                    } else {
                        reply = client.postJson("/dashboard/v1/campaigns",
                            {{QStringLiteral("name"), w.campaignName},
                                {QStringLiteral("brief"),
                                    QStringLiteral("Spring launch, two blog posts and a social post.")},
                                {QStringLiteral("deliverables"),
                                    QJsonArray {
                                        QJsonObject {{QStringLiteral("type"), QStringLiteral("blog_post")},
                                            {QStringLiteral("quantity"), 2}},
                                        QJsonObject {{QStringLiteral("type"), QStringLiteral("social_post")},
                                            {QStringLiteral("quantity"), 1}}}}},
                            w.token);
                        w.createdId = reply.json().value(QStringLiteral("id")).toString();
                    }
                    w.status = reply.status;
                    if (reply.status == 0) {
                        gone = true; // the server is gone: the rest is never sent
                        break;
                    }
                    if (reply.status / 100 == 2)
                        ++answered2xx;
                }
            });
        }
        // SIGKILL once a third of the writes were answered: the rest are in flight or not yet sent.
        const int killAfter = int(writes.size() / 3);
        while (answered2xx.load() < killAfter && !gone.load())
            QThread::msleep(1);
        server.kill();
        gone = true;
        for (auto &t : clients)
            t.join();

        int ok = 0;
        int unanswered = 0;
        for (const Write &w : std::as_const(writes)) {
            QVERIFY2(w.status <= 0 || w.status / 100 == 2,
                qPrintable(QStringLiteral("%1 answered %2")
                               .arg(w.resolve ? w.approvalId : w.campaignName)
                               .arg(w.status)));
            ok += w.status / 100 == 2 ? 1 : 0;
            unanswered += w.status <= 0 ? 1 : 0;
        }
        QVERIFY2(ok >= killAfter && unanswered > 0,
            qPrintable(QStringLiteral("%1 ok, %2 unanswered").arg(ok).arg(unanswered)));

        // Restart on the same store: every answered write is there, as a user sees it.
        QVERIFY2(server.start(serveArgs) > 0, qPrintable(server.error()));
        TestHttp after(QStringLiteral("127.0.0.1"), server.port());
        for (const Write &w : std::as_const(writes)) {
            if (w.status / 100 != 2)
                continue;
            if (w.resolve) {
                const HttpReply detail
                    = after.get("/dashboard/v1/approvals/" + w.approvalId.toLatin1(), w.token);
                QCOMPARE(detail.status, 200);
                QCOMPARE(
                    detail.json().value(QStringLiteral("status")).toString(), QStringLiteral("rejected"));
            } else {
                const HttpReply detail
                    = after.get("/dashboard/v1/campaigns/" + w.createdId.toLatin1(), w.token);
                QCOMPARE(detail.status, 200);
                QCOMPARE(detail.json().value(QStringLiteral("name")).toString(), w.campaignName);
            }
        }
        QVERIFY(server.stop());

        // Nothing half-applied, answered or not: each write is all there or not at all.
        store::Store store(database.config());
        store::Database &db = store.db();
        const QString jobsFor
            = QStringLiteral("SELECT count(*) FROM jobs WHERE status = 'queued' AND payload LIKE ?");
        for (const Write &w : std::as_const(writes)) {
            if (!w.resolve)
                continue;
            auto approval = store.approvals.find(store::TenantScope::allTenants(), w.approvalId);
            QVERIFY(approval.ok() && approval->has_value());
            const bool rejected = (*approval)->status == QLatin1String("rejected");
            QVERIFY2(
                rejected || (*approval)->status == QLatin1String("pending"), qPrintable((*approval)->status));
            QCOMPARE(count(db,
                         QStringLiteral("SELECT count(*) FROM audit_log WHERE action = 'approval.rejected' "
                                        "AND target_id = ?"),
                         {w.approvalId}),
                rejected ? 1 : 0);
            for (const auto &link : std::as_const((*approval)->linkedActivities)) {
                auto activity = store.activities.find(store::TenantScope::allTenants(), link.id);
                QVERIFY(activity.ok() && activity->has_value());
                QCOMPARE((*activity)->status,
                    rejected ? QStringLiteral("assigned") : QStringLiteral("awaiting_approval"));
                QCOMPARE(
                    count(db, jobsFor, {QLatin1Char('%') + link.id + QLatin1Char('%')}), rejected ? 1 : 0);
            }
        }
        QSet<QString> answeredNames;
        for (const Write &w : std::as_const(writes)) {
            if (!w.resolve && w.status / 100 == 2)
                answeredNames.insert(w.campaignName);
        }
        // Read the rows first: on PostgreSQL a second statement on the connection ends a result being read.
        QList<QPair<QString, QString>> stored;
        {
            auto campaigns
                = db.query(QStringLiteral("SELECT id, name FROM campaigns WHERE name LIKE 'Durable %'"));
            QVERIFY(campaigns.exec().ok());
            while (campaigns.next())
                stored.append({campaigns.string(0), campaigns.string(1)});
        }
        QSet<QString> storedNames;
        for (const auto &[id, name] : std::as_const(stored)) {
            QVERIFY2(!storedNames.contains(name), qPrintable(name + QStringLiteral(" stored twice")));
            storedNames.insert(name);
            QCOMPARE(
                count(db, QStringLiteral("SELECT count(*) FROM deliverables WHERE campaign_id = ?"), {id}),
                2);
            auto plan = db.query(
                QStringLiteral("SELECT id, status FROM activities WHERE campaign_id = ? AND type = 'plan'"));
            plan.bind(id);
            QVERIFY(plan.exec().ok() && plan.next());
            QCOMPARE(plan.string(1), QStringLiteral("assigned"));
            QCOMPARE(count(db, jobsFor, {QLatin1Char('%') + plan.string(0) + QLatin1Char('%')}), 1);
            QCOMPARE(count(db,
                         QStringLiteral("SELECT count(*) FROM audit_log WHERE action = 'campaign.created' "
                                        "AND target_id = ?"),
                         {id}),
                1);
        }
        qInfo("%d writes, %d answered 2xx, %d unanswered; %d campaigns answered, %d stored",
            int(writes.size()), ok, unanswered, int(answeredNames.size()), int(storedNames.size()));
        QVERIFY2(answeredNames.size() > 0, "no campaign creation was answered before the kill");
        for (const QString &name : std::as_const(answeredNames))
            QVERIFY2(storedNames.contains(name),
                qPrintable(name + QStringLiteral(" was answered 201 but is gone")));
    }
};

QTEST_GUILESS_MAIN(TestDurability)
#include "tst_durability.moc"
