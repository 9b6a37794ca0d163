// SPDX-License-Identifier: GPL-3.0-or-later
#include "teamrepository.h"

namespace lm::store {

namespace {
const QString kUserColumns = QStringLiteral(
    "u.id, u.tenant_id, t.name, u.email, u.name, u.role, u.app_access, u.mfa_enabled, u.status,"
    " u.created_at, u.updated_at FROM users u LEFT JOIN tenants t ON t.id = u.tenant_id");
const QString kInviteColumns = QStringLiteral(
    "id, tenant_id, user_id, email, role, token_hash, invited_by, status, expires_at, created_at");

// The password hash is never read here: the team screens have no use for it.
User readMember(const SqlQuery &q)
{
    User u;
    u.id = q.string(0);
    u.tenantId = q.string(1);
    u.tenantName = q.string(2);
    u.email = q.string(3);
    u.name = q.string(4);
    u.role = parseRole(q.string(5)).value_or(Role::Member);
    u.appAccess
        = SurfaceSet::parse(q.string(6).split(QLatin1Char(','), Qt::SkipEmptyParts)).value_or(SurfaceSet());
    u.mfaEnabled = q.boolean(7);
    u.status = q.string(8);
    u.createdAtMs = q.int64(9);
    u.updatedAtMs = q.int64(10);
    return u;
}

TeamInvite readInvite(const SqlQuery &q)
{
    TeamInvite i;
    i.id = q.string(0);
    i.tenantId = q.string(1);
    i.userId = q.string(2);
    i.email = q.string(3);
    i.role = q.string(4);
    i.tokenHash = q.value(5).toByteArray();
    i.invitedBy = q.string(6);
    i.status = q.string(7);
    i.expiresAtMs = q.int64(8);
    i.createdAtMs = q.int64(9);
    return i;
}
} // namespace

Result<QList<User>> TeamRepository::members(const TenantScope &scope)
{
    auto q = m_db.query(QStringLiteral("SELECT ") + kUserColumns + QStringLiteral(" WHERE ")
        + scope.condition(QStringLiteral("u.tenant_id")) + QStringLiteral(" ORDER BY u.created_at, u.id"));
    scope.bind(q);
    if (auto r = q.exec(); !r.ok())
        return r.error();
    QList<User> out;
    while (q.next())
        out.append(readMember(q));
    return out;
}

Result<std::optional<User>> TeamRepository::findByEmail(const QString &email)
{
    auto q = m_db.query(QStringLiteral("SELECT ") + kUserColumns + QStringLiteral(" WHERE u.email = ?"));
    q.bind(email.trimmed().toLower());
    if (auto r = q.exec(); !r.ok())
        return r.error();
    if (!q.next())
        return std::optional<User>();
    return std::optional<User>(readMember(q));
}

Result<QHash<QString, qint64>> TeamRepository::lastActive(const QString &tenantId)
{
    auto q = m_db.query(
        QStringLiteral("SELECT f.user_id, MAX(t.created_at) FROM refresh_tokens t"
                       " JOIN refresh_token_families f ON f.id = t.family_id JOIN users u ON u.id = f.user_id"
                       " WHERE u.tenant_id = ? GROUP BY f.user_id"));
    q.bind(tenantId);
    if (auto r = q.exec(); !r.ok())
        return r.error();
    QHash<QString, qint64> out;
    while (q.next())
        out.insert(q.string(0), q.int64(1));
    return out;
}

Result<QHash<QString, qint64>> TeamRepository::agentLastRun(const QString &tenantId)
{
    auto q = m_db.query(QStringLiteral(
        "SELECT agent_role, MAX(started_at) FROM runs WHERE tenant_id = ? GROUP BY agent_role"));
    q.bind(tenantId);
    if (auto r = q.exec(); !r.ok())
        return r.error();
    QHash<QString, qint64> out;
    while (q.next())
        out.insert(q.string(0), q.int64(1));
    return out;
}

Result<void> TeamRepository::lockTenant(const QString &tenantId)
{
    if (m_db.dialect() != Dialect::Postgres)
        return {};
    auto q = m_db.query(QStringLiteral("SELECT id FROM tenants WHERE id = ? FOR UPDATE"));
    q.bind(tenantId);
    return q.exec();
}

Result<int> TeamRepository::activeAdminCount(const TenantScope &scope)
{
    auto q = m_db.query(
        QStringLiteral("SELECT COUNT(*) FROM users WHERE role = 'admin' AND status = 'active' AND ")
        + scope.condition(QStringLiteral("tenant_id")));
    scope.bind(q);
    if (auto r = q.exec(); !r.ok())
        return r.error();
    return q.next() ? int(q.int64(0)) : 0;
}

Result<void> TeamRepository::update(const TenantScope &scope, const User &user, qint64 nowMs)
{
    auto q = m_db.query(
        QStringLiteral("UPDATE users SET name = ?, role = ?, status = ?, updated_at = ? WHERE id = ? AND ")
        + scope.condition(QStringLiteral("tenant_id")));
    q.bind(user.name).bind(roleName(user.role)).bind(user.status).bind(nowMs).bind(user.id);
    scope.bind(q);
    if (auto r = q.exec(); !r.ok())
        return r;
    if (q.rowsAffected() != 1)
        return ApiError::notFound(QStringLiteral("user not found"));
    m_db.noteAccountsChanged(); // role or status: what the user's tokens may do changes at once
    return {};
}

Result<int> TeamRepository::revokeSessions(const QString &userId, const QString &reason, qint64 nowMs)
{
    auto q = m_db.query(QStringLiteral("UPDATE refresh_token_families SET revoked_at = ?, revoked_reason = ?"
                                       " WHERE user_id = ? AND revoked_at IS NULL"));
    q.bind(nowMs).bind(reason).bind(userId);
    if (auto r = q.exec(); !r.ok())
        return r.error();
    return q.rowsAffected();
}

Result<void> TeamRepository::insertInvite(const TeamInvite &i)
{
    auto q = m_db.query(QStringLiteral("INSERT INTO team_invites (") + kInviteColumns
        + QStringLiteral(", updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    q.bind(i.id)
        .bind(i.tenantId)
        .bind(i.userId)
        .bind(i.email.toLower())
        .bind(i.role)
        .bind(i.tokenHash)
        .bind(i.invitedBy)
        .bind(i.status)
        .bind(i.expiresAtMs)
        .bind(i.createdAtMs)
        .bind(i.createdAtMs);
    return q.exec();
}

Result<std::optional<TeamInvite>> TeamRepository::pendingInvite(
    const TenantScope &scope, const QString &userId)
{
    auto q = m_db.query(QStringLiteral("SELECT ") + kInviteColumns
        + QStringLiteral(" FROM team_invites WHERE user_id = ? AND status = 'pending' AND ")
        + scope.condition(QStringLiteral("tenant_id")) + QStringLiteral(" ORDER BY id DESC LIMIT 1"));
    q.bind(userId);
    scope.bind(q);
    if (auto r = q.exec(); !r.ok())
        return r.error();
    if (!q.next())
        return std::optional<TeamInvite>();
    return std::optional<TeamInvite>(readInvite(q));
}

Result<QList<TeamInvite>> TeamRepository::pendingInvites(const TenantScope &scope)
{
    auto q = m_db.query(QStringLiteral("SELECT ") + kInviteColumns
        + QStringLiteral(" FROM team_invites WHERE status = 'pending' AND ")
        + scope.condition(QStringLiteral("tenant_id")) + QStringLiteral(" ORDER BY id DESC"));
    scope.bind(q);
    if (auto r = q.exec(); !r.ok())
        return r.error();
    QList<TeamInvite> out;
    while (q.next())
        out.append(readInvite(q));
    return out;
}

Result<std::optional<TeamInvite>> TeamRepository::findInviteByHash(const QByteArray &tokenHash)
{
    auto q = m_db.query(QStringLiteral("SELECT ") + kInviteColumns
        + QStringLiteral(" FROM team_invites WHERE token_hash = ?"));
    q.bind(tokenHash);
    if (auto r = q.exec(); !r.ok())
        return r.error();
    if (!q.next())
        return std::optional<TeamInvite>();
    return std::optional<TeamInvite>(readInvite(q));
}

Result<void> TeamRepository::acceptInvite(const QString &inviteId, qint64 nowMs)
{
    auto q = m_db.query(QStringLiteral(
        "UPDATE team_invites SET status = 'accepted', updated_at = ? WHERE id = ? AND status = 'pending'"));
    q.bind(nowMs).bind(inviteId);
    if (auto r = q.exec(); !r.ok())
        return r;
    if (q.rowsAffected() != 1)
        return ApiError::conflict(QStringLiteral("The invitation was used already"));
    return {};
}

Result<int> TeamRepository::revokeInvites(const TenantScope &scope, const QString &userId, qint64 nowMs)
{
    auto q = m_db.query(QStringLiteral("UPDATE team_invites SET status = 'revoked', updated_at = ?"
                                       " WHERE user_id = ? AND status = 'pending' AND ")
        + scope.condition(QStringLiteral("tenant_id")));
    q.bind(nowMs).bind(userId);
    scope.bind(q);
    if (auto r = q.exec(); !r.ok())
        return r.error();
    return q.rowsAffected();
}

} // namespace lm::store
