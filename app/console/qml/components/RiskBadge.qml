// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import Leadmetrics.Console

Rectangle {
    id: badge
    property string risk: "low"

    implicitWidth: label.implicitWidth + 12
    implicitHeight: label.implicitHeight + 4
    radius: height / 2
    color: Qt.rgba(Theme.riskColor(risk).r, Theme.riskColor(risk).g, Theme.riskColor(risk).b, 0.18)
    border.color: Theme.riskColor(risk)

    Label {
        id: label
        anchors.centerIn: parent
        font.pixelSize: Theme.smallFontSize
        font.bold: true
        color: Theme.riskColor(badge.risk)
        text: badge.risk === "high" ? qsTr("High risk") : badge.risk === "medium" ? qsTr("Medium risk")
            : badge.risk === "critical" ? qsTr("Critical") : qsTr("Low risk")
    }
}
