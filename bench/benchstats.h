// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// What the C++ benchmarks share: a memory figure of their own process, its CPU time (cputime.h)
// and percentiles.

#include "cputime.h"

#include <QByteArray>
#include <QFile>

#include <algorithm>
#include <cmath>
#include <vector>

namespace lm::bench {

/// A line of /proc/self/status in KiB ("VmRSS", "VmHWM", …); 0 when unreadable.
inline qint64 procStatusKiB(const char *key)
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray prefix = QByteArray(key) + ':';
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith(prefix))
            return line.mid(prefix.size()).trimmed().split(' ').value(0).toLongLong();
    }
    return 0;
}

/// The nearest-rank percentile p (0–100) of values; 0 for none.
inline double percentile(std::vector<double> values, double p)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    const auto rank = std::size_t(std::max(1.0, std::ceil(p / 100.0 * double(values.size()))));
    return values[std::min(rank, values.size()) - 1];
}

} // namespace lm::bench
