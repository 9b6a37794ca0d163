// SPDX-License-Identifier: GPL-3.0-or-later
#include "agents/simulatorchat.h"

#include <QRegularExpression>

#include <algorithm>

namespace lm::agents::sim {

QString chatReply(const QList<ChatMessage> &messages, Rng &rng)
{
    QString question;
    QStringList facts;
    for (const ChatMessage &m : messages) {
        if (m.role == u"user")
            question = m.content.trimmed();
        if (m.role != u"system")
            continue;
        for (const QString &line : m.content.split(QLatin1Char('\n'))) {
            if (line.startsWith(QLatin1String("- ")))
                facts.append(line.mid(2).trimmed());
        }
    }
    // Facts that share a word with the question first, then the rest in order.
    const QStringList words
        = question.toLower().split(QRegularExpression(QStringLiteral("\\W+")), Qt::SkipEmptyParts);
    QStringList relevant;
    QStringList rest;
    for (const QString &fact : std::as_const(facts)) {
        const QString lower = fact.toLower();
        const bool hit = std::any_of(words.begin(), words.end(),
            [&lower](const QString &w) { return w.size() > 3 && lower.contains(w); });
        (hit ? relevant : rest).append(fact);
    }
    const QStringList shown = (relevant + rest).mid(0, 5);
    static const QStringList openers {QStringLiteral("Here is what I can see right now."),
        QStringLiteral("Good question — this is the current picture."),
        QStringLiteral("From the latest data in your workspace:")};
    QString out = rng.pick(openers) + QStringLiteral("\n\n");
    if (shown.isEmpty())
        out += QStringLiteral(
            "There is no campaign data in your workspace yet, so I cannot answer from figures.\n");
    for (const QString &fact : shown)
        out += QStringLiteral("- ") + fact + QLatin1Char('\n');
    static const QStringList closers {
        QStringLiteral("Would you like me to break this down by agent or by week?"),
        QStringLiteral("I can draft a short summary of this for your team if that helps."),
        QStringLiteral("Tell me which campaign matters most and I will look closer.")};
    out += QLatin1Char('\n') + rng.pick(closers) + QLatin1Char('\n');
    return out;
}

} // namespace lm::agents::sim
