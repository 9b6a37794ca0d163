// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import Leadmetrics.Console

// Time left until `expiresAt` (ISO string or date), red under 6 hours.
Label {
    id: countdown
    property var expiresAt
    readonly property real msLeft: expiresAt ? new Date(expiresAt).getTime() - Theme.now.getTime() : NaN

    function format(ms) {
        if (isNaN(ms))
            return qsTr("No expiry")
        if (ms <= 0)
            return qsTr("Expired")
        const minutes = Math.floor(ms / 60000)
        const days = Math.floor(minutes / 1440)
        const hours = Math.floor((minutes % 1440) / 60)
        if (days > 0)
            return qsTr("%1d %2h left").arg(days).arg(hours)
        if (hours > 0)
            return qsTr("%1h %2m left").arg(hours).arg(minutes % 60)
        const seconds = Math.floor((ms % 60000) / 1000)
        return qsTr("%1m %2s left").arg(minutes).arg(seconds)
    }

    text: format(msLeft)
    font.pixelSize: Theme.smallFontSize
    color: !isNaN(msLeft) && msLeft < 6 * 3600 * 1000 ? Theme.danger : Theme.textMuted
}
