// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "consoleoptions.h"

#include <QStringList>

namespace lm::console {

/// The whole console behind main(): options, the embedded backend, the QML engine, screenshots.
class ConsoleApp
{
public:
    /// Parses the command line before any window system is touched: on --help or a bad flag it
    /// prints and returns the exit status; otherwise returns no status and fills `options`.
    static std::optional<int> parseArguments(const QStringList &arguments, ConsoleOptions &options);
    /// Runs until the window closes; returns the process exit status. Needs a QApplication.
    static int run(ConsoleOptions options);
};

} // namespace lm::console
