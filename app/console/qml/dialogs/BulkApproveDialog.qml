// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import Leadmetrics.Console

// Confirms a bulk approval, stating how many approvals it decides.
Dialog {
    id: dialog
    property int count: 0

    objectName: "bulkApproveDialog"
    modal: true
    anchors.centerIn: Overlay.overlay
    title: qsTr("Approve %n selected approval(s)?", "", count)
    standardButtons: Dialog.Yes | Dialog.Cancel
    onOpened: standardButton(Dialog.Yes).forceActiveFocus()

    Label {
        objectName: "bulkApproveText"
        text: qsTr("This approves %n approval(s) at once with their default option.", "", dialog.count)
        wrapMode: Text.Wrap
        width: 420
    }
}
