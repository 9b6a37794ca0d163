// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace lm::auth {

/// Authenticated encryption for secrets at rest (libsodium secretbox: XSalsa20-Poly1305).
/// Neither keys nor plaintexts are ever logged.
class SecretBox
{
public:
    /// Key size in bytes.
    static constexpr qsizetype kKeyBytes = 32;

    /// `key` must be kKeyBytes; with another size seal() returns empty and open() refuses.
    explicit SecretBox(QByteArray key);
    /// A random nonce followed by the ciphertext (MAC included); empty on failure.
    [[nodiscard]] QByteArray seal(const QByteArray &plaintext) const;
    /// The plaintext, or nullopt when too short, tampered with or sealed under another key.
    [[nodiscard]] std::optional<QByteArray> open(const QByteArray &sealed) const;

private:
    QByteArray m_key;
};

/// Key files in the data dir, created on first use with mode 0600.
namespace KeyFile {
/// Reads the key at `path`, or creates it with `bytes` random bytes (atomically; permissions
/// broader than 0600 are tightened). A file of the wrong size is an error, never replaced.
[[nodiscard]] Result<QByteArray> loadOrCreate(const QString &path, int bytes = 32);
} // namespace KeyFile

} // namespace lm::auth
