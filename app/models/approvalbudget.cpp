// SPDX-License-Identifier: GPL-3.0-or-later
#include "approvalbudget.h"

#include <QJsonObject>

namespace lm::models {

namespace {
std::optional<double> numberOrNone(const QJsonValue &v)
{
    return v.isDouble() ? std::optional<double>(v.toDouble()) : std::nullopt;
}
} // namespace

ApprovalBudget ApprovalBudget::fromJson(const QJsonValue &value)
{
    ApprovalBudget b;
    if (!value.isObject())
        return b;
    const QJsonObject o = value.toObject();
    b.present = true;
    b.campaignName = o.value(QLatin1String("campaignName")).toString();
    b.capUsd = numberOrNone(o.value(QLatin1String("capUsd")));
    b.spentUsd = o.value(QLatin1String("spentUsd")).toDouble();
    b.linkedSpentUsd = o.value(QLatin1String("linkedActivitiesSpentUsd")).toDouble();
    b.projectedUsd = numberOrNone(o.value(QLatin1String("projectedUsd")));
    b.projectedBasis = o.value(QLatin1String("projectedBasis")).toString();
    b.completedActivities = o.value(QLatin1String("completedActivities")).toInt();
    b.openActivities = o.value(QLatin1String("openActivities")).toInt();
    return b;
}

bool ApprovalBudget::overCap() const
{
    return present && capUsd && projectedUsd.value_or(spentUsd) > *capUsd;
}

} // namespace lm::models
