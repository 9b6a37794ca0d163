// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Leadmetrics.Console

// Asks for the note a rejection or revision request needs; OK stays disabled until there is one.
Dialog {
    id: dialog
    property string approvalTitle: ""
    property string action: "reject" // or "revision"
    signal noteGiven(string note)

    objectName: "noteDialog"
    modal: true
    anchors.centerIn: Overlay.overlay
    width: Math.min(560, parent ? parent.width - 40 : 560)
    title: action === "reject" ? qsTr("Reject “%1”").arg(approvalTitle) : qsTr("Request a revision of “%1”").arg(approvalTitle)
    standardButtons: Dialog.Ok | Dialog.Cancel

    function ask(title, kind) {
        approvalTitle = title
        action = kind
        note.text = ""
        open()
    }

    onOpened: {
        note.forceActiveFocus()
        standardButton(Dialog.Ok).enabled = Qt.binding(() => note.text.trim().length > 0)
        standardButton(Dialog.Ok).text = action === "reject" ? qsTr("Reject") : qsTr("Request revision")
    }
    onAccepted: noteGiven(note.text.trim())

    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.spacing
        Label {
            Layout.fillWidth: true
            wrapMode: Text.Wrap
            text: dialog.action === "reject" ? qsTr("Say why it is rejected; the agent and the client see this note.")
                : qsTr("Say what should change; the agent works from this note.")
        }
        TextArea {
            id: note
            objectName: "noteField"
            Layout.fillWidth: true
            Layout.preferredHeight: 120
            wrapMode: TextEdit.Wrap
            placeholderText: qsTr("Note (required)")
            Keys.onPressed: event => {
                if ((event.key === Qt.Key_Return || event.key === Qt.Key_Enter) && (event.modifiers & Qt.ControlModifier)) {
                    if (note.text.trim().length > 0)
                        dialog.accept()
                    event.accepted = true
                }
            }
        }
        Label {
            text: qsTr("Ctrl+Enter confirms, Esc cancels")
            color: Theme.textMuted
            font.pixelSize: Theme.smallFontSize
        }
    }
}
