// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QHash>
#include <QStringList>
#include <QUrl>

#include <optional>

namespace lm::services {

/// One platform's OAuth2 provider (authorization code grant).
struct OAuthProvider
{
    QString platform;
    QUrl authorizeUrl;
    QUrl tokenUrl;
    QUrl revokeUrl; ///< RFC 7009; empty when the platform has none
    QString clientId;
    QByteArray clientSecret; ///< never logged
    QStringList scopes;

    /// Usable: an authorize and a token URL and a client id.
    [[nodiscard]] bool configured() const
    {
        return authorizeUrl.isValid() && tokenUrl.isValid() && !clientId.isEmpty();
    }
};

/// The channel connection settings: the provider table, the redirect allow-list and the callback
/// URL. Read from a JSON file (ServerOptions::channelProvidersFile; docs/api/dashboard-intake.md):
/// {"callbackUrl"?, "redirectAllowList": [url…], "stateTtlSeconds"?, "providers": {platform: {
///   "authorizeUrl", "tokenUrl", "revokeUrl"?, "clientId", "clientSecret", "scopes": [..]}}}
struct ChannelOAuthConfig
{
    QHash<QString, OAuthProvider> providers;
    QStringList redirectAllowList; ///< a redirectUrl must start with one (same scheme, host and port)
    QString callbackUrl; ///< empty: derived from the request's Host header
    int stateTtlSeconds = 600;

    /// The file's settings; a missing file is an empty table (no platform configured).
    [[nodiscard]] static Result<ChannelOAuthConfig> load(const QString &path);
    /// True when `url` is http(s) and matches an allow-list entry by origin and path prefix.
    [[nodiscard]] bool redirectAllowed(const QUrl &url) const;
};

/// What a token endpoint answered (RFC 6749 §5.1).
struct OAuthTokens
{
    QByteArray accessToken;
    QByteArray refreshToken;
    std::optional<qint64> expiresInSeconds;
    QStringList scopes;
};

/// The provider calls, over real HTTP (QNetworkAccessManager on the calling thread's own event loop,
/// so route handlers on the blocking pool can make them).
namespace OAuthClient {
/// POSTs the authorization code (form-encoded, client_secret_post) to the token URL.
[[nodiscard]] Result<OAuthTokens> exchangeCode(
    const OAuthProvider &provider, const QString &code, const QString &redirectUri, int timeoutMs = 15000);
/// POSTs `token` to the revoke URL (RFC 7009: token, token_type_hint, client credentials).
[[nodiscard]] Result<void> revoke(
    const OAuthProvider &provider, const QByteArray &token, const QString &typeHint, int timeoutMs = 15000);
} // namespace OAuthClient

} // namespace lm::services
