// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/result.h"
#include "store/database.h"
#include "store/tenantscope.h"

#include <QStringList>

#include <optional>

namespace lm::store {

struct Channel
{
    QString id;
    QString tenantId;
    QString platform; ///< linkedin, facebook, … (the spec's channel types)
    QString name;
    QString accountName;
    QString status = QStringLiteral("connected"); ///< connected | expired | error | disconnected
    QByteArray accessTokenSealed; ///< sealed with the data dir's secret key; empty when none
    QByteArray refreshTokenSealed;
    std::optional<qint64> tokenExpiresAtMs;
    QStringList scopes;
    QString connectedBy; ///< user id
    qint64 connectedAtMs = 0;
    std::optional<qint64> disconnectedAtMs;
    // What the health score is computed from.
    int profileFieldsTotal = 0;
    int profileFieldsFilled = 0;
    int postsTarget30d = 8;
    int postsLast30d = 0;
    int engagementRateBp = 0; ///< average engagement rate in basis points (1 % = 100)
    std::optional<qint64> lastPublishedAtMs;
    std::optional<qint64> metricsUpdatedAtMs;
    qint64 createdAtMs = 0;
    qint64 updatedAtMs = 0;
};

/// A connection under way: who started it, for which platform, and where the browser returns.
struct OAuthState
{
    QString stateHash; ///< SHA-256 of the state handed to the browser (the state itself is not kept)
    QString tenantId;
    QString userId;
    QString platform;
    QString redirectUrl;
    QString callbackUrl; ///< the redirect_uri of the authorization request
    qint64 expiresAtMs = 0;
    qint64 createdAtMs = 0;
};

/// Connected channels and the OAuth states of connections under way.
class ChannelRepository
{
public:
    explicit ChannelRepository(Database &db)
        : m_db(db)
    { }

    Result<void> insert(const Channel &channel);
    /// Saves everything but the id, tenant and creation time.
    Result<void> update(const TenantScope &scope, const Channel &channel);
    Result<std::optional<Channel>> find(const TenantScope &scope, const QString &id);
    /// The tenant's channel of that platform (one per platform), if any.
    Result<std::optional<Channel>> findByPlatform(const TenantScope &scope, const QString &platform);
    /// Every channel of the tenant, newest first.
    Result<QList<Channel>> list(const TenantScope &scope);

    Result<void> insertState(const OAuthState &state);
    /// Spends a state: returns it when it exists, is unspent and has not expired at `nowMs`, and marks
    /// it spent in the same statement, so a state works once even when two callbacks race.
    Result<std::optional<OAuthState>> consumeState(const QString &stateHash, qint64 nowMs);

private:
    Database &m_db;
};

} // namespace lm::store
