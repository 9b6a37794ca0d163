// SPDX-License-Identifier: GPL-3.0-or-later
// /dashboard/v1/team: the tenant's people and agents, invitations, role changes and removals
// (decisions in docs/api/dashboard-config.md).
#include "api/handlers/dashboard/dashboardsupport.h"
#include "api/listquery.h"
#include "core/ulid.h"
#include "services/engine.h"

#include <QCryptographicHash>
#include <QRegularExpression>

#include <sodium.h>

namespace lm::api::dashboard {

namespace {
constexpr int kMaxName = 200;
constexpr int kMaxEmail = 254;
/// How long an invitation link works.
constexpr qint64 kInviteTtlMs = 7LL * 24 * 3600 * 1000;

const QStringList kTypes {QStringLiteral("human"), QStringLiteral("agent")};
const QStringList kStatuses {
    QStringLiteral("active"), QStringLiteral("inactive"), QStringLiteral("terminated")};
const QStringList kTenantRoles {
    QStringLiteral("admin"), QStringLiteral("member"), QStringLiteral("reviewer")};

/// The team list's status of a person: active | invited | terminated.
QString humanStatus(const store::User &u)
{
    if (u.status == QLatin1String("deleted"))
        return QStringLiteral("terminated");
    return u.status;
}

/// The filter group (active | inactive | terminated) a principal's status falls in.
QString statusGroup(const QString &status)
{
    if (status == QLatin1String("terminated"))
        return QStringLiteral("terminated");
    if (status == QLatin1String("invited") || status == QLatin1String("paused")
        || status == QLatin1String("error"))
        return QStringLiteral("inactive");
    return QStringLiteral("active"); // active, idle, running
}

QJsonObject humanJson(const store::User &u, std::optional<qint64> lastActiveMs)
{
    QJsonObject o {{QStringLiteral("id"), u.id}, {QStringLiteral("type"), QStringLiteral("human")},
        {QStringLiteral("name"), u.name}, {QStringLiteral("email"), u.email},
        {QStringLiteral("role"), roleName(u.role)}, {QStringLiteral("status"), humanStatus(u)},
        {QStringLiteral("createdOn"), isoTimestamp(u.createdAtMs)}};
    if (lastActiveMs)
        o.insert(QStringLiteral("lastActiveAt"), isoTimestamp(*lastActiveMs));
    return o;
}

/// The spec names Anthropic's adapter `claude`.
QString adapterName(const QString &adapterType)
{
    return adapterType == QLatin1String("anthropic") ? QStringLiteral("claude") : adapterType;
}

QString newInviteToken()
{
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    const QByteArray bytes(reinterpret_cast<const char *>(raw), sizeof raw);
    sodium_memzero(raw, sizeof raw);
    return QStringLiteral("lmi_")
        + QString::fromLatin1(bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

/// Where the invited person accepts: this server's origin as the client reached it.
QString inviteUrl(const RequestContext &ctx, const QString &token)
{
    const std::string_view forwarded = ctx.request.header("x-forwarded-proto");
    const QString scheme = forwarded == "https" ? QStringLiteral("https") : QStringLiteral("http");
    QString host
        = QString::fromUtf8(ctx.request.header("host").data(), qsizetype(ctx.request.header("host").size()))
              .trimmed();
    static const QRegularExpression hostForm(QStringLiteral("^[A-Za-z0-9.\\-:\\[\\]]{1,255}$"));
    if (!hostForm.match(host).hasMatch())
        host = QStringLiteral("localhost");
    return scheme + QStringLiteral("://") + host + QStringLiteral("/invite/") + token;
}

/// A tenant user who has not been removed, or NOT_FOUND.
Result<store::User> findMember(store::Store &store, const RequestContext &ctx)
{
    auto found = store.users.find(scopeOf(ctx), ctx.param("userId"));
    if (!found.ok())
        return found.error();
    if (!found->has_value() || (*found)->status == QLatin1String("deleted"))
        return ApiError::notFound(QStringLiteral("user not found"));
    return **found;
}

ApiError lastAdmin()
{
    return ApiError {ErrorCode::Conflict,
        QStringLiteral("The tenant's last admin cannot be demoted or removed"),
        {{QStringLiteral("role"), QStringLiteral("last_admin")}}};
}
} // namespace

void addTeamRoutes(std::vector<RouteSpec> &routes, const DashboardDeps &deps)
{
    store::Store &store = deps.store;
    services::EngineContext &engine = deps.engine;

    routes.push_back({HttpMethod::Get, path("/team"), tenantUsers(),
        [&store](RequestContext &ctx) -> Result<HttpResponse> {
            ListQuery query(ctx.request);
            const QString type = query.enumFilter(QStringLiteral("type"), kTypes);
            const QString status = query.enumFilter(QStringLiteral("status"), kStatuses);
            const QString role = query.textFilter(QStringLiteral("role"));
            if (auto v = query.result(); !v.ok())
                return v.error();
            const auto scope = scopeOf(ctx);
            const QString tenantId = ctx.principal->tenantId;
            // Removed people and terminated agents are shown only when asked for.
            const auto wanted = [&](const QString &principalStatus, const QString &principalRole) {
                const QString group = statusGroup(principalStatus);
                if (status.isEmpty() ? group == QLatin1String("terminated") : group != status)
                    return false;
                return role.isEmpty() || role == principalRole;
            };
            QJsonArray data;
            if (type.isEmpty() || type == QLatin1String("human")) {
                auto people = store.team.members(scope);
                if (!people.ok())
                    return people.error();
                auto lastActive = store.team.lastActive(tenantId);
                if (!lastActive.ok())
                    return lastActive.error();
                for (const store::User &u : std::as_const(*people)) {
                    if (!wanted(humanStatus(u), roleName(u.role)))
                        continue;
                    const auto seen = lastActive->constFind(u.id);
                    data.append(humanJson(
                        u, seen == lastActive->constEnd() ? std::nullopt : std::optional<qint64>(*seen)));
                }
            }
            if (type.isEmpty() || type == QLatin1String("agent")) {
                auto agents = store.agents.list(scope);
                if (!agents.ok())
                    return agents.error();
                auto lastRun = store.team.agentLastRun(tenantId);
                if (!lastRun.ok())
                    return lastRun.error();
                for (const store::AgentConfig &a : std::as_const(*agents)) {
                    auto running = store.runs.runningCount(tenantId, a.role);
                    if (!running.ok())
                        return running.error();
                    const bool busy = *running > 0
                        && (a.status == QLatin1String("active") || a.status == QLatin1String("idle"));
                    const QString agentStatus = busy ? QStringLiteral("running") : a.status;
                    if (!wanted(agentStatus, a.role))
                        continue;
                    QJsonObject o {{QStringLiteral("id"), a.id},
                        {QStringLiteral("type"), QStringLiteral("agent")}, {QStringLiteral("name"), a.name},
                        {QStringLiteral("role"), a.role}, {QStringLiteral("status"), agentStatus},
                        {QStringLiteral("agentAdapter"), adapterName(a.adapterType)},
                        {QStringLiteral("runningCount"), *running},
                        {QStringLiteral("createdOn"), isoTimestamp(a.createdAtMs)}};
                    if (const auto seen = lastRun->constFind(a.role); seen != lastRun->constEnd())
                        o.insert(QStringLiteral("lastActiveAt"), isoTimestamp(*seen));
                    data.append(o);
                }
            }
            return jsonResponse(200, {{QStringLiteral("data"), data}});
        }});

    routes.push_back({HttpMethod::Post, path("/team/invite"), adminsOnly(),
        [&store, &engine](RequestContext &ctx) -> Result<HttpResponse> {
            auto body = parseJsonObject(ctx.request.body);
            if (!body.ok())
                return body.error();
            JsonFields f(*body);
            const QString email = f.requiredString(QStringLiteral("email"), kMaxEmail).trimmed().toLower();
            const QString name = f.requiredString(QStringLiteral("name"), kMaxName).trimmed();
            const QString role = f.requiredString(QStringLiteral("role"), 32);
            static const QRegularExpression emailForm(QStringLiteral("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$"));
            if (!email.isEmpty() && !emailForm.match(email).hasMatch())
                f.addIssue(QStringLiteral("email"), QStringLiteral("invalid"));
            if (!role.isEmpty() && !kTenantRoles.contains(role))
                f.addIssue(QStringLiteral("role"), QStringLiteral("invalid"));
            if (auto v = f.result(); !v.ok())
                return v.error();

            const auto scope = scopeOf(ctx);
            const QString tenantId = ctx.principal->tenantId;
            services::UnitOfWork work(engine);
            if (!work.isActive())
                return work.error();
            if (auto r = store.team.lockTenant(tenantId); !r.ok())
                return r.error();
            const qint64 now = work.nowMs();
            auto existing = store.team.findByEmail(email);
            if (!existing.ok())
                return existing.error();
            store::User user;
            QString previousStatus;
            if (existing->has_value()) {
                user = **existing;
                previousStatus = user.status;
                if (user.tenantId != tenantId)
                    return ApiError {ErrorCode::Conflict,
                        QStringLiteral("That e-mail already has an account"),
                        {{QStringLiteral("email"), QStringLiteral("already_registered")}}};
                if (user.status == QLatin1String("active"))
                    return ApiError {ErrorCode::Conflict, QStringLiteral("That person is already a member"),
                        {{QStringLiteral("email"), QStringLiteral("already_member")}}};
                auto pending = store.team.pendingInvite(scope, user.id);
                if (!pending.ok())
                    return pending.error();
                if (pending->has_value() && (*pending)->expiresAtMs > now)
                    return ApiError {ErrorCode::Conflict,
                        QStringLiteral("That person has a pending invitation"),
                        {{QStringLiteral("email"), QStringLiteral("already_invited")}}};
                // An expired invitation or a removed member: invited again, on the same account.
                if (auto r = store.team.revokeInvites(scope, user.id, now); !r.ok())
                    return r.error();
                user.name = name;
                user.role = *parseRole(role);
                user.status = QStringLiteral("invited");
                if (auto r = store.team.update(scope, user, now); !r.ok())
                    return r.error();
            } else {
                user.id = Ulid::generate();
                user.tenantId = tenantId;
                user.email = email;
                user.name = name;
                user.role = *parseRole(role);
                user.appAccess = SurfaceSet {Surface::Dashboard};
                user.status = QStringLiteral("invited");
                user.passwordHash = QByteArrayLiteral("!invited"); // matches no password
                user.createdAtMs = user.updatedAtMs = now;
                // No password until the invitation is accepted: an invited account cannot sign in.
                if (auto r = store.users.insert(user); !r.ok())
                    return r.error();
            }
            const QString token = newInviteToken();
            store::TeamInvite invite;
            invite.id = Ulid::generate();
            invite.tenantId = tenantId;
            invite.userId = user.id;
            invite.email = email;
            invite.role = role;
            invite.tokenHash = QCryptographicHash::hash(token.toLatin1(), QCryptographicHash::Sha256);
            invite.invitedBy = ctx.principal->userId;
            invite.expiresAtMs = now + kInviteTtlMs;
            invite.createdAtMs = now;
            if (auto r = store.team.insertInvite(invite); !r.ok())
                return r.error();
            if (auto r = store.audit.append(
                    auditEntry(ctx, QStringLiteral("user.invited"), QStringLiteral("user"), user.id,
                        {{QStringLiteral("email"), change(QJsonValue::Null, email)},
                            {QStringLiteral("role"), change(QJsonValue::Null, role)},
                            {QStringLiteral("status"),
                                change(nullable(previousStatus), QStringLiteral("invited"))},
                            {QStringLiteral("inviteId"), change(QJsonValue::Null, invite.id)}},
                        now));
                !r.ok())
                return r.error();
            if (auto r = work.commit(); !r.ok())
                return r.error();
            return jsonResponse(201,
                {{QStringLiteral("inviteId"), invite.id},
                    {QStringLiteral("inviteUrl"), inviteUrl(ctx, token)},
                    {QStringLiteral("expiresAt"), isoTimestamp(invite.expiresAtMs)}});
        },
        kBodyLimit});

    routes.push_back({HttpMethod::Patch, path("/team/users/:userId"), adminsOnly(),
        [&store, &engine](RequestContext &ctx) -> Result<HttpResponse> {
            const auto scope = scopeOf(ctx);
            services::UnitOfWork work(engine);
            if (!work.isActive())
                return work.error();
            if (auto r = store.team.lockTenant(ctx.principal->tenantId); !r.ok())
                return r.error();
            // The member first: an id the caller cannot see is a 404 whatever the body.
            auto user = findMember(store, ctx);
            if (!user.ok())
                return user.error();
            auto body = parseJsonObject(ctx.request.body);
            if (!body.ok())
                return body.error();
            JsonFields f(*body);
            const QString role = f.requiredString(QStringLiteral("role"), 32);
            if (!role.isEmpty() && !kTenantRoles.contains(role))
                f.addIssue(QStringLiteral("role"), QStringLiteral("invalid"));
            if (auto v = f.result(); !v.ok())
                return v.error();
            const Role from = user->role;
            const Role to = *parseRole(role);
            if (from != to) {
                if (from == Role::Admin && user->status == QLatin1String("active")) {
                    auto admins = store.team.activeAdminCount(scope);
                    if (!admins.ok())
                        return admins.error();
                    if (*admins <= 1)
                        return lastAdmin();
                }
                user->role = to;
                if (auto r = store.team.update(scope, *user, work.nowMs()); !r.ok())
                    return r.error();
                if (auto r = store.audit.append(
                        auditEntry(ctx, QStringLiteral("user.role_changed"), QStringLiteral("user"), user->id,
                            {{QStringLiteral("role"), change(roleName(from), role)}}, work.nowMs()));
                    !r.ok())
                    return r.error();
                if (auto r = work.commit(); !r.ok())
                    return r.error();
            }
            auto lastActive = store.team.lastActive(ctx.principal->tenantId);
            if (!lastActive.ok())
                return lastActive.error();
            const auto seen = lastActive->constFind(user->id);
            return jsonResponse(200,
                humanJson(
                    *user, seen == lastActive->constEnd() ? std::nullopt : std::optional<qint64>(*seen)));
        },
        kBodyLimit});

    routes.push_back({HttpMethod::Delete, path("/team/users/:userId"), adminsOnly(),
        [&store, &engine](RequestContext &ctx) -> Result<HttpResponse> {
            const auto scope = scopeOf(ctx);
            services::UnitOfWork work(engine);
            if (!work.isActive())
                return work.error();
            if (auto r = store.team.lockTenant(ctx.principal->tenantId); !r.ok())
                return r.error();
            auto user = findMember(store, ctx);
            if (!user.ok())
                return user.error();
            if (user->role == Role::Admin && user->status == QLatin1String("active")) {
                auto admins = store.team.activeAdminCount(scope);
                if (!admins.ok())
                    return admins.error();
                if (*admins <= 1)
                    return lastAdmin();
            }
            const qint64 now = work.nowMs();
            const QString from = user->status;
            user->status = QStringLiteral("deleted");
            if (auto r = store.team.update(scope, *user, now); !r.ok())
                return r.error();
            // Signed out everywhere: no refresh token of theirs works again, no invitation either.
            auto revoked = store.team.revokeSessions(user->id, QStringLiteral("user_removed"), now);
            if (!revoked.ok())
                return revoked.error();
            if (auto r = store.team.revokeInvites(scope, user->id, now); !r.ok())
                return r.error();
            if (auto r = store.audit.append(
                    auditEntry(ctx, QStringLiteral("user.removed"), QStringLiteral("user"), user->id,
                        {{QStringLiteral("status"), change(from, QStringLiteral("deleted"))},
                            {QStringLiteral("sessions"), change(*revoked, 0)}},
                        now));
                !r.ok())
                return r.error();
            if (auto r = work.commit(); !r.ok())
                return r.error();
            return noContent();
        }});
}

} // namespace lm::api::dashboard
