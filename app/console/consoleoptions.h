// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/result.h"
#include "server/serveroptions.h"

#include <QString>
#include <QStringList>

namespace lm::console {

/// The console's command line: its own flags plus every leadmetrics-server flag for the embedded
/// backend. Errors name the flag.
struct ConsoleOptions
{
    QString serverUrl; ///< --server URL: a remote server; empty: the embedded backend
    QString screenshotPage; ///< --screenshot PAGE (mission-control, queue, approval, activity)
    QString screenshotFile; ///< --out FILE
    bool help = false;
    bool dataDirGiven = false; ///< --data-dir or --database named where the data lives
    server::ServerOptions embedded; ///< the embedded backend's options (port 0 unless --listen)

    static Result<ConsoleOptions> parse(const QStringList &arguments);
    /// The pages --screenshot accepts.
    [[nodiscard]] static QStringList screenshotPages();
    [[nodiscard]] static QString usage();
};

} // namespace lm::console
