// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Leadmetrics.Console

// Where to connect: the embedded backend (when running), a URL, or a recently used server.
Page {
    id: page
    objectName: "connectionPage"
    signal connectRequested(string url)
    background: Rectangle { color: Theme.background }

    function valid(url) {
        return /^https?:\/\/[^\s\/]+(:\d+)?(\/.*)?$/.test(url.trim())
    }

    ColumnLayout {
        anchors.centerIn: parent
        width: Math.min(520, page.width - 48)
        spacing: Theme.spacing * 1.5

        Label {
            text: qsTr("Connect to a Leadmetrics server")
            font.pixelSize: Theme.titleFontSize
            font.bold: true
            color: Theme.text
        }
        Button {
            visible: ConsoleContext.embeddedUrl !== ""
            Layout.fillWidth: true
            text: qsTr("Use the built-in server (%1)").arg(ConsoleContext.embeddedUrl)
            onClicked: page.connectRequested(ConsoleContext.embeddedUrl)
        }
        TextField {
            id: url
            objectName: "serverUrlField"
            Layout.fillWidth: true
            placeholderText: qsTr("https://leadmetrics.example.com")
            text: ConsoleContext.recentServers.length > 0 ? ConsoleContext.recentServers[0] : ""
            focus: true
            onAccepted: if (page.valid(text)) page.connectRequested(text.trim())
            Accessible.name: qsTr("Server address")
        }
        Label {
            visible: url.text !== "" && !page.valid(url.text)
            text: qsTr("Enter an address starting with http:// or https://")
            color: Theme.danger
            font.pixelSize: Theme.smallFontSize
        }
        Button {
            Layout.fillWidth: true
            text: qsTr("Connect")
            highlighted: true
            enabled: page.valid(url.text)
            onClicked: page.connectRequested(url.text.trim())
        }
        Label {
            visible: ConsoleContext.recentServers.length > 0
            text: qsTr("Recent servers")
            color: Theme.textMuted
            font.pixelSize: Theme.smallFontSize
        }
        Repeater {
            model: ConsoleContext.recentServers
            RowLayout {
                required property string modelData
                Layout.fillWidth: true
                Button {
                    Layout.fillWidth: true
                    flat: true
                    text: modelData
                    onClicked: page.connectRequested(modelData)
                }
                ToolButton {
                    text: "✕"
                    onClicked: ConsoleContext.forgetServer(modelData)
                    Accessible.name: qsTr("Forget %1").arg(modelData)
                    ToolTip.visible: hovered
                    ToolTip.text: qsTr("Forget this server")
                }
            }
        }
    }
}
