// SPDX-License-Identifier: GPL-3.0-or-later
#include "agents/adapterregistry.h"

#include "agents/llmadapters.h"
#include "agents/simulatoradapter.h"
#include "agents/webhookadapter.h"

namespace lm::agents {

std::unique_ptr<AgentAdapter> makeAdapter(const QString &type)
{
    if (type == u"simulator")
        return std::make_unique<SimulatorAdapter>();
    if (type == u"webhook")
        return std::make_unique<WebhookAdapter>();
    if (auto llm = makeLlmAdapter(type))
        return llm;
    return nullptr;
}

QStringList knownAdapterTypes()
{
    QStringList types {QStringLiteral("simulator"), QStringLiteral("webhook")};
    types << llmAdapterTypes();
    return types;
}

} // namespace lm::agents
