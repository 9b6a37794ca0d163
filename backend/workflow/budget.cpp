// SPDX-License-Identifier: GPL-3.0-or-later
#include "budget.h"

#include <cmath>

namespace lm::workflow {

namespace {
// 128-bit intermediates so tokens × price cannot overflow; __extension__ keeps -Wpedantic quiet.
__extension__ using Wide = __int128;
} // namespace

namespace Budget {

qint64 costMicros(qint64 inputTokens, qint64 outputTokens, const ModelPrice &price)
{
    // Tokens × micro-dollars per million, in integers.
    const Wide numerator = Wide(std::max<qint64>(0, inputTokens)) * price.inputMicrosPerMillion
        + Wide(std::max<qint64>(0, outputTokens)) * price.outputMicrosPerMillion;
    return qint64((numerator + 999'999) / 1'000'000);
}

BudgetEvaluation evaluate(qint64 capMicros, qint64 spentBeforeMicros, qint64 spentAfterMicros)
{
    BudgetEvaluation out;
    if (capMicros <= 0)
        return out;
    // 90 % without floating point: spent × 10 ≥ cap × 9.
    const auto atAlert = [capMicros](qint64 spent) { return Wide(spent) * 10 >= Wide(capMicros) * 9; };
    out.crossedAlertThreshold = !atAlert(spentBeforeMicros) && atAlert(spentAfterMicros);
    out.exhausted = spentAfterMicros >= capMicros;
    return out;
}

bool runMayStart(qint64 capMicros, qint64 spentMicros)
{
    return capMicros <= 0 || spentMicros < capMicros;
}

bool activityOverMaximum(qint64 maxMicros, qint64 activitySpentMicros)
{
    return maxMicros > 0 && activitySpentMicros > maxMicros;
}

double toUsd(qint64 micros)
{
    return double(micros) / double(kMicrosPerUsd);
}

qint64 fromUsd(double usd)
{
    return qint64(std::llround(usd * double(kMicrosPerUsd)));
}

} // namespace Budget

namespace ApprovalTiming {

bool isExpired(qint64 nowMs, qint64 expiresAtMs)
{
    return nowMs >= expiresAtMs;
}

bool expiringNoticeDue(qint64 nowMs, qint64 expiresAtMs, bool noticeAlreadySent)
{
    return !noticeAlreadySent && nowMs >= expiresAtMs - kExpiringNoticeMs && nowMs < expiresAtMs;
}

int hoursLeft(qint64 nowMs, qint64 expiresAtMs)
{
    if (nowMs >= expiresAtMs)
        return 0;
    const qint64 hour = 3600 * 1000;
    return int((expiresAtMs - nowMs + hour - 1) / hour);
}

} // namespace ApprovalTiming

} // namespace lm::workflow
