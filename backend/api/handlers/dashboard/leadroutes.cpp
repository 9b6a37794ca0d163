// SPDX-License-Identifier: GPL-3.0-or-later
// /dashboard/v1/leads: the lead list and its timeline, manual leads, and CSV imports.
#include "api/handlers/dashboard/intakesupport.h"
#include "api/listquery.h"
#include "api/multipart.h"
#include "core/ulid.h"
#include "services/leadimport.h"

#include <cmath>

namespace lm::api::dashboard {

using services::LeadRules::kMaxCompany;
using services::LeadRules::kMaxEmail;
using services::LeadRules::kMaxName;
using services::LeadRules::kMaxNotes;
using services::LeadRules::kMaxPhone;
using services::LeadRules::kMaxTag;
using services::LeadRules::kMaxTags;

namespace {
constexpr qsizetype kMaxImportBytes = 10 * 1024 * 1024;
/// The import route's body limit: the file plus the form's boundaries and the source field.
constexpr std::size_t kImportBodyLimit = kMaxImportBytes + 64 * 1024;
constexpr int kMaxSearch = 128;
constexpr int kMaxSourceLabel = 100;

void addIfSet(QJsonObject &o, const QString &key, const QString &value)
{
    if (!value.isEmpty())
        o.insert(key, value);
}

QJsonObject leadJson(const store::Lead &l, UserNames &names)
{
    QJsonObject o {{QStringLiteral("id"), l.id}, {QStringLiteral("firstName"), l.firstName},
        {QStringLiteral("lastName"), l.lastName}, {QStringLiteral("status"), l.status},
        {QStringLiteral("source"), l.source}, {QStringLiteral("tags"), QJsonArray::fromStringList(l.tags)},
        {QStringLiteral("createdOn"), isoTimestamp(l.createdAtMs)}};
    addIfSet(o, QStringLiteral("email"), l.email);
    addIfSet(o, QStringLiteral("phone"), l.phone);
    addIfSet(o, QStringLiteral("company"), l.company);
    addIfSet(o, QStringLiteral("sourceRef"), l.sourceRef);
    if (l.score)
        o.insert(QStringLiteral("score"), double(*l.score));
    if (!l.assignedTo.isEmpty())
        o.insert(QStringLiteral("assignedTo"),
            QJsonObject {
                {QStringLiteral("id"), l.assignedTo}, {QStringLiteral("name"), names.name(l.assignedTo)}});
    return o;
}

QJsonObject eventJson(const store::LeadEvent &e)
{
    QJsonObject actor {{QStringLiteral("type"), e.actorType}};
    addIfSet(actor, QStringLiteral("id"), e.actorId);
    addIfSet(actor, QStringLiteral("name"), e.actorName);
    return {{QStringLiteral("id"), e.id}, {QStringLiteral("type"), e.type}, {QStringLiteral("actor"), actor},
        {QStringLiteral("data"), e.data}, {QStringLiteral("createdOn"), isoTimestamp(e.createdAtMs)}};
}

Result<QJsonObject> detailJson(store::Store &store, const store::TenantScope &scope, const store::Lead &l)
{
    UserNames names(store, scope);
    QJsonObject o = leadJson(l, names);
    o.insert(QStringLiteral("updatedOn"), isoTimestamp(l.updatedAtMs));
    addIfSet(o, QStringLiteral("importId"), l.importId);
    auto events = store.leads.events(scope, l.id);
    if (!events.ok())
        return events.error();
    QJsonArray timeline;
    for (const auto &e : std::as_const(*events))
        timeline.append(eventJson(e));
    o.insert(QStringLiteral("timeline"), timeline);
    return o;
}

/// An optional string that may be null (PATCH: null clears it); nullopt when absent.
std::optional<QString> clearableString(
    JsonFields &f, const QJsonObject &o, const QString &name, int maxLength)
{
    if (!o.contains(name))
        return std::nullopt;
    if (o.value(name).isNull())
        return QString();
    return f.optionalString(name, maxLength).value_or(QString()).trimmed();
}

void checkEmail(JsonFields &f, const QString &email)
{
    if (!email.isEmpty() && !services::LeadRules::validEmail(email))
        f.addIssue(QStringLiteral("email"), QStringLiteral("invalid"));
}

struct NewLead
{
    store::Lead lead;
    QString notes;
};

Result<NewLead> parseCreate(const std::string &body)
{
    auto parsed = parseJsonObject(body);
    if (!parsed.ok())
        return parsed.error();
    const QJsonObject &o = *parsed;
    JsonFields f(o);
    NewLead n;
    n.lead.firstName = f.requiredString(QStringLiteral("firstName"), kMaxName).trimmed();
    n.lead.lastName = f.requiredString(QStringLiteral("lastName"), kMaxName).trimmed();
    n.lead.email = f.optionalString(QStringLiteral("email"), kMaxEmail).value_or(QString()).trimmed();
    checkEmail(f, n.lead.email);
    n.lead.phone = f.optionalString(QStringLiteral("phone"), kMaxPhone).value_or(QString()).trimmed();
    n.lead.company = f.optionalString(QStringLiteral("company"), kMaxCompany).value_or(QString()).trimmed();
    if (const auto source = f.optionalString(QStringLiteral("source"), 32)) {
        if (!services::LeadRules::sources().contains(*source))
            f.addIssue(QStringLiteral("source"), QStringLiteral("invalid"));
        else
            n.lead.source = *source;
    }
    n.notes = f.optionalString(QStringLiteral("notes"), kMaxNotes).value_or(QString()).trimmed();
    n.lead.tags = stringArray(f, o.value(QLatin1String("tags")), QStringLiteral("tags"), kMaxTags, kMaxTag);
    if (auto v = f.result(); !v.ok())
        return v.error();
    return n;
}

struct LeadPatch
{
    std::optional<QString> firstName, lastName, email, phone, company, status, assignedTo;
    std::optional<std::optional<qint64>> score;
    std::optional<QStringList> tags;
};

Result<LeadPatch> parsePatch(const std::string &body)
{
    auto parsed = parseJsonObject(body);
    if (!parsed.ok())
        return parsed.error();
    const QJsonObject &o = *parsed;
    JsonFields f(o);
    LeadPatch p;
    if (o.contains(QLatin1String("firstName")))
        p.firstName = f.requiredString(QStringLiteral("firstName"), kMaxName).trimmed();
    if (o.contains(QLatin1String("lastName")))
        p.lastName = f.requiredString(QStringLiteral("lastName"), kMaxName).trimmed();
    p.email = clearableString(f, o, QStringLiteral("email"), kMaxEmail);
    if (p.email)
        checkEmail(f, *p.email);
    p.phone = clearableString(f, o, QStringLiteral("phone"), kMaxPhone);
    p.company = clearableString(f, o, QStringLiteral("company"), kMaxCompany);
    if (o.contains(QLatin1String("status"))) {
        const QString status = f.requiredString(QStringLiteral("status"), 32);
        if (!status.isEmpty() && !services::LeadRules::statuses().contains(status))
            f.addIssue(QStringLiteral("status"), QStringLiteral("invalid"));
        p.status = status;
    }
    if (o.contains(QLatin1String("score"))) {
        const QJsonValue score = o.value(QLatin1String("score"));
        if (score.isNull())
            p.score = std::optional<qint64>();
        else if (!score.isDouble() || score.toDouble() != std::floor(score.toDouble()))
            f.addIssue(QStringLiteral("score"), QStringLiteral("must_be_integer"));
        else if (score.toDouble() < 0 || score.toDouble() > 100)
            f.addIssue(QStringLiteral("score"), QStringLiteral("out_of_range"));
        else
            p.score = std::optional<qint64>(qint64(score.toDouble()));
    }
    if (o.contains(QLatin1String("tags"))) {
        if (o.value(QLatin1String("tags")).isNull())
            p.tags = QStringList();
        else
            p.tags
                = stringArray(f, o.value(QLatin1String("tags")), QStringLiteral("tags"), kMaxTags, kMaxTag);
    }
    p.assignedTo = clearableString(f, o, QStringLiteral("assignedTo"), 64);
    if (auto v = f.result(); !v.ok())
        return v.error();
    return p;
}

store::LeadEvent userEvent(const RequestContext &ctx, const services::Actor &actor, const QString &leadId,
    const QString &type, const QJsonObject &data, qint64 nowMs)
{
    store::LeadEvent e;
    e.id = Ulid::generate();
    e.tenantId = ctx.principal->tenantId;
    e.leadId = leadId;
    e.type = type;
    e.actorType = QStringLiteral("user");
    e.actorId = actor.id;
    e.actorName = actor.name;
    e.data = data;
    e.createdAtMs = nowMs;
    return e;
}

QJsonValue orNull(const QString &s)
{
    return nullable(s);
}

QJsonObject importJson(const store::LeadImport &i)
{
    return {{QStringLiteral("importId"), i.id}, {QStringLiteral("status"), i.status},
        {QStringLiteral("total"), i.total}, {QStringLiteral("imported"), i.imported},
        {QStringLiteral("skipped"), i.skipped}, {QStringLiteral("errors"), i.errors},
        {QStringLiteral("source"), i.source}, {QStringLiteral("createdOn"), isoTimestamp(i.createdAtMs)}};
}
} // namespace

void addLeadRoutes(std::vector<RouteSpec> &routes, const DashboardDeps &deps)
{
    store::Store &store = deps.store;
    services::EngineContext &engine = deps.engine;

    routes.push_back({HttpMethod::Get, path("/leads"), tenantUsers(),
        [&store](RequestContext &ctx) -> Result<HttpResponse> {
            ListQuery query(ctx.request);
            store::LeadFilter filter;
            filter.status = query.enumFilter(QStringLiteral("status"), services::LeadRules::statuses());
            filter.source = query.enumFilter(QStringLiteral("source"), services::LeadRules::sources());
            const store::PageRequest page = query.page();
            if (auto v = query.result(); !v.ok())
                return v.error();
            filter.search = queryValue(ctx.request, QStringLiteral("search")).value_or(QString()).trimmed();
            if (filter.search.size() > kMaxSearch)
                return ApiError::validation(QStringLiteral("search"), QStringLiteral("too_long"));
            const auto scope = scopeOf(ctx);
            auto rows = store.leads.list(scope, filter, page);
            if (!rows.ok())
                return rows.error();
            UserNames names(store, scope);
            QJsonArray data;
            for (const auto &l : std::as_const(rows->items))
                data.append(leadJson(l, names));
            const QString last = rows->items.isEmpty() ? QString() : rows->items.last().id;
            return jsonResponse(200, pageJson(data, rows->hasMore, last, page));
        }});

    routes.push_back({HttpMethod::Post, path("/leads"), intakeWriters(),
        [&store, &engine](RequestContext &ctx) -> Result<HttpResponse> {
            auto created = parseCreate(ctx.request.body);
            if (!created.ok())
                return created.error();
            const auto actor = actorOf(ctx, store);
            const auto scope = scopeOf(ctx);
            store::Lead lead = created->lead;
            const qint64 now = engine.clock.nowMs();
            lead.id = Ulid::generate();
            lead.tenantId = ctx.principal->tenantId;
            lead.createdBy = actor.id;
            lead.createdAtMs = now;
            lead.updatedAtMs = now;
            services::UnitOfWork work(engine);
            if (!work.isActive())
                return work.error();
            if (auto r = store.leads.insert(lead); !r.ok())
                return r.error();
            if (auto r = store.leads.addEvent(userEvent(ctx, actor, lead.id, QStringLiteral("created"),
                    {{QStringLiteral("via"), QStringLiteral("manual")}}, now));
                !r.ok())
                return r.error();
            if (!created->notes.isEmpty()) {
                if (auto r = store.leads.addEvent(userEvent(ctx, actor, lead.id, QStringLiteral("note"),
                        {{QStringLiteral("text"), created->notes}}, now));
                    !r.ok())
                    return r.error();
            }
            QJsonObject changes;
            for (const auto &[field, value] : {std::pair {QStringLiteral("firstName"), lead.firstName},
                     {QStringLiteral("lastName"), lead.lastName}, {QStringLiteral("email"), lead.email},
                     {QStringLiteral("phone"), lead.phone}, {QStringLiteral("company"), lead.company},
                     {QStringLiteral("source"), lead.source}, {QStringLiteral("status"), lead.status}}) {
                if (!value.isEmpty())
                    changes.insert(field, change(QJsonValue::Null, value));
            }
            if (!lead.tags.isEmpty())
                changes.insert(
                    QStringLiteral("tags"), change(QJsonValue::Null, QJsonArray::fromStringList(lead.tags)));
            if (auto r = store.audit.append(auditEntry(
                    ctx, QStringLiteral("lead.created"), QStringLiteral("lead"), lead.id, changes, now));
                !r.ok())
                return r.error();
            if (auto r = work.tenantEvent(
                    lead.tenantId, QStringLiteral("lead_created"), {{QStringLiteral("leadId"), lead.id}});
                !r.ok())
                return r.error();
            if (auto r = work.commit(); !r.ok())
                return r.error();
            auto detail = detailJson(store, scope, lead);
            if (!detail.ok())
                return detail.error();
            return jsonResponse(201, *detail);
        },
        kBodyLimit});

    routes.push_back({HttpMethod::Get, path("/leads/:leadId"), tenantUsers(),
        [&store](RequestContext &ctx) -> Result<HttpResponse> {
            const auto scope = scopeOf(ctx);
            auto found = store.leads.find(scope, ctx.param("leadId"));
            if (!found.ok())
                return found.error();
            if (!found->has_value())
                return ApiError::notFound(QStringLiteral("lead not found"));
            auto detail = detailJson(store, scope, **found);
            if (!detail.ok())
                return detail.error();
            return jsonResponse(200, *detail);
        }});

    routes.push_back({HttpMethod::Patch, path("/leads/:leadId"), intakeWriters(),
        [&store, &engine](RequestContext &ctx) -> Result<HttpResponse> {
            auto patch = parsePatch(ctx.request.body);
            if (!patch.ok())
                return patch.error();
            const auto scope = scopeOf(ctx);
            const auto actor = actorOf(ctx, store);
            services::UnitOfWork work(engine);
            if (!work.isActive())
                return work.error();
            auto found = store.leads.find(scope, ctx.param("leadId"));
            if (!found.ok())
                return found.error();
            if (!found->has_value())
                return ApiError::notFound(QStringLiteral("lead not found"));
            const store::Lead before = **found;
            store::Lead after = before;
            UserNames names(store, scope);
            if (patch->assignedTo && !patch->assignedTo->isEmpty()
                && names.name(*patch->assignedTo).isEmpty())
                return ApiError {ErrorCode::ValidationError,
                    QStringLiteral("assignedTo is not a user of this tenant"),
                    {{QStringLiteral("assignedTo"), QStringLiteral("unknown_user")}}};
            const qint64 now = work.nowMs();
            QJsonObject changes;
            QList<store::LeadEvent> events;
            const auto field = [&](const QString &name, const std::optional<QString> &value, QString &slot) {
                if (!value || *value == slot)
                    return;
                changes.insert(name, change(orNull(slot), orNull(*value)));
                events.append(userEvent(ctx, actor, before.id,
                    name == QLatin1String("status") ? QStringLiteral("status_change")
                                                    : QStringLiteral("field_change"),
                    {{QStringLiteral("field"), name}, {QStringLiteral("from"), orNull(slot)},
                        {QStringLiteral("to"), orNull(*value)}},
                    now));
                slot = *value;
            };
            field(QStringLiteral("firstName"), patch->firstName, after.firstName);
            field(QStringLiteral("lastName"), patch->lastName, after.lastName);
            field(QStringLiteral("email"), patch->email, after.email);
            field(QStringLiteral("phone"), patch->phone, after.phone);
            field(QStringLiteral("company"), patch->company, after.company);
            field(QStringLiteral("status"), patch->status, after.status);
            if (patch->score && *patch->score != after.score) {
                const auto score = [](const std::optional<qint64> &s) {
                    return s ? QJsonValue(double(*s)) : QJsonValue(QJsonValue::Null);
                };
                changes.insert(QStringLiteral("score"), change(score(after.score), score(*patch->score)));
                events.append(userEvent(ctx, actor, before.id, QStringLiteral("field_change"),
                    {{QStringLiteral("field"), QStringLiteral("score")},
                        {QStringLiteral("from"), score(after.score)},
                        {QStringLiteral("to"), score(*patch->score)}},
                    now));
                after.score = *patch->score;
            }
            if (patch->tags && *patch->tags != after.tags) {
                const QJsonArray from = QJsonArray::fromStringList(after.tags);
                const QJsonArray to = QJsonArray::fromStringList(*patch->tags);
                changes.insert(QStringLiteral("tags"), change(from, to));
                events.append(userEvent(ctx, actor, before.id, QStringLiteral("field_change"),
                    {{QStringLiteral("field"), QStringLiteral("tags")}, {QStringLiteral("from"), from},
                        {QStringLiteral("to"), to}},
                    now));
                after.tags = *patch->tags;
            }
            if (patch->assignedTo && *patch->assignedTo != after.assignedTo) {
                const auto who = [&names](const QString &id) -> QJsonValue {
                    if (id.isEmpty())
                        return QJsonValue::Null;
                    return QJsonObject {{QStringLiteral("id"), id}, {QStringLiteral("name"), names.name(id)}};
                };
                changes.insert(QStringLiteral("assignedTo"),
                    change(orNull(after.assignedTo), orNull(*patch->assignedTo)));
                events.append(userEvent(ctx, actor, before.id, QStringLiteral("assignment"),
                    {{QStringLiteral("from"), who(after.assignedTo)},
                        {QStringLiteral("to"), who(*patch->assignedTo)}},
                    now));
                after.assignedTo = *patch->assignedTo;
            }
            if (!changes.isEmpty()) {
                after.updatedAtMs = now;
                if (auto r = store.leads.update(scope, after); !r.ok())
                    return r.error();
                for (const auto &e : std::as_const(events)) {
                    if (auto r = store.leads.addEvent(e); !r.ok())
                        return r.error();
                }
                if (auto r = store.audit.append(auditEntry(
                        ctx, QStringLiteral("lead.updated"), QStringLiteral("lead"), after.id, changes, now));
                    !r.ok())
                    return r.error();
                if (auto r = work.tenantEvent(after.tenantId, QStringLiteral("lead_updated"),
                        {{QStringLiteral("leadId"), after.id},
                            {QStringLiteral("fields"), QJsonArray::fromStringList(changes.keys())}});
                    !r.ok())
                    return r.error();
                if (auto r = work.commit(); !r.ok())
                    return r.error();
            }
            auto detail = detailJson(store, scope, after);
            if (!detail.ok())
                return detail.error();
            return jsonResponse(200, *detail);
        },
        kBodyLimit});

    RouteSpec import {HttpMethod::Post, path("/leads/import"), intakeWriters(),
        [&store, &engine](RequestContext &ctx) -> Result<HttpResponse> {
            auto form = MultipartForm::parse(ctx.request.header("content-type"), ctx.request.body, 8);
            if (!form.ok())
                return form.error();
            const MultipartPart *file = form->part(QStringLiteral("file"));
            JsonFields f(QJsonObject {});
            if (!file || !file->hasFilename)
                f.addIssue(QStringLiteral("file"), QStringLiteral("required"));
            const QString source = form->text(QStringLiteral("source")).trimmed();
            if (source.isEmpty())
                f.addIssue(QStringLiteral("source"), QStringLiteral("required"));
            else if (source.size() > kMaxSourceLabel)
                f.addIssue(QStringLiteral("source"), QStringLiteral("too_long"));
            if (auto v = f.result(); !v.ok())
                return v.error();
            if (qsizetype(file->data.size()) > kMaxImportBytes)
                return ApiError {ErrorCode::PayloadTooLarge, QStringLiteral("The file is larger than 10 MB"),
                    {{QStringLiteral("file"), QStringLiteral("too_large")}}};
            const QByteArrayView content(file->data.data(), qsizetype(file->data.size()));
            auto total = services::LeadImporter::countRows(content);
            if (!total.ok())
                return total.error();
            const auto actor = actorOf(ctx, store);
            store::LeadImport import;
            import.id = Ulid::generate();
            import.tenantId = ctx.principal->tenantId;
            import.source = source;
            import.fileName = file->filename.left(255);
            import.total = *total;
            import.content = content.toByteArray();
            import.createdBy = actor.id;
            services::UnitOfWork work(engine);
            if (!work.isActive())
                return work.error();
            import.createdAtMs = work.nowMs();
            if (auto r = store.leads.insertImport(import); !r.ok())
                return r.error();
            jobs::NewJob job;
            job.kind = services::LeadImporter::kJobKind;
            job.tenantId = import.tenantId;
            job.payload = {{QStringLiteral("importId"), import.id}};
            job.maxAttempts = 3;
            if (auto r = work.enqueue(job); !r.ok())
                return r.error();
            if (auto r = store.audit.append(auditEntry(ctx, QStringLiteral("lead.import.started"),
                    QStringLiteral("lead_import"), import.id,
                    {{QStringLiteral("status"), change(QJsonValue::Null, QStringLiteral("processing"))},
                        {QStringLiteral("source"), change(QJsonValue::Null, source)},
                        {QStringLiteral("fileName"), change(QJsonValue::Null, import.fileName)},
                        {QStringLiteral("total"), change(QJsonValue::Null, import.total)}},
                    import.createdAtMs));
                !r.ok())
                return r.error();
            if (auto r = work.commit(); !r.ok())
                return r.error();
            return jsonResponse(202,
                {{QStringLiteral("importId"), import.id}, {QStringLiteral("total"), import.total},
                    {QStringLiteral("status"), QStringLiteral("processing")}});
        },
        kImportBodyLimit};
    import.offload = true; // up to 10 MB of CSV is read before answering
    routes.push_back(std::move(import));

    routes.push_back({HttpMethod::Get, path("/leads/imports/:importId"), tenantUsers(),
        [&store](RequestContext &ctx) -> Result<HttpResponse> {
            auto found = store.leads.findImport(scopeOf(ctx), ctx.param("importId"));
            if (!found.ok())
                return found.error();
            if (!found->has_value())
                return ApiError::notFound(QStringLiteral("import not found"));
            return jsonResponse(200, importJson(**found));
        }});
}

} // namespace lm::api::dashboard
