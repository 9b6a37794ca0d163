// SPDX-License-Identifier: GPL-3.0-or-later
#include "consoleoptions.h"

#include <QUrl>

#include <algorithm>

namespace lm::console {

QStringList ConsoleOptions::screenshotPages()
{
    return {QStringLiteral("mission-control"), QStringLiteral("queue"), QStringLiteral("approval"),
        QStringLiteral("activity")};
}

QString ConsoleOptions::usage()
{
    return QStringLiteral("Usage: leadmetrics-console [--server URL] [--screenshot PAGE --out FILE] "
                          "[leadmetrics-server flags]\n"
                          "  --server URL         connect to a running server instead of the embedded one\n"
                          "  --screenshot PAGE    sign in to a demo backend, open PAGE (%1),\n"
                          "                       save the window to --out FILE and exit\n"
                          "The embedded backend listens on 127.0.0.1 on a free port and takes the flags of\n"
                          "leadmetrics-server:\n\n")
               .arg(screenshotPages().join(QStringLiteral(", ")))
        + server::ServerOptions::usage();
}

Result<ConsoleOptions> ConsoleOptions::parse(const QStringList &arguments)
{
    ConsoleOptions options;
    QStringList serverArgs;
    auto fail = [](const QString &message) {
        return Result<ConsoleOptions>(ApiError::validation(QStringLiteral("arguments"), message, message));
    };
    for (int i = 0; i < arguments.size(); ++i) {
        QString arg = arguments[i];
        QString value;
        bool inlineValue = false;
        if (const auto eq = arg.indexOf(u'='); arg.startsWith(QLatin1String("--")) && eq > 0) {
            value = arg.mid(eq + 1);
            arg = arg.left(eq);
            inlineValue = true;
        }
        auto take = [&]() -> std::optional<QString> {
            if (inlineValue)
                return value;
            if (i + 1 >= arguments.size())
                return std::nullopt;
            return arguments[++i];
        };
        if (arg == QLatin1String("--server")) {
            auto v = take();
            QUrl url(v.value_or(QString()));
            if (url.path() == u"/")
                url.setPath(QString()); // http://host/ and http://host are the same server
            if (!v || !url.isValid() || (url.scheme() != u"http" && url.scheme() != u"https")
                || url.host().isEmpty())
                return fail(QStringLiteral("--server needs an http(s) URL, e.g. http://127.0.0.1:8787"));
            options.serverUrl = url.toString(QUrl::StripTrailingSlash);
        } else if (arg == QLatin1String("--screenshot")) {
            auto v = take();
            if (!v || !screenshotPages().contains(*v))
                return fail(
                    QStringLiteral("--screenshot needs one of: %1").arg(screenshotPages().join(u", ")));
            options.screenshotPage = *v;
        } else if (arg == QLatin1String("--out")) {
            auto v = take();
            if (!v || v->isEmpty())
                return fail(QStringLiteral("--out needs a file name"));
            options.screenshotFile = *v;
        } else if (arg == QLatin1String("--help") || arg == QLatin1String("-h")) {
            options.help = true;
        } else {
            serverArgs << arguments[i];
        }
    }
    if (!options.screenshotPage.isEmpty() && options.screenshotFile.isEmpty())
        return fail(QStringLiteral("--screenshot needs --out FILE"));
    if (options.screenshotPage.isEmpty() && !options.screenshotFile.isEmpty())
        return fail(QStringLiteral("--out is only used with --screenshot"));
    if (!options.serverUrl.isEmpty() && !options.screenshotPage.isEmpty())
        return fail(
            QStringLiteral("--screenshot runs its own demo backend and cannot be used with --server"));

    bool listenGiven = false;
    const auto given
        = [](const QString &a, QLatin1String flag) { return a == flag || a.startsWith(flag + u'='); };
    for (const QString &a : std::as_const(serverArgs)) {
        listenGiven = listenGiven || given(a, QLatin1String("--listen"));
        // A screenshot run on a named store (a benchmark's seed) must not swap it for a demo one.
        options.dataDirGiven = options.dataDirGiven || given(a, QLatin1String("--data-dir"))
            || given(a, QLatin1String("--database"));
    }
    auto embedded = server::ServerOptions::parse(serverArgs);
    if (!embedded.ok())
        return Result<ConsoleOptions>(embedded.error());
    options.embedded = *embedded;
    // The embedded backend serves only this process: loopback on a free port unless told otherwise.
    if (!listenGiven) {
        options.embedded.host = QStringLiteral("127.0.0.1");
        options.embedded.port = 0;
    }
    if (!options.screenshotPage.isEmpty() && !options.dataDirGiven)
        options.embedded.demo = true;
    return options;
}

} // namespace lm::console
