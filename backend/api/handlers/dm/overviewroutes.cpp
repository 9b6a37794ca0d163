// SPDX-License-Identifier: GPL-3.0-or-later
// GET /dm/v1/overview: every tenant's queue, work and spend at a glance.
#include "api/handlers/dm/dmsupport.h"
#include "api/json.h"
#include "store/dmrepository.h"
#include "workflow/budget.h"

#include <QDateTime>

namespace lm::api::dm {

namespace {
QJsonObject countsJson(const store::DmTenantOverview &t, const std::optional<qint64> &cap)
{
    return {{QStringLiteral("approvals"),
                QJsonObject {{QStringLiteral("pending"), t.pending}, {QStringLiteral("highRisk"), t.highRisk},
                    {QStringLiteral("expiringIn24h"), t.expiringIn24h}}},
        {QStringLiteral("activities"),
            QJsonObject {{QStringLiteral("inProgress"), t.inProgress}, {QStringLiteral("failed"), t.failed},
                {QStringLiteral("blocked"), t.blocked}}},
        {QStringLiteral("spend"),
            QJsonObject {{QStringLiteral("monthToDateUsd"), workflow::Budget::toUsd(t.monthToDateMicros)},
                {QStringLiteral("capUsd"), cap ? QJsonValue(workflow::Budget::toUsd(*cap)) : QJsonValue()}}}};
}
} // namespace

void addOverviewRoutes(std::vector<RouteSpec> &routes, const DashboardDeps &deps)
{
    store::Store &store = deps.store;
    const Clock &clock = deps.engine.clock;

    routes.push_back({HttpMethod::Get, path("/overview"), reviewers(),
        [&store, &clock](RequestContext &ctx) -> Result<HttpResponse> {
            const qint64 now = clock.nowMs();
            const QDate today = clock.now().date();
            const qint64 monthStart
                = QDateTime(QDate(today.year(), today.month(), 1), QTime(0, 0), Qt::UTC).toMSecsSinceEpoch();
            auto rows = store::DmRepository(store.db()).overview(now, monthStart);
            if (!rows.ok())
                return rows.error();
            QJsonArray tenants;
            store::DmTenantOverview total;
            std::optional<qint64> totalCap;
            for (const auto &t : std::as_const(*rows)) {
                QJsonObject o = countsJson(t, t.capMicros);
                o.insert(QStringLiteral("tenant"),
                    QJsonObject {{QStringLiteral("id"), t.tenantId}, {QStringLiteral("name"), t.tenantName}});
                tenants.append(o);
                total.pending += t.pending;
                total.highRisk += t.highRisk;
                total.expiringIn24h += t.expiringIn24h;
                total.inProgress += t.inProgress;
                total.failed += t.failed;
                total.blocked += t.blocked;
                total.monthToDateMicros += t.monthToDateMicros;
                if (t.capMicros)
                    totalCap = totalCap.value_or(0) + *t.capMicros;
            }
            QJsonObject totals = countsJson(total, totalCap);
            totals.insert(QStringLiteral("tenants"), int(rows->size()));
            ctx.auditRead({QStringLiteral("dm.overview.read"), QString(), QStringLiteral("platform"),
                QString(), QJsonObject()});
            return jsonResponse(200,
                {{QStringLiteral("tenants"), tenants}, {QStringLiteral("totals"), totals},
                    {QStringLiteral("generatedAt"), isoTimestamp(now)}});
        }});
}

} // namespace lm::api::dm
