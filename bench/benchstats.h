// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// What the C++ benchmarks share: a memory figure of their own process and percentiles.

#include <QByteArray>
#include <QFile>

#include <sys/resource.h>

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

/// CPU time this process has used so far, user and system, in ms.
struct CpuMs
{
    double user = 0;
    double system = 0;
};
inline CpuMs processCpuMs()
{
    rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    const auto ms = [](const timeval &t) { return double(t.tv_sec) * 1e3 + double(t.tv_usec) / 1e3; };
    return {ms(usage.ru_utime), ms(usage.ru_stime)};
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
