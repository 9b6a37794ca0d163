// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/clock.h"
#include "core/result.h"
#include "jobs/jobqueue.h"
#include "server/serveroptions.h"
#include "store/store.h"

#include <QStringList>

namespace lm::server {

/// `leadmetrics-server seed`: fills a store for the benchmarks (bench/). Each tenant gets the demo's
/// engine data (agents, skills, three campaigns) plus its own volume: activities, and approvals of
/// every type and risk, about 30 % pending, each linked to one to three of the activities, with
/// descriptions and options as agents write them. Users `admin@bench-N.test` (N from 1), password
/// kPassword. Seeds only an empty database.
class BenchSeed
{
public:
    static constexpr const char *kPassword = "bench-pass-2026";

    struct Options
    {
        int tenants = 100;
        int approvalsPerTenant = 1000;
        int activitiesPerTenant = 2000;
        quint64 seed = 1;
    };

    /// Parses the flags of `seed` (`--tenants N --approvals-per-tenant M --activities-per-tenant K
    /// --seed S`), removing them from `args` so the rest go to ServerOptions.
    [[nodiscard]] static Result<Options> takeOptions(QStringList &args);
    [[nodiscard]] static QString usage();

    /// Opens (and migrates) the store `server` names, then seeds it.
    static Result<void> seedStore(ServerOptions server, const Options &options,
        const std::function<void(int done, int total)> &progress = {});

    /// Seeds; `progress` hears each tenant done.
    static Result<void> run(store::Store &store, jobs::JobQueue &queue, const Clock &clock,
        const Options &options, const std::function<void(int done, int total)> &progress = {});
};

} // namespace lm::server
