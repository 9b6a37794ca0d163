// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "agents/agentadapter.h"

#include <QStringList>

#include <memory>

namespace lm::agents {

/// The LLM adapter types built in: openai, anthropic, ollama.
[[nodiscard]] QStringList llmAdapterTypes();
/// A new adapter of that type, or nullptr when `type` is not an LLM adapter.
[[nodiscard]] std::unique_ptr<AgentAdapter> makeLlmAdapter(const QString &type);

} // namespace lm::agents
