// SPDX-License-Identifier: GPL-3.0-or-later
#include "listquery.h"

#include "api/cursor.h"

#include <QJsonDocument>

#include <QUrl>

namespace lm::api {

ListQuery::ListQuery(const HttpRequest &request)
{
    // Parsed by hand: QUrlQuery keeps `[`/`]` in keys encoded or not depending on the client.
    const QByteArray query = QByteArray::fromStdString(request.query);
    for (const QByteArray &pair : query.split('&')) {
        if (pair.isEmpty())
            continue;
        const qsizetype eq = pair.indexOf('=');
        QByteArray key = eq < 0 ? pair : pair.left(eq);
        QByteArray val = eq < 0 ? QByteArray() : pair.mid(eq + 1);
        key.replace('+', ' ');
        val.replace('+', ' ');
        m_items.append({QUrl::fromPercentEncoding(key), QUrl::fromPercentEncoding(val)});
    }
}

std::optional<QString> ListQuery::value(const QString &name) const
{
    for (const auto &[k, v] : m_items) {
        if (k == name)
            return v;
    }
    return std::nullopt;
}

std::optional<QString> ListQuery::filterValue(const QString &name, QString *field) const
{
    *field = QStringLiteral("filter[%1]").arg(name);
    if (auto v = value(*field))
        return v;
    return value(QStringLiteral("filter.") + name);
}

store::PageRequest ListQuery::page()
{
    store::PageRequest page;
    page.limit = kDefaultLimit;
    if (const auto limit = value(QStringLiteral("limit"))) {
        bool ok = false;
        const int n = limit->toInt(&ok);
        if (!ok)
            m_issues.append({QStringLiteral("limit"), QStringLiteral("must_be_integer")});
        else if (n < 1 || n > kMaxLimit)
            m_issues.append({QStringLiteral("limit"), QStringLiteral("out_of_range")});
        else
            page.limit = n;
    }
    std::optional<bool> descending;
    if (const auto order = value(QStringLiteral("order"))) {
        if (*order == QLatin1String("desc"))
            descending = true;
        else if (*order == QLatin1String("asc"))
            descending = false;
        else
            m_issues.append({QStringLiteral("order"), QStringLiteral("invalid")});
    }
    page.descending = descending.value_or(true);
    if (const auto cursor = value(QStringLiteral("cursor")); cursor && !cursor->isEmpty()) {
        auto decoded = CursorCodec::decode(*cursor);
        if (!decoded.ok()) {
            m_issues.append({QStringLiteral("cursor"), QStringLiteral("invalid")});
        } else if (descending && *descending != decoded->descending) {
            // A cursor continues the list it came from; another order would skip or repeat rows.
            m_issues.append({QStringLiteral("cursor"), QStringLiteral("order_mismatch")});
        } else {
            page.afterId = decoded->lastId;
            page.descending = decoded->descending;
        }
    }
    return page;
}

QString ListQuery::enumFilter(const QString &name, const QStringList &allowed)
{
    QString field;
    const auto v = filterValue(name, &field);
    if (!v || v->isEmpty())
        return {};
    if (!allowed.contains(*v)) {
        m_issues.append({field, QStringLiteral("invalid")});
        return {};
    }
    return *v;
}

QString ListQuery::textFilter(const QString &name)
{
    QString field;
    const auto v = filterValue(name, &field);
    if (!v)
        return {};
    if (v->size() > kMaxFilterChars) {
        m_issues.append({field, QStringLiteral("too_long")});
        return {};
    }
    return v->trimmed();
}

Result<void> ListQuery::result() const
{
    if (m_issues.isEmpty())
        return {};
    return ApiError {ErrorCode::ValidationError, QStringLiteral("The query is not valid"), m_issues};
}

QJsonObject pageJson(
    const QJsonArray &data, bool hasMore, const QString &lastId, const store::PageRequest &page)
{
    const QJsonValue next = hasMore && !lastId.isEmpty()
        ? QJsonValue(CursorCodec::encode({lastId, page.descending}))
        : QJsonValue(QJsonValue::Null);
    return {{QStringLiteral("data"), data},
        {QStringLiteral("pagination"),
            QJsonObject {{QStringLiteral("nextCursor"), next}, {QStringLiteral("hasMore"), hasMore},
                {QStringLiteral("limit"), page.limit}}}};
}

HttpResponse pageResponse(const store::JsonPage &items, const store::PageRequest &page)
{
    const QJsonObject pagination {{QStringLiteral("nextCursor"),
                                      items.hasMore && !items.lastId.isEmpty()
                                          ? QJsonValue(CursorCodec::encode({items.lastId, page.descending}))
                                          : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("hasMore"), items.hasMore}, {QStringLiteral("limit"), page.limit}};
    HttpResponse r;
    r.status = 200;
    r.setHeader("Content-Type", "application/json");
    const QByteArray tail = QJsonDocument(pagination).toJson(QJsonDocument::Compact);
    r.body.reserve(std::size_t(items.items.size() + tail.size()) + 32);
    r.body += "{\"data\":[";
    r.body += items.items;
    r.body += "],\"pagination\":";
    r.body.append(tail.constData(), std::size_t(tail.size()));
    r.body += '}';
    return r;
}

} // namespace lm::api
