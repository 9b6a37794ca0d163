// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "agents/simulatorcontent.h"

namespace lm::agents::sim {

/// The simulator's answer in an assistant chat (activity type "chat"): it answers the last user
/// message from the facts in the system prompt's "- " context lines, the same for the same seed.
[[nodiscard]] QString chatReply(const QList<ChatMessage> &messages, Rng &rng);

} // namespace lm::agents::sim
