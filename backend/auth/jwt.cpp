// SPDX-License-Identifier: GPL-3.0-or-later
#include "jwt.h"

#include "auth/sodium.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <sodium.h>

namespace lm::auth {

namespace {
constexpr auto kEncoding = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;
constexpr qint64 kClockSkewSeconds = 60;

ApiError invalid(const char *why = "invalid token")
{
    return ApiError::unauthorized(QString::fromLatin1(why));
}

bool isBase64Url(QByteArrayView segment)
{
    if (segment.isEmpty())
        return false;
    for (char c : segment) {
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'
            || c == '_';
        if (!ok)
            return false;
    }
    return true;
}

std::optional<QJsonObject> decodeObject(QByteArrayView segment)
{
    const auto decoded = QByteArray::fromBase64Encoding(
        segment.toByteArray(), kEncoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return std::nullopt;
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(*decoded, &err);
    if (err.error != QJsonParseError::NoError || !doc.isObject())
        return std::nullopt;
    return doc.object();
}
} // namespace

JwtCodec::JwtCodec(QByteArray key, QString issuer, QString audience)
    : m_key(std::move(key))
    , m_issuer(std::move(issuer))
    , m_audience(std::move(audience))
{
    (void)ensureSodium();
    Q_ASSERT(m_key.size() >= 32);
}

QByteArray JwtCodec::mac(QByteArrayView signingInput) const
{
    QByteArray out(crypto_auth_hmacsha256_BYTES, Qt::Uninitialized);
    crypto_auth_hmacsha256_state state;
    crypto_auth_hmacsha256_init(
        &state, reinterpret_cast<const unsigned char *>(m_key.constData()), std::size_t(m_key.size()));
    crypto_auth_hmacsha256_update(
        &state, reinterpret_cast<const unsigned char *>(signingInput.data()), quint64(signingInput.size()));
    crypto_auth_hmacsha256_final(&state, reinterpret_cast<unsigned char *>(out.data()));
    return out;
}

QByteArray JwtCodec::sign(QJsonObject claims, const QString &type) const
{
    claims.insert(QStringLiteral("iss"), m_issuer);
    claims.insert(QStringLiteral("aud"), m_audience);
    const QJsonObject header {
        {QStringLiteral("alg"), QStringLiteral("HS256")}, {QStringLiteral("typ"), type}};
    QByteArray token = QJsonDocument(header).toJson(QJsonDocument::Compact).toBase64(kEncoding) + '.'
        + QJsonDocument(claims).toJson(QJsonDocument::Compact).toBase64(kEncoding);
    token += '.' + mac(token).toBase64(kEncoding);
    return token;
}

Result<QJsonObject> JwtCodec::verify(
    QByteArrayView token, const QString &expectedType, qint64 nowSeconds) const
{
    if (token.size() > kMaxTokenBytes)
        return invalid();
    const qsizetype dot1 = token.indexOf('.');
    const qsizetype dot2 = dot1 < 0 ? -1 : token.indexOf('.', dot1 + 1);
    if (dot1 < 0 || dot2 < 0 || token.indexOf('.', dot2 + 1) >= 0)
        return invalid();
    const QByteArrayView headerPart = token.first(dot1);
    const QByteArrayView payloadPart = token.sliced(dot1 + 1, dot2 - dot1 - 1);
    const QByteArrayView signaturePart = token.sliced(dot2 + 1);
    if (!isBase64Url(headerPart) || !isBase64Url(payloadPart) || !isBase64Url(signaturePart))
        return invalid();

    const auto header = decodeObject(headerPart);
    // The algorithm is allow-listed: a token cannot choose how it is checked.
    if (!header || header->value(QStringLiteral("alg")).toString() != QLatin1String("HS256"))
        return invalid();
    if (header->value(QStringLiteral("typ")).toString() != expectedType)
        return invalid();

    const auto signature = QByteArray::fromBase64Encoding(
        signaturePart.toByteArray(), kEncoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!signature || signature.decoded.size() != crypto_auth_hmacsha256_BYTES)
        return invalid();
    const QByteArray expected = mac(token.first(dot2));
    if (sodium_memcmp(expected.constData(), signature.decoded.constData(), crypto_auth_hmacsha256_BYTES) != 0)
        return invalid();

    const auto claims = decodeObject(payloadPart);
    if (!claims)
        return invalid();
    if (claims->value(QStringLiteral("iss")).toString() != m_issuer)
        return invalid();
    const QJsonValue aud = claims->value(QStringLiteral("aud"));
    const bool audienceOk = aud.isString() ? aud.toString() == m_audience
                                           : aud.isArray() && aud.toArray().contains(QJsonValue(m_audience));
    if (!audienceOk)
        return invalid();
    const QJsonValue exp = claims->value(QStringLiteral("exp"));
    if (!exp.isDouble())
        return invalid();
    if (nowSeconds >= exp.toInteger())
        return invalid("token expired");
    const QJsonValue iat = claims->value(QStringLiteral("iat"));
    if (!iat.isUndefined() && (!iat.isDouble() || iat.toInteger() > nowSeconds + kClockSkewSeconds))
        return invalid();
    const QJsonValue nbf = claims->value(QStringLiteral("nbf"));
    if (!nbf.isUndefined() && (!nbf.isDouble() || nbf.toInteger() > nowSeconds + kClockSkewSeconds))
        return invalid();
    return *claims;
}

} // namespace lm::auth
