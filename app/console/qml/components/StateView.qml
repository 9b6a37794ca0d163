// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Leadmetrics.Console

// Loading, empty and error states of a view; hidden while there is content to show.
Item {
    id: root
    property bool loading: false
    property string error: ""
    property bool empty: false
    property string emptyText: qsTr("Nothing here")
    signal retry

    visible: loading || error !== "" || empty

    ColumnLayout {
        anchors.centerIn: parent
        spacing: Theme.spacing
        width: Math.min(parent.width - 40, 480)

        BusyIndicator {
            Layout.alignment: Qt.AlignHCenter
            running: root.loading
            visible: root.loading
        }
        Label {
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.Wrap
            color: root.error !== "" ? Theme.danger : Theme.textMuted
            font.pixelSize: Theme.fontSize
            text: root.loading ? qsTr("Loading…") : root.error !== "" ? root.error : root.emptyText
        }
        Button {
            Layout.alignment: Qt.AlignHCenter
            visible: root.error !== "" && !root.loading
            text: qsTr("Retry")
            onClicked: root.retry()
        }
    }
}
