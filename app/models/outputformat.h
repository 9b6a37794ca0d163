// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace lm::models {

/// The format an output is shown in: the API's `outputFormat` when it names one, else a guess from the text
/// (HTML when it starts with a tag, markdown otherwise — agents write markdown).
[[nodiscard]] inline QString outputFormatOf(const QString &declared, const QString &text)
{
    if (declared == QLatin1String("markdown") || declared == QLatin1String("html")
        || declared == QLatin1String("text"))
        return declared;
    const QString head = text.trimmed().left(16).toLower();
    if (head.startsWith(QLatin1String("<!doctype html")) || head.startsWith(QLatin1String("<html"))
        || head.startsWith(QLatin1String("<p>")) || head.startsWith(QLatin1String("<div")))
        return QStringLiteral("html");
    return QStringLiteral("markdown");
}

} // namespace lm::models
