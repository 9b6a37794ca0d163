// SPDX-License-Identifier: GPL-3.0-or-later
#include "inviteroutes.h"

#include "api/json.h"
#include "auth/passwordhasher.h"
#include "core/ulid.h"
#include "store/store.h"

#include <QCryptographicHash>

namespace lm::api {

namespace {
constexpr int kMinPassword = 12;
constexpr int kMaxPassword = 256;
constexpr int kMaxToken = 128;

ApiError badToken(const QString &issue)
{
    return ApiError::validation(QStringLiteral("token"), issue,
        issue == QLatin1String("expired") ? QStringLiteral("The invitation has expired; ask for a new one")
                                          : QStringLiteral("The invitation is not valid"));
}
} // namespace

Result<void> registerInviteRoutes(Router &router, store::Store &store, const Clock &clock)
{
    return router.add({HttpMethod::Post, "/auth/v1/invites/accept", AccessPolicy::open(),
        [&store, &clock](RequestContext &ctx) -> Result<HttpResponse> {
            auto body = parseJsonObject(ctx.request.body);
            if (!body.ok())
                return body.error();
            JsonFields f(*body);
            const QString token = f.requiredString(QStringLiteral("token"), kMaxToken);
            const QString password = f.requiredString(QStringLiteral("password"), kMaxPassword);
            if (!password.isEmpty() && password.size() < kMinPassword)
                f.addIssue(QStringLiteral("password"), QStringLiteral("too_short"));
            if (auto v = f.result(); !v.ok())
                return v.error();

            const QByteArray hash = QCryptographicHash::hash(token.toUtf8(), QCryptographicHash::Sha256);
            auto invite = store.team.findInviteByHash(hash);
            if (!invite.ok())
                return invite.error();
            if (!invite->has_value() || (*invite)->status != QLatin1String("pending"))
                return badToken(QStringLiteral("invalid"));
            const store::TeamInvite &i = **invite;
            if (i.expiresAtMs <= clock.nowMs())
                return badToken(QStringLiteral("expired"));
            // Slow on purpose (argon2id): done before the transaction, on the blocking pool.
            const QByteArray passwordHash = auth::PasswordHasher::hash(password.toUtf8());
            if (passwordHash.isEmpty())
                return ApiError::internal(QStringLiteral("password hashing failed"));

            const auto scope = store::TenantScope::tenant(i.tenantId);
            store::Transaction tx(store.db());
            if (!tx.isActive())
                return tx.error();
            auto user = store.users.find(scope, i.userId);
            if (!user.ok())
                return user.error();
            if (!user->has_value() || (*user)->status != QLatin1String("invited"))
                return badToken(QStringLiteral("invalid"));
            const qint64 now = clock.nowMs();
            if (auto r = store.team.acceptInvite(i.id, now); !r.ok())
                return badToken(QStringLiteral("invalid"));
            if (auto r = store.users.setPasswordHash(scope, i.userId, passwordHash, now); !r.ok())
                return r.error();
            store::User active = **user;
            active.status = QStringLiteral("active");
            if (auto r = store.team.update(scope, active, now); !r.ok())
                return r.error();
            store::AuditEntry audit;
            audit.id = Ulid::generate();
            audit.tenantId = i.tenantId;
            audit.actorId = i.userId;
            audit.action = QStringLiteral("user.invite_accepted");
            audit.targetType = QStringLiteral("user");
            audit.targetId = i.userId;
            audit.ip = ctx.clientIp();
            audit.requestId = ctx.requestId;
            audit.changes = {{QStringLiteral("status"),
                QJsonObject {{QStringLiteral("from"), QStringLiteral("invited")},
                    {QStringLiteral("to"), QStringLiteral("active")}}}};
            audit.createdAtMs = now;
            if (auto r = store.audit.append(audit); !r.ok())
                return r.error();
            if (auto r = tx.commit(); !r.ok())
                return r.error();
            // The person signs in with /auth/v1/login next (MFA and throttling stay in one place).
            return jsonResponse(200,
                {{QStringLiteral("userId"), active.id}, {QStringLiteral("email"), active.email},
                    {QStringLiteral("role"), roleName(active.role)},
                    {QStringLiteral("status"), active.status}});
        },
        16 * 1024, /*offload*/ true});
}

} // namespace lm::api
