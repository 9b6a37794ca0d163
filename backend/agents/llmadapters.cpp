// SPDX-License-Identifier: GPL-3.0-or-later
#include "llmadapters.h"

#include "agents/anthropicadapter.h"
#include "agents/ollamaadapter.h"
#include "agents/openaiadapter.h"

namespace lm::agents {

QStringList llmAdapterTypes()
{
    return {QStringLiteral("openai"), QStringLiteral("anthropic"), QStringLiteral("ollama")};
}

std::unique_ptr<AgentAdapter> makeLlmAdapter(const QString &type)
{
    if (type == QLatin1String("openai"))
        return std::make_unique<OpenAiAdapter>();
    if (type == QLatin1String("anthropic"))
        return std::make_unique<AnthropicAdapter>();
    if (type == QLatin1String("ollama"))
        return std::make_unique<OllamaAdapter>();
    return nullptr;
}

} // namespace lm::agents
