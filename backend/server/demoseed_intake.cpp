// SPDX-License-Identifier: GPL-3.0-or-later
#include "demoseed_intake.h"

#include "core/ulid.h"

namespace lm::server {

namespace {
constexpr qint64 kDay = 24LL * 3600 * 1000;

struct DemoLead
{
    const char *first;
    const char *last;
    const char *email;
    const char *company;
    const char *status;
    const char *source;
    const char *sourceRef;
    int score; ///< -1: none
    const char *tags;
    int ageDays;
};

const DemoLead kLeads[] = {
    {"Olivia", "Bennett", "olivia.bennett@example.com", "Bennett Family", "new", "form",
        "Website booking form", 42, "whitening", 1},
    {"Liam", "Carter", "liam.carter@example.com", "", "new", "google_ads", "Spring whitening — search", 55,
        "whitening;spring", 2},
    {"Sophia", "Nguyen", "sophia.nguyen@example.com", "Nguyen Logistics", "contacted", "meta_ads",
        "Invisalign carousel", 61, "invisalign", 4},
    {"Noah", "Patel", "noah.patel@example.com", "", "contacted", "manual", "", -1, "referral", 6},
    {"Emma", "Rossi", "emma.rossi@example.com", "Rossi & Co", "qualified", "google_ads", "Implants — brand",
        78, "implants;high-value", 9},
    {"James", "O'Connor", "james.oconnor@example.com", "", "qualified", "form", "Contact page", 70, "", 12},
    {"Ava", "Kim", "ava.kim@example.com", "Kim Studio", "unqualified", "meta_ads", "Lookalike audience", 18,
        "out-of-area", 15},
    {"Lucas", "Schmidt", "lucas.schmidt@example.com", "Schmidt GmbH", "converted", "manual", "", 92,
        "implants;corporate", 20},
    {"Mia", "Lopez", "mia.lopez@example.com", "", "converted", "form", "Free consultation form", 88,
        "whitening", 25},
};

store::LeadEvent event(const QString &tenantId, const QString &leadId, const QString &type,
    const QString &actorId, const QString &actorName, const QJsonObject &data, qint64 at)
{
    store::LeadEvent e;
    e.id = Ulid::generate();
    e.tenantId = tenantId;
    e.leadId = leadId;
    e.type = type;
    e.actorType = actorId.isEmpty() ? QStringLiteral("system") : QStringLiteral("user");
    e.actorId = actorId;
    e.actorName = actorName;
    e.data = data;
    e.createdAtMs = at;
    return e;
}

QString ownerName(store::Store &store, const QString &tenantId, const QString &userId)
{
    auto user = store.users.find(store::TenantScope::tenant(tenantId), userId);
    return user.ok() && user->has_value() ? (*user)->name : QString();
}

Result<void> seedLeads(
    store::Store &store, const QString &tenantId, const QString &owner, int tenantIndex, qint64 now)
{
    const QString name = ownerName(store, tenantId, owner);
    const QString domain = tenantIndex == 0 ? QStringLiteral("acme") : QStringLiteral("globex");
    // A finished import: five rows, three imported, one duplicate, one without a last name.
    store::LeadImport import;
    import.id = Ulid::generate();
    import.tenantId = tenantId;
    import.source = QStringLiteral("Spring open day sign-ups");
    import.fileName = QStringLiteral("open-day.csv");
    import.status = QStringLiteral("completed");
    import.total = 5;
    import.imported = 3;
    import.skipped = 1;
    import.errors = QJsonArray {QJsonObject {
        {QStringLiteral("row"), 5},
        { QStringLiteral("reason"),
            QStringLiteral("lastName is required") }
    }};
    import.createdBy = owner;
    import.createdAtMs = now - 3 * kDay;
    import.completedAtMs = import.createdAtMs + 4000;
    if (auto r = store.leads.insertImport(import); !r.ok())
        return r;

    QList<store::Lead> leads;
    for (const DemoLead &d : kLeads) {
        store::Lead l;
        l.id = Ulid::generate();
        l.tenantId = tenantId;
        l.firstName = QString::fromUtf8(d.first);
        l.lastName = QString::fromUtf8(d.last);
        l.email = QString::fromUtf8(d.email).replace(
            QStringLiteral("@example.com"), QStringLiteral(".%1@example.com").arg(domain));
        l.phone = QStringLiteral("+1 555 01%1").arg(leads.size() + 10 * tenantIndex, 2, 10, QLatin1Char('0'));
        l.company = QString::fromUtf8(d.company);
        l.status = QString::fromUtf8(d.status);
        l.source = QString::fromUtf8(d.source);
        l.sourceRef = QString::fromUtf8(d.sourceRef);
        if (d.score >= 0)
            l.score = d.score;
        l.tags = QString::fromUtf8(d.tags).split(QLatin1Char(';'), Qt::SkipEmptyParts);
        l.assignedTo = l.status == QLatin1String("new") ? QString() : owner;
        l.createdBy = l.source == QLatin1String("manual") ? owner : QString();
        l.createdAtMs = now - d.ageDays * kDay;
        l.updatedAtMs = now - d.ageDays * kDay / 2;
        leads.append(l);
    }
    for (const QString &first :
        {QStringLiteral("Harper"), QStringLiteral("Elijah"), QStringLiteral("Amelia")}) {
        store::Lead l;
        l.id = Ulid::generate();
        l.tenantId = tenantId;
        l.firstName = first;
        l.lastName = QStringLiteral("Open-Day");
        l.email = QStringLiteral("%1.openday.%2@example.com").arg(first.toLower(), domain);
        l.source = QStringLiteral("import");
        l.sourceRef = import.source;
        l.importId = import.id;
        l.createdBy = owner;
        l.createdAtMs = *import.completedAtMs;
        l.updatedAtMs = l.createdAtMs;
        leads.append(l);
    }
    for (const store::Lead &l : std::as_const(leads)) {
        if (auto r = store.leads.insert(l); !r.ok())
            return r;
        QList<store::LeadEvent> events;
        const bool imported = !l.importId.isEmpty();
        events.append(event(tenantId, l.id, QStringLiteral("created"),
            l.createdBy.isEmpty() || imported ? QString() : owner,
            l.createdBy.isEmpty() || imported ? QString() : name,
            imported ? QJsonObject {{QStringLiteral("via"), QStringLiteral("import")},
                {QStringLiteral("importId"), l.importId}}
                     : QJsonObject {{QStringLiteral("via"), l.source}},
            l.createdAtMs));
        if (!imported) {
            events.append(event(tenantId, l.id, QStringLiteral("enrichment"), QString(), QString(),
                {{QStringLiteral("provider"), QStringLiteral("clearbit")},
                    {QStringLiteral("fields"),
                        QJsonArray {QStringLiteral("company"), QStringLiteral("phone")}}},
                l.createdAtMs + 60 * 1000));
        }
        if (!l.assignedTo.isEmpty())
            events.append(event(tenantId, l.id, QStringLiteral("assignment"), owner, name,
                {{QStringLiteral("from"), QJsonValue::Null},
                    {QStringLiteral("to"),
                        QJsonObject {{QStringLiteral("id"), owner}, {QStringLiteral("name"), name}}}},
                l.createdAtMs + 3600 * 1000));
        // The path a lead took to its status.
        const QStringList path {QStringLiteral("new"), QStringLiteral("contacted"),
            QStringLiteral("qualified"),
            l.status == QLatin1String("unqualified") ? QStringLiteral("unqualified")
                                                     : QStringLiteral("converted")};
        const qsizetype reached = l.status == QLatin1String("unqualified") ? 3 : path.indexOf(l.status);
        for (qsizetype i = 1; i <= reached; ++i) {
            if (l.status == QLatin1String("unqualified") && i == 2)
                continue;
            events.append(event(tenantId, l.id, QStringLiteral("status_change"), owner, name,
                {{QStringLiteral("field"), QStringLiteral("status")},
                    {QStringLiteral("from"),
                        path[i == 3 && l.status == QLatin1String("unqualified") ? 1 : i - 1]},
                    {QStringLiteral("to"), path[i]}},
                l.createdAtMs + i * kDay / 2));
        }
        if (reached >= 1)
            events.append(event(tenantId, l.id, QStringLiteral("note"), owner, name,
                {{QStringLiteral("text"),
                    QStringLiteral("Called %1; interested in a consultation next month.").arg(l.firstName)}},
                l.createdAtMs + kDay / 2 + 600 * 1000));
        for (const auto &e : std::as_const(events)) {
            if (auto r = store.leads.addEvent(e); !r.ok())
                return r;
        }
    }
    return {};
}

Result<QList<store::Channel>> seedChannels(
    store::Store &store, const QString &tenantId, const QString &owner, qint64 now)
{
    struct DemoChannel
    {
        const char *platform;
        const char *name;
        const char *account;
        const char *status;
        int total, filled, target, posts, engagementBp, lastPostDays;
    };
    const DemoChannel channels[] = {
        {"linkedin", "LinkedIn", "Company page", "connected", 10, 9, 8, 7, 320, 1},
        {"facebook", "Facebook", "Page", "connected", 12, 10, 12, 6, 180, 3},
        {"instagram", "Instagram", "Business profile", "expired", 8, 5, 12, 2, 410, 16},
        {"wordpress", "WordPress", "Blog", "connected", 6, 6, 4, 4, 90, 5},
        {"google_business_profile", "Google Business Profile", "Clinic listing", "connected", 15, 12, 4, 3,
            250, 6},
    };
    QList<store::Channel> out;
    for (const DemoChannel &d : channels) {
        store::Channel c;
        c.id = Ulid::generate();
        c.tenantId = tenantId;
        c.platform = QString::fromLatin1(d.platform);
        c.name = QString::fromLatin1(d.name);
        c.accountName = QString::fromLatin1(d.account);
        c.status = QString::fromLatin1(d.status);
        c.connectedBy = owner;
        c.connectedAtMs = now - 40 * kDay;
        c.profileFieldsTotal = d.total;
        c.profileFieldsFilled = d.filled;
        c.postsTarget30d = d.target;
        c.postsLast30d = d.posts;
        c.engagementRateBp = d.engagementBp;
        c.lastPublishedAtMs = now - d.lastPostDays * kDay;
        c.metricsUpdatedAtMs = now - 3600 * 1000;
        c.createdAtMs = c.connectedAtMs;
        c.updatedAtMs = now;
        if (auto r = store.channels.insert(c); !r.ok())
            return r.error();
        out.append(c);
    }
    return out;
}

Result<void> seedRequests(store::Store &store, const QString &tenantId, const QString &owner,
    const QList<store::Channel> &channels, qint64 now)
{
    const auto scope = store::TenantScope::tenant(tenantId);
    // Link produced requests to activities of the right type, when the engine data has them.
    const auto activityOf = [&](const QString &type, const QString &status) -> std::pair<QString, QString> {
        store::ActivityFilter filter;
        filter.status = status;
        auto rows = store.activities.list(scope, filter, {{}, 100, true});
        if (!rows.ok())
            return {};
        for (const auto &a : std::as_const(rows->items)) {
            if (a.type == type)
                return {a.id, a.campaignId};
        }
        return {};
    };
    QString wordpress;
    for (const auto &c : channels) {
        if (c.platform == QLatin1String("wordpress"))
            wordpress = c.id;
    }
    struct DemoRequest
    {
        const char *kind;
        const char *topic;
        const char *status;
        const char *priority;
        int ageDays;
    };
    const DemoRequest requests[] = {
        {"blog", "Five myths about teeth whitening", "completed", "normal", 14},
        {"blog", "What to expect at your first implant consultation", "in_production", "high", 3},
        {"blog", "Choosing a family dentist", "approved", "normal", 2},
        {"blog", "Our new evening opening hours", "draft", "normal", 1},
        {"blog", "Celebrity smile makeovers", "rejected", "normal", 8},
        {"social", "Spring whitening offer", "in_production", "high", 2},
        {"social", "Meet the hygienist team", "completed", "normal", 10},
        {"social", "Open day reminder", "draft", "normal", 1},
    };
    for (const DemoRequest &d : requests) {
        store::ContentRequest r;
        r.id = Ulid::generate();
        r.tenantId = tenantId;
        r.kind = QString::fromLatin1(d.kind);
        r.topic = QString::fromUtf8(d.topic);
        r.status = QString::fromLatin1(d.status);
        r.priority = QString::fromLatin1(d.priority);
        r.brief = QStringLiteral("Friendly, plain language; end with a booking call to action.");
        const bool blog = r.kind == QLatin1String("blog");
        if (blog) {
            r.targetKeyword = r.topic.section(QLatin1Char(' '), -2).toLower();
            r.channelId = wordpress;
        } else {
            r.platforms = {QStringLiteral("linkedin"), QStringLiteral("facebook")};
            r.scheduleForMs = now + 2 * kDay;
        }
        if (r.status == QLatin1String("in_production") || r.status == QLatin1String("completed")) {
            const auto [activityId, campaignId]
                = activityOf(blog ? QStringLiteral("blog_post") : QStringLiteral("social_post"),
                    r.status == QLatin1String("completed") ? QStringLiteral("done") : QString());
            r.activityId = activityId;
            r.campaignId = campaignId;
        }
        r.createdBy = owner;
        r.createdAtMs = now - d.ageDays * kDay;
        r.updatedAtMs = r.createdAtMs;
        if (auto res = store.contentRequests.insert(r); !res.ok())
            return res;
    }
    return {};
}
} // namespace

Result<void> seedIntake(store::Store &store, const Clock &clock, const QString &tenantId,
    const QString &ownerUserId, int tenantIndex)
{
    const qint64 now = clock.nowMs();
    if (auto r = seedLeads(store, tenantId, ownerUserId, tenantIndex, now); !r.ok())
        return r;
    auto channels = seedChannels(store, tenantId, ownerUserId, now);
    if (!channels.ok())
        return channels.error();
    return seedRequests(store, tenantId, ownerUserId, *channels, now);
}

} // namespace lm::server
