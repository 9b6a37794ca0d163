// SPDX-License-Identifier: GPL-3.0-or-later
#include "tenantscope.h"

#include "store/database.h"

namespace lm::store {

QString TenantScope::condition(const QString &column) const
{
    switch (m_kind) {
    case Kind::Tenant:
        return column + QStringLiteral(" = ?");
    case Kind::Platform:
        return column + QStringLiteral(" IS NULL");
    case Kind::AllTenants:
        return QStringLiteral("1 = 1");
    }
    return QStringLiteral("1 = 0");
}

void TenantScope::bind(SqlQuery &query) const
{
    if (m_kind == Kind::Tenant)
        query.bind(m_tenantId);
}

} // namespace lm::store
