// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace lm::store {

class SqlQuery;

/// Which tenant's rows a repository call may see. Every call on tenant-owned data takes one.
/// A cross-tenant scope must be asked for by name (allTenants()); only DM and Admin handlers do,
/// and they audit each such read.
class TenantScope
{
public:
    enum class Kind
    {
        Tenant,
        Platform,
        AllTenants
    };

    /// Rows of one tenant.
    static TenantScope tenant(const QString &tenantId) { return TenantScope(Kind::Tenant, tenantId); }
    /// Rows that belong to no tenant (platform accounts: DM reviewers, super-admins).
    static TenantScope platform() { return TenantScope(Kind::Platform, {}); }
    /// Every tenant's rows. Explicit and auditable on purpose.
    static TenantScope allTenants() { return TenantScope(Kind::AllTenants, {}); }
    /// The scope of a signed-in user: their tenant, or the platform for platform accounts.
    static TenantScope forAccount(const QString &tenantIdOrEmpty)
    {
        return tenantIdOrEmpty.isEmpty() ? platform() : tenant(tenantIdOrEmpty);
    }

    [[nodiscard]] Kind kind() const { return m_kind; }
    [[nodiscard]] const QString &tenantId() const { return m_tenantId; }
    [[nodiscard]] bool isCrossTenant() const { return m_kind == Kind::AllTenants; }

    /// SQL condition on a tenant column, with `?` placeholders that bind() fills.
    [[nodiscard]] QString condition(const QString &column) const;
    /// Binds the values of condition(), in order.
    void bind(SqlQuery &query) const;

private:
    TenantScope(Kind kind, QString tenantId)
        : m_kind(kind)
        , m_tenantId(std::move(tenantId))
    { }
    Kind m_kind;
    QString m_tenantId;
};

} // namespace lm::store
