// SPDX-License-Identifier: GPL-3.0-or-later
#include "credentialrepository.h"

namespace lm::store {

Result<void> MfaRepository::savePending(const QString &userId, const QByteArray &sealed, qint64 nowMs)
{
    auto q = m_db.query(QStringLiteral(
        "INSERT INTO mfa_secrets (user_id, secret_sealed, activated_at, last_used_counter, created_at)"
        " VALUES (?, ?, NULL, NULL, ?) ON CONFLICT (user_id) DO UPDATE SET secret_sealed = "
        "excluded.secret_sealed,"
        " activated_at = NULL, last_used_counter = NULL, created_at = excluded.created_at"));
    q.bind(userId).bind(sealed).bind(nowMs);
    return q.exec();
}

Result<std::optional<MfaSecret>> MfaRepository::find(const QString &userId)
{
    auto q = m_db.query(QStringLiteral(
        "SELECT user_id, secret_sealed, activated_at, last_used_counter FROM mfa_secrets WHERE user_id = ?"));
    q.bind(userId);
    if (auto r = q.exec(); !r.ok())
        return r.error();
    if (!q.next())
        return std::optional<MfaSecret>();
    MfaSecret s;
    s.userId = q.string(0);
    s.secretSealed = q.value(1).toByteArray();
    s.activated = !q.isNull(2);
    if (!q.isNull(3))
        s.lastUsedCounter = quint64(q.int64(3));
    return std::optional<MfaSecret>(s);
}

Result<void> MfaRepository::activate(const QString &userId, quint64 counter, qint64 nowMs)
{
    auto q = m_db.query(QStringLiteral("UPDATE mfa_secrets SET activated_at = ?, last_used_counter = ? WHERE "
                                       "user_id = ? AND activated_at IS NULL"));
    q.bind(nowMs).bind(qint64(counter)).bind(userId);
    if (auto r = q.exec(); !r.ok())
        return r;
    if (q.rowsAffected() != 1)
        return ApiError::conflict(QStringLiteral("MFA is already active"));
    return {};
}

Result<void> MfaRepository::consumeCounter(const QString &userId, quint64 counter)
{
    auto q = m_db.query(QStringLiteral("UPDATE mfa_secrets SET last_used_counter = ? WHERE user_id = ?"
                                       " AND (last_used_counter IS NULL OR last_used_counter < ?)"));
    q.bind(qint64(counter)).bind(userId).bind(qint64(counter));
    if (auto r = q.exec(); !r.ok())
        return r;
    if (q.rowsAffected() != 1)
        return ApiError::conflict(QStringLiteral("code already used"));
    return {};
}

Result<void> MfaRepository::remove(const QString &userId)
{
    auto q = m_db.query(QStringLiteral("DELETE FROM mfa_secrets WHERE user_id = ?"));
    q.bind(userId);
    return q.exec();
}

Result<void> RefreshTokenRepository::createFamily(
    const QString &familyId, const QString &userId, qint64 nowMs)
{
    auto q = m_db.query(QStringLiteral("INSERT INTO refresh_token_families (id, user_id, created_at, "
                                       "revoked_at, revoked_reason) VALUES (?, ?, ?, NULL, NULL)"));
    q.bind(familyId).bind(userId).bind(nowMs);
    return q.exec();
}

Result<void> RefreshTokenRepository::insert(
    const QString &id, const QString &familyId, const QByteArray &tokenHash, qint64 nowMs, qint64 expiresAtMs)
{
    auto q = m_db.query(
        QStringLiteral("INSERT INTO refresh_tokens (id, family_id, token_hash, created_at, expires_at,"
                       " spent_at) VALUES (?, ?, ?, ?, ?, NULL)"));
    q.bind(id).bind(familyId).bind(tokenHash).bind(nowMs).bind(expiresAtMs);
    return q.exec();
}

Result<std::optional<RefreshToken>> RefreshTokenRepository::findByHash(const QByteArray &tokenHash)
{
    auto q = m_db.query(QStringLiteral(
        "SELECT t.id, t.family_id, f.user_id, t.expires_at, t.spent_at, f.revoked_at FROM refresh_tokens t"
        " JOIN refresh_token_families f ON f.id = t.family_id WHERE t.token_hash = ?"));
    q.bind(tokenHash);
    if (auto r = q.exec(); !r.ok())
        return r.error();
    if (!q.next())
        return std::optional<RefreshToken>();
    RefreshToken t;
    t.id = q.string(0);
    t.familyId = q.string(1);
    t.userId = q.string(2);
    t.expiresAtMs = q.int64(3);
    if (!q.isNull(4))
        t.spentAtMs = q.int64(4);
    if (!q.isNull(5))
        t.familyRevokedAtMs = q.int64(5);
    return std::optional<RefreshToken>(t);
}

Result<void> RefreshTokenRepository::spend(const QString &tokenId, qint64 nowMs)
{
    auto q = m_db.query(
        QStringLiteral("UPDATE refresh_tokens SET spent_at = ? WHERE id = ? AND spent_at IS NULL"));
    q.bind(nowMs).bind(tokenId);
    if (auto r = q.exec(); !r.ok())
        return r;
    if (q.rowsAffected() != 1)
        return ApiError::conflict(QStringLiteral("refresh token already spent"));
    return {};
}

Result<void> RefreshTokenRepository::revokeFamily(
    const QString &familyId, const QString &reason, qint64 nowMs)
{
    auto q = m_db.query(QStringLiteral("UPDATE refresh_token_families SET revoked_at = ?, revoked_reason = ?"
                                       " WHERE id = ? AND revoked_at IS NULL"));
    q.bind(nowMs).bind(reason).bind(familyId);
    return q.exec();
}

} // namespace lm::store
