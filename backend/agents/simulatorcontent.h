// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "agents/agentadapter.h"

#include <QByteArrayView>
#include <QList>
#include <QString>
#include <QStringList>

#include <cstdint>

// The simulator's text: plausible Markdown for every deliverable type, about the tenant's business
// as the brief describes it, and the same for the same seed on every platform (no std::
// distributions, no clock, no locale).
namespace lm::agents::sim {

/// A small explicit PRNG: xoshiro256** seeded through splitmix64. Same seed, same sequence.
class Rng
{
public:
    explicit Rng(std::uint64_t seed);
    /// The next 64 random bits.
    std::uint64_t next();
    /// A uniform integer in [lo, hi] (both included).
    int range(int lo, int hi);
    /// A uniform double in [0, 1).
    double unit();
    /// True with probability p.
    bool chance(double p) { return unit() < p; }
    /// One element of a non-empty list.
    template<typename T> const T &pick(const QList<T> &list)
    {
        return list.at(range(0, int(list.size()) - 1));
    }

private:
    std::uint64_t m_s[4];
};

/// FNV-1a 64 of bytes: turns seed strings and ids into PRNG seeds.
[[nodiscard]] std::uint64_t hash64(QByteArrayView bytes);

/// What the run is about, taken from its title and brief.
struct Topic
{
    QString business; ///< "Bright Smile Dental"; empty when the brief names none
    QString kind; ///< "family dental clinic"; "business" when unknown
    QString location; ///< "Leeds"; empty when unknown
    QString audience; ///< "patients", "customers", …
    QStringList keywords; ///< 1–6 topic words or phrases, most telling first
    QString subject; ///< the title without its "Blog post:" style prefix
    QString platform; ///< social platform named in the title or brief, lower-case; empty if none

    /// The business name, or a phrase standing in for it.
    [[nodiscard]] QString name() const;
};

/// Reads the topic from a run's title and messages ("Business: …", "X is a …", "Keywords: …").
[[nodiscard]] Topic extractTopic(const QString &title, const QList<ChatMessage> &messages);

/// The activity types the generator writes: the eight deliverable types plus research and plan.
[[nodiscard]] QStringList contentTypes();

/// A full deliverable in Markdown. Unknown types get a generic brief-shaped document.
[[nodiscard]] QString generateContent(const QString &activityType, const Topic &topic, Rng &rng);

/// A short Markdown proposal listing `options` (for a content_direction approval).
[[nodiscard]] QString generateDirectionProposal(
    const QString &activityType, const Topic &topic, const QStringList &options, Rng &rng);

/// 2–3 content directions to choose from.
[[nodiscard]] QStringList directionOptions(const Topic &topic, Rng &rng);

/// Splits text into token-sized pieces (a word with its leading space, long words in 4-character
/// pieces); the pieces concatenate back to the text.
[[nodiscard]] QStringList splitIntoTokens(const QString &text);

/// Words in text (runs of letters/digits), for tests and word-count checks.
[[nodiscard]] int wordCount(const QString &text);

} // namespace lm::agents::sim
