// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "api/http.h"
#include "core/result.h"
#include "store/page.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QStringList>

namespace lm::api {

/// Reads a list route's query — `limit`, `cursor`, `order`, `filter[name]` — and collects every
/// problem as a 400 naming the parameter (`limit`, `filter[status]`, …). Unknown parameters are ignored.
class ListQuery
{
public:
    static constexpr int kDefaultLimit = 25;
    static constexpr int kMaxLimit = 100;
    static constexpr int kMaxFilterChars = 128;

    explicit ListQuery(const HttpRequest &request);

    /// limit (1–100, default 25), cursor, and order (asc|desc, default desc; a cursor keeps its order).
    [[nodiscard]] store::PageRequest page();
    /// `filter[name]` (or `filter.name`) that must be one of `allowed`; empty when absent.
    [[nodiscard]] QString enumFilter(const QString &name, const QStringList &allowed);
    /// `filter[name]` as free text (ids, roles); empty when absent.
    [[nodiscard]] QString textFilter(const QString &name);
    /// The collected problems, or success.
    [[nodiscard]] Result<void> result() const;

private:
    /// A decoded parameter; nullopt when absent.
    [[nodiscard]] std::optional<QString> value(const QString &name) const;
    [[nodiscard]] std::optional<QString> filterValue(const QString &name, QString *field) const;

    QList<std::pair<QString, QString>> m_items;
    QList<FieldIssue> m_issues;
};

/// The cursor-list envelope: {data, pagination:{nextCursor, hasMore, limit}}; nextCursor is null at the end.
[[nodiscard]] QJsonObject pageJson(
    const QJsonArray &data, bool hasMore, const QString &lastId, const store::PageRequest &page);
/// The same envelope as pageJson() around items the database serialised (store::JsonPage).
[[nodiscard]] HttpResponse pageResponse(const store::JsonPage &items, const store::PageRequest &page);

} // namespace lm::api
