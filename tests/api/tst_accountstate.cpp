// SPDX-License-Identifier: GPL-3.0-or-later
// Every request is authorised against the account as it stands now, not as the token remembers
// it (issue 13's security fix): a demoted admin's old token is refused on admin routes at once, a
// removed user's and a suspended tenant's tokens are 401 with a detail saying why, and their SSE
// streams are closed. Runs on both dialects.
#include "testserver.h"
#include "testsse.h"

#include "store/store.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace lm;
using namespace lm::test;

namespace {
QJsonObject invite(const QString &email, const QString &role)
{
    return {{QStringLiteral("email"), email}, {QStringLiteral("name"), QStringLiteral("New Person")},
        {QStringLiteral("role"), role}};
}

QString firstDetail(const HttpReply &reply, const QString &key)
{
    const QJsonArray details
        = reply.json().value(QStringLiteral("error")).toObject().value(QStringLiteral("details")).toArray();
    for (const QJsonValue &d : details) {
        if (d.toObject().value(QStringLiteral("field")).toString() == key)
            return d.toObject().value(QStringLiteral("issue")).toString();
    }
    return {};
}
} // namespace

class TestAccountState : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<TestServer> m_server;

    QString userId(const QString &email)
    {
        QJsonObject answer;
        m_server->login(email, &answer);
        return answer.value(QStringLiteral("user")).toObject().value(QStringLiteral("id")).toString();
    }
    HttpReply patchRole(const QByteArray &token, const QString &id, const QString &role)
    {
        return m_server->http().request("PATCH", "/dashboard/v1/team/users/" + id.toLatin1(),
            QJsonDocument(QJsonObject {{QStringLiteral("role"), role}}).toJson(QJsonDocument::Compact),
            {{"Authorization", "Bearer " + token}});
    }

