// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/result.h"
#include "store/database.h"
#include "store/tenantscope.h"

#include <QJsonObject>

namespace lm::store {

/// One audit row: who did what to which object, from where, with the changes as from/to pairs.
struct AuditEntry
{
    QString id;
    QString tenantId; ///< empty for platform-level actions
    QString actorId; ///< empty when unknown (e.g. a failed login for an unknown e-mail)
    QString actorType = QStringLiteral("user"); ///< user | agent | system
    QString impersonatorId;
    QString action; ///< dotted name, e.g. auth.login.succeeded
    QString targetType;
    QString targetId;
    QString ip;
    QString requestId;
    QJsonObject changes;
    qint64 createdAtMs = 0;
};

/// The append-only audit log.
class AuditRepository
{
public:
    explicit AuditRepository(Database &db)
        : m_db(db)
    { }

    Result<void> append(const AuditEntry &entry);
    /// Newest first, at most `limit` rows; `action` filters when not empty.
    Result<QList<AuditEntry>> list(const TenantScope &scope, const QString &action = {}, int limit = 100);
    /// Rows about one actor (platform accounts have no tenant, so their trail is read this way).
    Result<QList<AuditEntry>> listForActor(const QString &actorId, int limit = 100);

private:
    Result<QList<AuditEntry>> read(SqlQuery &q);
    Database &m_db;
};

} // namespace lm::store
