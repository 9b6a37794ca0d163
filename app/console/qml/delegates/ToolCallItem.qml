// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Leadmetrics.Console

// One tool call on the activity's timeline: a dot on the line, the tool, its status and time.
Item {
    id: item
    required property var modelData
    required property int index

    width: ListView.view ? ListView.view.width : implicitWidth
    implicitHeight: column.implicitHeight + 12

    Rectangle {
        x: 8
        width: 2
        height: parent.height
        color: Theme.border
    }
    // Tool calls arrive as {kind: "call"|"result", name, input|output}: a call is a hollow dot,
    // its result a filled one, so a call still waiting for its result stands out.
    readonly property bool isCall: modelData.kind === "call"
    readonly property string detail: {
        const value = isCall ? modelData.input : modelData.output
        if (value === undefined || value === null)
            return ""
        return typeof value === "string" ? value : JSON.stringify(value)
    }

    Rectangle {
        x: 3
        y: 6
        width: 12
        height: 12
        radius: 6
        color: item.isCall ? Theme.surface : Theme.success
        border.width: 2
        border.color: item.isCall ? Theme.accent : Theme.success
    }
    ColumnLayout {
        id: column
        x: 24
        width: parent.width - 28
        spacing: 2
        Label {
            Layout.fillWidth: true
            text: item.isCall ? qsTr("→ %1").arg(item.modelData.name || qsTr("tool")) : qsTr("← %1").arg(item.modelData.name || qsTr("result"))
            font.bold: item.isCall
            color: Theme.text
            elide: Text.ElideRight
        }
        Label {
            Layout.fillWidth: true
            visible: text !== ""
            text: item.detail
            color: Theme.textMuted
            font.family: "monospace"
            font.pixelSize: Theme.smallFontSize
            wrapMode: Text.WrapAnywhere
            maximumLineCount: 3
            elide: Text.ElideRight
        }
    }
}
