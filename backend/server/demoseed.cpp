// SPDX-License-Identifier: GPL-3.0-or-later
#include "demoseed.h"

#include "auth/passwordhasher.h"
#include "core/logging.h"
#include "core/ulid.h"
#include "server/demoengine.h"
#include "server/demoseed_config.h"
#include "server/demoseed_intake.h"
#include "server/demoseed_insight.h"

namespace lm::server {

Result<bool> DemoSeed::seedIfEmpty(store::Store &store, jobs::JobQueue &queue, const Clock &clock,
    bool withEngineData, const auth::SecretBox *secrets)
{
    auto count = store.tenants.count();
    if (!count.ok())
        return count.error();
    if (*count > 0)
        return false;

    const qint64 now = clock.nowMs();
    const store::Tenant acme {Ulid::generate(), QStringLiteral("acme"), QStringLiteral("Acme Dental"),
        QStringLiteral("active"), now, now};
    const store::Tenant globex {Ulid::generate(), QStringLiteral("globex"), QStringLiteral("Globex Bakery"),
        QStringLiteral("active"), now, now};

    struct Account
    {
        const char *email;
        const char *name;
        Role role;
        const store::Tenant *tenant;
        SurfaceSet access;
    };
    const Account accounts[] = {
        {"root@leadmetrics.demo", "Riley Root", Role::SuperAdmin, nullptr,
            {Surface::Manage, Surface::Dm, Surface::Cli}},
        {"dm@leadmetrics.demo", "Dana Reviewer", Role::DmReviewer, nullptr, {Surface::Dm, Surface::Cli}},
        {"admin@acme.demo", "Alex Acme", Role::Admin, &acme, {Surface::Dashboard}},
        {"member@acme.demo", "Morgan Acme", Role::Member, &acme, {Surface::Dashboard}},
        {"reviewer@acme.demo", "Robin Acme", Role::Reviewer, &acme, {Surface::Dashboard}},
        {"admin@globex.demo", "Gale Globex", Role::Admin, &globex, {Surface::Dashboard}},
    };

    store::Transaction tx(store.db());
    if (!tx.isActive())
        return tx.error();
    for (const auto *t : {&acme, &globex}) {
        if (auto r = store.tenants.insert(*t); !r.ok())
            return r.error();
    }
    for (const Account &a : accounts) {
        const QByteArray hash = auth::PasswordHasher::hash(QByteArray(kPassword));
        if (hash.isEmpty())
            return ApiError::internal(QStringLiteral("password hashing failed"));
        store::User u;
        u.id = Ulid::generate();
        u.tenantId = a.tenant ? a.tenant->id : QString();
        u.email = QString::fromLatin1(a.email);
        u.name = QString::fromLatin1(a.name);
        u.role = a.role;
        u.appAccess = a.access;
        u.passwordHash = hash;
        u.createdAtMs = now;
        u.updatedAtMs = now;
        if (auto r = store.users.insert(u); !r.ok())
            return r.error();
        if (withEngineData && a.tenant && a.role == Role::Admin) {
            if (auto r = DemoEngine::seedTenant(
                    store, queue, clock, a.tenant->id, a.tenant->name, u.id, a.tenant == &acme ? 0 : 1);
                !r.ok())
                return r.error();
            if (auto r = seedIntake(store, clock, a.tenant->id, u.id, a.tenant == &acme ? 0 : 1); !r.ok())
                return r.error();
            if (auto r = seedInsight(store, clock, a.tenant->id, u.id, a.tenant == &acme ? 0 : 1); !r.ok())
                return r.error();
        }
    }
    if (auto r = DemoEngine::seedPrices(store, now); !r.ok())
        return r.error();
    if (auto r = withEngineData ? seedConfigDemo(store, clock, secrets) : Result<void>(); !r.ok())
        return r.error();
    if (auto r = tx.commit(); !r.ok())
        return r.error();
    qCInfo(lmServer) << "seeded the demo tenants and accounts";
    return true;
}

} // namespace lm::server
