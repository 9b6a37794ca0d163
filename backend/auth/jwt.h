// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonObject>
#include <QString>

namespace lm::auth {

/// HS256 JSON Web Tokens (RFC 7519) with an allow-listed algorithm: nothing but HS256 is accepted.
class JwtCodec
{
public:
    /// Longest token verify() looks at; anything longer is refused unread.
    static constexpr qsizetype kMaxTokenBytes = 8192;
    /// Shortest accepted key (the HMAC-SHA256 output size).
    static constexpr qsizetype kMinKeyBytes = 32;
    /// Tolerated clock difference for `iat` and `nbf`.
    static constexpr qint64 kClockSkewSeconds = 60;

    /// `key` must be at least kMinKeyBytes; with a shorter one sign() returns empty and verify() refuses.
    JwtCodec(QByteArray key, QString issuer, QString audience);

    /// Signs the claims (adding iss and aud) under header {"alg":"HS256","typ":type}.
    [[nodiscard]] QByteArray sign(QJsonObject claims, const QString &type) const;
    /// The claims of a token we signed, of that type, unexpired; otherwise UNAUTHORIZED.
    [[nodiscard]] Result<QJsonObject> verify(
        QByteArrayView token, const QString &expectedType, qint64 nowSeconds) const;

    [[nodiscard]] const QString &issuer() const { return m_issuer; }
    [[nodiscard]] const QString &audience() const { return m_audience; }

private:
    QByteArray m_key;
    QString m_issuer;
    QString m_audience;
};

} // namespace lm::auth
