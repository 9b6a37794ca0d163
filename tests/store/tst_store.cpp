// SPDX-License-Identifier: GPL-3.0-or-later
// Runs once per dialect (tst_store-sqlite, tst_store-postgres): the same behaviour on both.
#include "core/ulid.h"
#include "store/migrator.h"
#include "store/store.h"
#include "testdatabase.h"

#include <QTest>

#include <atomic>
#include <thread>

using namespace lm;
using namespace lm::store;

class TestStore : public QObject
{
    Q_OBJECT

    std::unique_ptr<test::TestDatabase> m_testDb;
    std::unique_ptr<Store> m_store;
    Tenant m_acme;
    Tenant m_globex;

    User makeUser(const QString &email, const Tenant *tenant, Role role)
    {
        User u;
        u.id = Ulid::generate();
        u.tenantId = tenant ? tenant->id : QString();
        u.email = email;
        u.name = email.section(QLatin1Char('@'), 0, 0);
        u.role = role;
        u.appAccess = tenant ? SurfaceSet {Surface::Dashboard} : SurfaceSet {Surface::Dm};
        u.passwordHash = "$argon2id$dummy";
        u.createdAtMs = u.updatedAtMs = 1000;
        return u;
    }

private Q_SLOTS:
    void init()
    {
        m_testDb = std::make_unique<test::TestDatabase>();
        QVERIFY2(m_testDb->error().isEmpty(), qPrintable(m_testDb->error()));
        m_store = std::make_unique<Store>(m_testDb->config());
        const auto migrated = m_store->migrate();
        QVERIFY2(migrated.ok(), qPrintable(migrated.error().message));
        m_acme = {Ulid::generate(), QStringLiteral("acme"), QStringLiteral("Acme Dental"),
            QStringLiteral("active"), 1, 1};
        m_globex = {Ulid::generate(), QStringLiteral("globex"), QStringLiteral("Globex Bakery"),
            QStringLiteral("active"), 1, 1};
        QVERIFY(m_store->tenants.insert(m_acme).ok());
        QVERIFY(m_store->tenants.insert(m_globex).ok());
    }

    void cleanup()
    {
        m_store.reset();
        m_testDb.reset();
    }

    void dialectIsTheOneAskedFor() { QCOMPARE(m_store->db().dialect(), test::currentDialect()); }

    void migrationsStampTheVersionAndRerunAsNoop()
    {
        Migrator migrator(m_store->db());
        QVERIFY(migrator.latestVersion() >= 1);
        QCOMPARE(*migrator.currentVersion(), migrator.latestVersion());
        QVERIFY(migrator.migrate().ok());
        QCOMPARE(*migrator.currentVersion(), migrator.latestVersion());
        // The data survived the second run.
        QCOMPARE(*m_store->tenants.count(), 2);
    }

    void refusesASchemaNewerThanTheBinary()
    {
        auto stamp = m_store->db().query(
            QStringLiteral("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)"));
        stamp.bind(9999).bind(QStringLiteral("from_the_future")).bind(0);
        QVERIFY(stamp.exec().ok());
        const auto r = Migrator(m_store->db()).migrate();
        QVERIFY(!r.ok());
        QVERIFY2(r.error().message.contains(QLatin1String("9999")), qPrintable(r.error().message));
        QVERIFY(r.error().message.contains(QLatin1String("newer")));
    }

    void aFailingMigrationLeavesNothingBehind()
    {
        QList<Migration> migrations = Migrator::builtIn(m_store->db().dialect());
        const int next = migrations.last().version + 1;
        migrations.append({next, QStringLiteral("broken"),
            QStringLiteral("CREATE TABLE half_done (id TEXT PRIMARY KEY);\nSELECT * FROM no_such_table;\n")});
        Migrator migrator(m_store->db(), migrations);
        QVERIFY(!migrator.migrate().ok());
        QCOMPARE(*migrator.currentVersion(), next - 1);
        // The table of the failed migration was rolled back with it.
        auto q = m_store->db().query(QStringLiteral("SELECT COUNT(*) FROM half_done"));
        QVERIFY(!q.exec().ok());
    }

    void upgradesFromAnOlderSchema()
    {
        // A database at version N-1 with data: migrating applies only what is missing, keeps rows.
        QList<Migration> all = Migrator::builtIn(m_store->db().dialect());
        QList<Migration> plusOne = all;
        const int next = all.last().version + 1;
        plusOne.append({next, QStringLiteral("add_column"),
            QStringLiteral("ALTER TABLE tenants ADD COLUMN plan TEXT NOT NULL DEFAULT 'standard';\n")});
        QVERIFY(Migrator(m_store->db(), plusOne).migrate().ok());
        auto q = m_store->db().query(QStringLiteral("SELECT COUNT(*) FROM tenants WHERE plan = 'standard'"));
        QVERIFY(q.exec().ok());
        QVERIFY(q.next());
        QCOMPARE(q.int64(0), 2);
        // And the binary without that migration now refuses the newer schema.
        QVERIFY(!Migrator(m_store->db(), all).migrate().ok());
    }

