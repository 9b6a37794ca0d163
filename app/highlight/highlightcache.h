// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QCache>
#include <QString>

namespace lm::highlight {

/// Highlighted HTML by content hash, definition and theme, bounded by total size.
class HighlightCache
{
public:
    /// `maxBytes`: the most HTML kept (least recently used goes first).
    explicit HighlightCache(qsizetype maxBytes = 16 * 1024 * 1024);

    /// The key of one rendering: SHA-256 of the text, the definition and the theme.
    [[nodiscard]] static QString keyOf(const QString &text, const QString &definition, const QString &theme);
    /// The cached HTML or a null string.
    [[nodiscard]] QString find(const QString &key) const;
    void insert(const QString &key, const QString &html);
    [[nodiscard]] qsizetype count() const;

    /// The cache shared by every highlighter of the process (GUI thread only).
    static HighlightCache &shared();

private:
    mutable QCache<QString, QString> m_entries;
};

} // namespace lm::highlight
