// SPDX-License-Identifier: GPL-3.0-or-later
#include "runprompt.h"

#include <QJsonArray>

namespace lm::agents {

namespace {
QString defaultSystemPrompt(const store::AgentConfig &agent, const QString &tenantName)
{
    return QStringLiteral(
        "You are %1, the %2 agent of the marketing team working for %3. Work on the task you are given and "
        "answer with the finished deliverable in Markdown. Use the control-plane tools when you need a "
        "person's "
        "decision (create_approval), help from another agent (create_subtask), a review (request_review), or "
        "cannot go on (report_blocker).")
        .arg(agent.name, agent.role, tenantName);
}

QString text(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1String(key)).toString();
}
} // namespace

QList<ChatMessage> runMessages(const store::AgentConfig &agent, const QJsonObject &ctx)
{
    QList<ChatMessage> messages;
    QString system = agent.adapterConfig.value(QLatin1String("promptTemplate")).toString();
    if (system.isEmpty())
        system = defaultSystemPrompt(agent, text(ctx, "tenantName"));
    for (const QJsonValue &skill : ctx.value(QLatin1String("skills")).toArray()) {
        const QJsonObject s = skill.toObject();
        system += QStringLiteral("\n\n## Skill: %1\n%2").arg(text(s, "name"), text(s, "content"));
    }
    messages.append({QStringLiteral("system"), system});
    const QJsonObject campaign = ctx.value(QLatin1String("campaign")).toObject();
    messages.append({QStringLiteral("user"),
        QStringLiteral("Task: %1\nType: %2\n\n%3\n\nCampaign: %4\nBrief:\n%5")
            .arg(text(ctx, "title"), text(ctx, "type"), text(ctx, "task"), text(campaign, "name"),
                text(campaign, "brief"))});
    for (const QJsonValue &comment : ctx.value(QLatin1String("comments")).toArray()) {
        const QJsonObject c = comment.toObject();
        messages.append({QStringLiteral("user"),
            QStringLiteral("Comment from %1: %2").arg(text(c, "author"), text(c, "text"))});
    }
    const QJsonObject wake = ctx.value(QLatin1String("wake")).toObject();
    if (!wake.isEmpty()) {
        QString note = QStringLiteral("Wake reason: %1").arg(text(wake, "reason"));
        if (!text(wake, "note").isEmpty())
            note += QStringLiteral("\nReviewer feedback: %1").arg(text(wake, "note"));
        const QString previous = text(ctx, "previousOutput");
        if (!previous.isEmpty())
            note += QStringLiteral("\n\nYour previous output:\n%1").arg(previous);
        messages.append({QStringLiteral("user"), note});
    }
    return messages;
}

} // namespace lm::agents
