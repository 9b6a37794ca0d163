// SPDX-License-Identifier: GPL-3.0-or-later
#include "auth/jwt.h"

#include "auth/sodium.h"
#include "core/logging.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonValue>

#include <array>
#include <cmath>
#include <optional>
#include <sodium.h>

namespace lm::auth {

namespace {
constexpr auto kEncoding = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;
constexpr auto kDecoding = kEncoding | QByteArray::AbortOnBase64DecodingErrors;
// 32 bytes of HMAC-SHA256 are 43 base64url characters without padding.
constexpr qsizetype kSignatureChars = 43;

using Mac = std::array<unsigned char, crypto_auth_hmacsha256_BYTES>;

ApiError refuse(const char *why = "invalid token")
{
    return ApiError::unauthorized(QString::fromLatin1(why));
}

int base64UrlValue(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '-')
        return 62;
    if (c == '_')
        return 63;
    return -1;
}

bool isBase64Url(QByteArrayView segment)
{
    if (segment.isEmpty())
        return false;
    for (char c : segment) {
        if (base64UrlValue(c) < 0)
            return false;
    }
    return true;
}

std::optional<QJsonObject> decodeObject(QByteArrayView segment)
{
    // The rvalue overload decodes in place: one allocation for the bytes, then the JSON parse.
    auto decoded = QByteArray::fromBase64Encoding(segment.toByteArray(), kDecoding);
    if (!decoded)
        return std::nullopt;
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(decoded.decoded, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return std::nullopt;
    return doc.object();
}

Mac hmac(const QByteArray &key, QByteArrayView input)
{
    // The streaming API, because the one-shot crypto_auth_hmacsha256 takes exactly 32 key bytes.
    Mac out;
    crypto_auth_hmacsha256_state state;
    crypto_auth_hmacsha256_init(
        &state, reinterpret_cast<const unsigned char *>(key.constData()), std::size_t(key.size()));
    crypto_auth_hmacsha256_update(
        &state, reinterpret_cast<const unsigned char *>(input.data()), quint64(input.size()));
    crypto_auth_hmacsha256_final(&state, out.data());
    sodium_memzero(&state, sizeof state);
    return out;
}

// A numeric date (RFC 7519 §2): a finite JSON number.
std::optional<double> numericDate(const QJsonValue &value)
{
    if (!value.isDouble())
        return std::nullopt;
    const double d = value.toDouble();
    if (!std::isfinite(d))
        return std::nullopt;
    return d;
}
} // namespace

JwtCodec::JwtCodec(QByteArray key, QString issuer, QString audience)
    : m_key(std::move(key))
    , m_issuer(std::move(issuer))
    , m_audience(std::move(audience))
{
    (void)ensureSodium();
    // No exceptions here: a short key makes the codec refuse everything, loudly once.
    if (m_key.size() < kMinKeyBytes)
        qCCritical(lmAuth) << "JWT signing key too short:" << m_key.size() << "bytes; all tokens are refused";
}

QByteArray JwtCodec::sign(QJsonObject claims, const QString &type) const
{
    if (m_key.size() < kMinKeyBytes || !ensureSodium())
        return {};
    claims.insert(QStringLiteral("iss"), m_issuer);
    claims.insert(QStringLiteral("aud"), m_audience);
    // QJsonDocument writes keys sorted, so this is exactly {"alg":"HS256","typ":…}.
    const QJsonObject header {
        {QStringLiteral("alg"), QStringLiteral("HS256")}, {QStringLiteral("typ"), type}};
    QByteArray token = QJsonDocument(header).toJson(QJsonDocument::Compact).toBase64(kEncoding);
    token += '.';
    token += QJsonDocument(claims).toJson(QJsonDocument::Compact).toBase64(kEncoding);
    const Mac mac = hmac(m_key, token);
    token += '.';
    token += QByteArray::fromRawData(reinterpret_cast<const char *>(mac.data()), qsizetype(mac.size()))
                 .toBase64(kEncoding);
    return token;
}

Result<QJsonObject> JwtCodec::verify(
    QByteArrayView token, const QString &expectedType, qint64 nowSeconds) const
{
    if (m_key.size() < kMinKeyBytes || !ensureSodium())
        return refuse();

    // 1. Shape: three non-empty base64url segments, bounded size.
    if (token.size() > kMaxTokenBytes)
        return refuse();
    const qsizetype dot1 = token.indexOf('.');
    const qsizetype dot2 = dot1 < 0 ? -1 : token.indexOf('.', dot1 + 1);
    if (dot1 < 0 || dot2 < 0 || token.indexOf('.', dot2 + 1) >= 0)
        return refuse();
    const QByteArrayView headerPart = token.first(dot1);
    const QByteArrayView payloadPart = token.sliced(dot1 + 1, dot2 - dot1 - 1);
    const QByteArrayView signaturePart = token.sliced(dot2 + 1);
    if (!isBase64Url(headerPart) || !isBase64Url(payloadPart) || !isBase64Url(signaturePart))
        return refuse();

    // 2. Header: the algorithm is allow-listed, so a token cannot choose how it is checked
    // ("none", HS512, RS256 with our key as a "public key", … are all refused).
    const auto header = decodeObject(headerPart);
    if (!header)
        return refuse();
    const QJsonValue alg = header->value(QLatin1String("alg"));
    if (!alg.isString() || alg.toString() != QLatin1String("HS256"))
        return refuse();
    const QJsonValue typ = header->value(QLatin1String("typ"));
    if (!typ.isString() || typ.toString() != expectedType)
        return refuse();
    // We understand no critical extensions, so a token that requires one is refused (RFC 7515 §4.1.11).
    if (header->contains(QLatin1String("crit")))
        return refuse();

    // 3. Signature, in constant time, before anything in the payload is looked at. Only the canonical
    // encoding is accepted (the last character's two spare bits must be zero), so a token has one spelling.
    if (signaturePart.size() != kSignatureChars || (base64UrlValue(signaturePart.back()) & 0x3) != 0)
        return refuse();
    const auto signature = QByteArray::fromBase64Encoding(signaturePart.toByteArray(), kDecoding);
    if (!signature || signature.decoded.size() != qsizetype(crypto_auth_hmacsha256_BYTES))
        return refuse();
    const Mac expected = hmac(m_key, token.first(dot2));
    if (sodium_memcmp(expected.data(), signature.decoded.constData(), expected.size()) != 0)
        return refuse();

    // 4. Claims.
    const auto claims = decodeObject(payloadPart);
    if (!claims)
        return refuse();
    const QJsonValue iss = claims->value(QLatin1String("iss"));
    if (!iss.isString() || iss.toString() != m_issuer)
        return refuse();
    const QJsonValue aud = claims->value(QLatin1String("aud"));
    const bool audienceOk = aud.isString() ? aud.toString() == m_audience
                                           : aud.isArray() && aud.toArray().contains(QJsonValue(m_audience));
    if (!audienceOk)
        return refuse();
    const auto exp = numericDate(claims->value(QLatin1String("exp")));
    if (!exp)
        return refuse();
    const double now = double(nowSeconds);
    if (!(now < *exp))
        return refuse("token expired");
    if (const QJsonValue iat = claims->value(QLatin1String("iat")); !iat.isUndefined()) {
        const auto issuedAt = numericDate(iat);
        if (!issuedAt)
            return refuse();
        if (*issuedAt > now + double(kClockSkewSeconds))
            return refuse("token issued in the future");
    }
    if (const QJsonValue nbf = claims->value(QLatin1String("nbf")); !nbf.isUndefined()) {
        const auto notBefore = numericDate(nbf);
        if (!notBefore)
            return refuse();
        if (*notBefore > now + double(kClockSkewSeconds))
            return refuse("token not yet valid");
    }
    return *claims;
}

} // namespace lm::auth
