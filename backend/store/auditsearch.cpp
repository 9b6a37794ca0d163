// SPDX-License-Identifier: GPL-3.0-or-later
#include "auditsearch.h"

#include "store/sqljson.h"

namespace lm::store {

Result<Page<AuditEntry>> AuditSearch::list(
    const TenantScope &scope, const AuditFilter &filter, const PageRequest &page)
{
    QString sql
        = QStringLiteral("SELECT id, tenant_id, actor_id, actor_type, impersonator_id, action,"
                         " target_type, target_id, ip, request_id, changes, created_at FROM audit_log WHERE ")
        + scope.condition(QStringLiteral("tenant_id")) + QStringLiteral(" AND ")
        + keysetCondition(page, QStringLiteral("id"));
    QVariantList binds;
    const auto eq = [&](const QString &column, const QString &value) {
        if (value.isEmpty())
            return;
        sql += QStringLiteral(" AND ") + column + QStringLiteral(" = ?");
        binds.append(value);
    };
    eq(QStringLiteral("target_type"), filter.entityType);
    eq(QStringLiteral("target_id"), filter.entityId);
    eq(QStringLiteral("actor_id"), filter.userId);
    if (!filter.action.isEmpty()) {
        // Stored actions are dotted (approval.approved); the spec's examples are the last segment.
        sql += QStringLiteral(" AND (action = ? OR action LIKE ?)");
        binds.append(filter.action);
        // `_` in a LIKE pattern matches itself among others; `%` is dropped.
        binds.append(QStringLiteral("%.") + QString(filter.action).remove(QLatin1Char('%')));
    }
    if (filter.fromMs) {
        sql += QStringLiteral(" AND created_at >= ?");
        binds.append(*filter.fromMs);
    }
    if (filter.toMs) {
        sql += QStringLiteral(" AND created_at <= ?");
        binds.append(*filter.toMs);
    }
    sql += keysetOrder(page, QStringLiteral("id"));
    auto q = m_db.query(sql);
    scope.bind(q);
    if (!page.afterId.isEmpty())
        q.bind(page.afterId);
    for (const QVariant &b : std::as_const(binds))
        q.bind(b);
    if (auto r = q.exec(); !r.ok())
        return r.error();
    QList<AuditEntry> rows;
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
        e.changes = objectFromJson(q.string(10));
        e.createdAtMs = q.int64(11);
        rows.append(e);
    }
    return toPage(std::move(rows), page.limit);
}

} // namespace lm::store
