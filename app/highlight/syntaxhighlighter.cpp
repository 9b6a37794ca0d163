// SPDX-License-Identifier: GPL-3.0-or-later
#include "syntaxhighlighter.h"

#include "highlightrenderer.h"

#include <QTimer>

namespace lm::highlight {

SyntaxHighlighter::SyntaxHighlighter(QObject *parent)
    : QObject(parent)
{ }

void SyntaxHighlighter::setText(const QString &text)
{
    if (text == m_text)
        return;
    m_text = text;
    Q_EMIT inputChanged();
    schedule();
}

void SyntaxHighlighter::setDefinition(const QString &definition)
{
    if (definition == m_definition)
        return;
    m_definition = definition;
    Q_EMIT inputChanged();
    schedule();
}

void SyntaxHighlighter::setDark(bool dark)
{
    if (dark == m_dark)
        return;
    m_dark = dark;
    Q_EMIT inputChanged();
    schedule();
}

// Several properties usually change together (a delegate binding all three): render once.
void SyntaxHighlighter::schedule()
{
    ++m_generation;
    if (m_scheduled)
        return;
    m_scheduled = true;
    QTimer::singleShot(0, this, [this] {
        m_scheduled = false;
        run();
    });
}

void SyntaxHighlighter::run()
{
    const quint64 generation = m_generation;
    auto apply = [this](const HighlightedHtml &result) {
        m_html = result.html;
        m_background = result.background;
        m_error = result.error;
        Q_EMIT resultChanged();
    };
    if (auto hit = HighlightRenderer::cached(m_text, m_definition, m_dark)) {
        apply(*hit);
        setBusy(false);
        return;
    }
    // Show the text at once; colours follow when the process answers.
    apply(HighlightRenderer::plain(m_text, m_dark));
    setBusy(true);
    HighlightRenderer::render(
        this, m_text, m_definition, m_dark, [this, generation, apply](const HighlightedHtml &result) {
            if (generation != m_generation)
                return;
            apply(result);
            setBusy(false);
        });
}

void SyntaxHighlighter::setBusy(bool busy)
{
    if (busy == m_busy)
        return;
    m_busy = busy;
    Q_EMIT busyChanged();
}

} // namespace lm::highlight
