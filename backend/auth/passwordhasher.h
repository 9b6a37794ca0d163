// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>

#include <cstddef>

namespace lm::auth {

/// argon2id password hashes (libsodium) at the OWASP minimum: 19 MiB, 2 iterations, 1 lane.
/// Slow on purpose: call from the blocking pool, never from an I/O thread.
class PasswordHasher
{
public:
    /// Iterations (argon2 t).
    static constexpr unsigned long long kOpsLimit = 2;
    /// Memory in bytes (argon2 m = 19456 KiB).
    static constexpr std::size_t kMemLimitBytes = 19 * 1024 * 1024;

    /// The encoded `$argon2id$v=19$m=19456,t=2,p=1$…` string, or empty on failure.
    [[nodiscard]] static QByteArray hash(const QByteArray &password);
    /// True when the password matches; false for garbage or empty encodings.
    [[nodiscard]] static bool verify(const QByteArray &encoded, const QByteArray &password);
    /// True when the hash was made with other parameters (or is unreadable) and should be redone.
    [[nodiscard]] static bool needsRehash(const QByteArray &encoded);
    /// Costs one verification against a fixed hash, so an unknown e-mail takes as long as a wrong password.
    static void equalizeTiming(const QByteArray &password);
};

} // namespace lm::auth
