// SPDX-License-Identifier: GPL-3.0-or-later
#include "totp.h"

#include "auth/sodium.h"

#include <QUrl>

#include <cstdlib>
#include <liboath/oath.h>
#include <sodium.h>

namespace lm::auth::Totp {

namespace {
constexpr unsigned kStep = 30;
constexpr unsigned kDigits = 6;

bool ensureOath()
{
    static const bool ok = oath_init() == OATH_OK;
    return ok;
}
} // namespace

QByteArray generateSecret()
{
    (void)ensureSodium();
    QByteArray secret(20, Qt::Uninitialized);
    randombytes_buf(secret.data(), std::size_t(secret.size()));
    return secret;
}

QString toBase32(const QByteArray &secret)
{
    if (!ensureOath())
        return {};
    char *out = nullptr;
    size_t outLength = 0;
    if (oath_base32_encode(secret.constData(), size_t(secret.size()), &out, &outLength) != OATH_OK)
        return {};
    QString encoded = QString::fromLatin1(out, qsizetype(outLength));
    std::free(out);
    while (encoded.endsWith(QLatin1Char('=')))
        encoded.chop(1);
    return encoded;
}

QString otpauthUrl(const QString &issuer, const QString &account, const QByteArray &secret)
{
    const QString label = QString::fromLatin1(QUrl::toPercentEncoding(issuer)) + QLatin1Char(':')
        + QString::fromLatin1(QUrl::toPercentEncoding(account));
    return QStringLiteral("otpauth://totp/%1?secret=%2&issuer=%3&algorithm=SHA1&digits=6&period=30")
        .arg(label, toBase32(secret), QString::fromLatin1(QUrl::toPercentEncoding(issuer)));
}

QString codeAt(const QByteArray &secret, qint64 unixSeconds)
{
    if (!ensureOath())
        return {};
    char out[kDigits + 1] = {};
    if (oath_totp_generate(
            secret.constData(), size_t(secret.size()), time_t(unixSeconds), kStep, 0, kDigits, out)
        != OATH_OK)
        return {};
    return QString::fromLatin1(out);
}

std::optional<quint64> verify(const QByteArray &secret, QStringView code, qint64 unixSeconds, int window)
{
    if (!ensureOath() || code.size() != int(kDigits))
        return std::nullopt;
    for (QChar c : code) {
        if (c < QLatin1Char('0') || c > QLatin1Char('9'))
            return std::nullopt;
    }
    const QByteArray otp = code.toLatin1();
    int position = 0;
    uint64_t counter = 0;
    const int rc = oath_totp_validate3(secret.constData(), size_t(secret.size()), time_t(unixSeconds), kStep,
        0, size_t(std::max(0, window)), &position, &counter, otp.constData());
    if (rc < 0)
        return std::nullopt;
    return quint64(counter);
}

} // namespace lm::auth::Totp