private slots:
    void init()
    {
        m_server = std::make_unique<TestServer>();
        QVERIFY2(m_server->error().isEmpty(), qPrintable(m_server->error()));
    }
    void cleanup() { m_server.reset(); }

    void demotedAdminsOldTokenCannotInviteAnymore()
    {
        const QByteArray first = m_server->login(QStringLiteral("admin@acme.demo"));
        const QByteArray second = m_server->login(QStringLiteral("member@acme.demo"));
        QVERIFY(!first.isEmpty() && !second.isEmpty());
        const QString firstId = userId(QStringLiteral("admin@acme.demo"));
        const QString secondId = userId(QStringLiteral("member@acme.demo"));

        // The member's token says "member": it cannot invite.
        QCOMPARE(m_server->http()
                     .postJson("/dashboard/v1/team/invite",
                         invite(QStringLiteral("a@new.example"), QStringLiteral("member")), second)
                     .status,
            403);
        // Promoted: the same token, issued before, invites now.
        QCOMPARE(patchRole(first, secondId, QStringLiteral("admin")).status, 200);
        QCOMPARE(m_server->http()
                     .postJson("/dashboard/v1/team/invite",
                         invite(QStringLiteral("b@new.example"), QStringLiteral("member")), second)
                     .status,
            201);
        // The first admin demoted by the second: their token, issued as an admin's, is a member's now.
        QCOMPARE(patchRole(second, firstId, QStringLiteral("member")).status, 200);
        const HttpReply refused = m_server->http().postJson("/dashboard/v1/team/invite",
            invite(QStringLiteral("c@new.example"), QStringLiteral("admin")), first);
        QCOMPARE(refused.status, 403);
        QCOMPARE(refused.errorCode(), QStringLiteral("FORBIDDEN"));
        // Nothing was written by the refused request.
        const HttpReply team = m_server->http().get("/dashboard/v1/team?type=human&status=inactive", second);
        QCOMPARE(team.status, 200);
        QVERIFY(!team.body.contains("c@new.example"));
        // Reads a member may make still work, and /me says what the account is now.
        const HttpReply me = m_server->http().get("/auth/v1/me", first);
        QCOMPARE(me.status, 200);
        QCOMPARE(me.json().value(QStringLiteral("role")).toString(), QStringLiteral("member"));
        QCOMPARE(m_server->http().get("/dashboard/v1/campaigns", first).status, 200);
    }

    void removedUsersTokenIsRefusedAtOnce()
    {
        const QByteArray admin = m_server->login(QStringLiteral("admin@acme.demo"));
        const QByteArray reviewer = m_server->login(QStringLiteral("reviewer@acme.demo"));
        QCOMPARE(m_server->http().get("/dashboard/v1/campaigns", reviewer).status, 200);
        const QString reviewerId = userId(QStringLiteral("reviewer@acme.demo"));
        QCOMPARE(m_server->http()
                     .request("DELETE", "/dashboard/v1/team/users/" + reviewerId.toLatin1(), {},
                         {{"Authorization", "Bearer " + admin}})
                     .status,
            204);
        for (const QByteArray &path : {QByteArray("/dashboard/v1/campaigns"), QByteArray("/auth/v1/me")}) {
            const HttpReply gone = m_server->http().get(path, reviewer);
            QCOMPARE(gone.status, 401);
            QCOMPARE(gone.errorCode(), QStringLiteral("UNAUTHORIZED"));
            QCOMPARE(firstDetail(gone, QStringLiteral("account")), QStringLiteral("removed"));
        }
        // Everyone else is unaffected.
        QCOMPARE(m_server->http().get("/dashboard/v1/campaigns", admin).status, 200);
    }

    void suspendedTenantsTokensAreRefusedAndComeBackOnReactivation()
    {
        const QByteArray member = m_server->login(QStringLiteral("member@acme.demo"));
        const QByteArray globex = m_server->login(QStringLiteral("admin@globex.demo"));
        const QString acme
            = m_server->http().get("/auth/v1/me", member).json().value(QStringLiteral("tenantId")).toString();
        auto &tenants = m_server->host().store().tenants;
        QVERIFY(tenants.setStatus(acme, QStringLiteral("suspended"), m_server->clock().nowMs()).ok());
        const HttpReply refused = m_server->http().get("/dashboard/v1/campaigns", member);
        QCOMPARE(refused.status, 401);
        QCOMPARE(firstDetail(refused, QStringLiteral("tenant")), QStringLiteral("suspended"));
        QCOMPARE(m_server->http().get("/dashboard/v1/campaigns", globex).status, 200);
        QVERIFY(tenants.setStatus(acme, QStringLiteral("active"), m_server->clock().nowMs()).ok());
        QCOMPARE(m_server->http().get("/dashboard/v1/campaigns", member).status, 200);
    }

    void streamsOfARemovedUserAreClosed()
    {
        const QByteArray admin = m_server->login(QStringLiteral("admin@acme.demo"));
        const QByteArray reviewer = m_server->login(QStringLiteral("reviewer@acme.demo"));
        const QString reviewerId = userId(QStringLiteral("reviewer@acme.demo"));
        StreamClient theirs;
        StreamClient adminsOwn;
        QVERIFY(theirs.open(m_server->port(), "/dashboard/v1/events/stream", reviewer));
        QVERIFY(adminsOwn.open(m_server->port(), "/dashboard/v1/events/stream", admin));
        QVERIFY(theirs.waitFor([&] { return theirs.status != 0; }));
        QVERIFY(adminsOwn.waitFor([&] { return adminsOwn.status != 0; }));
        QCOMPARE(theirs.status, 200);
        QCOMPARE(m_server->http()
                     .request("DELETE", "/dashboard/v1/team/users/" + reviewerId.toLatin1(), {},
                         {{"Authorization", "Bearer " + admin}})
                     .status,
            204);
        // Closed by the server: the terminating chunk, then the connection.
        QVERIFY(theirs.waitFor([&] { return theirs.ended || theirs.closed(); }, 5000));
        // The admin's own stream goes on.
        QVERIFY(!adminsOwn.waitFor([&] { return adminsOwn.ended || adminsOwn.closed(); }, 2500));
    }

    void streamsOfASuspendedTenantAreClosed()
    {
        const QByteArray member = m_server->login(QStringLiteral("member@acme.demo"));
        const QByteArray globex = m_server->login(QStringLiteral("admin@globex.demo"));
        const QString acme
            = m_server->http().get("/auth/v1/me", member).json().value(QStringLiteral("tenantId")).toString();
        StreamClient acmeStream;
        StreamClient globexStream;
        QVERIFY(acmeStream.open(m_server->port(), "/dashboard/v1/events/stream", member));
        QVERIFY(globexStream.open(m_server->port(), "/dashboard/v1/events/stream", globex));
        QVERIFY(acmeStream.waitFor([&] { return acmeStream.status != 0; }));
        QVERIFY(globexStream.waitFor([&] { return globexStream.status != 0; }));
        QVERIFY(m_server->host()
                    .store()
                    .tenants.setStatus(acme, QStringLiteral("suspended"), m_server->clock().nowMs())
                    .ok());
        QVERIFY(acmeStream.waitFor([&] { return acmeStream.ended || acmeStream.closed(); }, 5000));
        QVERIFY(!globexStream.waitFor([&] { return globexStream.ended || globexStream.closed(); }, 2500));
        // A new stream of the suspended tenant is refused before anything streams.
        StreamClient again;
        QVERIFY(again.open(m_server->port(), "/dashboard/v1/events/stream", member));
        QVERIFY(again.waitFor([&] { return again.status != 0; }));
        QCOMPARE(again.status, 401);
    }
};

QTEST_GUILESS_MAIN(TestAccountState)
#include "tst_accountstate.moc"
