// SPDX-License-Identifier: GPL-3.0-or-later
#include "cursor.h"

#include "core/ulid.h"

#include <QRegularExpression>

namespace lm::api {

namespace {
constexpr int kMaxCursorChars = 128;
const QByteArray kVersion = QByteArrayLiteral("v1");

ApiError invalidCursor()
{
    return ApiError::validation(QStringLiteral("cursor"), QStringLiteral("invalid"),
        QStringLiteral("The cursor is not one this server handed out"));
}
} // namespace

QString CursorCodec::encode(const Cursor &cursor)
{
    const QByteArray payload
        = kVersion + '.' + (cursor.descending ? 'd' : 'a') + '.' + cursor.lastId.toLatin1();
    return QString::fromLatin1(
        payload.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

Result<Cursor> CursorCodec::decode(const QString &text)
{
    static const QRegularExpression base64url(QStringLiteral("^[A-Za-z0-9_-]+$"));
    if (text.size() > kMaxCursorChars || !base64url.match(text).hasMatch())
        return invalidCursor();
    // AbortOnBase64DecodingErrors: a stray character is an error, not silently skipped.
    const auto decoded = QByteArray::fromBase64Encoding(text.toLatin1(),
        QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals
            | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return invalidCursor();
    const QList<QByteArray> parts = decoded.decoded.split('.');
    if (parts.size() != 3 || parts[0] != kVersion || (parts[1] != "d" && parts[1] != "a"))
        return invalidCursor();
    const QString id = QString::fromLatin1(parts[2]);
    if (!Ulid::isValid(id))
        return invalidCursor();
    return Cursor {id, parts[1] == "d"};
}

} // namespace lm::api
