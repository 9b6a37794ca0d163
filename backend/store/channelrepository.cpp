// SPDX-License-Identifier: GPL-3.0-or-later
#include "channelrepository.h"

#include "store/sqljson.h"

namespace lm::store {

namespace {
const QString kColumns = QStringLiteral(
    "id, tenant_id, platform, name, account_name, status, access_token, refresh_token, token_expires_at, "
    "scopes,"
    " connected_by, connected_at, disconnected_at, profile_fields_total, profile_fields_filled, "
    "posts_target_30d,"
    " posts_last_30d, engagement_rate_bp, last_published_at, metrics_updated_at, created_at, updated_at");

Channel readChannel(const SqlQuery &q)
{
    Channel c;
    c.id = q.string(0);
    c.tenantId = q.string(1);
    c.platform = q.string(2);
    c.name = q.string(3);
    c.accountName = q.string(4);
    c.status = q.string(5);
    c.accessTokenSealed = q.value(6).toByteArray();
    c.refreshTokenSealed = q.value(7).toByteArray();
    c.tokenExpiresAtMs = q.optionalInt64(8);
    c.scopes = stringListFromJson(q.string(9));
    c.connectedBy = q.string(10);
    c.connectedAtMs = q.int64(11);
    c.disconnectedAtMs = q.optionalInt64(12);
    c.profileFieldsTotal = int(q.int64(13));
    c.profileFieldsFilled = int(q.int64(14));
    c.postsTarget30d = int(q.int64(15));
    c.postsLast30d = int(q.int64(16));
    c.engagementRateBp = int(q.int64(17));
    c.lastPublishedAtMs = q.optionalInt64(18);
    c.metricsUpdatedAtMs = q.optionalInt64(19);
    c.createdAtMs = q.int64(20);
    c.updatedAtMs = q.int64(21);
    return c;
}

QVariant blobOrNull(const QByteArray &bytes)
{
    return bytes.isEmpty() ? QVariant(QMetaType::fromType<QByteArray>()) : QVariant(bytes);
}
} // namespace

Result<void> ChannelRepository::insert(const Channel &c)
{
    auto q = m_db.query(QStringLiteral("INSERT INTO channels (") + kColumns
        + QStringLiteral(") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    q.bind(c.id)
        .bind(c.tenantId)
        .bind(c.platform)
        .bind(c.name)
        .bindNullableString(c.accountName)
        .bind(c.status)
        .bind(blobOrNull(c.accessTokenSealed))
        .bind(blobOrNull(c.refreshTokenSealed))
        .bindNullableInt(c.tokenExpiresAtMs)
        .bind(jsonText(c.scopes))
        .bindNullableString(c.connectedBy)
        .bind(c.connectedAtMs)
        .bindNullableInt(c.disconnectedAtMs)
        .bind(c.profileFieldsTotal)
        .bind(c.profileFieldsFilled)
        .bind(c.postsTarget30d)
        .bind(c.postsLast30d)
        .bind(c.engagementRateBp)
        .bindNullableInt(c.lastPublishedAtMs)
        .bindNullableInt(c.metricsUpdatedAtMs)
        .bind(c.createdAtMs)
        .bind(c.updatedAtMs);
    return q.exec();
}

Result<void> ChannelRepository::update(const TenantScope &scope, const Channel &c)
{
    auto q = m_db.query(
        QStringLiteral(
            "UPDATE channels SET platform = ?, name = ?, account_name = ?, status = ?, access_token = ?,"
            " refresh_token = ?, token_expires_at = ?, scopes = ?, connected_by = ?, connected_at = ?,"
            " disconnected_at = ?, profile_fields_total = ?, profile_fields_filled = ?,"
            " posts_target_30d = ?, posts_last_30d = ?, engagement_rate_bp = ?, last_published_at = ?,"
            " metrics_updated_at = ?, updated_at = ? WHERE id = ? AND ")
        + scope.condition(QStringLiteral("tenant_id")));
    q.bind(c.platform)
        .bind(c.name)
        .bindNullableString(c.accountName)
        .bind(c.status)
        .bind(blobOrNull(c.accessTokenSealed))
        .bind(blobOrNull(c.refreshTokenSealed))
        .bindNullableInt(c.tokenExpiresAtMs)
        .bind(jsonText(c.scopes))
        .bindNullableString(c.connectedBy)
        .bind(c.connectedAtMs)
        .bindNullableInt(c.disconnectedAtMs)
        .bind(c.profileFieldsTotal)
        .bind(c.profileFieldsFilled)
        .bind(c.postsTarget30d)
        .bind(c.postsLast30d)
        .bind(c.engagementRateBp)
        .bindNullableInt(c.lastPublishedAtMs)
        .bindNullableInt(c.metricsUpdatedAtMs)
        .bind(c.updatedAtMs)
        .bind(c.id);
    scope.bind(q);
    if (auto r = q.exec(); !r.ok())
        return r;
    if (q.rowsAffected() != 1)
        return ApiError::notFound(QStringLiteral("channel not found"));
    return {};
}

Result<std::optional<Channel>> ChannelRepository::find(const TenantScope &scope, const QString &id)
{
    auto q = m_db.query(QStringLiteral("SELECT ") + kColumns
        + QStringLiteral(" FROM channels WHERE id = ? AND ") + scope.condition(QStringLiteral("tenant_id")));
    q.bind(id);
    scope.bind(q);
    if (auto r = q.exec(); !r.ok())
        return r.error();
    if (!q.next())
        return std::optional<Channel>();
    return std::optional<Channel>(readChannel(q));
}

Result<std::optional<Channel>> ChannelRepository::findByPlatform(
    const TenantScope &scope, const QString &platform)
{
    auto q = m_db.query(QStringLiteral("SELECT ") + kColumns
        + QStringLiteral(" FROM channels WHERE platform = ? AND ")
        + scope.condition(QStringLiteral("tenant_id")) + QStringLiteral(" ORDER BY id DESC LIMIT 1"));
    q.bind(platform);
    scope.bind(q);
    if (auto r = q.exec(); !r.ok())
        return r.error();
    if (!q.next())
        return std::optional<Channel>();
    return std::optional<Channel>(readChannel(q));
}

Result<QList<Channel>> ChannelRepository::list(const TenantScope &scope)
{
    auto q = m_db.query(QStringLiteral("SELECT ") + kColumns + QStringLiteral(" FROM channels WHERE ")
        + scope.condition(QStringLiteral("tenant_id")) + QStringLiteral(" ORDER BY id DESC"));
    scope.bind(q);
    if (auto r = q.exec(); !r.ok())
        return r.error();
    QList<Channel> out;
    while (q.next())
        out.append(readChannel(q));
    return out;
}

Result<void> ChannelRepository::insertState(const OAuthState &s)
{
    auto q = m_db.query(QStringLiteral(
        "INSERT INTO oauth_states (state_hash, tenant_id, user_id, platform,"
        " redirect_url, callback_url, expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
    q.bind(s.stateHash)
        .bind(s.tenantId)
        .bind(s.userId)
        .bind(s.platform)
        .bind(s.redirectUrl)
        .bind(s.callbackUrl)
        .bind(s.expiresAtMs)
        .bind(s.createdAtMs);
    return q.exec();
}

Result<std::optional<OAuthState>> ChannelRepository::consumeState(const QString &stateHash, qint64 nowMs)
{
    auto q = m_db.query(
        QStringLiteral("UPDATE oauth_states SET used_at = ? WHERE state_hash = ? AND used_at IS NULL"
                       " AND expires_at > ? RETURNING state_hash, tenant_id, user_id, platform,"
                       " redirect_url, callback_url, expires_at, created_at"));
    q.bind(nowMs).bind(stateHash).bind(nowMs);
    if (auto r = q.exec(); !r.ok())
        return r.error();
    if (!q.next())
        return std::optional<OAuthState>();
    OAuthState s;
    s.stateHash = q.string(0);
    s.tenantId = q.string(1);
    s.userId = q.string(2);
    s.platform = q.string(3);
    s.redirectUrl = q.string(4);
    s.callbackUrl = q.string(5);
    s.expiresAtMs = q.int64(6);
    s.createdAtMs = q.int64(7);
    return std::optional<OAuthState>(s);
}

} // namespace lm::store