    void splitStatementsKeepsMultiLineStatements()
    {
        const QStringList s = Migrator::splitStatements(
            QStringLiteral("-- comment\nCREATE TABLE a (\n x INT\n);\n\nCREATE INDEX i ON a (x);\n"));
        QCOMPARE(s.size(), 2);
        QVERIFY(s[0].startsWith(QLatin1String("CREATE TABLE a")));
        QVERIFY(s[0].endsWith(QLatin1String(");")));
    }

    void usersAreScopedByTenant()
    {
        const User alex = makeUser(QStringLiteral("Alex@Acme.demo"), &m_acme, Role::Admin);
        QVERIFY(m_store->users.insert(alex).ok());
        auto own = m_store->users.find(TenantScope::tenant(m_acme.id), alex.id);
        QVERIFY(own.ok() && own->has_value());
        QCOMPARE((*own)->email, QStringLiteral("alex@acme.demo"));
        QCOMPARE((*own)->tenantName, QStringLiteral("Acme Dental"));
        QVERIFY((*own)->appAccess.contains(Surface::Dashboard));

        auto other = m_store->users.find(TenantScope::tenant(m_globex.id), alex.id);
        QVERIFY(other.ok());
        QVERIFY2(!other->has_value(), "another tenant's scope must not see the user");
        auto platform = m_store->users.find(TenantScope::platform(), alex.id);
        QVERIFY(platform.ok() && !platform->has_value());
        auto cross = m_store->users.find(TenantScope::allTenants(), alex.id);
        QVERIFY(cross.ok() && cross->has_value());

        // A write through the wrong scope changes nothing.
        QCOMPARE(
            m_store->users.setMfaEnabled(TenantScope::tenant(m_globex.id), alex.id, true, 5).error().code,
            ErrorCode::NotFound);
        QVERIFY(!(*m_store->users.find(TenantScope::tenant(m_acme.id), alex.id))->mfaEnabled);
    }

    void tenantsAreScoped()
    {
        QVERIFY(m_store->tenants.find(TenantScope::tenant(m_acme.id), m_acme.id)->has_value());
        QVERIFY(!m_store->tenants.find(TenantScope::tenant(m_globex.id), m_acme.id)->has_value());
        QCOMPARE(m_store->tenants.list(TenantScope::tenant(m_acme.id))->size(), 1);
        QCOMPARE(m_store->tenants.list(TenantScope::allTenants())->size(), 2);
        QCOMPARE(m_store->tenants.list(TenantScope::platform())->size(), 0);
    }

    void platformAccountsHaveNoTenant()
    {
        const User dm = makeUser(QStringLiteral("dm@leadmetrics.demo"), nullptr, Role::DmReviewer);
        QVERIFY(m_store->users.insert(dm).ok());
        QVERIFY(m_store->users.find(TenantScope::platform(), dm.id)->has_value());
        QVERIFY(!m_store->users.find(TenantScope::tenant(m_acme.id), dm.id)->has_value());
        // The schema itself refuses a tenant role without a tenant.
        User broken = makeUser(QStringLiteral("nobody@x.demo"), nullptr, Role::Admin);
        QVERIFY(!m_store->users.insert(broken).ok());
    }

    void duplicateEmailIsAConflict()
    {
        QVERIFY(
            m_store->users.insert(makeUser(QStringLiteral("same@acme.demo"), &m_acme, Role::Member)).ok());
        const auto again
            = m_store->users.insert(makeUser(QStringLiteral("SAME@acme.demo"), &m_globex, Role::Member));
        QVERIFY(!again.ok());
        QCOMPARE(again.error().code, ErrorCode::Conflict);
        QVERIFY(m_store->users.findActiveForLogin(QStringLiteral(" Same@Acme.Demo "))->has_value());
    }

    void transactionsRollBack()
    {
        {
            Transaction tx(m_store->db());
            QVERIFY(tx.isActive());
            QVERIFY(m_store->users.insert(makeUser(QStringLiteral("ghost@acme.demo"), &m_acme, Role::Member))
                        .ok());
        } // not committed
        QVERIFY(!m_store->users.findActiveForLogin(QStringLiteral("ghost@acme.demo"))->has_value());
        {
            Transaction tx(m_store->db());
            QVERIFY(m_store->users.insert(makeUser(QStringLiteral("real@acme.demo"), &m_acme, Role::Member))
                        .ok());
            QVERIFY(tx.commit().ok());
        }
        QVERIFY(m_store->users.findActiveForLogin(QStringLiteral("real@acme.demo"))->has_value());
    }

