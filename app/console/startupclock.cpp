// SPDX-License-Identifier: GPL-3.0-or-later
#include "startupclock.h"

#include <QElapsedTimer>
#include <QFile>

#ifdef Q_OS_LINUX
#include <ctime>
#include <unistd.h>
#endif

namespace lm::console {

namespace {
#ifdef Q_OS_LINUX
/// The process's start in ms of CLOCK_BOOTTIME (field 22 of /proc/self/stat, in clock ticks), or -1.
qint64 processStartBootMs()
{
    QFile stat(QStringLiteral("/proc/self/stat"));
    if (!stat.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray line = stat.readAll();
    // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    const qsizetype close = line.lastIndexOf(')');
    if (close < 0)
        return -1;
    const QList<QByteArray> fields = line.mid(close + 2).split(' ');
    constexpr int StartTimeAfterName = 22 - 3; // fields[0] is field 3 (state)
    bool ok = false;
    const qint64 ticks = fields.value(StartTimeAfterName).toLongLong(&ok);
    const long hz = sysconf(_SC_CLK_TCK);
    return ok && hz > 0 ? ticks * 1000 / hz : -1;
}
#endif
} // namespace

qint64 msSinceProcessStart()
{
#ifdef Q_OS_LINUX
    static const qint64 startMs = processStartBootMs();
    timespec now {};
    if (startMs >= 0 && clock_gettime(CLOCK_BOOTTIME, &now) == 0)
        return qint64(now.tv_sec) * 1000 + now.tv_nsec / 1000000 - startMs;
#endif
    static QElapsedTimer sinceFirstCall;
    if (!sinceFirstCall.isValid())
        sinceFirstCall.start();
    return sinceFirstCall.elapsed();
}

} // namespace lm::console
