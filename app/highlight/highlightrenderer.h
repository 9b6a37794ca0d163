// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QString>

#include <functional>

namespace lm::highlight {

/// One highlighted document: an HTML fragment with inline styles and the theme's colours.
struct HighlightedHtml
{
    QString html; ///< `<pre …>…</pre>`, safe to show as rich text
    QString background; ///< the theme's background colour, e.g. #232629
    QString foreground; ///< the theme's text colour
    QString error; ///< why it is plain text instead (program missing, unknown syntax …); empty on success
};

/// Runs KDE's kate-syntax-highlighter asynchronously (never on the calling thread's time) and
/// caches its output by content hash, definition and theme.
class HighlightRenderer
{
public:
    using Callback = std::function<void(const HighlightedHtml &)>;

    /// The KDE theme name for light or dark.
    [[nodiscard]] static QString themeName(bool dark);
    /// The cached rendering, if any (no process started).
    [[nodiscard]] static std::optional<HighlightedHtml> cached(
        const QString &text, const QString &definition, bool dark);
    /// Renders `text` with `definition` (markdown, html, json …; "plain" or "" for none). `done` runs
    /// later on `context`'s thread, unless `context` is destroyed first (its process dies with it).
    static void render(
        QObject *context, const QString &text, const QString &definition, bool dark, Callback done);
    /// The text as escaped, unhighlighted HTML in the theme's colours.
    [[nodiscard]] static HighlightedHtml plain(const QString &text, bool dark, const QString &error = {});
    /// The program run: $LM_HIGHLIGHTER if set (tests), else kate-syntax-highlighter on PATH.
    [[nodiscard]] static QString program();
    /// Documents longer than this are shown plain: highlighting them would take seconds.
    static constexpr qsizetype MaxHighlightedChars = 512 * 1024;
};

} // namespace lm::highlight