    void refreshTokenIsSpentExactlyOnceUnderConcurrency()
    {
        const User u = makeUser(QStringLiteral("r@acme.demo"), &m_acme, Role::Member);
        QVERIFY(m_store->users.insert(u).ok());
        const QString family = Ulid::generate();
        const QString tokenId = Ulid::generate();
        QVERIFY(m_store->refreshTokens.createFamily(family, u.id, 1).ok());
        QVERIFY(m_store->refreshTokens.insert(tokenId, family, QByteArray(32, 'h'), 1, 1000000).ok());

        // Eight threads, each with its own connection, race to spend the same token.
        std::atomic<int> wins {0};
        std::atomic<int> conflicts {0};
        std::vector<std::thread> threads;
        Database &db = m_store->db();
        for (int i = 0; i < 8; ++i) {
            threads.emplace_back([&] {
                RefreshTokenRepository repo(db);
                const auto r = repo.spend(tokenId, 2);
                if (r.ok())
                    ++wins;
                else if (r.error().code == ErrorCode::Conflict)
                    ++conflicts;
                db.closeThreadConnection();
            });
        }
        for (auto &t : threads)
            t.join();
        QCOMPARE(wins.load(), 1);
        QCOMPARE(conflicts.load(), 7);

        const auto found = m_store->refreshTokens.findByHash(QByteArray(32, 'h'));
        QVERIFY(found.ok() && found->has_value());
        QVERIFY((*found)->spentAtMs.has_value());
        QVERIFY(m_store->refreshTokens.revokeFamily(family, QStringLiteral("test"), 3).ok());
        QVERIFY((*m_store->refreshTokens.findByHash(QByteArray(32, 'h')))->familyRevokedAtMs.has_value());
    }

    void mfaCounterIsConsumedOnce()
    {
        const User u = makeUser(QStringLiteral("m@acme.demo"), &m_acme, Role::Member);
        QVERIFY(m_store->users.insert(u).ok());
        QVERIFY(m_store->mfa.savePending(u.id, QByteArray("sealed-1"), 1).ok());
        QVERIFY(m_store->mfa.savePending(u.id, QByteArray("sealed-2"), 2).ok()); // re-enrol replaces
        auto s = m_store->mfa.find(u.id);
        QVERIFY(s.ok() && s->has_value());
        QCOMPARE((*s)->secretSealed, QByteArray("sealed-2"));
        QVERIFY(!(*s)->activated);
        QVERIFY(m_store->mfa.activate(u.id, 100, 3).ok());
        QCOMPARE(m_store->mfa.activate(u.id, 101, 3).error().code, ErrorCode::Conflict);
        QCOMPARE(m_store->mfa.consumeCounter(u.id, 100).error().code, ErrorCode::Conflict);
        QVERIFY(m_store->mfa.consumeCounter(u.id, 101).ok());
        QCOMPARE(m_store->mfa.consumeCounter(u.id, 101).error().code, ErrorCode::Conflict);
        QCOMPARE(m_store->mfa.consumeCounter(u.id, 99).error().code, ErrorCode::Conflict);
        QVERIFY(m_store->mfa.remove(u.id).ok());
        QVERIFY(!m_store->mfa.find(u.id)->has_value());
    }

    void auditIsScopedAndKeepsChanges()
    {
        AuditEntry a;
        a.tenantId = m_acme.id;
        a.actorId = QStringLiteral("u1");
        a.action = QStringLiteral("test.changed");
        a.ip = QStringLiteral("127.0.0.1");
        a.changes = {{QStringLiteral("status"),
            QJsonObject {
                {QStringLiteral("from"), QStringLiteral("a")}, {QStringLiteral("to"), QStringLiteral("b")}}}};
        a.createdAtMs = 10;
        QVERIFY(m_store->audit.append(a).ok());
        AuditEntry g = a;
        g.tenantId = m_globex.id;
        QVERIFY(m_store->audit.append(g).ok());

        const auto acmeRows = m_store->audit.list(TenantScope::tenant(m_acme.id));
        QVERIFY(acmeRows.ok());
        QCOMPARE(acmeRows->size(), 1);
        QCOMPARE(acmeRows->first()
                     .changes.value(QStringLiteral("status"))
                     .toObject()
                     .value(QStringLiteral("to"))
                     .toString(),
            QStringLiteral("b"));
        QCOMPARE(m_store->audit.list(TenantScope::allTenants())->size(), 2);
        QCOMPARE(m_store->audit.list(TenantScope::allTenants(), QStringLiteral("nothing"))->size(), 0);
        QCOMPARE(m_store->audit.listForActor(QStringLiteral("u1"))->size(), 2);
    }

    void connectionsArePerThread()
    {
        // Work from another thread uses its own connection and sees committed data.
        const User u = makeUser(QStringLiteral("t@acme.demo"), &m_acme, Role::Member);
        QVERIFY(m_store->users.insert(u).ok());
        bool seen = false;
        std::thread worker([&] {
            seen = m_store->users.find(TenantScope::tenant(m_acme.id), u.id)->has_value();
            m_store->db().closeThreadConnection();
        });
        worker.join();
        QVERIFY(seen);
    }
};

QTEST_GUILESS_MAIN(TestStore)
#include "tst_store.moc"
