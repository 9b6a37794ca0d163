// SPDX-License-Identifier: GPL-3.0-or-later
#include "userrepository.h"

namespace lm::store {

namespace {
const QString kSelect = QStringLiteral(
    "SELECT u.id, u.tenant_id, t.name, u.email, u.name, u.role, u.app_access, u.password_hash, u.mfa_enabled,"
    " u.status, u.created_at, u.updated_at, t.status FROM users u LEFT JOIN tenants t ON t.id = u.tenant_id "
    "WHERE ");

User readUser(const SqlQuery &q)
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
    u.passwordHash = q.value(7).toByteArray();
    u.mfaEnabled = q.boolean(8);
    u.status = q.string(9);
    u.createdAtMs = q.int64(10);
    u.updatedAtMs = q.int64(11);
    u.tenantStatus = q.string(12);
    return u;
}
} // namespace

Result<void> UserRepository::insert(const User &u)
{
    auto q = m_db.query(QStringLiteral(
        "INSERT INTO users (id, tenant_id, email, name, role, app_access, password_hash, mfa_enabled, status,"
        " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    q.bind(u.id)
        .bindNullableString(u.tenantId)
        .bind(u.email.toLower())
        .bind(u.name)
        .bind(roleName(u.role))
        .bind(u.appAccess.names().join(QLatin1Char(',')))
        .bind(QString::fromLatin1(u.passwordHash))
        .bind(u.mfaEnabled)
        .bind(u.status)
        .bind(u.createdAtMs)
        .bind(u.updatedAtMs);
    return q.exec();
}

Result<std::optional<User>> UserRepository::findOne(
    const QString &where, const QVariantList &binds, const TenantScope *scope)
{
    QString sql = kSelect + where;
    if (scope)
        sql += QStringLiteral(" AND ") + scope->condition(QStringLiteral("u.tenant_id"));
    auto q = m_db.query(sql);
    for (const QVariant &v : binds)
        q.bind(v);
    if (scope)
        scope->bind(q);
    if (auto r = q.exec(); !r.ok())
        return r.error();
    if (!q.next())
        return std::optional<User>();
    return std::optional<User>(readUser(q));
}

Result<std::optional<User>> UserRepository::find(const TenantScope &scope, const QString &id)
{
    return findOne(QStringLiteral("u.id = ?"), {id}, &scope);
}

Result<std::optional<User>> UserRepository::findAccount(const QString &id)
{
    return findOne(QStringLiteral("u.id = ?"), {id}, nullptr);
}

Result<std::optional<User>> UserRepository::findActiveForLogin(const QString &email)
{
    return findOne(
        QStringLiteral("u.email = ? AND u.status = 'active'"), {email.trimmed().toLower()}, nullptr);
}

Result<void> UserRepository::updateOne(
    const TenantScope &scope, const QString &id, const QString &column, const QVariant &value, qint64 nowMs)
{
    auto q = m_db.query(QStringLiteral("UPDATE users SET ") + column
        + QStringLiteral(" = ?, updated_at = ? WHERE id = ? AND ")
        + scope.condition(QStringLiteral("tenant_id")));
    q.bind(value).bind(nowMs).bind(id);
    scope.bind(q);
    if (auto r = q.exec(); !r.ok())
        return r;
    if (q.rowsAffected() != 1)
        return ApiError::notFound();
    m_db.noteAccountsChanged(); // /auth/v1/me answers from the account cache
    return {};
}

Result<void> UserRepository::setMfaEnabled(
    const TenantScope &scope, const QString &id, bool enabled, qint64 nowMs)
{
    return updateOne(scope, id, QStringLiteral("mfa_enabled"), enabled, nowMs);
}

Result<void> UserRepository::setPasswordHash(
    const TenantScope &scope, const QString &id, const QByteArray &hash, qint64 nowMs)
{
    return updateOne(scope, id, QStringLiteral("password_hash"), QString::fromLatin1(hash), nowMs);
}

} // namespace lm::store
