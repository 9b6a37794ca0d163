// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/result.h"
#include "store/database.h"
#include "store/page.h"
#include "store/tenantscope.h"

#include <optional>

namespace lm::store {

/// A performance report: Markdown content over a period, made by a recurring task or seeded.
struct Report
{
    QString id;
    QString tenantId;
    QString campaignId;
    QString activityId;
    QString recurringTaskId;
    QString title;
    QString type; ///< monthly_performance | quarterly_review | ad_audit | seo_audit | custom
    QString status = QStringLiteral("ready"); ///< draft | ready | delivered | archived
    QString periodStart; ///< YYYY-MM-DD
    QString periodEnd;
    QString content;
    std::optional<qint64> deliveredAtMs;
    QString deliveredBy;
    QString deliveryChannel;
    qint64 createdAtMs = 0;
};

/// GET /reports filters; empty fields do not filter. Dates are YYYY-MM-DD.
struct ReportFilter
{
    QString status;
    QString campaignId;
    QString type;
    QString startDate; ///< period_start ≥ this
    QString endDate; ///< period_end ≤ this
};

class ReportRepository
{
public:
    explicit ReportRepository(Database &db)
        : m_db(db)
    { }

    Result<void> insert(const Report &report);
    Result<std::optional<Report>> find(const TenantScope &scope, const QString &id);
    /// Without content (the list does not show it).
    Result<Page<Report>> list(const TenantScope &scope, const ReportFilter &filter, const PageRequest &page);

private:
    Database &m_db;
};

} // namespace lm::store
