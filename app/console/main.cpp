// SPDX-License-Identifier: GPL-3.0-or-later
// leadmetrics-console: the desktop console. All logic lives in lmconsole; this only wires.
#include "consoleapp.h"

#include <QApplication>
#include <QtQml/qqmlextensionplugin.h>

Q_IMPORT_QML_PLUGIN(Leadmetrics_ConsolePlugin)
Q_IMPORT_QML_PLUGIN(Leadmetrics_HighlightPlugin)
Q_IMPORT_QML_PLUGIN(Leadmetrics_ModelsPlugin)

int main(int argc, char *argv[])
{
    // Same names as leadmetrics-server: the embedded backend uses the same data dir.
    QApplication::setOrganizationName(QStringLiteral("Leadmetrics"));
    QApplication::setApplicationName(QStringLiteral("leadmetrics"));
    QApplication::setApplicationVersion(QStringLiteral(LM_VERSION));

    // --help and bad flags are answered without a display.
    QStringList arguments;
    for (int i = 1; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);
    lm::console::ConsoleOptions options;
    if (auto status = lm::console::ConsoleApp::parseArguments(arguments, options))
        return *status;

    QApplication app(argc, argv); // QtCharts' QML types need a QApplication
    QApplication::setApplicationDisplayName(QStringLiteral("Leadmetrics Console"));
    return lm::console::ConsoleApp::run(std::move(options));
}
