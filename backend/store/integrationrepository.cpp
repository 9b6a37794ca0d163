// SPDX-License-Identifier: GPL-3.0-or-later
#include "integrationrepository.h"

#include "store/sqljson.h"

namespace lm::store {

namespace {
const QString kColumns = QStringLiteral(
    "id, tenant_id, integration_type, name, api_key_sealed, api_key_hint, api_secret_sealed, extra_config,"
    " status, is_active, last_verified_at, error_message, created_by, created_at, updated_at");

Integration readIntegration(const SqlQuery &q)
{
    Integration i;
    i.id = q.string(0);
    i.tenantId = q.string(1);
    i.integrationType = q.string(2);
    i.name = q.string(3);
    i.apiKeySealed = q.value(4).toByteArray();
    i.apiKeyHint = q.string(5);
    i.apiSecretSealed = q.value(6).toByteArray();
    i.extraConfig = objectFromJson(q.string(7));
    i.status = q.string(8);
    i.isActive = q.int64(9) != 0;
    i.lastVerifiedAtMs = q.optionalInt64(10);
    i.errorMessage = q.string(11);
    i.createdBy = q.string(12);
    i.createdAtMs = q.int64(13);
    i.updatedAtMs = q.int64(14);
    return i;
}

/// An empty, non-null string: Qt Sql binds a null QString as NULL.
QString notNull(const QString &s)
{
    return s.isNull() ? QString(QLatin1String("")) : s;
}

QVariant blobOrNull(const QByteArray &bytes)
{
    return bytes.isEmpty() ? QVariant(QMetaType::fromType<QByteArray>()) : QVariant(bytes);
}
} // namespace

Result<void> IntegrationRepository::insert(const Integration &i)
{
    auto q = m_db.query(QStringLiteral("INSERT INTO integrations (") + kColumns
        + QStringLiteral(") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    q.bind(i.id)
        .bind(i.tenantId)
        .bind(i.integrationType)
        .bind(i.name)
        .bind(i.apiKeySealed)
        .bind(notNull(i.apiKeyHint))
        .bind(blobOrNull(i.apiSecretSealed))
        .bind(jsonText(i.extraConfig))
        .bind(i.status)
        .bind(i.isActive ? 1 : 0)
        .bindNullableInt(i.lastVerifiedAtMs)
        .bindNullableString(i.errorMessage)
        .bind(i.createdBy)
        .bind(i.createdAtMs)
        .bind(i.updatedAtMs);
    return q.exec();
}

Result<void> IntegrationRepository::update(const TenantScope &scope, const Integration &i)
{
    auto q = m_db.query(
        QStringLiteral(
            "UPDATE integrations SET name = ?, api_key_sealed = ?, api_key_hint = ?,"
            " api_secret_sealed = ?, extra_config = ?, status = ?, is_active = ?, last_verified_at = ?,"
            " error_message = ?, updated_at = ? WHERE id = ? AND ")
        + scope.condition(QStringLiteral("tenant_id")));
    q.bind(i.name)
        .bind(i.apiKeySealed)
        .bind(notNull(i.apiKeyHint))
        .bind(blobOrNull(i.apiSecretSealed))
        .bind(jsonText(i.extraConfig))
        .bind(i.status)
        .bind(i.isActive ? 1 : 0)
        .bindNullableInt(i.lastVerifiedAtMs)
        .bindNullableString(i.errorMessage)
        .bind(i.updatedAtMs)
        .bind(i.id);
    scope.bind(q);
    if (auto r = q.exec(); !r.ok())
        return r;
    if (q.rowsAffected() != 1)
        return ApiError::notFound(QStringLiteral("integration not found"));
    return {};
}

Result<std::optional<Integration>> IntegrationRepository::find(const TenantScope &scope, const QString &id)
{
    auto q = m_db.query(QStringLiteral("SELECT ") + kColumns
        + QStringLiteral(" FROM integrations WHERE id = ? AND ")
        + scope.condition(QStringLiteral("tenant_id")));
    q.bind(id);
    scope.bind(q);
    if (auto r = q.exec(); !r.ok())
        return r.error();
    if (!q.next())
        return std::optional<Integration>();
    return std::optional<Integration>(readIntegration(q));
}

Result<QList<Integration>> IntegrationRepository::list(const TenantScope &scope)
{
    auto q = m_db.query(QStringLiteral("SELECT ") + kColumns + QStringLiteral(" FROM integrations WHERE ")
        + scope.condition(QStringLiteral("tenant_id")) + QStringLiteral(" ORDER BY id"));
    scope.bind(q);
    if (auto r = q.exec(); !r.ok())
        return r.error();
    QList<Integration> out;
    while (q.next())
        out.append(readIntegration(q));
    return out;
}

Result<void> IntegrationRepository::remove(const TenantScope &scope, const QString &id)
{
    auto q = m_db.query(QStringLiteral("DELETE FROM integrations WHERE id = ? AND ")
        + scope.condition(QStringLiteral("tenant_id")));
    q.bind(id);
    scope.bind(q);
    if (auto r = q.exec(); !r.ok())
        return r;
    if (q.rowsAffected() != 1)
        return ApiError::notFound(QStringLiteral("integration not found"));
    return {};
}

} // namespace lm::store
