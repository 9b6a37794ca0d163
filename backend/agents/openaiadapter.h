// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "agents/llmadapter.h"

namespace lm::agents {

/// OpenAI-compatible chat completions, streamed (SSE): OpenAI, and Ollama's /v1, llama.cpp, vLLM.
class OpenAiAdapter : public LlmAdapter
{
public:
    [[nodiscard]] QString type() const override { return QStringLiteral("openai"); }

protected:
    [[nodiscard]] QString defaultBaseUrl() const override;
    [[nodiscard]] KeyPolicy keyPolicy(const AdapterConfig &config) const override;
    [[nodiscard]] QJsonArray initialMessages(const RunRequest &request) const override;
    [[nodiscard]] HttpCall chatCall(const RunRequest &request, const QJsonArray &messages) const override;
    [[nodiscard]] std::unique_ptr<TurnParser> newParser() const override;
    void appendToolRound(
        QJsonArray &messages, const ModelTurn &turn, const QList<QJsonObject> &results) const override;
    [[nodiscard]] HttpCall modelsCall(const AdapterConfig &config) const override;
    [[nodiscard]] QStringList modelNames(const QJsonDocument &list) const override;
};

} // namespace lm::agents
