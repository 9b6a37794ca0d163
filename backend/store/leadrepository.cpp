// SPDX-License-Identifier: GPL-3.0-or-later
#include "leadrepository.h"

#include "store/sqljson.h"

namespace lm::store {

namespace {
const QString kLeadColumns = QStringLiteral(
    "id, tenant_id, first_name, last_name, email, phone, company, status, source, source_ref, score,"
    " assigned_to, tags, import_id, created_by, created_at, updated_at");

Lead readLead(const SqlQuery &q)
{
    Lead l;
    l.id = q.string(0);
    l.tenantId = q.string(1);
    l.firstName = q.string(2);
    l.lastName = q.string(3);
    l.email = q.string(4);
    l.phone = q.string(5);
    l.company = q.string(6);
    l.status = q.string(7);
    l.source = q.string(8);
    l.sourceRef = q.string(9);
    l.score = q.optionalInt64(10);
    l.assignedTo = q.string(11);
    l.tags = stringListFromJson(q.string(12));
    l.importId = q.string(13);
    l.createdBy = q.string(14);
    l.createdAtMs = q.int64(15);
    l.updatedAtMs = q.int64(16);
    return l;
}

const QString kImportColumns = QStringLiteral(
    "id, tenant_id, source, file_name, status, total, imported, skipped, errors, created_by, created_at,"
    " completed_at");

LeadImport readImport(const SqlQuery &q)
{
    LeadImport i;
    i.id = q.string(0);
    i.tenantId = q.string(1);
    i.source = q.string(2);
    i.fileName = q.string(3);
    i.status = q.string(4);
    i.total = int(q.int64(5));
    i.imported = int(q.int64(6));
    i.skipped = int(q.int64(7));
    i.errors = arrayFromJson(q.string(8));
    i.createdBy = q.string(9);
    i.createdAtMs = q.int64(10);
    i.completedAtMs = q.optionalInt64(11);
    return i;
}

/// `text` as a LIKE pattern that matches it anywhere, its wildcards escaped (ESCAPE '!').
QString containsPattern(const QString &text)
{
    QString escaped = text.toLower();
    escaped.replace(QLatin1Char('!'), QStringLiteral("!!"));
    escaped.replace(QLatin1Char('%'), QStringLiteral("!%"));
    escaped.replace(QLatin1Char('_'), QStringLiteral("!_"));
    return QLatin1Char('%') + escaped + QLatin1Char('%');
}

ApiError emailTaken()
{
    return ApiError {ErrorCode::Conflict, QStringLiteral("A lead with this e-mail exists already"),
        {{QStringLiteral("email"), QStringLiteral("duplicate")}}};
}
} // namespace

Result<void> LeadRepository::insert(const Lead &l)
{
    const QString key = Lead::emailKey(l.email);
    if (!key.isEmpty()) {
        auto taken = findByEmail(TenantScope::tenant(l.tenantId), key);
        if (!taken.ok())
            return taken.error();
        if (taken->has_value())
            return emailTaken();
    }
    auto q = m_db.query(QStringLiteral("INSERT INTO leads (") + kLeadColumns
        + QStringLiteral(", email_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    q.bind(l.id)
        .bind(l.tenantId)
        .bind(l.firstName)
        .bind(l.lastName)
        .bindNullableString(l.email)
        .bindNullableString(l.phone)
        .bindNullableString(l.company)
        .bind(l.status)
        .bind(l.source)
        .bindNullableString(l.sourceRef)
        .bindNullableInt(l.score)
        .bindNullableString(l.assignedTo)
        .bind(jsonText(l.tags))
        .bindNullableString(l.importId)
        .bindNullableString(l.createdBy)
        .bind(l.createdAtMs)
        .bind(l.updatedAtMs)
        .bindNullableString(key);
    return q.exec();
}

Result<std::optional<Lead>> LeadRepository::find(const TenantScope &scope, const QString &id)
{
    auto q = m_db.query(QStringLiteral("SELECT ") + kLeadColumns
        + QStringLiteral(" FROM leads WHERE id = ? AND ") + scope.condition(QStringLiteral("tenant_id")));
    q.bind(id);
    scope.bind(q);
    if (auto r = q.exec(); !r.ok())
        return r.error();
    if (!q.next())
        return std::optional<Lead>();
    return std::optional<Lead>(readLead(q));
}

Result<Page<Lead>> LeadRepository::list(
    const TenantScope &scope, const LeadFilter &filter, const PageRequest &page)
{
    QString sql = QStringLiteral("SELECT ") + kLeadColumns + QStringLiteral(" FROM leads WHERE ")
        + scope.condition(QStringLiteral("tenant_id"));
    if (!filter.status.isEmpty())
        sql += QStringLiteral(" AND status = ?");
    if (!filter.source.isEmpty())
        sql += QStringLiteral(" AND source = ?");
    if (!filter.search.isEmpty())
        sql += QStringLiteral(" AND (LOWER(first_name || ' ' || last_name) LIKE ? ESCAPE '!'"
                              " OR email_key LIKE ? ESCAPE '!')");
    sql += QStringLiteral(" AND ") + keysetCondition(page, QStringLiteral("id"))
        + keysetOrder(page, QStringLiteral("id"));
    auto q = m_db.query(sql);
    scope.bind(q);
    if (!filter.status.isEmpty())
        q.bind(filter.status);
    if (!filter.source.isEmpty())
        q.bind(filter.source);
    if (!filter.search.isEmpty()) {
        const QString pattern = containsPattern(filter.search);
        q.bind(pattern).bind(pattern);
    }
    if (!page.afterId.isEmpty())
        q.bind(page.afterId);
    if (auto r = q.exec(); !r.ok())
        return r.error();
    QList<Lead> rows;
    while (q.next())
        rows.append(readLead(q));
    return toPage(std::move(rows), page.limit);
}

Result<void> LeadRepository::update(const TenantScope &scope, const Lead &l)
{
    const QString key = Lead::emailKey(l.email);
    if (!key.isEmpty()) {
        auto taken = findByEmail(scope, key);
        if (!taken.ok())
            return taken.error();
        if (taken->has_value() && **taken != l.id)
            return emailTaken();
    }
    auto q = m_db.query(
        QStringLiteral("UPDATE leads SET first_name = ?, last_name = ?, email = ?, email_key = ?,"
                       " phone = ?, company = ?, status = ?, score = ?, assigned_to = ?, tags = ?,"
                       " updated_at = ? WHERE id = ? AND ")
        + scope.condition(QStringLiteral("tenant_id")));
    q.bind(l.firstName)
        .bind(l.lastName)
        .bindNullableString(l.email)
        .bindNullableString(key)
        .bindNullableString(l.phone)
        .bindNullableString(l.company)
        .bind(l.status)
        .bindNullableInt(l.score)
        .bindNullableString(l.assignedTo)
        .bind(jsonText(l.tags))
        .bind(l.updatedAtMs)
        .bind(l.id);
    scope.bind(q);
    if (auto r = q.exec(); !r.ok())
        return r;
    if (q.rowsAffected() != 1)
        return ApiError::notFound(QStringLiteral("lead not found"));
    return {};
}

Result<std::optional<QString>> LeadRepository::findByEmail(const TenantScope &scope, const QString &emailKey)
{
    auto q = m_db.query(QStringLiteral("SELECT id FROM leads WHERE email_key = ? AND ")
        + scope.condition(QStringLiteral("tenant_id")));
    q.bind(emailKey);
    scope.bind(q);
    if (auto r = q.exec(); !r.ok())
        return r.error();
    if (!q.next())
        return std::optional<QString>();
    return std::optional<QString>(q.string(0));
}

Result<QSet<QString>> LeadRepository::emailKeys(const TenantScope &scope)
{
    auto q = m_db.query(QStringLiteral("SELECT email_key FROM leads WHERE email_key IS NOT NULL AND ")
        + scope.condition(QStringLiteral("tenant_id")));
    scope.bind(q);
    if (auto r = q.exec(); !r.ok())
        return r.error();
    QSet<QString> keys;
    while (q.next())
        keys.insert(q.string(0));
    return keys;
}

Result<void> LeadRepository::addEvent(const LeadEvent &e)
{
    auto q = m_db.query(
        QStringLiteral("INSERT INTO lead_events (id, tenant_id, lead_id, type, actor_type, actor_id,"
                       " actor_name, data, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    q.bind(e.id)
        .bind(e.tenantId)
        .bind(e.leadId)
        .bind(e.type)
        .bind(e.actorType)
        .bindNullableString(e.actorId)
        .bindNullableString(e.actorName)
        .bind(jsonText(e.data))
        .bind(e.createdAtMs);
    return q.exec();
}

Result<QList<LeadEvent>> LeadRepository::events(const TenantScope &scope, const QString &leadId)
{
    auto q = m_db.query(
        QStringLiteral("SELECT id, tenant_id, lead_id, type, actor_type, actor_id, actor_name, data,"
                       " created_at FROM lead_events WHERE lead_id = ? AND ")
        + scope.condition(QStringLiteral("tenant_id")) + QStringLiteral(" ORDER BY created_at, id"));
    q.bind(leadId);
    scope.bind(q);
    if (auto r = q.exec(); !r.ok())
        return r.error();
    QList<LeadEvent> out;
    while (q.next()) {
        LeadEvent e;
        e.id = q.string(0);
        e.tenantId = q.string(1);
        e.leadId = q.string(2);
        e.type = q.string(3);
        e.actorType = q.string(4);
        e.actorId = q.string(5);
        e.actorName = q.string(6);
        e.data = objectFromJson(q.string(7));
        e.createdAtMs = q.int64(8);
        out.append(e);
    }
    return out;
}

Result<void> LeadRepository::insertImport(const LeadImport &i)
{
    auto q = m_db.query(QStringLiteral("INSERT INTO lead_imports (") + kImportColumns
        + QStringLiteral(", content) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    q.bind(i.id)
        .bind(i.tenantId)
        .bind(i.source)
        .bindNullableString(i.fileName)
        .bind(i.status)
        .bind(i.total)
        .bind(i.imported)
        .bind(i.skipped)
        .bind(jsonText(i.errors))
        .bindNullableString(i.createdBy)
        .bind(i.createdAtMs)
        .bindNullableInt(i.completedAtMs)
        .bind(i.content.isEmpty() ? QVariant(QMetaType::fromType<QByteArray>()) : QVariant(i.content));
    return q.exec();
}

Result<std::optional<LeadImport>> LeadRepository::findImport(
    const TenantScope &scope, const QString &id, bool withContent)
{
    auto q = m_db.query(QStringLiteral("SELECT ") + kImportColumns
        + (withContent ? QStringLiteral(", content") : QStringLiteral(", NULL"))
        + QStringLiteral(" FROM lead_imports WHERE id = ? AND ")
        + scope.condition(QStringLiteral("tenant_id")));
    q.bind(id);
    scope.bind(q);
    if (auto r = q.exec(); !r.ok())
        return r.error();
    if (!q.next())
        return std::optional<LeadImport>();
    LeadImport i = readImport(q);
    if (withContent)
        i.content = q.value(12).toByteArray();
    return std::optional<LeadImport>(i);
}

Result<void> LeadRepository::finishImport(const TenantScope &scope, const LeadImport &i)
{
    auto q = m_db.query(
        QStringLiteral("UPDATE lead_imports SET status = ?, total = ?, imported = ?, skipped = ?,"
                       " errors = ?, completed_at = ?, content = NULL WHERE id = ? AND ")
        + scope.condition(QStringLiteral("tenant_id")));
    q.bind(i.status)
        .bind(i.total)
        .bind(i.imported)
        .bind(i.skipped)
        .bind(jsonText(i.errors))
        .bindNullableInt(i.completedAtMs)
        .bind(i.id);
    scope.bind(q);
    if (auto r = q.exec(); !r.ok())
        return r;
    if (q.rowsAffected() != 1)
        return ApiError::notFound(QStringLiteral("import not found"));
    return {};
}

} // namespace lm::store
