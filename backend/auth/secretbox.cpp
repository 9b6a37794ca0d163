// SPDX-License-Identifier: GPL-3.0-or-later
#include "auth/secretbox.h"

#include "auth/sodium.h"
#include "core/logging.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStringList>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

namespace lm::auth {

static_assert(SecretBox::kKeyBytes == crypto_secretbox_KEYBYTES);

SecretBox::SecretBox(QByteArray key)
    : m_key(std::move(key))
{
    (void)ensureSodium();
    if (m_key.size() != kKeyBytes)
        qCCritical(lmAuth) << "secret box key has" << m_key.size() << "bytes, expected" << kKeyBytes
                           << "; nothing can be sealed or opened";
}

QByteArray SecretBox::seal(const QByteArray &plaintext) const
{
    if (m_key.size() != kKeyBytes || !ensureSodium())
        return {};
    QByteArray out(qsizetype(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) + plaintext.size(),
        Qt::Uninitialized);
    auto *nonce = reinterpret_cast<unsigned char *>(out.data());
    // 24-byte random nonces: collisions are negligible, so no counter has to be persisted.
    randombytes_buf(nonce, crypto_secretbox_NONCEBYTES);
    if (crypto_secretbox_easy(nonce + crypto_secretbox_NONCEBYTES,
            reinterpret_cast<const unsigned char *>(plaintext.constData()), quint64(plaintext.size()), nonce,
            reinterpret_cast<const unsigned char *>(m_key.constData()))
        != 0)
        return {};
    return out;
}

std::optional<QByteArray> SecretBox::open(const QByteArray &sealed) const
{
    constexpr qsizetype overhead = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES;
    if (m_key.size() != kKeyBytes || !ensureSodium() || sealed.size() < overhead)
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

namespace {
constexpr auto kOwnerOnly = QFile::ReadOwner | QFile::WriteOwner;

QString systemError()
{
    return QString::fromLocal8Bit(std::strerror(errno));
}

bool writeAll(int fd, const char *data, std::size_t size)
{
    while (size > 0) {
        const ssize_t n = ::write(fd, data, size);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        data += n;
        size -= std::size_t(n);
    }
    return true;
}

// Publishes tmp at path unless path already exists (then the other writer's key wins).
// rename() would silently replace a key another process has already read, so use the
// no-replace variants: renameat2(RENAME_NOREPLACE), or link() where the filesystem lacks it.
bool publishWithoutReplacing(const QByteArray &tmp, const QByteArray &path, bool &lostRace)
{
    lostRace = false;
    if (::renameat2(AT_FDCWD, tmp.constData(), AT_FDCWD, path.constData(), RENAME_NOREPLACE) == 0)
        return true;
    if (errno == EEXIST) {
        lostRace = true;
        ::unlink(tmp.constData());
        return true;
    }
    if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
        return false;
    const int linked = ::link(tmp.constData(), path.constData());
    const int linkErrno = errno;
    ::unlink(tmp.constData());
    if (linked == 0)
        return true;
    errno = linkErrno;
    if (errno == EEXIST) {
        lostRace = true;
        return true;
    }
    return false;
}

// Creates the parent folders that are missing, owner-only (folders that already exist are left alone).
bool makeParentDirs(const QString &dirPath)
{
    QStringList missing;
    for (QFileInfo info(dirPath); !info.exists(); info = QFileInfo(info.absolutePath())) {
        missing.prepend(info.absoluteFilePath());
        if (info.isRoot() || info.absoluteFilePath() == info.absolutePath())
            break;
    }
    if (missing.isEmpty())
        return QFileInfo(dirPath).isDir();
    if (!QDir().mkpath(dirPath))
        return false;
    for (const QString &dir : std::as_const(missing))
        QFile::setPermissions(dir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    return true;
}

Result<void> create(const QString &path, int bytes)
{
    const QString dirPath = QFileInfo(path).absolutePath();
    if (!makeParentDirs(dirPath))
        return ApiError::internal(
            QStringLiteral("cannot create the folder %1 for the key file").arg(dirPath));

    QByteArray key(bytes, Qt::Uninitialized);
    randombytes_buf(key.data(), std::size_t(key.size()));

    // A uniquely named temp file in the same folder (same filesystem, so the publish is atomic),
    // created 0600 from the start: the key is never readable by others, not even briefly.
    QByteArray suffix(8, Qt::Uninitialized);
    randombytes_buf(suffix.data(), std::size_t(suffix.size()));
    const QByteArray target = QFile::encodeName(QFileInfo(path).absoluteFilePath());
    const QByteArray tmp = target + ".tmp-" + suffix.toHex();
    const int fd = ::open(tmp.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return ApiError::internal(QStringLiteral("cannot create a temporary file next to the key file %1: %2")
                                      .arg(path, systemError()));
    const bool written = writeAll(fd, key.constData(), std::size_t(key.size())) && ::fsync(fd) == 0;
    const QString writeError = written ? QString() : systemError();
    ::close(fd);
    sodium_memzero(key.data(), std::size_t(key.size()));
    if (!written) {
        ::unlink(tmp.constData());
        return ApiError::internal(QStringLiteral("cannot write the key file %1: %2").arg(path, writeError));
    }

    bool lostRace = false;
    if (!publishWithoutReplacing(tmp, target, lostRace)) {
        const QString error = systemError();
        ::unlink(tmp.constData());
        return ApiError::internal(QStringLiteral("cannot publish the key file %1: %2").arg(path, error));
    }
    if (!lostRace) {
        // Make the new directory entry durable too.
        const int dirFd = ::open(QFile::encodeName(dirPath).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dirFd >= 0) {
            ::fsync(dirFd);
            ::close(dirFd);
        }
        qCInfo(lmAuth) << "created the key file" << path;
    }
    return {};
}
} // namespace

Result<QByteArray> loadOrCreate(const QString &path, int bytes)
{
    if (!ensureSodium())
        return ApiError::internal(QStringLiteral("libsodium failed to initialise"));
    if (bytes <= 0 || bytes > 4096)
        return ApiError::internal(
            QStringLiteral("invalid key size %1 for the key file %2").arg(bytes).arg(path));

    if (!QFileInfo::exists(path)) {
        if (auto created = create(path, bytes); !created.ok())
            return created.error();
    }

    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return ApiError::internal(
            QStringLiteral("cannot read the key file %1: %2").arg(path, file.errorString()));

    // Tighten before anything else: the key is exposed whatever its size.
    struct stat st; // filled by (f)stat, read only on success
    if (::fstat(file.handle(), &st) == 0 && (st.st_mode & 07777 & ~mode_t(0600)) != 0) {
        qCWarning(lmAuth).nospace() << "the key file " << path << " had mode " << Qt::oct
                                    << (st.st_mode & 07777) << ", tightening it to 0600";
        if (!file.setPermissions(kOwnerOnly))
            qCWarning(lmAuth) << "cannot tighten the permissions of" << path << ":" << file.errorString();
    }

    // Read one byte more than expected, so an oversized (or endless) file is noticed without reading it all.
    QByteArray key = file.read(qint64(bytes) + 1);
    if (key.size() != bytes) {
        const qsizetype got = key.size();
        sodium_memzero(key.data(), std::size_t(key.size()));
        const QString size = got > bytes ? QStringLiteral("more than %1 bytes").arg(bytes)
                                         : QStringLiteral("%1 bytes").arg(got);
        return ApiError::internal(
            QStringLiteral("the key file %1 has %2, expected %3; refusing to use or replace it")
                .arg(path, size, QString::number(bytes)));
    }
    return key;
}

} // namespace KeyFile

} // namespace lm::auth
