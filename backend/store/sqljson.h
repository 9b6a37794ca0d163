// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>

namespace lm::store {

/// Lists and small objects live in TEXT columns as compact JSON (the same SQL on both dialects).
[[nodiscard]] inline QString jsonText(const QStringList &list)
{
    return QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(list)).toJson(QJsonDocument::Compact));
}
[[nodiscard]] inline QString jsonText(const QJsonObject &object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}
[[nodiscard]] inline QString jsonText(const QJsonArray &array)
{
    return QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Compact));
}
[[nodiscard]] inline QStringList stringListFromJson(const QString &text)
{
    QStringList out;
    const QJsonArray array = QJsonDocument::fromJson(text.toUtf8()).array();
    out.reserve(array.size());
    for (const QJsonValue &v : array)
        out.append(v.toString());
    return out;
}
[[nodiscard]] inline QJsonObject objectFromJson(const QString &text)
{
    return QJsonDocument::fromJson(text.toUtf8()).object();
}
[[nodiscard]] inline QJsonArray arrayFromJson(const QString &text)
{
    return QJsonDocument::fromJson(text.toUtf8()).array();
}

} // namespace lm::store
