// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "store/auditrepository.h"
#include "store/page.h"

#include <optional>

namespace lm::store {

/// GET /audit-log filters; empty fields do not filter. Times are inclusive bounds in ms.
struct AuditFilter
{
    QString entityType;
    QString entityId;
    QString userId;
    /// Matches the stored dotted action exactly or its last segment ("approved" ~ "approval.approved").
    QString action;
    std::optional<qint64> fromMs;
    std::optional<qint64> toMs;
};

/// Filtered, keyset-paged reads of a tenant's audit trail (the rows AuditRepository appends).
class AuditSearch
{
public:
    explicit AuditSearch(Database &db)
        : m_db(db)
    { }

    Result<Page<AuditEntry>> list(
        const TenantScope &scope, const AuditFilter &filter, const PageRequest &page);

private:
    Database &m_db;
};

} // namespace lm::store
