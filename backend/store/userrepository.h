// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/result.h"
#include "core/roles.h"
#include "store/database.h"
#include "store/tenantscope.h"

#include <optional>

namespace lm::store {

struct User
{
    QString id;
    QString tenantId; ///< empty for platform accounts
    QString tenantName; ///< filled by reads (joined), ignored by insert
    QString tenantStatus; ///< the tenant's status, filled by reads (joined), ignored by insert
    QString email; ///< lower-cased
    QString name;
    Role role = Role::Member;
    SurfaceSet appAccess;
    QByteArray passwordHash;
    bool mfaEnabled = false;
    QString status = QStringLiteral("active");
    qint64 createdAtMs = 0;
    qint64 updatedAtMs = 0;
};

/// People who sign in: tenant users and platform accounts.
class UserRepository
{
public:
    explicit UserRepository(Database &db)
        : m_db(db)
    { }

    Result<void> insert(const User &user);
    /// A user visible in the scope (another tenant's user is simply not found).
    Result<std::optional<User>> find(const TenantScope &scope, const QString &id);
    /// Sign-in lookup by e-mail. It precedes knowing the tenant, so it searches every tenant; only
    /// the authentication service calls it, and it returns active accounts only.
    Result<std::optional<User>> findActiveForLogin(const QString &email);
    /// The account behind a verified token, whatever its tenant or status, with its tenant's status.
    Result<std::optional<User>> findAccount(const QString &id);
    Result<void> setMfaEnabled(const TenantScope &scope, const QString &id, bool enabled, qint64 nowMs);
    Result<void> setPasswordHash(
        const TenantScope &scope, const QString &id, const QByteArray &hash, qint64 nowMs);

private:
    /// Sets one column of a user visible in the scope; NOT_FOUND when none is.
    Result<void> updateOne(const TenantScope &scope, const QString &id, const QString &column,
        const QVariant &value, qint64 nowMs);
    Result<std::optional<User>> findOne(
        const QString &where, const QVariantList &binds, const TenantScope *scope);
    Database &m_db;
};

} // namespace lm::store
