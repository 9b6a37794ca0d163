// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "agents/agentadapter.h"

#include <QString>
#include <QStringList>

#include <memory>

namespace lm::agents {

/// A new adapter of the given AdapterConfig::type; null for an unknown type. Adapters keep no
/// per-run state, but each run worker should still use its own instance.
[[nodiscard]] std::unique_ptr<AgentAdapter> makeAdapter(const QString &type);

/// Every type makeAdapter() knows, in a stable order (for validation and the admin UI).
[[nodiscard]] QStringList knownAdapterTypes();

} // namespace lm::agents
