// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Shared by the insight routes: audit log, logs, analytics, org chart, reports, paid ads,
// recurring tasks and chat (decisions in docs/api/dashboard-insight.md).

#include "api/handlers/dashboard/dashboardsupport.h"
#include "api/listquery.h"

#include <QDateTime>
#include <QRegularExpression>
#include <QUrl>

#include <optional>

namespace lm::api::dashboard {

/// A query parameter (decoded), or nullopt when absent; `filter[x]` is also read as `filter.x`.
[[nodiscard]] inline std::optional<QString> queryParam(const HttpRequest &request, const QString &name)
{
    const QByteArray query = QByteArray::fromStdString(request.query);
    QString dotted = name;
    if (name.startsWith(QLatin1String("filter[")) && name.endsWith(QLatin1Char(']')))
        dotted = QStringLiteral("filter.") + name.mid(7, name.size() - 8);
    for (const QByteArray &pair : query.split('&')) {
        const qsizetype eq = pair.indexOf('=');
        QByteArray key = eq < 0 ? pair : pair.left(eq);
        QByteArray val = eq < 0 ? QByteArray() : pair.mid(eq + 1);
        key.replace('+', ' ');
        val.replace('+', ' ');
        const QString k = QUrl::fromPercentEncoding(key);
        if (k == name || k == dotted)
            return QUrl::fromPercentEncoding(val);
    }
    return std::nullopt;
}

/// The page of a list whose spec default limit is not 25 (audit log 50, logs 100).
[[nodiscard]] inline store::PageRequest pageWithDefault(
    ListQuery &query, const HttpRequest &request, int defaultLimit)
{
    store::PageRequest page = query.page();
    if (!queryParam(request, QStringLiteral("limit")))
        page.limit = defaultLimit;
    return page;
}

/// A time bound from `YYYY-MM-DD` (a start: 00:00:00.000 UTC; an end: 23:59:59.999 UTC) or a full
/// ISO-8601 timestamp. Problems go to `issues` under `field`.
[[nodiscard]] inline std::optional<qint64> timeBound(
    const std::optional<QString> &text, const QString &field, bool end, QList<FieldIssue> &issues)
{
    if (!text || text->isEmpty())
        return std::nullopt;
    static const QRegularExpression dateForm(QStringLiteral("^\\d{4}-\\d{2}-\\d{2}$"));
    if (dateForm.match(*text).hasMatch()) {
        const QDate d = QDate::fromString(*text, Qt::ISODate);
        if (d.isValid())
            return end ? d.addDays(1).startOfDay(Qt::UTC).toMSecsSinceEpoch() - 1
                       : d.startOfDay(Qt::UTC).toMSecsSinceEpoch();
    } else if (text->size() <= 40) {
        const QDateTime t = QDateTime::fromString(*text, Qt::ISODateWithMs);
        if (t.isValid() && text->contains(QLatin1Char('T')))
            return t.toMSecsSinceEpoch();
    }
    issues.append({field, QStringLiteral("invalid_date")});
    return std::nullopt;
}

/// The list's own problems and the caller's, as one 400; success when there are none.
[[nodiscard]] inline Result<void> queryProblems(const ListQuery &query, const QList<FieldIssue> &more)
{
    QList<FieldIssue> all = more;
    if (auto r = query.result(); !r.ok())
        all = r.error().details + more;
    if (all.isEmpty())
        return {};
    return ApiError {ErrorCode::ValidationError, QStringLiteral("The query is not valid"), all};
}

/// A date (YYYY-MM-DD) from a JSON-free query value, or nullopt; problems go to `issues`.
[[nodiscard]] inline std::optional<QDate> dateParam(
    const std::optional<QString> &text, const QString &field, QList<FieldIssue> &issues)
{
    if (!text || text->isEmpty())
        return std::nullopt;
    static const QRegularExpression dateForm(QStringLiteral("^\\d{4}-\\d{2}-\\d{2}$"));
    const QDate d = QDate::fromString(*text, Qt::ISODate);
    if (!dateForm.match(*text).hasMatch() || !d.isValid()) {
        issues.append({field, QStringLiteral("invalid_date")});
        return std::nullopt;
    }
    return d;
}

/// Members and admins change tenant data here; reviewers read (docs/api/dashboard-insight.md).
[[nodiscard]] inline AccessPolicy editors()
{
    return AccessPolicy::surface(Surface::Dashboard, {Role::Admin, Role::Member});
}

void addLogRoutes(std::vector<RouteSpec> &routes, const DashboardDeps &deps);
void addAnalyticsRoutes(std::vector<RouteSpec> &routes, const DashboardDeps &deps);
void addRecurringRoutes(std::vector<RouteSpec> &routes, const DashboardDeps &deps);
void addChatRoutes(std::vector<RouteSpec> &routes, const DashboardDeps &deps);

} // namespace lm::api::dashboard
