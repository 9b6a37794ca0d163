// SPDX-License-Identifier: GPL-3.0-or-later
#include "agents/adapterregistry.h"

#include "agents/simulatoradapter.h"
#include "agents/webhookadapter.h"
// LLM ADAPTERS (1/3): #include "agents/llmadapters.h"

namespace lm::agents {

std::unique_ptr<AgentAdapter> makeAdapter(const QString &type)
{
    if (type == u"simulator")
        return std::make_unique<SimulatorAdapter>();
    if (type == u"webhook")
        return std::make_unique<WebhookAdapter>();
    // LLM ADAPTERS (2/3): if (auto llm = makeLlmAdapter(type)) return llm;
    return nullptr;
}

QStringList knownAdapterTypes()
{
    QStringList types {QStringLiteral("simulator"), QStringLiteral("webhook")};
    // LLM ADAPTERS (3/3): types << QStringLiteral("openai") << QStringLiteral("anthropic") <<
    // QStringLiteral("ollama");
    return types;
}

} // namespace lm::agents
