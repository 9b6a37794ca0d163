// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "agents/simulatorcontent.h"

#include <QSet>
#include <QString>
#include <QStringList>

// Internal to the simulator: fills sentence templates with the topic and formats Markdown.
namespace lm::agents::sim {

/// Fills templates such as "Why {kw} matters for {aud}" from a topic with a PRNG, and remembers
/// which sentences a document already used so paragraphs do not repeat themselves.
class Writer
{
public:
    Writer(const Topic &topic, Rng &rng);

    /// Replaces {biz} {kind} {Kind} {loc} {inloc} {aud} {Aud} {kw} {Kw} {kw2} {subject} {Subject}
    /// {n} (a small count) and {s} (seconds, one decimal); the result starts with a capital.
    [[nodiscard]] QString fill(const QString &tpl);
    /// fill() of one template picked at random.
    [[nodiscard]] QString any(const QStringList &templates);
    /// `count` different templates, filled, preferring ones this document has not used yet.
    [[nodiscard]] QStringList fresh(const QStringList &templates, int count);
    /// A paragraph of `count` fresh sentences.
    [[nodiscard]] QString paragraph(const QStringList &templates, int count);
    /// A Markdown bullet list of `count` fresh items.
    [[nodiscard]] QString bullets(const QStringList &templates, int count);

    [[nodiscard]] const Topic &topic() const { return m_topic; }
    [[nodiscard]] Rng &rng() { return m_rng; }

private:
    [[nodiscard]] QString keyword();

    const Topic &m_topic;
    Rng &m_rng;
    QSet<QString> m_used;
    QString m_lastKeyword;
};

/// "Teeth whitening tips" → "Teeth Whitening Tips" (small words stay lower-case).
[[nodiscard]] QString titleCase(const QString &text);
/// Upper-cases the first letter.
[[nodiscard]] QString capitalized(const QString &text);
/// "dental clinic" → "#DentalClinic".
[[nodiscard]] QString hashtag(const QString &words);
/// Cuts text to at most `limit` characters at a word boundary.
[[nodiscard]] QString fitTo(const QString &text, int limit);
/// 48120 → "48,120" (no locale: the same on every machine).
[[nodiscard]] QString grouped(qint64 value);
/// A per-mille change as "+16.8%" / "-3.0%".
[[nodiscard]] QString percentChange(qint64 current, qint64 previous);
/// A Markdown table.
[[nodiscard]] QString table(const QStringList &header, const QList<QStringList> &rows);

// One generator per activity type (simulatordeliverables.cpp).
[[nodiscard]] QString blogPost(Writer &w);
[[nodiscard]] QString socialPost(Writer &w);
[[nodiscard]] QString gbpPost(Writer &w);
[[nodiscard]] QString adCopy(Writer &w);
[[nodiscard]] QString emailNewsletter(Writer &w);
[[nodiscard]] QString backlinkPlan(Writer &w);
[[nodiscard]] QString websiteAudit(Writer &w);
[[nodiscard]] QString performanceReport(Writer &w);
[[nodiscard]] QString researchNotes(Writer &w);
[[nodiscard]] QString workPlan(Writer &w);
[[nodiscard]] QString genericDocument(Writer &w);

} // namespace lm::agents::sim
