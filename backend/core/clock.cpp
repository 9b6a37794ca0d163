// SPDX-License-Identifier: GPL-3.0-or-later
#include "clock.h"

namespace lm {

QString isoTimestamp(qint64 msSinceEpoch)
{
    return QDateTime::fromMSecsSinceEpoch(msSinceEpoch, Qt::UTC).toString(Qt::ISODateWithMs);
}

} // namespace lm
