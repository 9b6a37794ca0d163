// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <atomic>

namespace lm {

/// Source of "now" for everything time-dependent (token expiry, rate limits, approvals expiry),
/// injectable so tests can move time instead of sleeping.
class Clock
{
public:
    virtual ~Clock() = default;
    /// Milliseconds since the Unix epoch, UTC.
    [[nodiscard]] virtual qint64 nowMs() const = 0;
    [[nodiscard]] QDateTime now() const { return QDateTime::fromMSecsSinceEpoch(nowMs(), Qt::UTC); }
    [[nodiscard]] qint64 nowSeconds() const { return nowMs() / 1000; }
};

/// The real wall clock.
class SystemClock final : public Clock
{
public:
    [[nodiscard]] qint64 nowMs() const override { return QDateTime::currentMSecsSinceEpoch(); }
};

/// A clock that starts at the real time and moves only when told (tests).
class ManualClock final : public Clock
{
public:
    explicit ManualClock(qint64 startMs = QDateTime::currentMSecsSinceEpoch())
        : m_ms(startMs)
    { }
    [[nodiscard]] qint64 nowMs() const override { return m_ms.load(); }
    void advanceMs(qint64 ms) { m_ms += ms; }
    void setMs(qint64 ms) { m_ms = ms; }

private:
    std::atomic<qint64> m_ms;
};

/// ISO-8601 UTC with milliseconds, as every timestamp of the API.
[[nodiscard]] QString isoTimestamp(qint64 msSinceEpoch);

} // namespace lm
