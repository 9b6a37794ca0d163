// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "auth/accountdirectory.h"
#include "auth/authenticator.h"
#include "auth/jwt.h"
#include "auth/loginthrottle.h"
#include "auth/secretbox.h"
#include "core/clock.h"
#include "core/principal.h"
#include "core/result.h"
#include "store/store.h"

namespace lm::auth {

/// Where a request came from, for audit rows and throttling.
struct RequestMeta
{
    QString ip;
    QString requestId;
};

/// Tokens handed out on sign-in and refresh.
struct TokenPair
{
    QString accessToken;
    QString refreshToken;
    int expiresIn = 0; ///< seconds
};

/// The answer to a login: tokens and the user, or an MFA challenge.
struct LoginOutcome
{
    bool mfaRequired = false;
    QString challengeToken;
    TokenPair tokens;
    store::User user;
};

struct MfaEnrollment
{
    QString secret; ///< base32
    QString otpauthUrl;
};

/// A refused attempt that must wait (429 with Retry-After).
struct Throttled
{
    int retryAfterSeconds = 0;
};

/// Sign-in, tokens and MFA: everything behind /auth/v1 and the bearer check of every other route.
class AuthService final : public Authenticator
{
public:
    struct Keys
    {
        QByteArray signingKey; ///< HS256 key, 32 bytes
        QByteArray secretKey; ///< secretbox key for secrets at rest, 32 bytes
    };
    struct Settings
    {
        qint64 accessTokenSeconds = 15 * 60;
        qint64 refreshTokenDays = 30;
        qint64 challengeSeconds = 5 * 60;
        int maxLoginFailuresPerMinute = 5;
        /// How long an account's state is trusted without a read when nothing in this process
        /// changed it (a change made on another instance shows within this).
        qint64 accountMaxAgeMs = 2000;
    };
    static constexpr const char *kIssuer = "leadmetrics";
    static constexpr const char *kAudience = "leadmetrics-api";
    static constexpr const char *kAccessTokenType = "at+jwt";
    static constexpr const char *kChallengeTokenType = "mfa-challenge+jwt";

    AuthService(store::Store &store, const Clock &clock, Keys keys, Settings settings);

    /// Password check (argon2id; slow on purpose: call it off the I/O threads).
    Result<LoginOutcome> login(
        const QString &email, const QString &password, const RequestMeta &meta, Throttled *throttled);
    /// Second step of a login with MFA on.
    Result<LoginOutcome> verifyMfa(
        const QString &challengeToken, const QString &code, const RequestMeta &meta, Throttled *throttled);
    /// Spends a refresh token for a new pair; a spent one revokes its family.
    Result<TokenPair> refresh(const QString &refreshToken, const RequestMeta &meta);
    /// Revokes the refresh token's family. Unknown tokens are ignored (nothing to reveal).
    void logout(const QString &refreshToken, const RequestMeta &meta);
    /// The signed-in user, as stored now (from the account cache; see AccountDirectory).
    Result<store::User> me(const Principal &principal);

    Result<MfaEnrollment> enrollMfa(const Principal &principal, const RequestMeta &meta);
    Result<void> activateMfa(const Principal &principal, const QString &code, const RequestMeta &meta);
    Result<void> disableMfa(
        const Principal &principal, const QString &code, const RequestMeta &meta, Throttled *throttled);

    /// Verifies an access token and checks the account as it stands now: its current role and
    /// appAccess replace the token's, and a removed user or suspended tenant is refused (Authenticator).
    [[nodiscard]] Result<Principal> authenticate(std::string_view accessToken) const override;
    /// Issues an access token for a user (login, refresh, and tests).
    [[nodiscard]] QString issueAccessToken(const store::User &user) const;
    [[nodiscard]] const JwtCodec &jwt() const { return m_jwt; }
    [[nodiscard]] const SecretBox &secretBox() const { return m_secretBox; }
    /// The accounts as they stand now (the per-request check's cache).
    [[nodiscard]] const AccountDirectory &accounts() const { return m_accounts; }
    [[nodiscard]] qint64 accessTokenSeconds() const { return m_settings.accessTokenSeconds; }

    /// SHA-256 of a refresh token, as stored.
    [[nodiscard]] static QByteArray hashRefreshToken(const QString &token);

private:
    Result<TokenPair> issueTokens(const store::User &user, const QString &familyId);
    Result<LoginOutcome> completeLogin(const store::User &user, const RequestMeta &meta);
    void audit(const QString &action, const store::User *user, const RequestMeta &meta,
        const QJsonObject &changes = {});
    Result<quint64> checkCode(const QString &userId, const QString &code, bool requireActive);
    /// The user read now, bypassing the cache (MFA changes decide on it).
    Result<store::User> storedUser(const Principal &principal);

    store::Store &m_store;
    const Clock &m_clock;
    Settings m_settings;
    JwtCodec m_jwt;
    SecretBox m_secretBox;
    LoginThrottle m_loginThrottle;
    LoginThrottle m_mfaThrottle;
    AccountDirectory m_accounts;
};

/// The API's JSON for a user: {id, email, name, role, tenantId, tenantName, appAccess, mfaEnabled}.
[[nodiscard]] QJsonObject userJson(const store::User &user);

} // namespace lm::auth
