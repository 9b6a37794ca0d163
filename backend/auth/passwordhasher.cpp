// SPDX-License-Identifier: GPL-3.0-or-later
#include "auth/passwordhasher.h"

#include "auth/sodium.h"

#include <cstring>
#include <sodium.h>

namespace lm::auth {

namespace {
// libsodium reads encoded hashes as C strings in a buffer of crypto_pwhash_STRBYTES; copy into one
// so a QByteArray without room (or with an embedded NUL) can never be over-read or truncated.
bool toCString(const QByteArray &encoded, char (&buffer)[crypto_pwhash_STRBYTES])
{
    if (encoded.isEmpty() || encoded.size() >= qsizetype(crypto_pwhash_STRBYTES)
        || std::memchr(encoded.constData(), '\0', std::size_t(encoded.size())) != nullptr)
        return false;
    std::memcpy(buffer, encoded.constData(), std::size_t(encoded.size()));
    buffer[encoded.size()] = '\0';
    return true;
}
} // namespace

QByteArray PasswordHasher::hash(const QByteArray &password)
{
    if (!ensureSodium())
        return {};
    char out[crypto_pwhash_STRBYTES] = {};
    if (crypto_pwhash_str_alg(out, password.constData(), quint64(password.size()), kOpsLimit, kMemLimitBytes,
            crypto_pwhash_ALG_ARGON2ID13)
        != 0)
        return {};
    return QByteArray(out);
}

bool PasswordHasher::verify(const QByteArray &encoded, const QByteArray &password)
{
    char buffer[crypto_pwhash_STRBYTES];
    if (!ensureSodium() || !toCString(encoded, buffer))
        return false;
    return crypto_pwhash_str_verify(buffer, password.constData(), quint64(password.size())) == 0;
}

bool PasswordHasher::needsRehash(const QByteArray &encoded)
{
    char buffer[crypto_pwhash_STRBYTES];
    if (!ensureSodium() || !toCString(encoded, buffer))
        return true;
    // 0: same algorithm and parameters; 1: other parameters; -1: not an argon2id string.
    return crypto_pwhash_str_needs_rehash(buffer, kOpsLimit, kMemLimitBytes) != 0;
}

void PasswordHasher::equalizeTiming(const QByteArray &password)
{
    // Computed once on first use; the static's initialisation is thread-safe.
    static const QByteArray dummy = hash(QByteArrayLiteral("leadmetrics-timing-equalizer"));
    (void)verify(dummy, password);
}

} // namespace lm::auth
