// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Leadmetrics.Console
import Leadmetrics.Models

// The campaign's spend so far and projected against its cap, as figures and a bar: solid is spent,
// the lighter part what the open activities are projected to add, the line the cap. A projection
// past the cap turns the bar and its label to the warning colour.
Rectangle {
    id: panel
    objectName: "budgetPanel"
    required property ApprovalDetail approvalDetail
    readonly property ApprovalDetail detail: approvalDetail
    /// The server reported no budget because the approval is in no campaign.
    property bool noCampaign: false

    readonly property bool overCap: detail.budgetOverCap
    readonly property real projected: detail.hasProjection ? detail.budgetProjectedUsd : detail.budgetSpentUsd
    readonly property real scale: Math.max(detail.hasBudgetCap ? detail.budgetCapUsd : 0, projected, detail.budgetSpentUsd, 0.000001)
    readonly property color fill: overCap ? Theme.warning : Theme.accent
    readonly property string statusText: !detail.hasBudgetCap ? qsTr("No budget cap")
        : overCap ? (detail.hasProjection ? qsTr("Projected over the cap") : qsTr("Over the cap"))
        : detail.hasProjection ? qsTr("Within the cap: %1% projected").arg(Math.round(100 * projected / detail.budgetCapUsd))
        : qsTr("Within the cap so far")
    readonly property string basisText: {
        switch (detail.budgetProjectedBasis) {
        case "completed_mean":
            return (detail.budgetOpenActivities === 1
                    ? qsTr("Projection: 1 open activity at the mean cost of the campaign's %1 completed ones.")
                    : qsTr("Projection: %2 open activities at the mean cost of the campaign's %1 completed ones."))
                .arg(detail.budgetCompletedActivities).arg(detail.budgetOpenActivities)
        case "agent_max_cost":
            return (detail.budgetOpenActivities === 1
                    ? qsTr("Projection: 1 open activity at its agent's maximum cost per activity (none completed yet).")
                    : qsTr("Projection: %1 open activities at their agents' maximum cost per activity (none completed yet)."))
                .arg(detail.budgetOpenActivities)
        case "nothing_open":
            return qsTr("No open activities: the projection is the spend so far.")
        case "no_estimate":
            return qsTr("No projection yet: nothing has completed and an open activity's agent has no maximum cost.")
        }
        return ""
    }

    function money(value) { return "$" + Number(value).toFixed(2) }

    implicitHeight: content.implicitHeight + 2 * Theme.spacing * 1.5
    color: Theme.surface
    border.color: overCap ? Theme.warning : Theme.border
    radius: Theme.radius

    ColumnLayout {
        id: content
        anchors.fill: parent
        anchors.margins: Theme.spacing * 1.5
        spacing: Theme.spacing

        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacing
            Label {
                Layout.fillWidth: true
                text: panel.noCampaign ? qsTr("Campaign budget") : qsTr("Campaign budget · %1").arg(panel.detail.budgetCampaignName)
                font.bold: true
                color: Theme.text
                elide: Text.ElideRight
            }
            Label {
                objectName: "budgetStatus"
                visible: !panel.noCampaign
                text: panel.statusText
                font.bold: panel.overCap
                color: panel.overCap ? Theme.warning : Theme.textMuted
            }
        }

        Label {
            objectName: "budgetNoCampaign"
            visible: panel.noCampaign
            text: qsTr("This approval is not part of a campaign: there is no budget to show.")
            color: Theme.textMuted
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }

        GridLayout {
            visible: !panel.noCampaign
            columns: 4
            columnSpacing: 32
            rowSpacing: 2
            Label { text: qsTr("Spent so far"); color: Theme.textMuted; font.pixelSize: Theme.smallFontSize }
            Label { text: qsTr("Projected"); color: Theme.textMuted; font.pixelSize: Theme.smallFontSize }
            Label { text: qsTr("Cap"); color: Theme.textMuted; font.pixelSize: Theme.smallFontSize }
            Label { text: qsTr("This approval's activities"); color: Theme.textMuted; font.pixelSize: Theme.smallFontSize }
            Label {
                objectName: "budgetSpent"
                text: panel.money(panel.detail.budgetSpentUsd)
                color: Theme.text
                font.bold: true
            }
            Label {
                objectName: "budgetProjected"
                text: panel.detail.hasProjection ? panel.money(panel.detail.budgetProjectedUsd) : qsTr("unknown")
                color: panel.overCap ? Theme.warning : Theme.text
                font.bold: true
            }
            Label {
                objectName: "budgetCap"
                text: panel.detail.hasBudgetCap ? panel.money(panel.detail.budgetCapUsd) : qsTr("no cap")
                color: Theme.text
                font.bold: true
            }
            Label {
                text: panel.money(panel.detail.budgetLinkedSpentUsd)
                color: Theme.text
                font.bold: true
            }
        }

        // The bar: the whole width is the largest of cap, projection and spend.
        Rectangle {
            id: bar
            objectName: "budgetBar"
            visible: !panel.noCampaign
            Layout.fillWidth: true
            implicitHeight: 12
            radius: height / 2
            color: Theme.surfaceAlt
            border.color: Theme.border
            clip: true
            Accessible.name: qsTr("%1 spent, %2 projected, %3").arg(panel.money(panel.detail.budgetSpentUsd))
                .arg(panel.detail.hasProjection ? panel.money(panel.detail.budgetProjectedUsd) : qsTr("no projection"))
                .arg(panel.detail.hasBudgetCap ? qsTr("cap %1").arg(panel.money(panel.detail.budgetCapUsd)) : qsTr("no cap"))

            Rectangle {
                objectName: "budgetProjectedFill"
                width: bar.width * Math.min(1, panel.projected / panel.scale)
                height: bar.height
                radius: bar.radius
                color: Qt.rgba(panel.fill.r, panel.fill.g, panel.fill.b, 0.35)
            }
            Rectangle {
                objectName: "budgetSpentFill"
                width: bar.width * Math.min(1, panel.detail.budgetSpentUsd / panel.scale)
                height: bar.height
                radius: bar.radius
                color: panel.fill
            }
            Rectangle {
                visible: panel.detail.hasBudgetCap && panel.detail.budgetCapUsd < panel.scale
                x: bar.width * panel.detail.budgetCapUsd / panel.scale - width / 2
                width: 2
                height: bar.height
                color: Theme.text
            }
        }

        Label {
            visible: !panel.noCampaign && panel.basisText !== ""
            Layout.fillWidth: true
            text: panel.basisText
            color: Theme.textMuted
            font.pixelSize: Theme.smallFontSize
            wrapMode: Text.Wrap
        }
    }
}
