// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/result.h"

#include <QString>

namespace lm::api {

/// Where a keyset page continues: the last id served and the order it was served in.
struct Cursor
{
    QString lastId;
    bool descending = true;
};

/// Opaque cursors: base64url of a small versioned payload (`v1.d.<ulid>`). Not a secret — a cursor
/// only names a position in the caller's own tenant-scoped list — but anything that does not decode
/// to a valid position is refused.
namespace CursorCodec {
/// The cursor a client sends back for the next page.
[[nodiscard]] QString encode(const Cursor &cursor);
/// Decodes a client's cursor; tampered or garbage text is 400 VALIDATION_ERROR naming `cursor`.
Result<Cursor> decode(const QString &text);
} // namespace CursorCodec

} // namespace lm::api
