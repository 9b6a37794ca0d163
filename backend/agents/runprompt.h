// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "agents/agentadapter.h"
#include "store/agentrepository.h"

#include <QJsonObject>
#include <QList>

namespace lm::agents {

/// The messages a run's model is given: the agent's system prompt (its promptTemplate, or the
/// default) with the role's skills, the task and campaign brief, the comments, and any wake reason
/// with the reviewer's note and the previous output. `context` is RunExecutor::context()'s object.
/// Built-in adapters send these; /agent/v1 context hands them to external runtimes.
[[nodiscard]] QList<ChatMessage> runMessages(const store::AgentConfig &agent, const QJsonObject &context);

} // namespace lm::agents
