// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "store/store.h"

#include <QDate>

namespace lm::services {

/// A performance report of a campaign over [start, end] in Markdown, from the store's figures
/// (spend by agent and by day, the work done). Not stored; id and times are filled.
Result<store::Report> buildReport(store::Store &store, const QString &tenantId, const QString &campaignId,
    const QString &type, QDate start, QDate end, qint64 nowMs);

/// The report a recurring performance-report task writes when it starts: over the period before
/// the run (yesterday, the last week(s), the last calendar month or quarter), status `ready`.
Result<void> writePeriodReport(store::Store &store, const store::RecurringTask &task,
    const QString &campaignId, const QString &activityId, qint64 nowMs);

} // namespace lm::services
