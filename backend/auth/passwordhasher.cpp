// SPDX-License-Identifier: GPL-3.0-or-later
#include "passwordhasher.h"

#include "auth/sodium.h"

#include <sodium.h>

namespace lm::auth {

QByteArray PasswordHasher::hash(const QByteArray &password)
{
    if (!ensureSodium())
        return {};
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(out, password.constData(), quint64(password.size()), kOpsLimit, kMemLimitBytes,
            crypto_pwhash_ALG_ARGON2ID13)
        != 0)
        return {};
    return QByteArray(out);
}

bool PasswordHasher::verify(const QByteArray &encoded, const QByteArray &password)
{
    if (!ensureSodium() || encoded.isEmpty() || encoded.size() >= crypto_pwhash_STRBYTES)
        return false;
    // crypto_pwhash_str_verify wants a NUL-terminated buffer of its own size.
    char buffer[crypto_pwhash_STRBYTES] = {};
    std::memcpy(buffer, encoded.constData(), std::size_t(encoded.size()));
    return crypto_pwhash_str_verify(buffer, password.constData(), quint64(password.size())) == 0;
}

bool PasswordHasher::needsRehash(const QByteArray &encoded)
{
    if (encoded.isEmpty() || encoded.size() >= crypto_pwhash_STRBYTES)
        return true;
    char buffer[crypto_pwhash_STRBYTES] = {};
    std::memcpy(buffer, encoded.constData(), std::size_t(encoded.size()));
    return crypto_pwhash_str_needs_rehash(buffer, kOpsLimit, kMemLimitBytes) != 0;
}

void PasswordHasher::equalizeTiming(const QByteArray &password)
{
    static const QByteArray dummy = hash(QByteArrayLiteral("leadmetrics-timing-equalizer"));
    (void)verify(dummy, password);
}

} // namespace lm::auth
