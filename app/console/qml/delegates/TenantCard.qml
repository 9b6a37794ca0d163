// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Leadmetrics.Console

// One tenant on mission control: its approvals, activities and spend against the cap.
Rectangle {
    id: card
    required property string tenantId
    required property string tenantName
    required property int pending
    required property int highRisk
    required property int expiringIn24h
    required property int inProgress
    required property int failed
    required property int blocked
    required property real spendUsd
    required property real capUsd

    signal openQueue(string tenantId)

    objectName: "tenantCard_" + tenantId
    implicitHeight: 190
    radius: Theme.radius
    color: Theme.surface
    border.color: activeFocus ? Theme.focus : Theme.border
    border.width: activeFocus ? 2 : 1
    activeFocusOnTab: true
    Keys.onReturnPressed: openQueue(tenantId)
    Keys.onEnterPressed: openQueue(tenantId)
    Accessible.name: tenantName
    Accessible.role: Accessible.Button

    MouseArea {
        anchors.fill: parent
        onClicked: card.openQueue(card.tenantId)
    }

    component Figure: ColumnLayout {
        property string label
        property int value
        property color tone: Theme.text
        spacing: 0
        Label { text: parent.value; font.pixelSize: Theme.titleFontSize; font.bold: true; color: parent.tone }
        Label { text: parent.label; font.pixelSize: Theme.smallFontSize; color: Theme.textMuted }
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: 12
        spacing: Theme.spacing

        Label {
            Layout.fillWidth: true
            text: card.tenantName
            elide: Text.ElideRight
            font.pixelSize: Theme.fontSize + 2
            font.bold: true
            color: Theme.text
        }
        GridLayout {
            columns: 3
            columnSpacing: 16
            rowSpacing: 4
            Figure { label: qsTr("Pending"); value: card.pending }
            Figure { label: qsTr("High risk"); value: card.highRisk; tone: card.highRisk > 0 ? Theme.danger : Theme.text }
            Figure { label: qsTr("Expiring 24h"); value: card.expiringIn24h; tone: card.expiringIn24h > 0 ? Theme.warning : Theme.text }
            Figure { label: qsTr("In progress"); value: card.inProgress }
            Figure { label: qsTr("Failed"); value: card.failed; tone: card.failed > 0 ? Theme.danger : Theme.text }
            Figure { label: qsTr("Blocked"); value: card.blocked; tone: card.blocked > 0 ? Theme.warning : Theme.text }
        }
        ProgressBar {
            Layout.fillWidth: true
            from: 0
            to: Math.max(card.capUsd, 1)
            value: Math.min(card.spendUsd, card.capUsd)
        }
        Label {
            font.pixelSize: Theme.smallFontSize
            color: card.capUsd > 0 && card.spendUsd > card.capUsd * 0.9 ? Theme.danger : Theme.textMuted
            text: card.capUsd > 0
                ? qsTr("$%1 of $%2 this month").arg(card.spendUsd.toFixed(2)).arg(card.capUsd.toFixed(0))
                : qsTr("$%1 this month, no cap").arg(card.spendUsd.toFixed(2))
        }
    }
}
