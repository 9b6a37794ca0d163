// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QtGlobal>

namespace lm::console {

/// Milliseconds since this process was started (Linux: its start time in /proc/self/stat, so the
/// loader and static initialisers count too; 10 ms resolution), or since the first call elsewhere.
[[nodiscard]] qint64 msSinceProcessStart();

} // namespace lm::console
