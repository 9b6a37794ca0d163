// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "api/handlers/dashboard/dashboardsupport.h"

#include <QDate>
#include <QJsonObject>

#include <optional>
#include <string>
#include <string_view>

namespace lm::api::dashboard {

/// The period to show as current: the one containing today, else the last one that has begun.
[[nodiscard]] std::optional<store::DeliverablePeriod> currentPeriod(
    const QList<store::DeliverablePeriod> &periods, QDate today);

/// on_track | at_risk | missed (rule in docs/api/dashboard.md).
[[nodiscard]] std::string_view periodStatus(
    QDate start, QDate end, int target, const store::PeriodProgress &progress, QDate today);

/// A period with its progress and status, as GET /campaigns/:id and …/deliverables show it.
[[nodiscard]] QJsonObject periodJson(
    const store::DeliverablePeriod &p, const store::PeriodProgress &progress, QDate today);

/// The body of GET /campaigns/:id through Qt Sql and QJsonObject: the reference answer, and the
/// path on PostgreSQL.
[[nodiscard]] Result<QJsonObject> campaignDetailJson(store::Store &store, const store::TenantScope &scope,
    UserNames &names, const store::Campaign &c, QDate today);

/// The same body, byte for byte as QJsonDocument writes campaignDetailJson(), read with SQLite's own
/// API in four statements and written by JsonWriter (docs/api/dashboard.md, "The campaign detail's
/// read path"). Empty when the campaign is not in the tenant. SQLite only, tenant scopes only.
[[nodiscard]] Result<std::optional<std::string>> campaignDetailSqlite(
    store::Database &db, const QString &tenantId, const QString &campaignId, QDate today);

} // namespace lm::api::dashboard
