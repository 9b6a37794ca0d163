// SPDX-License-Identifier: GPL-3.0-or-later
#include "insightreports.h"

#include "core/ulid.h"
#include "workflow/budget.h"

#include <QDateTime>
#include <QMap>

namespace lm::services {

namespace {
QString usd(qint64 micros)
{
    return QStringLiteral("$%1").arg(workflow::Budget::toUsd(micros), 0, 'f', 2);
}

QString typeTitle(const QString &type)
{
    if (type == QLatin1String("quarterly_review"))
        return QStringLiteral("Quarterly review");
    if (type == QLatin1String("ad_audit"))
        return QStringLiteral("Ad audit");
    if (type == QLatin1String("seo_audit"))
        return QStringLiteral("SEO audit");
    if (type == QLatin1String("custom"))
        return QStringLiteral("Report");
    return QStringLiteral("Monthly performance");
}
} // namespace

Result<store::Report> buildReport(store::Store &store, const QString &tenantId, const QString &campaignId,
    const QString &type, QDate start, QDate end, qint64 nowMs)
{
    const auto scope = store::TenantScope::tenant(tenantId);
    auto campaign = store.campaigns.find(scope, campaignId);
    if (!campaign.ok())
        return campaign.error();
    const QString campaignName = campaign->has_value() ? (*campaign)->name : QString();
    auto rows = store.insight.analytics.spend(scope, start.startOfDay(Qt::UTC).toMSecsSinceEpoch(),
        end.addDays(1).startOfDay(Qt::UTC).toMSecsSinceEpoch());
    if (!rows.ok())
        return rows.error();
    qint64 total = 0;
    int runs = 0;
    QMap<QString, qint64> byAgent;
    QMap<QString, int> byType;
    for (const auto &r : std::as_const(*rows)) {
        if (r.campaignId != campaignId)
            continue;
        total += r.costMicros;
        ++runs;
        byAgent[r.agentName.isEmpty() ? r.agentRole : r.agentName] += r.costMicros;
        byType[r.activityType] += 1;
    }
    store::Report report;
    report.id = Ulid::generate(QDateTime::fromMSecsSinceEpoch(nowMs, Qt::UTC));
    report.tenantId = tenantId;
    report.campaignId = campaignId;
    report.type = type;
    report.status = QStringLiteral("ready");
    report.periodStart = start.toString(Qt::ISODate);
    report.periodEnd = end.toString(Qt::ISODate);
    report.title = QStringLiteral("%1 — %2, %3 to %4")
                       .arg(typeTitle(type), campaignName, report.periodStart, report.periodEnd);
    report.createdAtMs = nowMs;
    QString md = QStringLiteral("# %1\n\n**Campaign:** %2  \n**Period:** %3 to %4\n\n## Summary\n\n")
                     .arg(typeTitle(type), campaignName, report.periodStart, report.periodEnd);
    md += QStringLiteral("The agents did %1 runs for this campaign in the period, at a cost of %2.\n")
              .arg(runs)
              .arg(usd(total));
    if (campaign->has_value() && (*campaign)->budgetCapMicros) {
        const qint64 cap = *(*campaign)->budgetCapMicros;
        md += QStringLiteral("Spend to date is %1 of a %2 cap.\n")
                  .arg(usd((*campaign)->spentMicros), usd(cap));
    }
    md += QStringLiteral("\n## Spend by agent\n\n| Agent | Cost |\n|---|---:|\n");
    for (auto it = byAgent.constBegin(); it != byAgent.constEnd(); ++it)
        md += QStringLiteral("| %1 | %2 |\n").arg(it.key(), usd(it.value()));
    if (byAgent.isEmpty())
        md += QStringLiteral("| — | $0.00 |\n");
    md += QStringLiteral("\n## Work by type\n\n");
    for (auto it = byType.constBegin(); it != byType.constEnd(); ++it)
        md += QStringLiteral("- %1: %2 runs\n")
                  .arg(QString(it.key()).replace(QLatin1Char('_'), QLatin1Char(' ')))
                  .arg(it.value());
    if (byType.isEmpty())
        md += QStringLiteral("- No agent work in this period.\n");
    md += QStringLiteral("\n## Next steps\n\n- Review the open approvals so work is not held up.\n"
                         "- Compare this period's spend with the plan before raising any cap.\n");
    report.content = md;
    return report;
}

Result<void> writePeriodReport(store::Store &store, const store::RecurringTask &task,
    const QString &campaignId, const QString &activityId, qint64 nowMs)
{
    const QDate today = QDateTime::fromMSecsSinceEpoch(nowMs, Qt::UTC).date();
    QDate start;
    QDate end = today.addDays(-1);
    if (task.periodicity == QLatin1String("daily")) {
        start = end;
    } else if (task.periodicity == QLatin1String("weekly")) {
        start = today.addDays(-7);
    } else if (task.periodicity == QLatin1String("biweekly")) {
        start = today.addDays(-14);
    } else if (task.periodicity == QLatin1String("quarterly")) {
        const QDate quarter(today.year(), ((today.month() - 1) / 3) * 3 + 1, 1);
        start = quarter.addMonths(-3);
        end = quarter.addDays(-1);
    } else {
        const QDate month(today.year(), today.month(), 1);
        start = month.addMonths(-1);
        end = month.addDays(-1);
    }
    static const QStringList types {QStringLiteral("monthly_performance"), QStringLiteral("quarterly_review"),
        QStringLiteral("ad_audit"), QStringLiteral("seo_audit"), QStringLiteral("custom")};
    QString type = task.variableValues.value(QLatin1String("reportType")).toString();
    if (!types.contains(type))
        type = task.periodicity == QLatin1String("quarterly") ? QStringLiteral("quarterly_review")
                                                              : QStringLiteral("monthly_performance");
    auto report = buildReport(store, task.tenantId, campaignId, type, start, end, nowMs);
    if (!report.ok())
        return report.error();
    report->activityId = activityId;
    report->recurringTaskId = task.id;
    return store.insight.reports.insert(*report);
}

} // namespace lm::services
