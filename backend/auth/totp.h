// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringView>

#include <optional>

namespace lm::auth::Totp {

// RFC 6238: HMAC-SHA1, 30-second steps, 6 digits — what every authenticator app speaks.

/// Length of one time step in seconds.
inline constexpr int kStepSeconds = 30;
/// Digits of a code.
inline constexpr int kDigits = 6;

/// 160 random bits (the RFC 4226 recommended secret size).
[[nodiscard]] QByteArray generateSecret();
/// RFC 4648 base32 without padding (what authenticator apps expect).
[[nodiscard]] QString toBase32(const QByteArray &secret);
/// otpauth://totp/Issuer:account?secret=…&issuer=Issuer&algorithm=SHA1&digits=6&period=30
[[nodiscard]] QString otpauthUrl(const QString &issuer, const QString &account, const QByteArray &secret);
/// The code for a moment, or empty when it cannot be computed.
[[nodiscard]] QString codeAt(const QByteArray &secret, qint64 unixSeconds);
/// The time-step counter a code matches within ±window steps, or nullopt (wrong, or not 6 ASCII digits).
[[nodiscard]] std::optional<quint64> verify(
    const QByteArray &secret, QStringView code, qint64 unixSeconds, int window = 1);

} // namespace lm::auth::Totp
