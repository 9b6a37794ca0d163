// SPDX-License-Identifier: GPL-3.0-or-later
#include "recurringtasks.h"

#include "core/logging.h"
#include "core/ulid.h"
#include "jobs/jobworkers.h"
#include "services/insightreports.h"
#include "store/logrepository.h"

#include <QDateTime>

namespace lm::services {

using workflow::ActivityEvent;

namespace {
constexpr int kRunHourUtc = 6;
constexpr int kMaxPerTick = 50;

QDateTime atRunHour(QDate day)
{
    return QDateTime(day, QTime(kRunHourUtc, 0), Qt::UTC);
}
} // namespace

const QStringList &RecurringTasks::periodicities()
{
    static const QStringList values {QStringLiteral("daily"), QStringLiteral("weekly"),
        QStringLiteral("biweekly"), QStringLiteral("monthly"), QStringLiteral("quarterly")};
    return values;
}

qint64 RecurringTasks::nextRunAfter(const QString &periodicity, qint64 afterMs)
{
    const QDateTime after = QDateTime::fromMSecsSinceEpoch(afterMs, Qt::UTC);
    const QDate today = after.date();
    QDateTime next;
    if (periodicity == QLatin1String("daily")) {
        next = atRunHour(today);
        if (next <= after)
            next = atRunHour(today.addDays(1));
    } else if (periodicity == QLatin1String("weekly") || periodicity == QLatin1String("biweekly")) {
        // Mondays; biweekly skips one, so two runs are at least a week apart.
        next = atRunHour(today.addDays((8 - today.dayOfWeek()) % 7));
        if (next <= after)
            next = next.addDays(7);
        if (periodicity == QLatin1String("biweekly"))
            next = next.addDays(7);
    } else {
        const int months = periodicity == QLatin1String("quarterly") ? 3 : 1;
        QDate first(today.year(), today.month(), 1);
        if (months == 3)
            first = QDate(today.year(), ((today.month() - 1) / 3) * 3 + 1, 1);
        next = atRunHour(first);
        while (next <= after)
            next = next.addMonths(months);
    }
    return next.toMSecsSinceEpoch();
}

Result<QString> RecurringTasks::campaignFor(const store::RecurringTask &task)
{
    const auto scope = store::TenantScope::tenant(task.tenantId);
    const QString wanted = task.variableValues.value(QLatin1String("campaignId")).toString();
    if (!wanted.isEmpty()) {
        auto found = m_engine.store.campaigns.find(scope, wanted);
        if (!found.ok())
            return found.error();
        if (found->has_value() && (*found)->status != QLatin1String("archived"))
            return wanted;
    }
    auto active = m_engine.store.campaigns.list(scope, QStringLiteral("active"), {{}, 1, true});
    if (!active.ok())
        return active.error();
    if (active->items.isEmpty())
        return ApiError {ErrorCode::Unprocessable,
            QStringLiteral("The tenant has no active campaign to work in"),
            {{QStringLiteral("campaignId"), QStringLiteral("no_active_campaign")}}};
    return active->items.first().id;
}

Result<QString> RecurringTasks::start(
    UnitOfWork &work, const store::RecurringTask &task, const QString &campaignId)
{
    const qint64 now = work.nowMs();
    QStringList lines {task.description};
    for (auto it = task.variableValues.constBegin(); it != task.variableValues.constEnd(); ++it)
        lines.append(QStringLiteral("%1: %2").arg(it.key(), it.value().toVariant().toString()));
    store::Activity a;
    a.id = Ulid::generate();
    a.tenantId = task.tenantId;
    a.campaignId = campaignId;
    a.title = QStringLiteral("%1 — %2").arg(
        task.name, QDateTime::fromMSecsSinceEpoch(now, Qt::UTC).date().toString(Qt::ISODate));
    a.type = task.activityType;
    a.status = QStringLiteral("created");
    a.agentRole = task.assigneeType == QLatin1String("agent") ? task.agentRole : QString();
    a.inputPrompt = lines.join(QLatin1Char('\n')).trimmed();
    if (a.inputPrompt.isEmpty())
        a.inputPrompt = task.name;
    a.createdAtMs = now;
    a.updatedAtMs = now;
    if (auto r = work.store().activities.insert(a); !r.ok())
        return r.error();
    if (!a.agentRole.isEmpty()) {
        if (auto r = m_flow.apply(work, a, ActivityEvent::Assign); !r.ok())
            return r.error();
    }
    if (task.activityType == QLatin1String("performance_report")) {
        if (auto r = writePeriodReport(work.store(), task, campaignId, a.id, now); !r.ok())
            return r.error();
    }
    store::opsLog(work.store().db(),
        {task.tenantId, QStringLiteral("info"), QStringLiteral("system"),
            QStringLiteral("Recurring task started: %1").arg(task.name),
            {{QStringLiteral("recurringTaskId"), task.id}, {QStringLiteral("periodicity"), task.periodicity}},
            a.id, a.agentRole, now});
    return a.id;
}

Result<int> RecurringTasks::tick()
{
    auto due = m_engine.store.insight.recurringTasks.dueAcrossTenants(m_engine.clock.nowMs(), kMaxPerTick);
    if (!due.ok())
        return due.error();
    int started = 0;
    for (const auto &task : std::as_const(*due)) {
        auto campaign = campaignFor(task);
        UnitOfWork work(m_engine);
        if (!work.isActive())
            return work.error();
        const qint64 now = work.nowMs();
        // The claim moves the next run on first: a second scheduler's claim of the same run fails.
        auto claimed = work.store().insight.recurringTasks.claimDue(
            task.id, *task.nextRunAtMs, nextRunAfter(task.periodicity, now), now);
        if (!claimed.ok())
            return claimed.error();
        if (!*claimed)
            continue;
        if (campaign.ok()) {
            if (auto r = start(work, task, *campaign); !r.ok())
                return r.error();
            ++started;
        } else {
            store::opsLog(work.store().db(),
                {task.tenantId, QStringLiteral("warn"), QStringLiteral("system"),
                    QStringLiteral("Recurring task skipped: %1").arg(campaign.error().message),
                    {{QStringLiteral("recurringTaskId"), task.id}}, {}, task.agentRole, now});
        }
        if (auto r = work.commit(); !r.ok())
            return r.error();
    }
    return started;
}

Result<QString> RecurringTasks::runNow(
    const store::TenantScope &scope, const QString &taskId, store::AuditEntry audit)
{
    auto found = m_engine.store.insight.recurringTasks.find(scope, taskId);
    if (!found.ok())
        return found.error();
    if (!found->has_value())
        return ApiError::notFound(QStringLiteral("recurring task not found"));
    auto campaign = campaignFor(**found);
    if (!campaign.ok())
        return campaign.error();
    UnitOfWork work(m_engine);
    if (!work.isActive())
        return work.error();
    auto activityId = start(work, **found, *campaign);
    if (!activityId.ok())
        return activityId.error();
    if (auto r = work.store().insight.recurringTasks.markRun(scope, taskId, work.nowMs()); !r.ok())
        return r.error();
    const auto stamp = [](const std::optional<qint64> &ms) {
        return ms ? QJsonValue(isoTimestamp(*ms)) : QJsonValue(QJsonValue::Null);
    };
    audit.changes.insert(QStringLiteral("lastRunAt"),
        QJsonObject {{QStringLiteral("from"), stamp((*found)->lastRunAtMs)},
            {QStringLiteral("to"), isoTimestamp(work.nowMs())}});
    audit.changes.insert(QStringLiteral("activityId"),
        QJsonObject {{QStringLiteral("from"), QJsonValue::Null}, {QStringLiteral("to"), *activityId}});
    audit.createdAtMs = work.nowMs();
    if (auto r = work.store().audit.append(audit); !r.ok())
        return r.error();
    if (auto r = work.commit(); !r.ok())
        return r.error();
    return activityId;
}

Result<void> RecurringTasks::install(EngineContext &engine, jobs::JobWorkers &workers)
{
    auto tasks = std::make_shared<RecurringTasks>(engine);
    // Like the approval sweep: each tick queues the next first, so one chain of ticks runs.
    workers.registerHandler(JobKind::RecurringTick, [tasks, &engine](const jobs::Job &) -> Result<void> {
        jobs::NewJob next;
        next.kind = JobKind::RecurringTick;
        next.runAtMs = engine.clock.nowMs() + kTickIntervalMs;
        if (auto r = engine.queue.enqueue(next); !r.ok())
            return r.error();
        if (auto started = tasks->tick(); !started.ok())
            qCWarning(lmEngine) << "recurring task tick failed:" << started.error().message;
        return {};
    });
    auto pending = engine.queue.hasPending(JobKind::RecurringTick);
    if (!pending.ok())
        return pending.error();
    if (!*pending) {
        if (auto r = engine.queue.enqueue({JobKind::RecurringTick, {}, {}, 0, 5}); !r.ok())
            return r.error();
    }
    return {};
}

} // namespace lm::services
