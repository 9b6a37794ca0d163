// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// CPU time of the benchmark's own process; no Qt, so the Asio-only fan-out client can use it too.

#include <sys/resource.h>

namespace lm::bench {

/// CPU time this process has used so far, user and system, in ms.
struct CpuMs
{
    double user = 0;
    double system = 0;
    [[nodiscard]] double total() const { return user + system; }
};
inline CpuMs processCpuMs()
{
    rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    const auto ms = [](const timeval &t) { return double(t.tv_sec) * 1e3 + double(t.tv_usec) / 1e3; };
    return {ms(usage.ru_utime), ms(usage.ru_stime)};
}

} // namespace lm::bench
