// SPDX-License-Identifier: GPL-3.0-or-later
#include "logrepository.h"

#include "core/logging.h"
#include "core/ulid.h"
#include "store/sqljson.h"

namespace lm::store {

Result<void> LogRepository::append(const LogEntry &e, const QString &id)
{
    auto q = m_db.query(
        QStringLiteral("INSERT INTO ops_logs (id, tenant_id, level, category, message, context,"
                       " activity_id, agent_role, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    q.bind(id.isEmpty() ? Ulid::generate() : id)
        .bindNullableString(e.tenantId)
        .bind(e.level)
        .bind(e.category)
        .bind(e.message.left(2000))
        .bind(jsonText(e.context))
        .bindNullableString(e.activityId)
        .bindNullableString(e.agentRole)
        .bind(e.createdAtMs);
    return q.exec();
}

Result<Page<LogRow>> LogRepository::list(
    const TenantScope &scope, const LogFilter &filter, const PageRequest &page)
{
    QString sql = QStringLiteral("SELECT id, tenant_id, level, category, message, context, activity_id,"
                                 " agent_role, created_at FROM ops_logs WHERE ")
        + scope.condition(QStringLiteral("tenant_id")) + QStringLiteral(" AND ")
        + keysetCondition(page, QStringLiteral("id"));
    QVariantList binds;
    const auto eq = [&](const QString &column, const QString &value) {
        if (value.isEmpty())
            return;
        sql += QStringLiteral(" AND ") + column + QStringLiteral(" = ?");
        binds.append(value);
    };
    eq(QStringLiteral("level"), filter.level);
    eq(QStringLiteral("category"), filter.category);
    eq(QStringLiteral("agent_role"), filter.agentRole);
    eq(QStringLiteral("activity_id"), filter.activityId);
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
    QList<LogRow> rows;
    while (q.next()) {
        LogRow e;
        e.id = q.string(0);
        e.tenantId = q.string(1);
        e.level = q.string(2);
        e.category = q.string(3);
        e.message = q.string(4);
        e.context = objectFromJson(q.string(5));
        e.activityId = q.string(6);
        e.agentRole = q.string(7);
        e.createdAtMs = q.int64(8);
        rows.append(e);
    }
    return toPage(std::move(rows), page.limit);
}

void opsLog(Database &db, const LogEntry &entry)
{
    if (auto r = LogRepository(db).append(entry); !r.ok())
        qCWarning(lmStore) << "could not write an operational log row:" << r.error().message;
}

} // namespace lm::store
