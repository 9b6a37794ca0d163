// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>

#include <string>

namespace lm::store {

/// Keyset pagination over ULID ids: rows after `afterId` in the order asked for. Ids sort by
/// creation time, so a page stays correct while rows are being inserted.
struct PageRequest
{
    QString afterId; ///< empty: from the start
    int limit = 25;
    bool descending = true; ///< newest first
};

/// One page; `hasMore` says whether a row follows the last one.
template<typename T> struct Page
{
    QList<T> items;
    bool hasMore = false;
};

/// One page of list items already serialised by the database (store/sqljsonbuild.h).
struct JsonPage
{
    std::string items; ///< the items' JSON objects, comma-separated (no brackets)
    int count = 0;
    bool hasMore = false;
    QString lastId; ///< of the last item, for the next cursor
};

/// SQL for the keyset condition and order on column `id` (append `LIMIT limit + 1`).
[[nodiscard]] inline QString keysetCondition(const PageRequest &page, const QString &column)
{
    if (page.afterId.isEmpty())
        return QStringLiteral("1 = 1");
    return column + (page.descending ? QStringLiteral(" < ?") : QStringLiteral(" > ?"));
}
[[nodiscard]] inline QString keysetOrder(const PageRequest &page, const QString &column)
{
    return QStringLiteral(" ORDER BY ") + column
        + (page.descending ? QStringLiteral(" DESC") : QStringLiteral(" ASC")) + QStringLiteral(" LIMIT ")
        + QString::number(page.limit + 1);
}
/// Trims the extra row fetched to learn whether more follow.
template<typename T> Page<T> toPage(QList<T> rows, int limit)
{
    Page<T> page;
    page.hasMore = rows.size() > limit;
    if (page.hasMore)
        rows.resize(limit);
    page.items = std::move(rows);
    return page;
}

} // namespace lm::store
