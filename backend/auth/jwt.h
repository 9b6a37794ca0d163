// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/result.h"

#include <QByteArrayView>
#include <QJsonObject>

namespace lm::auth {

/// HS256 JSON Web Tokens (RFC 7519) with an allow-listed algorithm: nothing but HS256 is accepted.
class JwtCodec
{
public:
    /// `key` must be at least 32 bytes.
    JwtCodec(QByteArray key, QString issuer, QString audience);

    /// Signs the claims (adding iss and aud) under header {"alg":"HS256","typ":type}.
    [[nodiscard]] QByteArray sign(QJsonObject claims, const QString &type) const;
    /// The claims of a token we signed, of that type, unexpired; otherwise UNAUTHORIZED.
    [[nodiscard]] Result<QJsonObject> verify(
        QByteArrayView token, const QString &expectedType, qint64 nowSeconds) const;

    static constexpr qsizetype kMaxTokenBytes = 8192;

private:
    [[nodiscard]] QByteArray mac(QByteArrayView signingInput) const;

    QByteArray m_key;
    QString m_issuer;
    QString m_audience;
};

} // namespace lm::auth
