// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Leadmetrics.Console
import Leadmetrics.Models

// The connection state, always in the header; with decisions waiting to be sent when offline.
RowLayout {
    id: badge
    spacing: 6

    readonly property color stateColor: Session.connection === Session.Online ? Theme.success
        : Session.connection === Session.Connecting ? Theme.warning : Theme.danger

    Rectangle {
        implicitWidth: 10
        implicitHeight: 10
        radius: 5
        color: badge.stateColor
    }
    Label {
        objectName: "connectionState"
        color: Theme.text
        font.pixelSize: Theme.smallFontSize
        text: Session.connection === Session.Online ? qsTr("Online")
            : Session.connection === Session.Connecting ? qsTr("Connecting…") : qsTr("Offline")
    }
    Label {
        objectName: "queuedDecisions"
        visible: Session.pendingDecisions > 0
        color: Theme.warning
        font.pixelSize: Theme.smallFontSize
        text: qsTr("%n decision(s) queued", "", Session.pendingDecisions)
    }
}
