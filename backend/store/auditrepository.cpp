// SPDX-License-Identifier: GPL-3.0-or-later
#include "auditrepository.h"

#include "core/ulid.h"

#include <QJsonDocument>

namespace lm::store {

namespace {
const QString kSelect
    = QStringLiteral("SELECT id, tenant_id, actor_id, actor_type, impersonator_id, action,"
                     " target_type, target_id, ip, request_id, changes, created_at FROM audit_log WHERE ");
}

Result<void> AuditRepository::append(const AuditEntry &e)
{
    auto q = m_db.query(QStringLiteral(
        "INSERT INTO audit_log (id, tenant_id, actor_id, actor_type, impersonator_id, action, target_type,"
        " target_id, ip, request_id, changes, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    q.bind(e.id.isEmpty() ? Ulid::generate() : e.id)
        .bindNullableString(e.tenantId)
        .bindNullableString(e.actorId)
        .bind(e.actorType)
        .bindNullableString(e.impersonatorId)
        .bind(e.action)
        .bindNullableString(e.targetType)
        .bindNullableString(e.targetId)
        .bindNullableString(e.ip)
        .bindNullableString(e.requestId)
        .bindNullableString(e.changes.isEmpty()
                ? QString()
                : QString::fromUtf8(QJsonDocument(e.changes).toJson(QJsonDocument::Compact)))
        .bind(e.createdAtMs);
    return q.exec();
}

Result<QList<AuditEntry>> AuditRepository::read(SqlQuery &q)
{
    if (auto r = q.exec(); !r.ok())
        return r.error();
    QList<AuditEntry> out;
    while (q.next()) {
        AuditEntry e;
        e.id = q.string(0);
        e.tenantId = q.string(1);
        e.actorId = q.string(2);
        e.actorType = q.string(3);
        e.impersonatorId = q.string(4);
        e.action = q.string(5);
        e.targetType = q.string(6);
        e.targetId = q.string(7);
        e.ip = q.string(8);
        e.requestId = q.string(9);
        e.changes = QJsonDocument::fromJson(q.string(10).toUtf8()).object();
        e.createdAtMs = q.int64(11);
        out.append(e);
    }
    return out;
}

Result<QList<AuditEntry>> AuditRepository::list(const TenantScope &scope, const QString &action, int limit)
{
    QString sql = kSelect + scope.condition(QStringLiteral("tenant_id"));
    if (!action.isEmpty())
        sql += QStringLiteral(" AND action = ?");
    sql += QStringLiteral(" ORDER BY id DESC LIMIT ?");
    auto q = m_db.query(sql);
    scope.bind(q);
    if (!action.isEmpty())
        q.bind(action);
    q.bind(limit);
    return read(q);
}

Result<QList<AuditEntry>> AuditRepository::listForActor(const QString &actorId, int limit)
{
    auto q = m_db.query(kSelect + QStringLiteral("actor_id = ? ORDER BY id DESC LIMIT ?"));
    q.bind(actorId).bind(limit);
    return read(q);
}

} // namespace lm::store
