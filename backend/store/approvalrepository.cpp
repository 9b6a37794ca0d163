// SPDX-License-Identifier: GPL-3.0-or-later
#include "approvalrepository.h"

#include "core/jsonwriter.h"
#include "store/sqljson.h"
#include "store/sqljsonbuild.h"

#include <QHash>

#include <algorithm>

namespace lm::store {

namespace {
const QString kColumns = QStringLiteral(
    "p.id, p.tenant_id, p.campaign_id, p.title, p.type, p.risk_level, p.status, p.description, p.options,"
    " p.created_by_type, p.created_by_id, p.created_by_name, p.run_id, p.expires_at, p.expiring_notice_sent,"
    " p.resolution, p.resolution_note, p.selected_option, p.resolved_at, p.resolved_by_id, "
    "p.resolved_by_name,"
    " p.created_at, p.updated_at, t.name");
const QString kFrom = QStringLiteral(" FROM approvals p JOIN tenants t ON t.id = p.tenant_id WHERE ");

Approval readApproval(const SqlQuery &q)
{
    Approval a;
    a.id = q.string(0);
    a.tenantId = q.string(1);
    a.campaignId = q.string(2);
    a.title = q.string(3);
    a.type = q.string(4);
    a.riskLevel = q.string(5);
    a.status = q.string(6);
    a.description = q.string(7);
    if (!q.isNull(8))
        a.options = stringListFromJson(q.string(8));
    a.createdByType = q.string(9);
    a.createdById = q.string(10);
    a.createdByName = q.string(11);
    a.runId = q.string(12);
    a.expiresAtMs = q.int64(13);
    a.expiringNoticeSent = q.int64(14) != 0;
    a.resolution = q.string(15);
    a.resolutionNote = q.string(16);
    a.selectedOption = q.string(17);
    a.resolvedAtMs = q.optionalInt64(18);
    a.resolvedById = q.string(19);
    a.resolvedByName = q.string(20);
    a.createdAtMs = q.int64(21);
    a.updatedAtMs = q.int64(22);
    a.tenantName = q.string(23);
    return a;
}

/// The condition, order and limit of a page of approvals over `approvals p` (both list reads), and
/// the values of its placeholders in order.
QString pageWhere(
    const TenantScope &scope, const ApprovalFilter &filter, const PageRequest &page, QStringList &binds)
{
    QString where = scope.condition(QStringLiteral("p.tenant_id"));
    if (scope.kind() == TenantScope::Kind::Tenant)
        binds.append(scope.tenantId());
    const auto add = [&](const QString &value, QLatin1String column) {
        if (value.isEmpty())
            return;
        where += QStringLiteral(" AND p.") + column + QStringLiteral(" = ?");
        binds.append(value);
    };
    add(filter.status, QLatin1String("status"));
    add(filter.type, QLatin1String("type"));
    add(filter.riskLevel, QLatin1String("risk_level"));
    where += QStringLiteral(" AND ") + keysetCondition(page, QStringLiteral("p.id"))
        + keysetOrder(page, QStringLiteral("p.id"));
    if (!page.afterId.isEmpty())
        binds.append(page.afterId);
    return where;
}
} // namespace

Result<void> ApprovalRepository::insert(const Approval &a, const QStringList &activityIds)
{
    auto q = m_db.query(
        QStringLiteral("INSERT INTO approvals (id, tenant_id, campaign_id, title, type, risk_level, status, "
                       "description, options,"
                       " created_by_type, created_by_id, created_by_name, run_id, expires_at, "
                       "expiring_notice_sent, created_at,"
                       " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    q.bind(a.id)
        .bind(a.tenantId)
        .bindNullableString(a.campaignId)
        .bind(a.title)
        .bind(a.type)
        .bind(a.riskLevel)
        .bind(a.status)
        .bindNullableString(a.description)
        .bindNullableString(a.options.isEmpty() ? QString() : jsonText(a.options))
        .bind(a.createdByType)
        .bind(a.createdById)
        .bind(a.createdByName)
        .bindNullableString(a.runId)
        .bind(a.expiresAtMs)
        .bind(a.expiringNoticeSent ? 1 : 0)
        .bind(a.createdAtMs)
        .bind(a.updatedAtMs);
    if (auto r = q.exec(); !r.ok())
        return r;
    for (const QString &activityId : activityIds) {
        // The link carries the activity's title and status for the queue's page (a trigger keeps them).
        auto link = m_db.query(QStringLiteral(
            "INSERT INTO approval_activities (approval_id, activity_id, tenant_id, activity_title, "
            "activity_status)"
            " SELECT ?, id, tenant_id, title, status FROM activities WHERE id = ? AND tenant_id = ?"));
        link.bind(a.id).bind(activityId).bind(a.tenantId);
        if (auto r = link.exec(); !r.ok())
            return r;
        if (link.rowsAffected() != 1)
            return ApiError::notFound(QStringLiteral("activity not found"));
    }
    return {};
}

Result<QList<Approval>> ApprovalRepository::readApprovals(SqlQuery &q, bool withActivities)
{
    if (auto r = q.exec(); !r.ok())
        return r.error();
    QList<Approval> out;
    while (q.next())
        out.append(readApproval(q));
    if (withActivities && !out.isEmpty()) {
        if (auto r = attachActivities(out); !r.ok())
            return r.error();
    }
    return out;
}

Result<void> ApprovalRepository::attachActivities(QList<Approval> &approvals)
{
    // One query for the whole page rather than one per approval.
    const QString placeholders = sqlPlaceholders(approvals.size());
    auto q = m_db.query(
        QStringLiteral(
            "SELECT l.approval_id, a.id, a.title, a.status, a.output_document_id, a.output_preview"
            " FROM approval_activities l JOIN activities a ON a.id = l.activity_id WHERE l.approval_id IN (")
        + placeholders + QStringLiteral(") ORDER BY l.approval_id, a.id"));
    QHash<QString, qsizetype> index;
    for (qsizetype i = 0; i < approvals.size(); ++i) {
        q.bind(approvals[i].id);
        index.insert(approvals[i].id, i);
    }
    if (auto r = q.exec(); !r.ok())
        return r;
    while (q.next()) {
        const auto it = index.constFind(q.string(0));
        if (it != index.constEnd())
            approvals[*it].linkedActivities.append(
                {q.string(1), q.string(2), q.string(3), q.string(4), q.string(5)});
    }
    return {};
}

Result<std::optional<Approval>> ApprovalRepository::find(const TenantScope &scope, const QString &id)
{
    auto q = m_db.query(QStringLiteral("SELECT ") + kColumns + kFrom + QStringLiteral("p.id = ? AND ")
        + scope.condition(QStringLiteral("p.tenant_id")));
    q.bind(id);
    scope.bind(q);
    auto rows = readApprovals(q, true);
    if (!rows.ok())
        return rows.error();
    return rows->isEmpty() ? std::optional<Approval>() : std::optional<Approval>(rows->first());
}

Result<QList<Approval>> ApprovalRepository::findMany(const TenantScope &scope, const QStringList &ids)
{
    if (ids.isEmpty())
        return QList<Approval>();
    auto q = m_db.query(QStringLiteral("SELECT ") + kColumns + kFrom + QStringLiteral("p.id IN (")
        + sqlPlaceholders(ids.size()) + QStringLiteral(") AND ")
        + scope.condition(QStringLiteral("p.tenant_id")));
    for (const QString &id : ids)
        q.bind(id);
    scope.bind(q);
    auto rows = readApprovals(q, true);
    if (!rows.ok())
        return rows.error();
    QHash<QString, qsizetype> at;
    for (qsizetype i = 0; i < ids.size(); ++i)
        at.insert(ids[i], i);
    std::sort(rows->begin(), rows->end(),
        [&at](const Approval &a, const Approval &b) { return at.value(a.id) < at.value(b.id); });
    return std::move(*rows);
}

Result<Page<Approval>> ApprovalRepository::list(
    const TenantScope &scope, const ApprovalFilter &filter, const PageRequest &page)
{
    QStringList binds;
    auto q = m_db.query(QStringLiteral("SELECT ") + kColumns + kFrom + pageWhere(scope, filter, page, binds));
    for (const QString &value : std::as_const(binds))
        q.bind(value);
    auto rows = readApprovals(q, true);
    if (!rows.ok())
        return rows.error();
    return toPage(std::move(*rows), page.limit);
}

namespace {

/// The list item of services::approvalJson(a, false), as PostgreSQL SQL over `approvals p`.
QString approvalItemPostgres()
{
    using namespace pgjson;
    const QString linked = array(object({{QLatin1String("id"), QStringLiteral("l.activity_id")},
                                     {QLatin1String("title"), QStringLiteral("l.activity_title")},
                                     {QLatin1String("status"), QStringLiteral("l.activity_status")}}),
        QStringLiteral("FROM approval_activities l WHERE l.approval_id = p.id"),
        QStringLiteral("l.activity_id"));
    const QString resolvedBy = QStringLiteral("CASE WHEN COALESCE(p.resolved_by_id, '') <> '' THEN ")
        + object({{QLatin1String("id"), QStringLiteral("p.resolved_by_id")},
            {QLatin1String("name"), text(QStringLiteral("p.resolved_by_name"))}})
        + QStringLiteral(" END");
    return object(
        {{QLatin1String("id"), QStringLiteral("p.id")}, {QLatin1String("title"), QStringLiteral("p.title")},
            {QLatin1String("type"), QStringLiteral("p.type")},
            {QLatin1String("riskLevel"), QStringLiteral("p.risk_level")},
            {QLatin1String("status"), QStringLiteral("p.status")},
            {QLatin1String("linkedActivities"), linked},
            {QLatin1String("createdBy"),
                object({{QLatin1String("id"), text(QStringLiteral("p.created_by_id"))},
                    {QLatin1String("name"), text(QStringLiteral("p.created_by_name"))},
                    {QLatin1String("type"), text(QStringLiteral("p.created_by_type"))}})},
            {QLatin1String("createdOn"), isoTime(QStringLiteral("p.created_at"))},
            {QLatin1String("expiresAt"), isoTime(QStringLiteral("p.expires_at"))},
            {QLatin1String("description"), optionalText(QStringLiteral("p.description"))},
            {QLatin1String("options"), jsonColumn(QStringLiteral("p.options"))},
            {QLatin1String("campaignId"), optionalText(QStringLiteral("p.campaign_id"))},
            {QLatin1String("resolvedAt"), isoTime(QStringLiteral("p.resolved_at"))},
            {QLatin1String("resolvedBy"), resolvedBy},
            {QLatin1String("resolution"), optionalText(QStringLiteral("p.resolution"))},
            {QLatin1String("resolutionNote"), optionalText(QStringLiteral("p.resolution_note"))},
            {QLatin1String("selectedOption"), optionalText(QStringLiteral("p.selected_option"))}},
        true);
}

} // namespace

Result<JsonPage> ApprovalRepository::listJson(
    const TenantScope &scope, const ApprovalFilter &filter, const PageRequest &page)
{
    QStringList binds;
    const QString where = pageWhere(scope, filter, page, binds);
    if (m_db.dialect() == Dialect::Sqlite)
        return listJsonSqlite(where, binds, page.limit);

    // PostgreSQL builds the items itself (json_build_object is C, on the row it has).
    static const QString postgresItem = approvalItemPostgres();
    auto q = m_db.query(
        QStringLiteral("SELECT p.id, ") + postgresItem + QStringLiteral(" FROM approvals p WHERE ") + where);
    for (const QString &value : std::as_const(binds))
        q.bind(value);
    if (auto r = q.exec(); !r.ok())
        return r.error();
    JsonPage out;
    out.items.reserve(std::size_t(1024 * page.limit));
    while (q.next()) {
        if (out.count == page.limit) {
            out.hasMore = true;
            break;
        }
        if (out.count > 0)
            out.items += ',';
        out.lastId = q.string(0);
        out.items += q.string(1).toStdString();
        ++out.count;
    }
    return out;
}

Result<JsonPage> ApprovalRepository::listJsonSqlite(const QString &where, const QStringList &binds, int limit)
{
    // SQLite: rows through its own API, written by JsonWriter as they come (no QVariant, no UTF-16).
    auto page
        = m_db.raw(("SELECT p.id, p.title, p.type, p.risk_level, p.status, p.description, p.options,"
                    " p.created_by_type, p.created_by_id, p.created_by_name, p.created_at, p.expires_at,"
                    " p.campaign_id, p.resolved_at, p.resolved_by_id, p.resolved_by_name, p.resolution,"
                    " p.resolution_note, p.selected_option FROM approvals p WHERE "
            + where)
                       .toStdString());
    for (const QString &value : binds)
        page.bind(value);
    // Each item is written up to its linkedActivities, which a second query adds.
    std::vector<std::string> items;
    std::vector<std::string> ids;
    items.reserve(std::size_t(limit));
    JsonPage out;
    while (page.step()) {
        if (int(items.size()) == limit) {
            out.hasMore = true;
            break;
        }
        std::string &item = items.emplace_back();
        item.reserve(1024);
        JsonWriter w(item);
        w.beginObject();
        w.member("id", page.text(0));
        ids.emplace_back(page.text(0));
        w.member("title", page.text(1));
        w.member("type", page.text(2));
        w.member("riskLevel", page.text(3));
        w.member("status", page.text(4));
        if (!page.text(5).empty())
            w.member("description", page.text(5));
        if (!page.isNull(6)) {
            w.key("options");
            w.raw(page.text(6));
        }
        w.key("createdBy");
        w.beginObject();
        w.member("id", page.text(8));
        w.member("name", page.text(9));
        w.member("type", page.text(7));
        w.endObject();
        w.key("createdOn");
        w.isoTime(page.int64(10));
        w.key("expiresAt");
        w.isoTime(page.int64(11));
        if (!page.text(12).empty())
            w.member("campaignId", page.text(12));
        if (!page.isNull(13)) {
            w.key("resolvedAt");
            w.isoTime(page.int64(13));
        }
        if (!page.text(14).empty()) {
            w.key("resolvedBy");
            w.beginObject();
            w.member("id", page.text(14));
            w.member("name", page.text(15));
            w.endObject();
        }
        if (!page.text(16).empty())
            w.member("resolution", page.text(16));
        if (!page.text(17).empty())
            w.member("resolutionNote", page.text(17));
        if (!page.text(18).empty())
            w.member("selectedOption", page.text(18));
        w.key("linkedActivities");
    }
    if (auto r = page.status(); !r.ok())
        return r.error();
    if (items.empty())
        return out;

    // The linked activities of the whole page in one query, in (approval, activity) order.
    std::string sql
        = "SELECT approval_id, activity_id, activity_title, activity_status FROM approval_activities"
          " WHERE approval_id IN (";
    for (std::size_t i = 0; i < ids.size(); ++i)
        sql += i == 0 ? "?" : ", ?";
    sql += ") ORDER BY approval_id, activity_id";
    auto linked = m_db.raw(sql);
    for (const std::string &id : ids)
        linked.bind(QString::fromStdString(id));
    std::vector<bool> open(items.size(), false);
    const auto indexOf = [&ids](std::string_view id) {
        for (std::size_t i = 0; i < ids.size(); ++i) {
            if (ids[i] == id)
                return i;
        }
        return ids.size();
    };
    while (linked.step()) {
        const std::size_t i = indexOf(linked.text(0));
        if (i == ids.size())
            continue;
        std::string &item = items[i];
        item += open[i] ? ',' : '[';
        open[i] = true;
        JsonWriter w(item);
        w.beginObject();
        w.member("id", linked.text(1));
        w.member("title", linked.text(2));
        w.member("status", linked.text(3));
        w.endObject();
    }
    if (auto r = linked.status(); !r.ok())
        return r.error();

    std::size_t size = items.size();
    for (const auto &item : items)
        size += item.size() + 2;
    out.items.reserve(size);
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i > 0)
            out.items += ',';
        out.items += items[i];
        out.items += open[i] ? "]}" : "[]}";
    }
    out.count = int(items.size());
    out.lastId = QString::fromStdString(ids.back());
    return out;
}

Result<void> ApprovalRepository::resolve(const TenantScope &scope, const Approval &a)
{
    auto q = m_db.query(QStringLiteral("UPDATE approvals SET status = ?, resolution = ?, resolution_note = "
                                       "?, selected_option = ?, resolved_at = ?,"
                                       " resolved_by_id = ?, resolved_by_name = ?, updated_at = ? WHERE id = "
                                       "? AND status = 'pending' AND ")
        + scope.condition(QStringLiteral("tenant_id")));
    q.bind(a.status)
        .bind(a.resolution)
        .bindNullableString(a.resolutionNote)
        .bindNullableString(a.selectedOption)
        .bindNullableInt(a.resolvedAtMs)
        .bindNullableString(a.resolvedById)
        .bindNullableString(a.resolvedByName)
        .bind(a.updatedAtMs)
        .bind(a.id);
    scope.bind(q);
    if (auto r = q.exec(); !r.ok())
        return r;
    if (q.rowsAffected() != 1)
        return ApiError::conflict(QStringLiteral("the approval is not pending"));
    return {};
}

Result<QList<Approval>> ApprovalRepository::pendingExpiredBy(qint64 nowMs, int limit)
{
    auto q = m_db.query(QStringLiteral("SELECT ") + kColumns + kFrom
        + QStringLiteral("p.status = 'pending' AND p.expires_at <= ? ORDER BY p.expires_at LIMIT ")
        + QString::number(limit));
    q.bind(nowMs);
    return readApprovals(q, true);
}

Result<QList<Approval>> ApprovalRepository::pendingNoticeDue(qint64 beforeMs, int limit)
{
    auto q = m_db.query(QStringLiteral("SELECT ") + kColumns + kFrom
        + QStringLiteral("p.status = 'pending' AND p.expiring_notice_sent = 0 AND p.expires_at <= ?"
                         " ORDER BY p.expires_at LIMIT ")
        + QString::number(limit));
    q.bind(beforeMs);
    return readApprovals(q, false);
}

Result<bool> ApprovalRepository::markNoticeSent(const QString &id)
{
    auto q = m_db.query(QStringLiteral(
        "UPDATE approvals SET expiring_notice_sent = 1 WHERE id = ? AND expiring_notice_sent = 0"));
    q.bind(id);
    if (auto r = q.exec(); !r.ok())
        return r.error();
    return q.rowsAffected() == 1;
}

Result<ApprovalStats> ApprovalRepository::stats(const TenantScope &scope, qint64 nowMs)
{
    constexpr qint64 day = 24LL * 3600 * 1000;
    auto q = m_db.query(
        QStringLiteral("SELECT SUM(CASE WHEN status = 'pending' THEN 1 ELSE 0 END),"
                       " SUM(CASE WHEN status = 'pending' AND risk_level = 'high' THEN 1 ELSE 0 END),"
                       " SUM(CASE WHEN status = 'pending' AND expires_at <= ? THEN 1 ELSE 0 END),"
                       " SUM(CASE WHEN status <> 'pending' AND resolved_at >= ? THEN 1 ELSE 0 END)"
                       " FROM approvals WHERE ")
        + scope.condition(QStringLiteral("tenant_id")));
    q.bind(nowMs + day).bind(nowMs - 7 * day);
    scope.bind(q);
    if (auto r = q.exec(); !r.ok())
        return r.error();
    ApprovalStats s;
    if (q.next())
        s = {int(q.int64(0)), int(q.int64(1)), int(q.int64(2)), int(q.int64(3))};
    return s;
}

Result<int> ApprovalRepository::pendingCount(const TenantScope &scope, const QString &campaignId)
{
    auto q = m_db.query(
        QStringLiteral("SELECT COUNT(*) FROM approvals WHERE campaign_id = ? AND status = 'pending'"
                       " AND ")
        + scope.condition(QStringLiteral("tenant_id")));
    q.bind(campaignId);
    scope.bind(q);
    if (auto r = q.exec(); !r.ok())
        return r.error();
    return q.next() ? int(q.int64(0)) : 0;
}

} // namespace lm::store
