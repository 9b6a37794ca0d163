// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/result.h"
#include "store/database.h"
#include "store/tenantscope.h"
#include "store/userrepository.h"

#include <QHash>

#include <optional>

namespace lm::store {

/// An invitation to join a tenant. The invited person is a users row with status `invited`.
struct TeamInvite
{
    QString id;
    QString tenantId;
    QString userId;
    QString email;
    QString role; ///< admin | member | reviewer
    QByteArray tokenHash; ///< SHA-256 of the invite token; the token itself is never stored
    QString invitedBy; ///< user id
    QString status = QStringLiteral("pending"); ///< pending | accepted | revoked
    qint64 expiresAtMs = 0;
    qint64 createdAtMs = 0;
};

/// A tenant's people as the Team screen sees them: members, invitations, sessions.
class TeamRepository
{
public:
    explicit TeamRepository(Database &db)
        : m_db(db)
    { }

    /// Every user of the scope (all statuses), oldest first.
    Result<QList<User>> members(const TenantScope &scope);
    /// The account with this e-mail, in any tenant or none (e-mails are unique platform-wide).
    Result<std::optional<User>> findByEmail(const QString &email);
    /// When each user of the tenant last signed in or refreshed a session (user id → ms).
    Result<QHash<QString, qint64>> lastActive(const QString &tenantId);
    /// When each agent role of the tenant last started a run (role → ms).
    Result<QHash<QString, qint64>> agentLastRun(const QString &tenantId);

    /// Serialises team changes of one tenant until the transaction ends (PostgreSQL locks the
    /// tenant row; SQLite's write transaction holds the database lock already).
    Result<void> lockTenant(const QString &tenantId);
    /// Active admins of the scope.
    Result<int> activeAdminCount(const TenantScope &scope);
    /// Changes a user's role, name or status (NOT_FOUND when not in the scope).
    Result<void> update(const TenantScope &scope, const User &user, qint64 nowMs);
    /// Revokes every refresh-token family of the user; returns how many were live.
    Result<int> revokeSessions(const QString &userId, const QString &reason, qint64 nowMs);

    Result<void> insertInvite(const TeamInvite &invite);
    /// The newest pending invitation of a user in the scope.
    Result<std::optional<TeamInvite>> pendingInvite(const TenantScope &scope, const QString &userId);
    /// Every pending invitation of the scope, newest first.
    Result<QList<TeamInvite>> pendingInvites(const TenantScope &scope);
    /// The invitation whose token hashes to `tokenHash`, any tenant (the token is the proof).
    Result<std::optional<TeamInvite>> findInviteByHash(const QByteArray &tokenHash);
    /// Marks a pending invitation accepted; CONFLICT when it is no longer pending (used twice at once).
    Result<void> acceptInvite(const QString &inviteId, qint64 nowMs);
    /// Marks the user's pending invitations revoked; returns how many.
    Result<int> revokeInvites(const TenantScope &scope, const QString &userId, qint64 nowMs);

private:
    Database &m_db;
};

} // namespace lm::store
