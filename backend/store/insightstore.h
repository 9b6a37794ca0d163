// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "store/analyticsrepository.h"
#include "store/auditsearch.h"
#include "store/chatrepository.h"
#include "store/logrepository.h"
#include "store/paidadsrepository.h"
#include "store/recurringtaskrepository.h"
#include "store/reportrepository.h"

namespace lm::store {

/// The repositories of the insight routes (logs, audit search, analytics, reports, paid ads,
/// recurring tasks, chat), reached as Store::insight.
struct InsightStore
{
    explicit InsightStore(Database &db)
        : logs(db)
        , auditSearch(db)
        , analytics(db)
        , reports(db)
        , paidAds(db)
        , recurringTasks(db)
        , chat(db)
    { }

    LogRepository logs;
    AuditSearch auditSearch;
    AnalyticsRepository analytics;
    ReportRepository reports;
    PaidAdsRepository paidAds;
    RecurringTaskRepository recurringTasks;
    ChatRepository chat;
};

} // namespace lm::store
