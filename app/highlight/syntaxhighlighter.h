// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QQmlEngine>

namespace lm::highlight {

/// QML face of the highlighter: set text, definition and dark; read html when ready is true.
/// Rendering runs in a separate process; the UI thread never waits for it.
class SyntaxHighlighter : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QString text READ text WRITE setText NOTIFY inputChanged)
    Q_PROPERTY(QString definition READ definition WRITE setDefinition NOTIFY inputChanged)
    Q_PROPERTY(bool dark READ dark WRITE setDark NOTIFY inputChanged)
    Q_PROPERTY(QString html READ html NOTIFY resultChanged)
    Q_PROPERTY(QString background READ background NOTIFY resultChanged)
    Q_PROPERTY(QString error READ error NOTIFY resultChanged)
    Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)

public:
    explicit SyntaxHighlighter(QObject *parent = nullptr);

    [[nodiscard]] QString text() const { return m_text; }
    void setText(const QString &text);
    [[nodiscard]] QString definition() const { return m_definition; }
    void setDefinition(const QString &definition);
    [[nodiscard]] bool dark() const { return m_dark; }
    void setDark(bool dark);
    /// The highlighted HTML fragment; plain escaped text until the highlighter answers.
    [[nodiscard]] QString html() const { return m_html; }
    /// The KDE theme's background colour for `html`.
    [[nodiscard]] QString background() const { return m_background; }
    /// Why the text is shown without highlighting; empty when highlighted.
    [[nodiscard]] QString error() const { return m_error; }
    /// True while a highlighter process is running for the current input.
    [[nodiscard]] bool busy() const { return m_busy; }

Q_SIGNALS:
    void inputChanged();
    void resultChanged();
    void busyChanged();

private:
    void schedule();
    void run();
    void setBusy(bool busy);

    QString m_text;
    QString m_definition;
    bool m_dark = false;
    QString m_html;
    QString m_background;
    QString m_error;
    bool m_busy = false;
    bool m_scheduled = false;
    quint64 m_generation = 0; ///< answers for older input are dropped
};

} // namespace lm::highlight
