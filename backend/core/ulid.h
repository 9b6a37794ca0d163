// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QString>

namespace lm {

/// ULIDs (26 Crockford base32 characters: 48-bit millisecond time + 80 random bits).
/// Ids sort by creation time, which keeps cursor pagination and indexes simple.
namespace Ulid {
/// A new ULID for the current wall-clock time; monotonic within one process and millisecond.
[[nodiscard]] QString generate();
/// A ULID for a given time (used by seeds and tests that control the clock).
[[nodiscard]] QString generate(const QDateTime &time);
/// True when text has the ULID form (26 chars, Crockford alphabet, first char ≤ '7').
[[nodiscard]] bool isValid(QStringView text);
/// The millisecond timestamp encoded in a ULID, or -1 when invalid.
[[nodiscard]] qint64 timestampMs(QStringView text);
} // namespace Ulid

} // namespace lm
