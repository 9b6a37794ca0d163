// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Leadmetrics.Console

// Per-item results of a bulk approval: one failure does not undo the others, so each is listed.
Dialog {
    id: dialog
    property var results: []
    readonly property int okCount: results.filter(r => r.ok).length

    objectName: "bulkResultsDialog"
    modal: true
    anchors.centerIn: Overlay.overlay
    width: Math.min(640, parent ? parent.width - 40 : 640)
    title: qsTr("%1 of %2 approved").arg(okCount).arg(results.length)
    standardButtons: Dialog.Close

    function show(list) {
        results = list
        open()
    }

    ListView {
        implicitHeight: Math.min(contentHeight, 360)
        width: parent.width
        clip: true
        model: dialog.results
        delegate: RowLayout {
            required property var modelData
            width: ListView.view.width
            Label {
                text: modelData.ok ? "✓" : "✗"
                color: modelData.ok ? Theme.success : Theme.danger
                font.bold: true
            }
            Label {
                Layout.fillWidth: true
                elide: Text.ElideRight
                text: modelData.title || modelData.approvalId
                color: Theme.text
            }
            Label {
                visible: !modelData.ok
                text: modelData.message || ""
                color: Theme.danger
                font.pixelSize: Theme.smallFontSize
            }
        }
    }
}
