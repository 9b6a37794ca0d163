// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/result.h"
#include "store/database.h"
#include "store/tenantscope.h"

#include <optional>

namespace lm::store {

struct Tenant
{
    QString id;
    QString slug;
    QString name;
    QString status = QStringLiteral("active");
    qint64 createdAtMs = 0;
    qint64 updatedAtMs = 0;
};

/// Tenants: the client businesses whose marketing the platform runs.
class TenantRepository
{
public:
    explicit TenantRepository(Database &db)
        : m_db(db)
    { }

    Result<void> insert(const Tenant &tenant);
    /// The tenant itself when the scope may see it (its own scope, or all tenants).
    Result<std::optional<Tenant>> find(const TenantScope &scope, const QString &id);
    /// Every tenant, by name: cross-tenant by nature, so the scope must say so.
    Result<QList<Tenant>> list(const TenantScope &scope);
    Result<qint64> count();
    /// Sets a tenant's status (`active`, `suspended`); its users' tokens follow at once.
    Result<void> setStatus(const QString &id, const QString &status, qint64 nowMs);

private:
    Database &m_db;
};

} // namespace lm::store
