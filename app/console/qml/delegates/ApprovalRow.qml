// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Leadmetrics.Console

// One approval in the queue: selection box, risk, title, tenant, type, countdown, decision state.
Rectangle {
    id: row
    required property int index
    required property string approvalId
    required property string title
    required property string type
    required property string riskLevel
    required property string tenantName
    required property var expiresAt
    required property var options
    required property bool selected
    required property string decision
    required property string decisionMessage
    property bool current: ListView.isCurrentItem

    signal clicked
    signal doubleClicked
    signal toggleRequested

    objectName: "approvalRow_" + approvalId
    width: ListView.view ? ListView.view.width : implicitWidth
    implicitHeight: layout.implicitHeight + 16
    color: current ? Theme.selection : selected ? Qt.rgba(Theme.accent.r, Theme.accent.g, Theme.accent.b, 0.08) : Theme.surface
    border.width: current && ListView.view && ListView.view.activeFocus ? 2 : 0
    border.color: Theme.focus

    function decisionText() {
        switch (decision) {
        case "queued": return qsTr("Queued — will be sent when online")
        case "sending": return qsTr("Sending…")
        case "approved": return qsTr("Approved")
        case "rejected": return qsTr("Rejected")
        case "revision_requested": return qsTr("Revision requested")
        case "resolvedElsewhere": return qsTr("Resolved by someone else")
        case "failed": return decisionMessage !== "" ? qsTr("Failed: %1").arg(decisionMessage) : qsTr("Failed")
        }
        return ""
    }

    MouseArea {
        anchors.fill: parent
        onClicked: row.clicked()
        onDoubleClicked: row.doubleClicked()
    }

    RowLayout {
        id: layout
        anchors.fill: parent
        anchors.margins: 8
        spacing: Theme.spacing * 1.5

        CheckBox {
            objectName: "selectBox"
            checked: row.selected
            focusPolicy: Qt.NoFocus
            onClicked: row.toggleRequested()
            Accessible.name: qsTr("Select %1").arg(row.title)
        }
        RiskBadge {
            risk: row.riskLevel
            Layout.preferredWidth: 96
        }
        ColumnLayout {
            Layout.fillWidth: true
            spacing: 2
            Label {
                objectName: "rowTitle"
                Layout.fillWidth: true
                text: row.title
                elide: Text.ElideRight
                color: Theme.text
                font.pixelSize: Theme.fontSize
                font.bold: true
            }
            Label {
                Layout.fillWidth: true
                elide: Text.ElideRight
                color: Theme.textMuted
                font.pixelSize: Theme.smallFontSize
                text: row.options && row.options.length > 0
                    ? qsTr("%1 · %2 · options: %3").arg(row.tenantName).arg(row.type.replace(/_/g, " "))
                        .arg(row.options.map((o, i) => (i + 1) + " " + o.label).join(", "))
                    : qsTr("%1 · %2").arg(row.tenantName).arg(row.type.replace(/_/g, " "))
            }
        }
        Label {
            objectName: "decisionState"
            visible: text !== ""
            text: row.decisionText()
            color: row.decision === "failed" ? Theme.danger
                : row.decision === "queued" || row.decision === "sending" ? Theme.warning : Theme.success
            font.pixelSize: Theme.smallFontSize
            Layout.maximumWidth: 260
            elide: Text.ElideRight
        }
        Countdown {
            expiresAt: row.expiresAt
            Layout.preferredWidth: 110
            horizontalAlignment: Text.AlignRight
        }
    }
}
