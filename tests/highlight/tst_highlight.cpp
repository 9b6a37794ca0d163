// SPDX-License-Identifier: GPL-3.0-or-later
// The KDE highlighting bridge against the real kate-syntax-highlighter.
#include "highlightcache.h"
#include "highlightrenderer.h"
#include "syntaxhighlighter.h"

#include <QSignalSpy>
#include <QTest>

using lm::highlight::HighlightedHtml;
using lm::highlight::HighlightRenderer;
using lm::highlight::SyntaxHighlighter;

namespace {

// Waits for one render to answer; the answer must not come before render() returns.
HighlightedHtml renderAndWait(QObject *context, const QString &text, const QString &definition, bool dark)
{
    std::optional<HighlightedHtml> result;
    HighlightRenderer::render(
        context, text, definition, dark, [&result](const HighlightedHtml &r) { result = r; });
    if (result)
        qFatal("render answered synchronously");
    if (!QTest::qWaitFor([&] { return result.has_value(); }, 20000))
        qFatal("no answer from the highlighter");
    return *result;
}

} // namespace

class TestHighlight : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        if (HighlightRenderer::program().isEmpty())
            QFAIL("kate-syntax-highlighter is not installed (tools/setup installs "
                  "libkf5syntaxhighlighting-tools)");
    }

    void markdownIsColouredPerTheme()
    {
        QObject context;
        const QString text = QStringLiteral("# Launch plan\n\nSome *emphasis* and `code`.\n");
        const auto light = renderAndWait(&context, text, QStringLiteral("markdown"), false);
        const auto dark = renderAndWait(&context, text, QStringLiteral("markdown"), true);
        QVERIFY2(light.error.isEmpty(), qPrintable(light.error));
        QVERIFY(light.html.contains(QLatin1String("<span style=\"color:")));
        QVERIFY(light.html.contains(QLatin1String("Launch plan")));
        QCOMPARE(light.background, QStringLiteral("#ffffff"));
        QCOMPARE(dark.background, QStringLiteral("#232629"));
        QVERIFY(light.html != dark.html);
        QVERIFY(!light.html.contains(QLatin1String("<html")));
    }

    void htmlAndJsonSourcesAreEscapedAndColoured()
    {
        QObject context;
        const auto html = renderAndWait(
            &context, QStringLiteral("<script>alert(1)</script>"), QStringLiteral("html"), false);
        QVERIFY2(html.error.isEmpty(), qPrintable(html.error));
        QVERIFY(!html.html.contains(QLatin1String("<script>")));
        QVERIFY(html.html.contains(QLatin1String("&lt;script&gt;")));
        const auto json
            = renderAndWait(&context, QStringLiteral("{\"budget\": 1200}"), QStringLiteral("json"), true);
        QVERIFY2(json.error.isEmpty(), qPrintable(json.error));
        QVERIFY(json.html.contains(QLatin1String("<span style=\"color:")));
    }

    void plainTextIsEscapedWithoutAProcess()
    {
        qputenv("LM_HIGHLIGHTER", "/nonexistent/highlighter");
        QObject context;
        const auto out
            = renderAndWait(&context, QStringLiteral("a < b & <b>c</b>"), QStringLiteral("plain"), false);
        qunsetenv("LM_HIGHLIGHTER");
        QVERIFY(out.error.isEmpty());
        QVERIFY(out.html.contains(QLatin1String("a &lt; b &amp; &lt;b&gt;c&lt;/b&gt;")));
    }

    void secondRenderComesFromTheCache()
    {
        QObject context;
        const QString text = QStringLiteral("## Cached %1\n").arg(QDateTime::currentMSecsSinceEpoch());
        const auto first = renderAndWait(&context, text, QStringLiteral("markdown"), true);
        QVERIFY2(first.error.isEmpty(), qPrintable(first.error));
        // With no program at all, only the cache can still colour it.
        qputenv("LM_HIGHLIGHTER", "/nonexistent/highlighter");
        const auto second = renderAndWait(&context, text, QStringLiteral("markdown"), true);
        const auto otherTheme = renderAndWait(&context, text, QStringLiteral("markdown"), false);
        qunsetenv("LM_HIGHLIGHTER");
        QCOMPARE(second.html, first.html);
        QVERIFY(second.error.isEmpty());
        QVERIFY2(!otherTheme.error.isEmpty(), "the light theme was never rendered, so it cannot be cached");
    }

    void failuresFallBackToPlainText()
    {
        QObject context;
        const auto unknown
            = renderAndWait(&context, QStringLiteral("<x>"), QStringLiteral("no-such-syntax"), false);
        QVERIFY(!unknown.error.isEmpty());
        QVERIFY(unknown.html.contains(QLatin1String("&lt;x&gt;")));

        qputenv("LM_HIGHLIGHTER", "/nonexistent/highlighter");
        const auto missing
            = renderAndWait(&context, QStringLiteral("# x"), QStringLiteral("markdown"), false);
        qunsetenv("LM_HIGHLIGHTER");
        QVERIFY(!missing.error.isEmpty());
        QVERIFY(missing.html.contains(QLatin1String("# x")));
    }

    void qmlElementShowsTextAtOnceAndColoursLater()
    {
        SyntaxHighlighter highlighter;
        QSignalSpy busy(&highlighter, &SyntaxHighlighter::busyChanged);
        highlighter.setDefinition(QStringLiteral("json"));
        highlighter.setDark(true);
        highlighter.setText(QStringLiteral("{\"element\": %1}").arg(QDateTime::currentMSecsSinceEpoch()));
        QVERIFY(QTest::qWaitFor([&] { return highlighter.busy(); }, 2000));
        QVERIFY(highlighter.html().contains(QLatin1String("element"))); // plain text meanwhile
        QVERIFY(QTest::qWaitFor([&] { return !highlighter.busy(); }, 20000));
        QVERIFY(highlighter.html().contains(QLatin1String("<span style=\"color:")));
        QCOMPARE(highlighter.background(), QStringLiteral("#232629"));
        QVERIFY(highlighter.error().isEmpty());

        // A new input while one renders: only the newest answer is shown.
        highlighter.setText(QStringLiteral("{\"staleinput\": 1}"));
        QTest::qWait(1);
        highlighter.setText(QStringLiteral("{\"newest\": 2}"));
        QVERIFY(QTest::qWaitFor(
            [&] { return !highlighter.busy() && highlighter.html().contains(QLatin1String("newest")); },
            20000));
        QTest::qWait(300);
        QVERIFY(!highlighter.html().contains(QLatin1String("staleinput")));
    }

    void contextDestroyedWhileRenderingIsNeverCalledBack()
    {
        // A page closed while its output is highlighted: the process is killed with it, and the
        // half-destroyed page must not hear about it (it corrupted the heap).
        auto *context = new QObject;
        bool called = false;
        HighlightRenderer::render(context,
            QStringLiteral("{\"closed\": %1}").arg(QDateTime::currentMSecsSinceEpoch()),
            QStringLiteral("json"), false, [&called](const HighlightedHtml &) { called = true; });
        QTest::qWait(20);
        delete context;
        QTest::qWait(200);
        QVERIFY(!called);
    }
};

QTEST_GUILESS_MAIN(TestHighlight)
#include "tst_highlight.moc"
