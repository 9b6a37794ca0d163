// SPDX-License-Identifier: GPL-3.0-or-later
#include "authservice.h"

#include "auth/passwordhasher.h"
#include "auth/totp.h"
#include "core/logging.h"
#include "core/ulid.h"

#include <QJsonArray>

#include <sodium.h>

namespace lm::auth {

namespace {
ApiError wrongCredentials()
{
    return ApiError::unauthorized(QStringLiteral("Wrong e-mail or password"));
}
ApiError wrongCode()
{
    return ApiError::unauthorized(QStringLiteral("Wrong or already used code"));
}
} // namespace

QJsonObject userJson(const store::User &user)
{
    return {{QStringLiteral("id"), user.id}, {QStringLiteral("email"), user.email},
        {QStringLiteral("name"), user.name}, {QStringLiteral("role"), roleName(user.role)},
        {QStringLiteral("tenantId"), user.tenantId.isEmpty() ? QJsonValue() : QJsonValue(user.tenantId)},
        {QStringLiteral("tenantName"), user.tenantId.isEmpty() ? QJsonValue() : QJsonValue(user.tenantName)},
        {QStringLiteral("appAccess"), QJsonArray::fromStringList(user.appAccess.names())},
        {QStringLiteral("mfaEnabled"), user.mfaEnabled}};
}

AuthService::AuthService(store::Store &store, const Clock &clock, Keys keys, Settings settings)
    : m_store(store)
    , m_clock(clock)
    , m_settings(settings)
    , m_jwt(keys.signingKey, QString::fromLatin1(kIssuer), QString::fromLatin1(kAudience))
    , m_secretBox(keys.secretKey)
    , m_loginThrottle(clock, settings.maxLoginFailuresPerMinute, 60000)
    , m_mfaThrottle(clock, settings.maxLoginFailuresPerMinute, 60000)
    , m_accounts(store.db(), store.users, clock, {settings.accountMaxAgeMs})
{ }

QByteArray AuthService::hashRefreshToken(const QString &token)
{
    const QByteArray raw = token.toUtf8();
    QByteArray out(crypto_hash_sha256_BYTES, Qt::Uninitialized);
    crypto_hash_sha256(reinterpret_cast<unsigned char *>(out.data()),
        reinterpret_cast<const unsigned char *>(raw.constData()), quint64(raw.size()));
    return out;
}

void AuthService::audit(
    const QString &action, const store::User *user, const RequestMeta &meta, const QJsonObject &changes)
{
    store::AuditEntry e;
    e.action = action;
    e.actorType = user ? QStringLiteral("user") : QStringLiteral("anonymous");
    if (user) {
        e.actorId = user->id;
        e.tenantId = user->tenantId;
        e.targetType = QStringLiteral("user");
        e.targetId = user->id;
    }
    e.ip = meta.ip;
    e.requestId = meta.requestId;
    e.changes = changes;
    e.createdAtMs = m_clock.nowMs();
    if (auto r = m_store.audit.append(e); !r.ok())
        qCWarning(lmAuth) << "audit write failed for" << action;
}

QString AuthService::issueAccessToken(const store::User &user) const
{
    const qint64 now = m_clock.nowSeconds();
    QJsonObject claims {{QStringLiteral("sub"), user.id}, {QStringLiteral("iat"), now},
        {QStringLiteral("exp"), now + m_settings.accessTokenSeconds},
        {QStringLiteral("jti"), Ulid::generate()},
        {QStringLiteral("tenant"), user.tenantId.isEmpty() ? QJsonValue() : QJsonValue(user.tenantId)},
        {QStringLiteral("role"), roleName(user.role)},
        {QStringLiteral("appAccess"), QJsonArray::fromStringList(user.appAccess.names())}};
    return QString::fromLatin1(m_jwt.sign(claims, QString::fromLatin1(kAccessTokenType)));
}

Result<Principal> AuthService::authenticate(std::string_view accessToken) const
{
    auto claims = m_jwt.verify(QByteArrayView(accessToken.data(), qsizetype(accessToken.size())),
        QString::fromLatin1(kAccessTokenType), m_clock.nowSeconds());
    if (!claims.ok())
        return claims.error();
    const QJsonObject &c = *claims;
    Principal p;
    p.userId = c.value(QStringLiteral("sub")).toString();
    p.tenantId = c.value(QStringLiteral("tenant")).toString();
    p.tokenId = c.value(QStringLiteral("jti")).toString();
    p.impersonatorId = c.value(QStringLiteral("act")).toObject().value(QStringLiteral("sub")).toString();
    const auto role = parseRole(c.value(QStringLiteral("role")).toString());
    QStringList surfaces;
    for (const QJsonValue &v : c.value(QStringLiteral("appAccess")).toArray())
        surfaces.append(v.toString());
    const auto access = SurfaceSet::parse(surfaces);
    // A token we signed always has these; anything else is not ours to trust.
    if (p.userId.isEmpty() || !role || !access || isPlatformRole(*role) != p.tenantId.isEmpty())
        return ApiError::unauthorized(QStringLiteral("invalid token"));
    // The token says who; the account says what they may do now. A demoted admin's token is a
    // member's from the moment of the demotion, and a removed user's is no good at all.
    auto account = m_accounts.find(p.userId);
    if (!account.ok())
        return account.error();
    if (!account->has_value() || (*account)->tenantId != p.tenantId)
        return ApiError::unauthorized(QStringLiteral("invalid token"));
    if (auto refused = accountRefusal(**account))
        return *refused;
    p.role = (*account)->role;
    p.appAccess = (*account)->appAccess;
    if (isPlatformRole(p.role) != p.tenantId.isEmpty())
        return ApiError::unauthorized(QStringLiteral("invalid token"));
    return p;
}

Result<TokenPair> AuthService::issueTokens(const store::User &user, const QString &familyId)
{
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    const QString refresh = QStringLiteral("lmr_")
        + QString::fromLatin1(QByteArray(reinterpret_cast<const char *>(raw), sizeof raw)
                                  .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
    sodium_memzero(raw, sizeof raw);
    const qint64 now = m_clock.nowMs();
    if (auto r = m_store.refreshTokens.insert(Ulid::generate(), familyId, hashRefreshToken(refresh), now,
            now + m_settings.refreshTokenDays * 86400000LL);
        !r.ok())
        return r.error();
    return TokenPair {issueAccessToken(user), refresh, int(m_settings.accessTokenSeconds)};
}

Result<LoginOutcome> AuthService::completeLogin(const store::User &user, const RequestMeta &meta)
{
    const QString familyId = Ulid::generate();
    store::Transaction tx(m_store.db());
    if (!tx.isActive())
        return tx.error();
    if (auto r = m_store.refreshTokens.createFamily(familyId, user.id, m_clock.nowMs()); !r.ok())
        return r.error();
    auto tokens = issueTokens(user, familyId);
    if (!tokens.ok())
        return tokens.error();
    if (auto r = tx.commit(); !r.ok())
        return r.error();
    audit(QStringLiteral("auth.login.succeeded"), &user, meta);
    LoginOutcome out;
    out.tokens = *tokens;
    out.user = user;
    return out;
}

Result<LoginOutcome> AuthService::login(
    const QString &email, const QString &password, const RequestMeta &meta, Throttled *throttled)
{
    const QString key = email.trimmed().toLower() + QLatin1Char('|') + meta.ip;
    if (const int wait = m_loginThrottle.retryAfterSeconds(key); wait > 0) {
        if (throttled)
            throttled->retryAfterSeconds = wait;
        audit(QStringLiteral("auth.login.throttled"), nullptr, meta,
            {{QStringLiteral("email"), email.trimmed().toLower()}});
        return ApiError {
            ErrorCode::RateLimited, QStringLiteral("Too many failed attempts; try again later"), {}};
    }
    auto found = m_store.users.findActiveForLogin(email);
    if (!found.ok())
        return found.error();
    const QByteArray pw = password.toUtf8();
    if (!found->has_value()) {
        // Same work and the same answer as a wrong password: no way to learn which e-mails exist.
        PasswordHasher::equalizeTiming(pw);
        m_loginThrottle.recordFailure(key);
        audit(QStringLiteral("auth.login.failed"), nullptr, meta,
            {{QStringLiteral("email"), email.trimmed().toLower()},
                {QStringLiteral("reason"), QStringLiteral("unknown_email")}});
        return wrongCredentials();
    }
    const store::User &user = **found;
    if (!PasswordHasher::verify(user.passwordHash, pw)) {
        m_loginThrottle.recordFailure(key);
        audit(QStringLiteral("auth.login.failed"), &user, meta,
            {{QStringLiteral("reason"), QStringLiteral("wrong_password")}});
        return wrongCredentials();
    }
    m_loginThrottle.reset(key);
    if (PasswordHasher::needsRehash(user.passwordHash)) {
        const QByteArray rehashed = PasswordHasher::hash(pw);
        if (!rehashed.isEmpty())
            (void)m_store.users.setPasswordHash(
                store::TenantScope::forAccount(user.tenantId), user.id, rehashed, m_clock.nowMs());
    }
    if (user.mfaEnabled) {
        const qint64 now = m_clock.nowSeconds();
        QJsonObject claims {{QStringLiteral("sub"), user.id}, {QStringLiteral("iat"), now},
            {QStringLiteral("exp"), now + m_settings.challengeSeconds},
            {QStringLiteral("jti"), Ulid::generate()}};
        audit(QStringLiteral("auth.login.mfa_challenged"), &user, meta);
        LoginOutcome out;
        out.mfaRequired = true;
        out.challengeToken
            = QString::fromLatin1(m_jwt.sign(claims, QString::fromLatin1(kChallengeTokenType)));
        return out;
    }
    return completeLogin(user, meta);
}

Result<quint64> AuthService::checkCode(const QString &userId, const QString &code, bool requireActive)
{
    auto secret = m_store.mfa.find(userId);
    if (!secret.ok())
        return secret.error();
    if (!secret->has_value() || (*secret)->activated != requireActive)
        return ApiError::conflict(requireActive ? QStringLiteral("MFA is not enabled")
                                                : QStringLiteral("Start MFA enrollment first"));
    const auto plain = m_secretBox.open((*secret)->secretSealed);
    if (!plain)
        return ApiError::internal(QStringLiteral("stored MFA secret cannot be decrypted"));
    const auto counter = Totp::verify(*plain, code, m_clock.nowSeconds(), 1);
    if (!counter)
        return wrongCode();
    if ((*secret)->lastUsedCounter && *counter <= *(*secret)->lastUsedCounter)
        return wrongCode();
    return *counter;
}

Result<LoginOutcome> AuthService::verifyMfa(
    const QString &challengeToken, const QString &code, const RequestMeta &meta, Throttled *throttled)
{
    auto claims = m_jwt.verify(
        challengeToken.toLatin1(), QString::fromLatin1(kChallengeTokenType), m_clock.nowSeconds());
    if (!claims.ok())
        return ApiError::unauthorized(
            QStringLiteral("The MFA challenge is invalid or expired; sign in again"));
    const QString userId = claims->value(QStringLiteral("sub")).toString();
    const QString key = QStringLiteral("mfa|") + userId;
    if (const int wait = m_mfaThrottle.retryAfterSeconds(key); wait > 0) {
        if (throttled)
            throttled->retryAfterSeconds = wait;
        return ApiError {
            ErrorCode::RateLimited, QStringLiteral("Too many failed codes; try again later"), {}};
    }
    auto users = m_store.users.find(store::TenantScope::allTenants(), userId);
    if (!users.ok())
        return users.error();
    if (!users->has_value() || (*users)->status != QLatin1String("active") || !(*users)->mfaEnabled)
        return ApiError::unauthorized(
            QStringLiteral("The MFA challenge is invalid or expired; sign in again"));
    const store::User user = **users;
    auto counter = checkCode(userId, code, true);
    if (!counter.ok() || !m_store.mfa.consumeCounter(userId, *counter).ok()) {
        m_mfaThrottle.recordFailure(key);
        audit(QStringLiteral("auth.mfa.failed"), &user, meta);
        return counter.ok() || counter.error().code == ErrorCode::Unauthorized ? wrongCode()
                                                                               : counter.error();
    }
    m_mfaThrottle.reset(key);
    return completeLogin(user, meta);
}

Result<TokenPair> AuthService::refresh(const QString &refreshToken, const RequestMeta &meta)
{
    const auto invalid
        = [] { return ApiError::unauthorized(QStringLiteral("The refresh token is invalid")); };
    auto found = m_store.refreshTokens.findByHash(hashRefreshToken(refreshToken));
    if (!found.ok())
        return found.error();
    if (!found->has_value())
        return invalid();
    const store::RefreshToken token = **found;
    const qint64 now = m_clock.nowMs();
    if (token.familyRevokedAtMs || token.expiresAtMs <= now)
        return invalid();

    auto users = m_store.users.find(store::TenantScope::allTenants(), token.userId);
    if (!users.ok())
        return users.error();
    if (!users->has_value() || (*users)->status != QLatin1String("active"))
        return invalid();
    const store::User user = **users;

    const auto revokeForReuse = [&] {
        // A spent token came back: someone holds a copy. End every session of that family.
        (void)m_store.refreshTokens.revokeFamily(token.familyId, QStringLiteral("reuse_detected"), now);
        audit(QStringLiteral("auth.refresh_token.reused"), &user, meta,
            {{QStringLiteral("familyId"), token.familyId}});
        return invalid();
    };
    if (token.spentAtMs)
        return revokeForReuse();

    store::Transaction tx(m_store.db());
    if (!tx.isActive())
        return tx.error();
    if (auto spent = m_store.refreshTokens.spend(token.id, now); !spent.ok()) {
        tx.rollback();
        if (spent.error().code == ErrorCode::Conflict)
            return revokeForReuse();
        return spent.error();
    }
    auto pair = issueTokens(user, token.familyId);
    if (!pair.ok())
        return pair.error();
    if (auto r = tx.commit(); !r.ok())
        return r.error();
    return pair;
}

void AuthService::logout(const QString &refreshToken, const RequestMeta &meta)
{
    auto found = m_store.refreshTokens.findByHash(hashRefreshToken(refreshToken));
    if (!found.ok() || !found->has_value())
        return;
    const store::RefreshToken token = **found;
    (void)m_store.refreshTokens.revokeFamily(token.familyId, QStringLiteral("logout"), m_clock.nowMs());
    auto users = m_store.users.find(store::TenantScope::allTenants(), token.userId);
    if (users.ok() && users->has_value())
        audit(QStringLiteral("auth.logout"), &**users, meta, {{QStringLiteral("familyId"), token.familyId}});
}

Result<store::User> AuthService::me(const Principal &principal)
{
    auto found = m_accounts.find(principal.userId);
    if (!found.ok())
        return found.error();
    if (!found->has_value() || (*found)->tenantId != principal.tenantId
        || (*found)->status != QLatin1String("active"))
        return ApiError::unauthorized(QStringLiteral("The account no longer exists"));
    return **found;
}

Result<store::User> AuthService::storedUser(const Principal &principal)
{
    auto found = m_store.users.find(store::TenantScope::forAccount(principal.tenantId), principal.userId);
    if (!found.ok())
        return found.error();
    if (!found->has_value() || (*found)->status != QLatin1String("active"))
        return ApiError::unauthorized(QStringLiteral("The account no longer exists"));
    return **found;
}

Result<MfaEnrollment> AuthService::enrollMfa(const Principal &principal, const RequestMeta &meta)
{
    auto user = storedUser(principal);
    if (!user.ok())
        return user.error();
    if (user->mfaEnabled)
        return ApiError::conflict(QStringLiteral("MFA is already enabled; disable it first"));
    const QByteArray secret = Totp::generateSecret();
    store::Transaction tx(m_store.db());
    if (!tx.isActive())
        return tx.error();
    if (auto r = m_store.mfa.savePending(user->id, m_secretBox.seal(secret), m_clock.nowMs()); !r.ok())
        return r.error();
    if (auto r = tx.commit(); !r.ok())
        return r.error();
    audit(QStringLiteral("auth.mfa.enrolled"), &*user, meta);
    return MfaEnrollment {
        Totp::toBase32(secret), Totp::otpauthUrl(QStringLiteral("Leadmetrics"), user->email, secret)};
}

Result<void> AuthService::activateMfa(
    const Principal &principal, const QString &code, const RequestMeta &meta)
{
    auto user = storedUser(principal);
    if (!user.ok())
        return user.error();
    if (user->mfaEnabled)
        return ApiError::conflict(QStringLiteral("MFA is already enabled"));
    auto counter = checkCode(user->id, code, false);
    if (!counter.ok())
        return counter.error();
    store::Transaction tx(m_store.db());
    if (!tx.isActive())
        return tx.error();
    const qint64 now = m_clock.nowMs();
    if (auto r = m_store.mfa.activate(user->id, *counter, now); !r.ok())
        return r.error();
    if (auto r
        = m_store.users.setMfaEnabled(store::TenantScope::forAccount(user->tenantId), user->id, true, now);
        !r.ok())
        return r.error();
    if (auto r = tx.commit(); !r.ok())
        return r.error();
    audit(QStringLiteral("auth.mfa.activated"), &*user, meta,
        {{QStringLiteral("mfaEnabled"),
            QJsonObject {{QStringLiteral("from"), false}, {QStringLiteral("to"), true}}}});
    return {};
}

Result<void> AuthService::disableMfa(
    const Principal &principal, const QString &code, const RequestMeta &meta, Throttled *throttled)
{
    auto user = storedUser(principal);
    if (!user.ok())
        return user.error();
    if (!user->mfaEnabled)
        return ApiError::conflict(QStringLiteral("MFA is not enabled"));
    const QString key = QStringLiteral("mfa|") + user->id;
    if (const int wait = m_mfaThrottle.retryAfterSeconds(key); wait > 0) {
        if (throttled)
            throttled->retryAfterSeconds = wait;
        return ApiError {
            ErrorCode::RateLimited, QStringLiteral("Too many failed codes; try again later"), {}};
    }
    // Turning MFA off needs a fresh code: a stolen access token alone must not be enough.
    auto counter = checkCode(user->id, code, true);
    if (!counter.ok() || !m_store.mfa.consumeCounter(user->id, *counter).ok()) {
        m_mfaThrottle.recordFailure(key);
        audit(QStringLiteral("auth.mfa.failed"), &*user, meta);
        return wrongCode();
    }
    store::Transaction tx(m_store.db());
    if (!tx.isActive())
        return tx.error();
    if (auto r = m_store.mfa.remove(user->id); !r.ok())
        return r.error();
    if (auto r = m_store.users.setMfaEnabled(
            store::TenantScope::forAccount(user->tenantId), user->id, false, m_clock.nowMs());
        !r.ok())
        return r.error();
    if (auto r = tx.commit(); !r.ok())
        return r.error();
    audit(QStringLiteral("auth.mfa.disabled"), &*user, meta,
        {{QStringLiteral("mfaEnabled"),
            QJsonObject {{QStringLiteral("from"), true}, {QStringLiteral("to"), false}}}});
    return {};
}

} // namespace lm::auth
