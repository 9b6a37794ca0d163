// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonValue>
#include <QString>

#include <optional>

namespace lm::models {

/// The `budget` of a DM approval detail (docs/api/dm.md), as the approval page shows it.
struct ApprovalBudget
{
    bool present = false; ///< false without a campaign, or on a surface that reports no budget
    QString campaignName;
    std::optional<double> capUsd;
    double spentUsd = 0;
    double linkedSpentUsd = 0;
    std::optional<double> projectedUsd;
    QString projectedBasis;
    int completedActivities = 0;
    int openActivities = 0;

    /// Reads the API's object; a null or missing value is a budget that is not there.
    [[nodiscard]] static ApprovalBudget fromJson(const QJsonValue &value);
    /// The projection (or, without one, the spend) passes the cap.
    [[nodiscard]] bool overCap() const;
};

} // namespace lm::models
