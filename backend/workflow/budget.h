// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QtGlobal>

namespace lm::workflow {

/// Money is integer micro-dollars inside the platform (DESIGN.md); the API speaks USD numbers.
inline constexpr qint64 kMicrosPerUsd = 1'000'000;

/// A model's price in micro-dollars per million tokens.
struct ModelPrice
{
    qint64 inputMicrosPerMillion = 0;
    qint64 outputMicrosPerMillion = 0;
};

/// What one more cost does to a campaign's budget.
struct BudgetEvaluation
{
    bool crossedAlertThreshold = false; ///< this spend took the campaign to ≥ 90 % of its cap: alert once
    bool exhausted = false; ///< spend ≥ cap: no new run of the campaign may start
};

/// Budget rules: campaign caps, the 90 % alert, per-activity maxima. Pure arithmetic.
namespace Budget {
/// Cost of a run, rounded up to the next micro-dollar (never under-charge).
[[nodiscard]] qint64 costMicros(qint64 inputTokens, qint64 outputTokens, const ModelPrice &price);
/// The effect of spend moving from `before` to `after` under `cap` (cap ≤ 0: no cap).
[[nodiscard]] BudgetEvaluation evaluate(qint64 capMicros, qint64 spentBeforeMicros, qint64 spentAfterMicros);
/// A new run may start while the campaign is under its cap.
[[nodiscard]] bool runMayStart(qint64 capMicros, qint64 spentMicros);
/// A running activity is stopped once its own cost passes its maximum (max ≤ 0: no maximum).
[[nodiscard]] bool activityOverMaximum(qint64 maxMicros, qint64 activitySpentMicros);
[[nodiscard]] double toUsd(qint64 micros);
[[nodiscard]] qint64 fromUsd(double usd);
} // namespace Budget

/// Approval deadlines: expiry and the one `approval_expiring` notice six hours before.
namespace ApprovalTiming {
inline constexpr qint64 kExpiringNoticeMs = 6LL * 3600 * 1000;
[[nodiscard]] bool isExpired(qint64 nowMs, qint64 expiresAtMs);
/// True when the notice is due now and was not sent yet.
[[nodiscard]] bool expiringNoticeDue(qint64 nowMs, qint64 expiresAtMs, bool noticeAlreadySent);
/// Whole hours left, rounded up (the event's `hoursLeft`); 0 once expired.
[[nodiscard]] int hoursLeft(qint64 nowMs, qint64 expiresAtMs);
} // namespace ApprovalTiming

} // namespace lm::workflow
