// SPDX-License-Identifier: GPL-3.0-or-later
#include "highlightrenderer.h"

#include "highlightcache.h"

#include <QLoggingCategory>
#include <QPointer>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTimer>

Q_LOGGING_CATEGORY(lcHighlight, "lm.highlight")

namespace lm::highlight {

namespace {

constexpr int ProcessTimeoutMs = 15000;

bool isPlain(const QString &definition)
{
    const QString d = definition.trimmed().toLower();
    return d.isEmpty() || d == u"plain" || d == u"text" || d == u"txt";
}

// KDE's definition names for the output formats the backend uses.
QString kdeDefinition(const QString &definition)
{
    const QString d = definition.trimmed().toLower();
    if (d == u"markdown" || d == u"md")
        return QStringLiteral("Markdown");
    if (d == u"html")
        return QStringLiteral("HTML");
    if (d == u"json")
        return QStringLiteral("JSON");
    return definition.trimmed();
}

// kate-syntax-highlighter writes a whole page; keep the <pre> and the body's colours.
HighlightedHtml parsePage(const QString &page, bool dark)
{
    static const QRegularExpression bodyStyle(QStringLiteral(
        R"re(<body style="background-color:(#[0-9a-fA-F]{3,8});color:(#[0-9a-fA-F]{3,8})">)re"));
    HighlightedHtml out = HighlightRenderer::plain({}, dark);
    const auto match = bodyStyle.match(page);
    if (match.hasMatch()) {
        out.background = match.captured(1);
        out.foreground = match.captured(2);
    }
    const qsizetype start = page.indexOf(QLatin1String("<pre>"));
    const qsizetype end = page.lastIndexOf(QLatin1String("</pre>"));
    if (start < 0 || end < start) {
        out.error = QStringLiteral("unexpected highlighter output");
        return out;
    }
    QString inner = page.mid(start + 5, end - start - 5);
    if (inner.startsWith(u'\n'))
        inner.remove(0, 1);
    if (inner.endsWith(u'\n'))
        inner.chop(1);
    out.html
        = QStringLiteral("<pre style=\"white-space:pre-wrap;color:%1\">%2</pre>").arg(out.foreground, inner);
    return out;
}

} // namespace

QString HighlightRenderer::themeName(bool dark)
{
    return dark ? QStringLiteral("Breeze Dark") : QStringLiteral("Breeze Light");
}

QString HighlightRenderer::program()
{
    const QString overridden = qEnvironmentVariable("LM_HIGHLIGHTER");
    if (!overridden.isEmpty())
        return overridden;
    return QStandardPaths::findExecutable(QStringLiteral("kate-syntax-highlighter"));
}

HighlightedHtml HighlightRenderer::plain(const QString &text, bool dark, const QString &error)
{
    HighlightedHtml out;
    out.background = dark ? QStringLiteral("#232629") : QStringLiteral("#ffffff");
    out.foreground = dark ? QStringLiteral("#cfcfc2") : QStringLiteral("#1f1c1b");
    out.html = QStringLiteral("<pre style=\"white-space:pre-wrap;color:%1\">%2</pre>")
                   .arg(out.foreground, text.toHtmlEscaped());
    out.error = error;
    return out;
}

std::optional<HighlightedHtml> HighlightRenderer::cached(
    const QString &text, const QString &definition, bool dark)
{
    if (isPlain(definition) || text.size() > MaxHighlightedChars)
        return plain(text, dark);
    const QString html
        = HighlightCache::shared().find(HighlightCache::keyOf(text, definition, themeName(dark)));
    if (html.isNull())
        return std::nullopt;
    return parsePage(html, dark);
}

void HighlightRenderer::render(
    QObject *context, const QString &text, const QString &definition, bool dark, Callback done)
{
    // Always answer later, so callers see one behaviour whether or not anything ran.
    auto answerLater = [context, done](HighlightedHtml result) {
        QTimer::singleShot(0, context, [done, result] { done(result); });
    };
    if (auto hit = cached(text, definition, dark)) {
        answerLater(*hit);
        return;
    }
    const QString exe = program();
    if (exe.isEmpty()) {
        answerLater(plain(text, dark, QStringLiteral("kate-syntax-highlighter is not installed")));
        return;
    }

    const QString theme = themeName(dark);
    const QString key = HighlightCache::keyOf(text, definition, theme);
    auto *process = new QProcess(context);
    auto finished = std::make_shared<bool>(false);
    // The context going away kills the process, whose destructor still reports it finished: by
    // then the context is half destroyed and must not be called back.
    const QPointer<QObject> alive(context);
    auto finish = [process, finished, alive, done, text, dark, key](const QString &error) {
        if (*finished || !alive)
            return;
        *finished = true;
        if (!error.isEmpty()) {
            qCDebug(lcHighlight) << "shown plain:" << error;
            done(plain(text, dark, error));
        } else {
            const QString page = QString::fromUtf8(process->readAllStandardOutput());
            HighlightedHtml result = parsePage(page, dark);
            if (result.error.isEmpty())
                HighlightCache::shared().insert(key, page);
            else
                result = plain(text, dark, result.error);
            done(result);
        }
        process->deleteLater();
    };
    QObject::connect(
        process, &QProcess::finished, process, [process, finish](int code, QProcess::ExitStatus status) {
            if (status != QProcess::NormalExit || code != 0) {
                const QString err = QString::fromUtf8(process->readAllStandardError()).trimmed();
                finish(err.isEmpty() ? QStringLiteral("the highlighter failed") : err);
            } else {
                finish({});
            }
        });
    QObject::connect(process, &QProcess::errorOccurred, process, [finish](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart)
            finish(QStringLiteral("kate-syntax-highlighter could not be started"));
    });
    QTimer::singleShot(ProcessTimeoutMs, process, [process, finish] {
        process->kill();
        finish(QStringLiteral("the highlighter took too long"));
    });
    process->start(exe,
        {QStringLiteral("-f"), QStringLiteral("html"), QStringLiteral("-s"), kdeDefinition(definition),
            QStringLiteral("-t"), theme, QStringLiteral("--stdin")});
    process->write(text.toUtf8());
    process->closeWriteChannel();
}

} // namespace lm::highlight
