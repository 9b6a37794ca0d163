// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Leadmetrics.Console
import Leadmetrics.Models

// One approval: what is asked, risk, who asked, cost against the budget, options, and each linked
// activity's output rendered by its format.
Page {
    id: page
    objectName: "approvalPage"
    property alias approvalId: detail.approvalId
    signal openActivity(string activityId)
    signal done

    readonly property var approval: detail.approval || ({})
    readonly property bool populated: !detail.loading && approval.id !== undefined
    readonly property bool busy: detail.loading || highlightingCount > 0
    property int highlightingCount: 0
    readonly property string firstActivityId: detail.activities && detail.activities.length > 0 ? detail.activities[0].id : ""
    readonly property bool pending: approval.status === "pending"
    property string selectedOption: ""
    function reload() { const id = detail.approvalId; detail.approvalId = ""; detail.approvalId = id }

    background: Rectangle { color: Theme.background }

    ApprovalDetail { id: detail }

    Keys.onEscapePressed: page.done()

    ScrollView {
        id: scroll
        anchors.fill: parent
        contentWidth: availableWidth
        visible: page.populated

        ColumnLayout {
            width: scroll.availableWidth - 32
            x: 16
            spacing: Theme.spacing * 1.5

            Item { implicitHeight: 8 }
            RowLayout {
                Layout.fillWidth: true
                spacing: Theme.spacing
                RiskBadge { risk: page.approval.riskLevel || "low" }
                Label {
                    objectName: "approvalTitle"
                    Layout.fillWidth: true
                    text: page.approval.title || ""
                    font.pixelSize: Theme.titleFontSize
                    font.bold: true
                    color: Theme.text
                    wrapMode: Text.Wrap
                }
                Countdown { expiresAt: page.approval.expiresAt }
            }
            Label {
                Layout.fillWidth: true
                color: Theme.textMuted
                wrapMode: Text.Wrap
                text: qsTr("%1 · %2 · requested by %3 on %4 · status %5")
                    .arg(page.approval.tenant ? page.approval.tenant.name : "")
                    .arg((page.approval.type || "").replace(/_/g, " "))
                    .arg(page.approval.createdBy ? (page.approval.createdBy.name || page.approval.createdBy) : qsTr("unknown"))
                    .arg(page.approval.createdOn ? new Date(page.approval.createdOn).toLocaleString(Qt.locale(), Locale.ShortFormat) : "—")
                    .arg(page.approval.status || "")
            }
            Label {
                Layout.fillWidth: true
                text: page.approval.description || ""
                visible: text !== ""
                wrapMode: Text.Wrap
                color: Theme.text
                font.pixelSize: Theme.fontSize
            }

            // Cost so far and projected, against the campaign's budget (the DM surface reports it;
            // `budget` is null for an approval outside any campaign, absent on the tenant surface).
            BudgetPanel {
                Layout.fillWidth: true
                Layout.maximumWidth: 760
                approvalDetail: detail
                noCampaign: page.approval.budget === null
                visible: detail.hasBudget || noCampaign
            }

            // Options and the decision.
            Label {
                visible: page.pending
                text: page.approval.options && page.approval.options.length > 0 ? qsTr("Pick an option") : qsTr("Decision")
                font.bold: true
                color: Theme.text
            }
            Flow {
                Layout.fillWidth: true
                spacing: Theme.spacing
                visible: page.pending
                Repeater {
                    model: page.approval.options || []
                    RadioButton {
                        required property var modelData
                        required property int index
                        text: (index + 1) + ". " + (modelData.label || modelData)
                        checked: page.selectedOption === (modelData.id || modelData)
                        onClicked: page.selectedOption = modelData.id || modelData
                    }
                }
            }
            TextArea {
                id: note
                objectName: "detailNote"
                visible: page.pending
                Layout.fillWidth: true
                Layout.preferredHeight: 80
                placeholderText: qsTr("Note (required to reject or request a revision)")
                wrapMode: TextEdit.Wrap
            }
            RowLayout {
                visible: page.pending
                spacing: Theme.spacing
                Button {
                    text: qsTr("Approve")
                    highlighted: true
                    enabled: !(page.approval.options && page.approval.options.length > 0) || page.selectedOption !== ""
                    onClicked: detail.resolve("approved", note.text.trim(), page.selectedOption)
                }
                Button {
                    text: qsTr("Reject")
                    enabled: note.text.trim() !== ""
                    onClicked: detail.resolve("rejected", note.text.trim(), "")
                }
                Button {
                    text: qsTr("Request revision")
                    enabled: note.text.trim() !== ""
                    onClicked: detail.resolve("revision_requested", note.text.trim(), "")
                }
            }
            Label {
                visible: !page.pending && page.approval.status !== undefined
                text: qsTr("Decided: %1%2").arg(page.approval.resolution || page.approval.status)
                    .arg(page.approval.resolutionNote ? " — " + page.approval.resolutionNote : "")
                color: Theme.textMuted
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }
            Label {
                visible: detail.error !== "" && page.populated
                text: detail.error
                color: Theme.danger
                wrapMode: Text.Wrap
                Layout.fillWidth: true
            }

            // Linked activities and their output.
            Repeater {
                model: detail.activities || []
                ColumnLayout {
                    id: activityBlock
                    required property var modelData
                    Layout.fillWidth: true
                    spacing: 4
                    RowLayout {
                        Layout.fillWidth: true
                        Label {
                            Layout.fillWidth: true
                            text: activityBlock.modelData.title || ""
                            font.bold: true
                            font.pixelSize: Theme.fontSize + 1
                            color: Theme.text
                            elide: Text.ElideRight
                        }
                        Label { text: activityBlock.modelData.status || ""; color: Theme.textMuted }
                        Button {
                            text: qsTr("Open activity")
                            onClicked: page.openActivity(activityBlock.modelData.id)
                        }
                    }
                    HighlightedOutput {
                        Layout.fillWidth: true
                        text: activityBlock.modelData.output || ""
                        format: activityBlock.modelData.outputFormat || "plain"
                        visible: text !== ""
                        onHighlightingChanged: page.highlightingCount += highlighting ? 1 : -1
                    }
                    Label {
                        visible: !activityBlock.modelData.output
                        text: qsTr("No output yet")
                        color: Theme.textMuted
                    }
                }
            }
            Item { implicitHeight: 16 }
        }
    }

    StateView {
        anchors.fill: parent
        loading: detail.loading && !page.populated
        error: page.populated ? "" : detail.error
        empty: false
        onRetry: page.reload()
    }
}
