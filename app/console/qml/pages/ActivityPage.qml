// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Leadmetrics.Console
import Leadmetrics.Models

// One activity: its output as it streams in, tool calls as a timeline, runs, comments, pause/resume.
Page {
    id: page
    objectName: "activityPage"
    property alias activityId: detail.activityId

    readonly property var activity: detail.activity || ({})
    readonly property bool populated: !detail.loading && activity.id !== undefined
    readonly property bool busy: detail.loading || output.highlighting
    function reload() { const id = detail.activityId; detail.activityId = ""; detail.activityId = id }

    background: Rectangle { color: Theme.background }

    ActivityDetail { id: detail }

    RowLayout {
        anchors.fill: parent
        anchors.margins: 16
        spacing: 16
        visible: page.populated

        ColumnLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: Theme.spacing

            RowLayout {
                Layout.fillWidth: true
                Label {
                    objectName: "activityTitle"
                    Layout.fillWidth: true
                    text: page.activity.title || ""
                    font.pixelSize: Theme.titleFontSize
                    font.bold: true
                    color: Theme.text
                    elide: Text.ElideRight
                }
                Label {
                    objectName: "activityStatus"
                    text: (page.activity.status || "") + (page.activity.blockReason ? " (" + page.activity.blockReason + ")" : "")
                    color: Theme.textMuted
                }
                Label {
                    visible: detail.streaming
                    text: qsTr("● live")
                    color: Theme.success
                }
                Button {
                    objectName: "pauseButton"
                    readonly property bool paused: page.activity.status === "blocked" && page.activity.blockReason === "paused"
                    text: paused ? qsTr("Resume") : qsTr("Pause")
                    enabled: paused || page.activity.status === "in_progress" || page.activity.status === "queued"
                        || page.activity.status === "pending" || page.activity.status === "todo"
                    onClicked: paused ? detail.resume() : detail.pause()
                }
            }
            Label {
                visible: detail.error !== ""
                text: detail.error
                color: Theme.danger
                Layout.fillWidth: true
                wrapMode: Text.Wrap
            }
            ScrollView {
                id: outputScroll
                Layout.fillWidth: true
                Layout.fillHeight: true
                contentWidth: availableWidth
                HighlightedOutput {
                    id: output
                    visible: detail.output !== ""
                    width: outputScroll.availableWidth
                    text: detail.output
                    format: detail.outputFormat || "plain"
                }
            }
            Label {
                visible: detail.output === ""
                text: detail.streaming ? qsTr("Waiting for output…") : qsTr("No output")
                color: Theme.textMuted
            }
        }

        ColumnLayout {
            Layout.preferredWidth: 360
            Layout.fillHeight: true
            spacing: Theme.spacing

            Label { text: qsTr("Tool calls"); font.bold: true; color: Theme.text }
            ListView {
                objectName: "toolCallTimeline"
                Layout.fillWidth: true
                Layout.fillHeight: true
                Layout.preferredHeight: 200
                clip: true
                model: detail.toolCalls || []
                delegate: ToolCallItem {}
                Label {
                    anchors.centerIn: parent
                    visible: parent.count === 0
                    text: qsTr("No tool calls")
                    color: Theme.textMuted
                }
            }
            Label { text: qsTr("Runs"); font.bold: true; color: Theme.text }
            ListView {
                Layout.fillWidth: true
                Layout.preferredHeight: 120
                clip: true
                model: detail.runs || []
                delegate: Label {
                    required property var modelData
                    width: ListView.view.width
                    elide: Text.ElideRight
                    color: Theme.text
                    font.pixelSize: Theme.smallFontSize
                    text: qsTr("%1 · %2 · %3 · $%4").arg(modelData.agentRole || modelData.model || "")
                        .arg(modelData.status || "").arg(modelData.startedAt || "")
                        .arg(Number(modelData.costUsd || 0).toFixed(4))
                }
                Label {
                    anchors.centerIn: parent
                    visible: parent.count === 0
                    text: qsTr("No runs yet")
                    color: Theme.textMuted
                }
            }
            Label { text: qsTr("Comments"); font.bold: true; color: Theme.text }
            ListView {
                Layout.fillWidth: true
                Layout.preferredHeight: 160
                clip: true
                spacing: 6
                model: detail.comments || []
                delegate: Label {
                    required property var modelData
                    width: ListView.view.width
                    wrapMode: Text.Wrap
                    color: Theme.text
                    font.pixelSize: Theme.smallFontSize
                    text: "<b>" + String(modelData.author ? (modelData.author.name || modelData.author) : qsTr("Someone")).replace(/</g, "&lt;")
                        + "</b>: " + String(modelData.body || modelData.text || "").replace(/</g, "&lt;")
                    textFormat: Text.StyledText
                }
                Label {
                    anchors.centerIn: parent
                    visible: parent.count === 0
                    text: qsTr("No comments")
                    color: Theme.textMuted
                }
            }
        }
    }

    StateView {
        anchors.fill: parent
        loading: detail.loading && !page.populated
        error: page.populated ? "" : detail.error
        onRetry: page.reload()
    }
}
