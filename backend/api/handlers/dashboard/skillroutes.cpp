// SPDX-License-Identifier: GPL-3.0-or-later
// /dashboard/v1/skills: the tenant's own skills beside the global ones; Markdown uploads
// (decisions in docs/api/dashboard-config.md).
#include "api/handlers/dashboard/configsupport.h"
#include "api/listquery.h"
#include "api/multipart.h"
#include "core/ulid.h"
#include "services/engine.h"

#include <QStringDecoder>

namespace lm::api::dashboard {

namespace {
constexpr int kMaxName = 200;
constexpr int kMaxDescription = 2000;
constexpr int kMaxRoles = 20;
/// The spec's "max 500 KB" for a skill file (and for content sent as JSON).
constexpr qsizetype kMaxContentBytes = 500 * 1024;
/// An upload: the file and the small text fields around it.
constexpr std::size_t kUploadBodyLimit = kMaxContentBytes + 64 * 1024;
/// A JSON update: the content as UTF-8 plus JSON escaping of quotes, newlines and the like.
constexpr std::size_t kJsonBodyLimit = 1024 * 1024;

const QStringList kScopes {QStringLiteral("tenant"), QStringLiteral("global")};

QJsonObject summaryJson(const store::Skill &s, UserNames &names)
{
    const bool global = s.tenantId.isEmpty();
    QString createdBy = s.createdBy;
    if (!global) {
        const QString name = names.name(s.createdBy);
        if (!name.isEmpty())
            createdBy = name;
    }
    return {{QStringLiteral("id"), s.id}, {QStringLiteral("name"), s.name},
        {QStringLiteral("description"), s.description},
        {QStringLiteral("scope"), global ? QStringLiteral("global") : QStringLiteral("tenant")},
        {QStringLiteral("assignedAgents"), QJsonArray::fromStringList(s.agentRoles)},
        {QStringLiteral("sizeBytes"), qint64(s.content.toUtf8().size())},
        {QStringLiteral("createdBy"), createdBy}, {QStringLiteral("createdOn"), isoTimestamp(s.createdAtMs)},
        {QStringLiteral("updatedOn"), isoTimestamp(s.updatedAtMs)}};
}

ApiError tooLarge(const QString &field)
{
    return ApiError {ErrorCode::PayloadTooLarge, QStringLiteral("A skill's content is at most 500 KB"),
        {{field, QStringLiteral("too_large")}}};
}

/// Roles must name agents of the tenant; problems go to `f` under `field` (items as field[i]).
QStringList checkRoles(
    JsonFields &f, const QStringList &roles, const QString &field, const QStringList &known, bool indexed)
{
    QStringList out;
    if (roles.size() > kMaxRoles) {
        f.addIssue(field, QStringLiteral("too_many"));
        return out;
    }
    for (qsizetype i = 0; i < roles.size(); ++i) {
        const QString role = roles[i].trimmed();
        const QString at = indexed ? QStringLiteral("%1[%2]").arg(field).arg(i) : field;
        if (!known.contains(role))
            f.addIssue(at, QStringLiteral("unknown_role"));
        else if (!out.contains(role))
            out.append(role);
    }
    return out;
}

QStringList commaList(const QString &text)
{
    QStringList out;
    for (const QString &part : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        if (!part.trimmed().isEmpty())
            out.append(part.trimmed());
    }
    return out;
}

/// Markdown from a file part: UTF-8 text, named *.md / *.markdown or sent as text/markdown.
Result<QString> markdownFile(const MultipartPart &file)
{
    if (qsizetype(file.data.size()) > kMaxContentBytes)
        return tooLarge(QStringLiteral("file"));
    const QString lower = file.filename.toLower();
    const bool named = lower.endsWith(QLatin1String(".md")) || lower.endsWith(QLatin1String(".markdown"));
    if (!named && file.contentType.rfind("text/markdown", 0) != 0)
        return ApiError::validation(QStringLiteral("file"), QStringLiteral("not_markdown"));
    QStringDecoder decode(QStringDecoder::Utf8);
    const QString text = decode(QByteArrayView(file.data.data(), qsizetype(file.data.size())));
    if (decode.hasError() || text.contains(QChar(0)))
        return ApiError::validation(QStringLiteral("file"), QStringLiteral("not_utf8"));
    if (text.trimmed().isEmpty())
        return ApiError::validation(QStringLiteral("file"), QStringLiteral("empty"));
    return text;
}

Result<QStringList> agentRolesOf(store::Store &store, const RequestContext &ctx)
{
    auto agents = store.agents.list(scopeOf(ctx));
    if (!agents.ok())
        return agents.error();
    QStringList roles;
    for (const store::AgentConfig &a : std::as_const(*agents))
        roles.append(a.role);
    return roles;
}

/// NOT_FOUND for a skill the tenant cannot see; FORBIDDEN for a global one (read-only for tenants).
Result<store::Skill> ownSkill(store::Store &store, const RequestContext &ctx, const char *verb)
{
    auto found = store.agents.findVisibleSkill(ctx.principal->tenantId, ctx.param("skillId"));
    if (!found.ok())
        return found.error();
    if (!found->has_value())
        return ApiError::notFound(QStringLiteral("skill not found"));
    if ((*found)->tenantId.isEmpty())
        return ApiError::forbidden(QStringLiteral("Global skills cannot be %1").arg(QLatin1String(verb)));
    return **found;
}

/// CONFLICT when another skill of the tenant has that name.
Result<void> nameFree(
    store::Store &store, const RequestContext &ctx, const QString &name, const QString &selfId)
{
    auto skills = store.agents.visibleSkills(ctx.principal->tenantId, QStringLiteral("tenant"), {});
    if (!skills.ok())
        return skills.error();
    for (const store::Skill &s : std::as_const(*skills)) {
        if (s.id != selfId && s.name == name)
            return ApiError {ErrorCode::Conflict, QStringLiteral("The tenant has a skill of that name"),
                {{QStringLiteral("name"), QStringLiteral("already_exists")}}};
    }
    return {};
}

/// Applies a PATCH (JSON or form) to `skill`.
Result<void> applyPatch(const RequestContext &ctx, const QStringList &known, store::Skill &skill)
{
    const std::string_view contentType = ctx.request.header("content-type");
    QJsonObject o;
    std::optional<QString> content;
    std::optional<QStringList> roles;
    if (contentType.find("multipart/form-data") != std::string_view::npos) {
        auto form = MultipartForm::parse(contentType, ctx.request.body);
        if (!form.ok())
            return form.error();
        for (const char *field : {"name", "description"}) {
            if (form->has(QLatin1String(field)))
                o.insert(QLatin1String(field), form->text(QLatin1String(field)));
        }
        if (form->has(QStringLiteral("agentRoles")))
            roles = commaList(form->text(QStringLiteral("agentRoles")));
        if (const MultipartPart *file = form->part(QStringLiteral("file"))) {
            auto text = markdownFile(*file);
            if (!text.ok())
                return text.error();
            content = *text;
        }
    } else {
        auto body = parseJsonObject(ctx.request.body);
        if (!body.ok())
            return body.error();
        o = *body;
    }
    JsonFields f(o);
    if (o.contains(QLatin1String("name")))
        skill.name = f.requiredString(QStringLiteral("name"), kMaxName).trimmed();
    if (const auto d = f.optionalString(QStringLiteral("description"), kMaxDescription))
        skill.description = d->trimmed();
    if (o.contains(QLatin1String("content"))) {
        const QJsonValue v = o.value(QLatin1String("content"));
        if (!v.isString())
            f.addIssue(QStringLiteral("content"), QStringLiteral("must_be_string"));
        else if (v.toString().toUtf8().size() > kMaxContentBytes)
            return tooLarge(QStringLiteral("content"));
        else if (v.toString().trimmed().isEmpty())
            f.addIssue(QStringLiteral("content"), QStringLiteral("required"));
        else
            content = v.toString();
    }
    if (o.contains(QLatin1String("agentRoles"))) {
        const QJsonValue v = o.value(QLatin1String("agentRoles"));
        if (!v.isArray())
            f.addIssue(QStringLiteral("agentRoles"), QStringLiteral("must_be_array"));
        else {
            QStringList list;
            const QJsonArray items = v.toArray();
            for (qsizetype i = 0; i < items.size(); ++i) {
                if (!items[i].isString())
                    f.addIssue(QStringLiteral("agentRoles[%1]").arg(i), QStringLiteral("must_be_string"));
                list.append(items[i].toString());
            }
            roles = list;
        }
    }
    if (roles)
        skill.agentRoles = checkRoles(
            f, *roles, QStringLiteral("agentRoles"), known, o.contains(QLatin1String("agentRoles")));
    if (content)
        skill.content = *content;
    return f.result();
}
} // namespace

void addSkillRoutes(std::vector<RouteSpec> &routes, const DashboardDeps &deps)
{
    store::Store &store = deps.store;
    services::EngineContext &engine = deps.engine;

    routes.push_back({HttpMethod::Get, path("/skills"), tenantUsers(),
        [&store](RequestContext &ctx) -> Result<HttpResponse> {
            ListQuery query(ctx.request);
            const QString scope = query.enumFilter(QStringLiteral("scope"), kScopes);
            const QString role = query.textFilter(QStringLiteral("agentRole"));
            if (auto v = query.result(); !v.ok())
                return v.error();
            auto skills = store.agents.visibleSkills(ctx.principal->tenantId, scope, role);
            if (!skills.ok())
                return skills.error();
            UserNames names(store, scopeOf(ctx));
            QJsonArray data;
            for (const store::Skill &s : std::as_const(*skills))
                data.append(summaryJson(s, names));
            return jsonResponse(200, {{QStringLiteral("data"), data}});
        }});

    routes.push_back({HttpMethod::Post, path("/skills"), editors(),
        [&store, &engine](RequestContext &ctx) -> Result<HttpResponse> {
            auto form = MultipartForm::parse(ctx.request.header("content-type"), ctx.request.body);
            if (!form.ok())
                return form.error();
            const MultipartPart *file = form->part(QStringLiteral("file"));
            if (file && qsizetype(file->data.size()) > kMaxContentBytes)
                return tooLarge(QStringLiteral("file"));
            auto known = agentRolesOf(store, ctx);
            if (!known.ok())
                return known.error();
            QJsonObject fields;
            for (const char *field : {"name", "description"}) {
                if (form->has(QLatin1String(field)))
                    fields.insert(QLatin1String(field), form->text(QLatin1String(field)));
            }
            JsonFields f(fields);
            store::Skill skill;
            skill.name = f.requiredString(QStringLiteral("name"), kMaxName).trimmed();
            skill.description = f.optionalString(QStringLiteral("description"), kMaxDescription)
                                    .value_or(QString())
                                    .trimmed();
            skill.agentRoles = checkRoles(f, commaList(form->text(QStringLiteral("agentRoles"))),
                QStringLiteral("agentRoles"), *known, false);
            if (!file || !file->hasFilename)
                f.addIssue(QStringLiteral("file"), QStringLiteral("required"));
            else if (auto text = markdownFile(*file); !text.ok()) {
                for (const FieldIssue &issue : text.error().details)
                    f.addIssue(issue.field, issue.issue);
            } else
                skill.content = *text;
            if (auto v = f.result(); !v.ok())
                return v.error();

            services::UnitOfWork work(engine);
            if (!work.isActive())
                return work.error();
            if (auto r = nameFree(store, ctx, skill.name, {}); !r.ok())
                return r.error();
            skill.id = Ulid::generate();
            if (skill.description.isNull())
                skill.description = QLatin1String(""); // NOT NULL: Qt Sql binds a null QString as NULL
            skill.tenantId = ctx.principal->tenantId;
            skill.createdBy = ctx.principal->userId;
            skill.createdAtMs = skill.updatedAtMs = work.nowMs();
            if (auto r = store.agents.insertSkill(skill); !r.ok())
                return r.error();
            if (auto r = store.audit.append(
                    auditEntry(ctx, QStringLiteral("skill.created"), QStringLiteral("skill"), skill.id,
                        {{QStringLiteral("name"), change(QJsonValue::Null, skill.name)},
                            {QStringLiteral("agentRoles"),
                                change(QJsonValue::Null, QJsonArray::fromStringList(skill.agentRoles))},
                            {QStringLiteral("sizeBytes"),
                                change(QJsonValue::Null, qint64(skill.content.toUtf8().size()))}},
                        work.nowMs()));
                !r.ok())
                return r.error();
            if (auto r = work.commit(); !r.ok())
                return r.error();
            UserNames names(store, scopeOf(ctx));
            return jsonResponse(201, summaryJson(skill, names));
        },
        kUploadBodyLimit});

    routes.push_back({HttpMethod::Patch, path("/skills/:skillId"), editors(),
        [&store, &engine](RequestContext &ctx) -> Result<HttpResponse> {
            services::UnitOfWork work(engine);
            if (!work.isActive())
                return work.error();
            auto skill = ownSkill(store, ctx, "changed");
            if (!skill.ok())
                return skill.error();
            auto known = agentRolesOf(store, ctx);
            if (!known.ok())
                return known.error();
            const store::Skill before = *skill;
            if (auto r = applyPatch(ctx, *known, *skill); !r.ok())
                return r.error();
            QJsonObject changes;
            if (before.name != skill->name)
                changes.insert(QStringLiteral("name"), change(before.name, skill->name));
            if (before.description != skill->description)
                changes.insert(QStringLiteral("description"), change(before.description, skill->description));
            if (before.agentRoles != skill->agentRoles)
                changes.insert(QStringLiteral("agentRoles"),
                    change(QJsonArray::fromStringList(before.agentRoles),
                        QJsonArray::fromStringList(skill->agentRoles)));
            if (before.content != skill->content)
                changes.insert(QStringLiteral("sizeBytes"),
                    change(qint64(before.content.toUtf8().size()), qint64(skill->content.toUtf8().size())));
            if (!changes.isEmpty()) {
                if (before.name != skill->name) {
                    if (auto r = nameFree(store, ctx, skill->name, skill->id); !r.ok())
                        return r.error();
                }
                skill->updatedAtMs = work.nowMs();
                if (auto r = store.agents.updateSkill(scopeOf(ctx), *skill); !r.ok())
                    return r.error();
                if (auto r = store.audit.append(auditEntry(ctx, QStringLiteral("skill.updated"),
                        QStringLiteral("skill"), skill->id, changes, work.nowMs()));
                    !r.ok())
                    return r.error();
                if (auto r = work.commit(); !r.ok())
                    return r.error();
            }
            UserNames names(store, scopeOf(ctx));
            return jsonResponse(200, summaryJson(*skill, names));
        },
        kJsonBodyLimit});

    routes.push_back({HttpMethod::Delete, path("/skills/:skillId"), editors(),
        [&store, &engine](RequestContext &ctx) -> Result<HttpResponse> {
            services::UnitOfWork work(engine);
            if (!work.isActive())
                return work.error();
            auto skill = ownSkill(store, ctx, "deleted");
            if (!skill.ok())
                return skill.error();
            if (auto r = store.agents.removeSkill(scopeOf(ctx), skill->id); !r.ok())
                return r.error();
            if (auto r = store.audit.append(
                    auditEntry(ctx, QStringLiteral("skill.deleted"), QStringLiteral("skill"), skill->id,
                        {{QStringLiteral("name"), change(skill->name, QJsonValue::Null)}}, work.nowMs()));
                !r.ok())
                return r.error();
            if (auto r = work.commit(); !r.ok())
                return r.error();
            return noContent();
        }});
}

} // namespace lm::api::dashboard
