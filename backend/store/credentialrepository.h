// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/result.h"
#include "store/database.h"

#include <optional>

namespace lm::store {

// Credentials belong to a user identity rather than to tenant data: callers reach them with a user
// id that came from a scoped user lookup or from a verified token's subject.

struct MfaSecret
{
    QString userId;
    QByteArray secretSealed; ///< encrypted with the data dir's secret key; never stored in clear
    bool activated = false;
    std::optional<quint64> lastUsedCounter;
};

/// TOTP secrets, encrypted at rest.
class MfaRepository
{
public:
    explicit MfaRepository(Database &db)
        : m_db(db)
    { }

    /// Stores a new, not yet activated secret, replacing any earlier pending one.
    Result<void> savePending(const QString &userId, const QByteArray &sealed, qint64 nowMs);
    Result<std::optional<MfaSecret>> find(const QString &userId);
    /// Marks the secret active and records the counter of the code that proved it.
    Result<void> activate(const QString &userId, quint64 counter, qint64 nowMs);
    /// Records a used time-step counter; fails with CONFLICT when that counter (or a later one) was
    /// already used, so a code works once. Atomic across threads and instances.
    Result<void> consumeCounter(const QString &userId, quint64 counter);
    Result<void> remove(const QString &userId);

private:
    Database &m_db;
};

struct RefreshToken
{
    QString id;
    QString familyId;
    QString userId;
    qint64 expiresAtMs = 0;
    std::optional<qint64> spentAtMs;
    std::optional<qint64> familyRevokedAtMs;
};

/// Opaque refresh tokens, stored as hashes, in families: each refresh spends one token and issues
/// the next of the same family; presenting a spent token revokes the whole family.
class RefreshTokenRepository
{
public:
    explicit RefreshTokenRepository(Database &db)
        : m_db(db)
    { }

    Result<void> createFamily(const QString &familyId, const QString &userId, qint64 nowMs);
    Result<void> insert(const QString &id, const QString &familyId, const QByteArray &tokenHash, qint64 nowMs,
        qint64 expiresAtMs);
    Result<std::optional<RefreshToken>> findByHash(const QByteArray &tokenHash);
    /// Spends the token; CONFLICT when it was already spent (two clients raced with one token).
    Result<void> spend(const QString &tokenId, qint64 nowMs);
    Result<void> revokeFamily(const QString &familyId, const QString &reason, qint64 nowMs);

private:
    Database &m_db;
};

} // namespace lm::store
