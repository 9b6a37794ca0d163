// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import Leadmetrics.Console

// The visible keyboard focus ring: put inside any focusable item.
Rectangle {
    property bool shown: parent && parent.activeFocus
    anchors.fill: parent
    anchors.margins: -2
    radius: Theme.radius + 2
    color: "transparent"
    border.width: 2
    border.color: Theme.focus
    visible: shown
    z: 100
}
