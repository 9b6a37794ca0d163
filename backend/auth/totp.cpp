// SPDX-License-Identifier: GPL-3.0-or-later
#include "auth/totp.h"

#include "auth/sodium.h"

#include <QUrl>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <liboath/oath.h>
#include <sodium.h>

namespace lm::auth::Totp {

namespace {
constexpr int kSecretBytes = 20;

bool ensureOath()
{
    // oath_init() is not itself thread-safe; the static makes it run once.
    static const bool ok = oath_init() == OATH_OK;
    return ok;
}

// liboath's plain validate compares with strcmp; compare in constant time instead.
int constantTimeCompare(void *handle, const char *candidate)
{
    const char *given = static_cast<const char *>(handle);
    if (std::strlen(candidate) != std::size_t(kDigits))
        return 1;
    return sodium_memcmp(given, candidate, std::size_t(kDigits)) == 0 ? 0 : 1;
}

QString percentEncoded(const QString &text)
{
    // Unreserved characters stay; everything else (space, '@', ':', '&', …) becomes %XX, never '+'.
    return QString::fromLatin1(QUrl::toPercentEncoding(text));
}
} // namespace

QByteArray generateSecret()
{
    if (!ensureSodium())
        return {};
    QByteArray secret(kSecretBytes, Qt::Uninitialized);
    randombytes_buf(secret.data(), std::size_t(secret.size()));
    return secret;
}

QString toBase32(const QByteArray &secret)
{
    if (!ensureOath() || secret.isEmpty())
        return {};
    char *out = nullptr;
    size_t outLength = 0;
    if (oath_base32_encode(secret.constData(), size_t(secret.size()), &out, &outLength) != OATH_OK)
        return {};
    QString encoded = QString::fromLatin1(out, qsizetype(outLength));
    std::free(out); // allocated by liboath with malloc
    while (encoded.endsWith(QLatin1Char('=')))
        encoded.chop(1);
    return encoded;
}

QString otpauthUrl(const QString &issuer, const QString &account, const QByteArray &secret)
{
    // Key URI format: the label is "Issuer:account" with each part encoded, the ':' literal.
    // Concatenated, not QString::arg(): a second arg() would rewrite the "%3A" of encoded text.
    const QString encodedIssuer = percentEncoded(issuer);
    return QLatin1String("otpauth://totp/") + encodedIssuer + QLatin1Char(':') + percentEncoded(account)
        + QLatin1String("?secret=") + toBase32(secret) + QLatin1String("&issuer=") + encodedIssuer
        + QLatin1String("&algorithm=SHA1&digits=") + QString::number(kDigits) + QLatin1String("&period=")
        + QString::number(kStepSeconds);
}

QString codeAt(const QByteArray &secret, qint64 unixSeconds)
{
    if (!ensureOath() || secret.isEmpty())
        return {};
    char out[kDigits + 1] = {};
    if (oath_totp_generate(
            secret.constData(), size_t(secret.size()), time_t(unixSeconds), kStepSeconds, 0, kDigits, out)
        != OATH_OK)
        return {};
    return QString::fromLatin1(out, kDigits);
}

std::optional<quint64> verify(const QByteArray &secret, QStringView code, qint64 unixSeconds, int window)
{
    if (!ensureOath() || secret.isEmpty() || code.size() != kDigits)
        return std::nullopt;
    char given[kDigits + 1] = {};
    for (qsizetype i = 0; i < kDigits; ++i) {
        const char16_t c = code[i].unicode();
        // ASCII only: QChar::isDigit() would also admit other scripts' digits.
        if (c < u'0' || c > u'9')
            return std::nullopt;
        given[i] = char(c);
    }
    int position = 0;
    uint64_t counter = 0;
    const int rc = oath_totp_validate3_callback(secret.constData(), size_t(secret.size()),
        time_t(unixSeconds), kStepSeconds, 0, kDigits, size_t(std::max(0, window)), &position, &counter,
        constantTimeCompare, given);
    if (rc < 0)
        return std::nullopt;
    return quint64(counter);
}

} // namespace lm::auth::Totp
