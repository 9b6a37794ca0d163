// SPDX-License-Identifier: GPL-3.0-or-later
#include "consolecontext.h"

#include "startupclock.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QImage>
#include <QPointer>
#include <QQuickWindow>
#include <QSettings>

#include <cstdio>
#include <memory>

namespace lm::console {

namespace {
QPointer<ConsoleContext> g_instance;
constexpr int MaxRecentServers = 8;
const auto RecentKey = QStringLiteral("connection/recentServers");
} // namespace

ConsoleContext::ConsoleContext(QObject *parent)
    : QObject(parent)
{ }

ConsoleContext *ConsoleContext::create(QQmlEngine *, QJSEngine *)
{
    if (!g_instance)
        g_instance = new ConsoleContext(QCoreApplication::instance());
    QJSEngine::setObjectOwnership(g_instance, QJSEngine::CppOwnership);
    return g_instance;
}

void ConsoleContext::install(ConsoleContext *context)
{
    g_instance = context;
}

void ConsoleContext::setScreenshot(const QString &page, const QString &file)
{
    m_screenshotPage = page;
    m_screenshotFile = file;
}

QString ConsoleContext::screenshotEmail() const
{
    return qEnvironmentVariable("LM_SCREENSHOT_EMAIL", QStringLiteral("dm@leadmetrics.demo"));
}

QString ConsoleContext::screenshotPassword() const
{
    return qEnvironmentVariable("LM_SCREENSHOT_PASSWORD", QStringLiteral("demo-pass-2026"));
}

QStringList ConsoleContext::recentServers() const
{
    return QSettings().value(RecentKey).toStringList();
}

QString ConsoleContext::version() const
{
    return QCoreApplication::applicationVersion();
}

void ConsoleContext::rememberServer(const QString &url)
{
    if (url.isEmpty() || url == m_embeddedUrl)
        return; // the embedded backend's port changes every start
    QStringList list = recentServers();
    list.removeAll(url);
    list.prepend(url);
    while (list.size() > MaxRecentServers)
        list.removeLast();
    QSettings().setValue(RecentKey, list);
    Q_EMIT recentServersChanged();
}

void ConsoleContext::forgetServer(const QString &url)
{
    QStringList list = recentServers();
    if (list.removeAll(url) == 0)
        return;
    QSettings().setValue(RecentKey, list);
    Q_EMIT recentServersChanged();
}

void ConsoleContext::saveScreenshot(QObject *window)
{
    auto *quickWindow = qobject_cast<QQuickWindow *>(window);
    const QImage image = quickWindow ? quickWindow->grabWindow() : QImage();
    QDir().mkpath(QFileInfo(m_screenshotFile).absolutePath());
    if (image.isNull() || !image.save(m_screenshotFile)) {
        failScreenshot(QStringLiteral("could not save %1").arg(m_screenshotFile));
        return;
    }
    std::printf("saved %s (%dx%d)\n", qPrintable(m_screenshotFile), image.width(), image.height());
    std::fflush(stdout);
    QCoreApplication::exit(0);
}

void ConsoleContext::failScreenshot(const QString &message)
{
    std::fprintf(stderr, "leadmetrics-console --screenshot %s: %s\n", qPrintable(m_screenshotPage),
        qPrintable(message));
    QCoreApplication::exit(1);
}

void ConsoleContext::markStartup(const QString &phase)
{
    const qint64 ms = msSinceProcessStart();
    if (m_screenshotPage.isEmpty())
        return;
    std::printf("startup: %s at %lld ms\n", qPrintable(phase), static_cast<long long>(ms));
    std::fflush(stdout);
}

void ConsoleContext::markStartupAfterNextFrame(QObject *window, const QString &phase)
{
    auto *quickWindow = qobject_cast<QQuickWindow *>(window);
    if (!quickWindow) {
        markStartup(phase);
        return;
    }
    // frameSwapped comes from the render thread with the threaded loop: queued back to this one.
    auto connection = std::make_shared<QMetaObject::Connection>();
    *connection = connect(quickWindow, &QQuickWindow::frameSwapped, this, [this, phase, connection] {
        disconnect(*connection);
        markStartup(phase);
    });
    quickWindow->update();
}

} // namespace lm::console
