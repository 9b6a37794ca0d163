// SPDX-License-Identifier: GPL-3.0-or-later
#include "demoseed_config.h"

#include "auth/passwordhasher.h"
#include "auth/secretbox.h"
#include "core/ulid.h"
#include "server/demoseed.h"

#include <QCryptographicHash>

namespace lm::server {

namespace {
constexpr qint64 kDay = 24LL * 3600 * 1000;

struct Person
{
    const char *local; ///< e-mail local part; the domain is the tenant's slug
    const char *name;
    Role role;
    const char *status; ///< active | invited | deleted
};

const Person kPeople[] = {
    {"owner", "Jordan Owner", Role::Admin, "active"},
    {"writer", "Casey Writer", Role::Member, "active"},
    {"marketing", "Taylor Marketing", Role::Member, "active"},
    {"qa", "Sam Quality", Role::Reviewer, "active"},
    {"newhire", "Pat Newhire", Role::Member, "invited"},
    {"former", "Chris Former", Role::Member, "deleted"},
};

struct DemoSkill
{
    const char *name;
    const char *description;
    QStringList roles;
    const char *content;
};

const DemoSkill kGlobalSkills[] = {
    {"seo-fundamentals", "On-page SEO rules every page follows",
        {QStringLiteral("seo_specialist"), QStringLiteral("copywriter")},
        "# SEO fundamentals\n\n- One H1 with the primary keyword.\n- Title under 60 characters.\n"
        "- Meta description of 140-160 characters.\n- Internal links to two related pages.\n"},
    {"social-formats", "Lengths and formats per social platform",
        {QStringLiteral("social_media_manager"), QStringLiteral("designer")},
        "# Social formats\n\n| platform | length | image |\n|---|---|---|\n| LinkedIn | 1300 | 1200x627 |\n"
        "| Instagram | 2200 | 1080x1080 |\n| Facebook | 500 | 1200x630 |\n"},
    {"reporting-basics", "How performance reports are laid out", {QStringLiteral("analyst")},
        "# Reporting basics\n\n1. Headline numbers first.\n2. Compare with the previous period.\n"
        "3. Three recommendations, each with an owner.\n"},
};

const DemoSkill kTenantSkills[] = {
    {"local-seo-checklist", "Google Business Profile and local citations", {QStringLiteral("seo_specialist")},
        "# Local SEO checklist\n\n- Name, address and phone identical everywhere.\n"
        "- Weekly Google Business Profile post.\n- Answer every review within 48 hours.\n"},
    {"review-replies", "How we answer customer reviews",
        {QStringLiteral("social_media_manager"), QStringLiteral("copywriter")},
        "# Review replies\n\nThank by name, address the point raised, invite them back. Never argue in "
        "public.\n"},
};

struct DemoIntegration
{
    const char *type;
    const char *name;
    const char *key;
    const char *secret;
    const char *status;
    const char *error;
};

const DemoIntegration kIntegrations[] = {
    {"semrush", "SEMrush", "demo-semrush-8f2c41d09a7e55b1", "", "connected", ""},
    {"dataforseo", "DataForSEO", "demo-login@agency.example", "demo-dfs-password-3c9a", "quota_exceeded",
        "DataForSEO: the account balance is spent"},
    {"sendgrid", "SendGrid newsletters", "SG.demo-key-0000000000000000000000.k3y9", "", "error",
        "SendGrid rejected the credentials (HTTP 401)"},
};

Result<void> seedTenant(store::Store &store, const store::Tenant &tenant, const QString &ownerId, qint64 now,
    const QByteArray &passwordHash, const auth::SecretBox *secrets)
{
    for (const Person &p : kPeople) {
        store::User u;
        u.id = Ulid::generate();
        u.tenantId = tenant.id;
        u.email = QStringLiteral("%1@%2.demo").arg(QLatin1String(p.local), tenant.slug);
        u.name = QString::fromLatin1(p.name);
        u.role = p.role;
        u.appAccess = SurfaceSet {Surface::Dashboard};
        u.status = QString::fromLatin1(p.status);
        // The invited person has no password until the invitation is accepted.
        u.passwordHash = u.status == QLatin1String("invited") ? QByteArray("!invited") : passwordHash;
        u.createdAtMs = u.updatedAtMs = now - 20 * kDay;
        if (auto r = store.users.insert(u); !r.ok())
            return r;
        if (u.status == QLatin1String("invited")) {
            store::TeamInvite invite;
            invite.id = Ulid::generate();
            invite.tenantId = tenant.id;
            invite.userId = u.id;
            invite.email = u.email;
            invite.role = roleName(u.role);
            // A token nobody knows: the demo invitation is listed, not accepted.
            invite.tokenHash
                = QCryptographicHash::hash(Ulid::generate().toLatin1(), QCryptographicHash::Sha256);
            invite.invitedBy = ownerId;
            invite.expiresAtMs = now + 5 * kDay;
            invite.createdAtMs = now - 2 * kDay;
            if (auto r = store.team.insertInvite(invite); !r.ok())
                return r;
        }
    }
    for (const DemoSkill &s : kTenantSkills) {
        store::Skill skill;
        skill.id = Ulid::generate();
        skill.tenantId = tenant.id;
        skill.name = QString::fromLatin1(s.name);
        skill.description = QString::fromLatin1(s.description);
        skill.agentRoles = s.roles;
        skill.content = QString::fromLatin1(s.content);
        skill.createdBy = ownerId;
        skill.createdAtMs = skill.updatedAtMs = now - 15 * kDay;
        if (auto r = store.agents.insertSkill(skill); !r.ok())
            return r;
    }
    if (!secrets)
        return {};
    for (const DemoIntegration &d : kIntegrations) {
        store::Integration i;
        i.id = Ulid::generate();
        i.tenantId = tenant.id;
        i.integrationType = QString::fromLatin1(d.type);
        i.name = QString::fromLatin1(d.name);
        const QString key = QString::fromLatin1(d.key);
        i.apiKeySealed = secrets->seal(key.toUtf8());
        i.apiKeyHint = key.right(4);
        if (*d.secret)
            i.apiSecretSealed = secrets->seal(QByteArray(d.secret));
        if (i.apiKeySealed.isEmpty())
            return ApiError::internal(QStringLiteral("demo keys cannot be sealed"));
        i.status = QString::fromLatin1(d.status);
        i.errorMessage = QString::fromLatin1(d.error);
        if (i.status == QLatin1String("connected"))
            i.lastVerifiedAtMs = now - kDay;
        i.createdBy = ownerId;
        i.createdAtMs = i.updatedAtMs = now - 10 * kDay;
        if (auto r = store.integrations.insert(i); !r.ok())
            return r;
    }
    return {};
}
} // namespace

Result<void> seedConfigDemo(store::Store &store, const Clock &clock, const auth::SecretBox *secrets)
{
    const qint64 now = clock.nowMs();
    for (const DemoSkill &s : kGlobalSkills) {
        store::Skill skill;
        skill.id = Ulid::generate();
        skill.name = QString::fromLatin1(s.name);
        skill.description = QString::fromLatin1(s.description);
        skill.agentRoles = s.roles;
        skill.content = QString::fromLatin1(s.content);
        skill.createdBy = QStringLiteral("Leadmetrics");
        skill.createdAtMs = skill.updatedAtMs = now - 60 * kDay;
        if (auto r = store.agents.insertSkill(skill); !r.ok())
            return r;
    }
    // One hash for every extra demo person: argon2id is slow on purpose.
    const QByteArray hash = auth::PasswordHasher::hash(QByteArray(DemoSeed::kPassword));
    if (hash.isEmpty())
        return ApiError::internal(QStringLiteral("password hashing failed"));
    auto tenants = store.tenants.list(store::TenantScope::allTenants());
    if (!tenants.ok())
        return tenants.error();
    for (const store::Tenant &t : std::as_const(*tenants)) {
        auto people = store.team.members(store::TenantScope::tenant(t.id));
        if (!people.ok())
            return people.error();
        QString owner;
        for (const store::User &u : std::as_const(*people)) {
            if (u.role == Role::Admin && owner.isEmpty())
                owner = u.id;
        }
        if (auto r = seedTenant(store, t, owner, now, hash, secrets); !r.ok())
            return r;
    }
    return {};
}

} // namespace lm::server
