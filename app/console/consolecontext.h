// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QQmlEngine>
#include <QStringList>

namespace lm::console {

/// What the QML needs from the process: where the embedded backend listens, the screenshot run,
/// the remembered servers. One instance, owned by ConsoleApp.
class ConsoleContext : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON
    Q_PROPERTY(QString embeddedUrl READ embeddedUrl CONSTANT)
    Q_PROPERTY(QString initialServerUrl READ initialServerUrl CONSTANT)
    Q_PROPERTY(QString screenshotPage READ screenshotPage CONSTANT)
    Q_PROPERTY(QString screenshotEmail READ screenshotEmail CONSTANT)
    Q_PROPERTY(QString screenshotPassword READ screenshotPassword CONSTANT)
    Q_PROPERTY(QStringList recentServers READ recentServers NOTIFY recentServersChanged)
    Q_PROPERTY(QString version READ version CONSTANT)

public:
    /// Not default-constructible: Qt 6.4 would construct a QML singleton itself and skip create().
    explicit ConsoleContext(QObject *parent);

    /// The QML engine's instance: the one ConsoleApp installed (a blank one in QML tests).
    static ConsoleContext *create(QQmlEngine *qmlEngine, QJSEngine *jsEngine);
    /// Makes `context` the instance QML gets; call before loading QML.
    static void install(ConsoleContext *context);

    /// http://127.0.0.1:PORT of the embedded backend; empty when connected to a remote server.
    [[nodiscard]] QString embeddedUrl() const { return m_embeddedUrl; }
    void setEmbeddedUrl(const QString &url) { m_embeddedUrl = url; }
    /// The server to connect to at start (--server or the embedded one); empty: ask.
    [[nodiscard]] QString initialServerUrl() const { return m_initialServerUrl; }
    void setInitialServerUrl(const QString &url) { m_initialServerUrl = url; }
    /// The page a --screenshot run opens; empty in a normal run.
    [[nodiscard]] QString screenshotPage() const { return m_screenshotPage; }
    void setScreenshot(const QString &page, const QString &file);
    /// Who a screenshot run signs in as: the demo DM, or $LM_SCREENSHOT_EMAIL / _PASSWORD (benchmarks).
    [[nodiscard]] QString screenshotEmail() const;
    [[nodiscard]] QString screenshotPassword() const;
    /// Servers connected to before, most recent first (QSettings; at most 8).
    [[nodiscard]] QStringList recentServers() const;
    [[nodiscard]] QString version() const;

    /// Puts `url` first in the recent servers.
    Q_INVOKABLE void rememberServer(const QString &url);
    Q_INVOKABLE void forgetServer(const QString &url);
    /// Screenshot run: saves the window's image to --out and quits with 0, or fails.
    /// (QQuickWindow::grabWindow: Item.grabToImage cannot take the window's root item in Qt 6.4.)
    Q_INVOKABLE void saveScreenshot(QObject *window);
    /// Screenshot run: prints `message` and quits with a non-zero status.
    Q_INVOKABLE void failScreenshot(const QString &message);
    /// Start-up timing: `phase` reached now, in ms since the process started (a screenshot run
    /// prints "startup: PHASE at N ms"; bench/console-startup.sh reads it).
    Q_INVOKABLE void markStartup(const QString &phase);
    /// Marks `phase` once `window` (a QQuickWindow) has swapped its next frame: it is on screen.
    Q_INVOKABLE void markStartupAfterNextFrame(QObject *window, const QString &phase);

Q_SIGNALS:
    void recentServersChanged();

private:
    QString m_embeddedUrl;
    QString m_initialServerUrl;
    QString m_screenshotPage;
    QString m_screenshotFile;
};

} // namespace lm::console
