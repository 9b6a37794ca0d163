// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Leadmetrics.Console

// Every keyboard shortcut of the console (`?`).
Dialog {
    id: dialog
    objectName: "shortcutsDialog"
    modal: true
    anchors.centerIn: Overlay.overlay
    title: qsTr("Keyboard shortcuts")
    standardButtons: Dialog.Close

    readonly property var shortcuts: [
        ["j / ↓", qsTr("Next approval")],
        ["k / ↑", qsTr("Previous approval")],
        ["Enter", qsTr("Open the approval")],
        ["a", qsTr("Approve (default option)")],
        ["1 – 9", qsTr("Approve with that option")],
        ["r", qsTr("Reject (asks for a note)")],
        ["e", qsTr("Request a revision (asks for a note)")],
        ["x", qsTr("Select or unselect")],
        ["Shift+A", qsTr("Approve the selection (after confirming)")],
        ["/", qsTr("Search")],
        ["Esc", qsTr("Leave search / go back")],
        ["Ctrl+1", qsTr("Mission control")],
        ["Ctrl+2", qsTr("Approval queue")],
        ["F5", qsTr("Reload")],
        ["?", qsTr("This list")]
    ]

    GridLayout {
        columns: 2
        columnSpacing: 24
        rowSpacing: 6
        Repeater {
            model: dialog.shortcuts.length * 2
            Label {
                required property int index
                readonly property var entry: dialog.shortcuts[Math.floor(index / 2)]
                text: index % 2 === 0 ? entry[0] : entry[1]
                font.bold: index % 2 === 0
                font.family: index % 2 === 0 ? "monospace" : Qt.application.font.family
                color: Theme.text
            }
        }
    }
}
