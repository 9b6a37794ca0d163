// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenantrepository.h"

namespace lm::store {

namespace {
const QString kColumns = QStringLiteral("id, slug, name, status, created_at, updated_at");

Tenant readTenant(const SqlQuery &q)
{
    return {q.string(0), q.string(1), q.string(2), q.string(3), q.int64(4), q.int64(5)};
}
} // namespace

Result<void> TenantRepository::insert(const Tenant &t)
{
    auto q = m_db.query(QStringLiteral("INSERT INTO tenants (id, slug, name, status, created_at, updated_at) "
                                       "VALUES (?, ?, ?, ?, ?, ?)"));
    q.bind(t.id).bind(t.slug).bind(t.name).bind(t.status).bind(t.createdAtMs).bind(t.updatedAtMs);
    return q.exec();
}

Result<void> TenantRepository::setStatus(const QString &id, const QString &status, qint64 nowMs)
{
    auto q = m_db.query(QStringLiteral("UPDATE tenants SET status = ?, updated_at = ? WHERE id = ?"));
    q.bind(status).bind(nowMs).bind(id);
    if (auto r = q.exec(); !r.ok())
        return r;
    if (q.rowsAffected() != 1)
        return ApiError::notFound(QStringLiteral("tenant not found"));
    m_db.noteAccountsChanged();
    return {};
}

Result<std::optional<Tenant>> TenantRepository::find(const TenantScope &scope, const QString &id)
{
    if (scope.kind() == TenantScope::Kind::Platform)
        return std::optional<Tenant>();
    if (scope.kind() == TenantScope::Kind::Tenant && scope.tenantId() != id)
        return std::optional<Tenant>();
    auto q = m_db.query(QStringLiteral("SELECT ") + kColumns + QStringLiteral(" FROM tenants WHERE id = ?"));
    q.bind(id);
    if (auto r = q.exec(); !r.ok())
        return r.error();
    if (!q.next())
        return std::optional<Tenant>();
    return std::optional<Tenant>(readTenant(q));
}

Result<QList<Tenant>> TenantRepository::list(const TenantScope &scope)
{
    auto q = m_db.query(QStringLiteral("SELECT ") + kColumns + QStringLiteral(" FROM tenants WHERE ")
        + scope.condition(QStringLiteral("id")) + QStringLiteral(" ORDER BY name, id"));
    scope.bind(q);
    if (auto r = q.exec(); !r.ok())
        return r.error();
    QList<Tenant> out;
    if (scope.kind() == TenantScope::Kind::Platform)
        return out;
    while (q.next())
        out.append(readTenant(q));
    return out;
}

Result<qint64> TenantRepository::count()
{
    auto q = m_db.query(QStringLiteral("SELECT COUNT(*) FROM tenants"));
    if (auto r = q.exec(); !r.ok())
        return r.error();
    return q.next() ? q.int64(0) : 0;
}

} // namespace lm::store
