// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "agents/llmadapter.h"

namespace lm::agents {

/// Anthropic's Messages API, streamed (SSE events), with tool use.
class AnthropicAdapter : public LlmAdapter
{
public:
    [[nodiscard]] QString type() const override { return QStringLiteral("anthropic"); }

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
    [[nodiscard]] bool modelMatches(const QString &model, const QStringList &names) const override;
};

} // namespace lm::agents
