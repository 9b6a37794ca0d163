// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Leadmetrics.Console

// A card per tenant: approvals waiting, activities, spend against the cap; platform totals on top.
Page {
    id: page
    objectName: "missionControlPage"
    property var model
    signal openQueue(string tenantId)

    readonly property bool populated: model && !model.loading && grid.count > 0
    readonly property bool busy: model ? model.loading : true
    function reload() { model.reload() }

    background: Rectangle { color: Theme.background }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: 16
        spacing: Theme.spacing * 1.5

        RowLayout {
            Layout.fillWidth: true
            Label {
                text: qsTr("Mission control")
                font.pixelSize: Theme.titleFontSize
                font.bold: true
                color: Theme.text
            }
            Item { Layout.fillWidth: true }
            Label {
                objectName: "totals"
                readonly property var t: page.model && page.model.totals ? page.model.totals : ({})
                readonly property var a: t.approvals || t
                text: qsTr("%1 pending · %2 high risk · %3 expiring within 24h")
                    .arg(a.pending || 0).arg(a.highRisk || 0).arg(a.expiringIn24h || 0)
                color: Theme.textMuted
            }
        }

        GridView {
            id: grid
            objectName: "tenantGrid"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            focus: true
            keyNavigationEnabled: true
            readonly property int columns: Math.max(1, Math.floor(width / 320))
            cellWidth: width / columns
            cellHeight: 206
            model: page.model
            delegate: Item {
                id: cell
                required property int index
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
                width: grid.cellWidth
                height: grid.cellHeight
                TenantCard {
                    anchors.fill: parent
                    anchors.margins: 8
                    tenantId: cell.tenantId
                    tenantName: cell.tenantName
                    pending: cell.pending
                    highRisk: cell.highRisk
                    expiringIn24h: cell.expiringIn24h
                    inProgress: cell.inProgress
                    failed: cell.failed
                    blocked: cell.blocked
                    spendUsd: cell.spendUsd
                    capUsd: cell.capUsd
                    focus: GridView.isCurrentItem
                    border.color: GridView.isCurrentItem && grid.activeFocus ? Theme.focus : Theme.border
                    border.width: GridView.isCurrentItem && grid.activeFocus ? 2 : 1
                    onOpenQueue: id => page.openQueue(id)
                }
            }
            Keys.onReturnPressed: if (currentItem) page.openQueue(currentItem.tenantId)
            Keys.onEnterPressed: if (currentItem) page.openQueue(currentItem.tenantId)

            StateView {
                anchors.fill: parent
                loading: page.model ? page.model.loading && grid.count === 0 : true
                error: page.model ? page.model.error : ""
                empty: page.model ? !page.model.loading && page.model.error === "" && grid.count === 0 : false
                emptyText: qsTr("No tenants yet")
                onRetry: page.model.reload()
            }
        }
    }
}
