// SPDX-License-Identifier: GPL-3.0-or-later
#include "secretbox.h"

#include "auth/sodium.h"
#include "core/logging.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

#include <sodium.h>

namespace lm::auth {

SecretBox::SecretBox(QByteArray key)
    : m_key(std::move(key))
{
    (void)ensureSodium();
    Q_ASSERT(m_key.size() == crypto_secretbox_KEYBYTES);
}

QByteArray SecretBox::seal(const QByteArray &plaintext) const
{
    QByteArray out(qsizetype(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) + plaintext.size(),
        Qt::Uninitialized);
    auto *nonce = reinterpret_cast<unsigned char *>(out.data());
    randombytes_buf(nonce, crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(nonce + crypto_secretbox_NONCEBYTES,
        reinterpret_cast<const unsigned char *>(plaintext.constData()), quint64(plaintext.size()), nonce,
        reinterpret_cast<const unsigned char *>(m_key.constData()));
    return out;
}

std::optional<QByteArray> SecretBox::open(const QByteArray &sealed) const
{
    constexpr qsizetype overhead = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES;
    if (sealed.size() < overhead)
        return std::nullopt;
    QByteArray plain(sealed.size() - overhead, Qt::Uninitialized);
    const auto *nonce = reinterpret_cast<const unsigned char *>(sealed.constData());
    if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char *>(plain.data()),
            nonce + crypto_secretbox_NONCEBYTES, quint64(sealed.size() - crypto_secretbox_NONCEBYTES), nonce,
            reinterpret_cast<const unsigned char *>(m_key.constData()))
        != 0)
        return std::nullopt;
    return plain;
}

namespace KeyFile {

Result<QByteArray> loadOrCreate(const QString &path, int bytes)
{
    (void)ensureSodium();
    constexpr auto ownerOnly = QFile::ReadOwner | QFile::WriteOwner;
    if (!QFileInfo::exists(path)) {
        if (!QDir().mkpath(QFileInfo(path).absolutePath()))
            return ApiError::internal(QStringLiteral("cannot create the folder of %1").arg(path));
        QFile::setPermissions(
            QFileInfo(path).absolutePath(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        QByteArray key(bytes, Qt::Uninitialized);
        randombytes_buf(key.data(), std::size_t(bytes));
        QSaveFile file(path);
        if (!file.open(QIODevice::WriteOnly) || !file.setPermissions(ownerOnly) || file.write(key) != bytes)
            return ApiError::internal(QStringLiteral("cannot write the key file %1").arg(path));
        if (QFileInfo::exists(path)) {
            // Another process won the race: use its key, not ours.
            file.cancelWriting();
        } else if (!file.commit()) {
            if (!QFileInfo::exists(path))
                return ApiError::internal(QStringLiteral("cannot write the key file %1").arg(path));
        }
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return ApiError::internal(QStringLiteral("cannot read the key file %1").arg(path));
    const QByteArray key = file.readAll();
    if (key.size() != bytes)
        return ApiError::internal(
            QStringLiteral("the key file %1 has %2 bytes, expected %3; refusing to replace it")
                .arg(path)
                .arg(key.size())
                .arg(bytes));
    if (file.permissions() & ~(ownerOnly | QFile::ReadUser | QFile::WriteUser)) {
        qCWarning(lmAuth) << "tightening the permissions of" << path << "to 0600";
        file.setPermissions(ownerOnly);
    }
    return key;
}

} // namespace KeyFile

} // namespace lm::auth
