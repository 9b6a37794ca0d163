// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtQml.Models
import Leadmetrics.Console

// The approval queue, driven from the keyboard (press ? for the list of keys).
Page {
    id: page
    objectName: "queuePage"
    property var model
    property var tenants
    /// Every tenant's pending approvals (-1: not known); the model knows only its loaded rows.
    property int totalPending: -1
    readonly property bool filtered: !!model && (model.filterTenantId !== "" || model.filterType !== ""
                                                 || model.filterRisk !== "" || model.search !== "")
    signal openApproval(string approvalId)

    readonly property bool populated: model && !model.loading && list.count > 0
    readonly property bool busy: model ? model.loading : true
    readonly property string currentApprovalId: list.currentItem ? list.currentItem.approvalId : ""
    property alias list: list
    property alias noteDialog: noteDialog
    property alias bulkDialog: bulkDialog
    property alias bulkResults: bulkResults
    property alias shortcuts: shortcuts
    property alias searchField: search
    function reload() { model.reload() }

    background: Rectangle { color: Theme.background }

    // Decisions act on an approval id: rows arrive and leave while a dialog is open.
    function rowOfCurrent() {
        return currentApprovalId === "" ? -1 : model.rowOf(currentApprovalId)
    }
    property string hint: ""
    // A decided row stays to show its outcome; the cursor moves on to the next one.
    function approveCurrent(optionId) {
        const row = rowOfCurrent()
        if (row < 0)
            return
        const item = list.currentItem
        if (optionId === "" && item.options && item.options.length > 0) {
            hint = qsTr("“%1” has options: press 1–%2 to approve with one").arg(item.title).arg(item.options.length)
            return
        }
        hint = ""
        model.approve(row, optionId)
        list.incrementCurrentIndex()
    }
    function pickOption(number) {
        const item = list.currentItem
        if (!item || !item.options || number > item.options.length)
            return false
        approveCurrent(item.options[number - 1].id)
        return true
    }
    function askNote(kind) {
        if (!list.currentItem)
            return
        noteDialog.approvalId = currentApprovalId
        noteDialog.ask(list.currentItem.title, kind)
    }
    function bulkApprove() {
        if (model.selectedCount > 0) {
            bulkDialog.count = model.selectedCount
            bulkDialog.open()
        }
    }

    Connections {
        target: page.model
        function onBulkFinished(results) {
            bulkResults.show(results)
        }
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: 16
        spacing: Theme.spacing

        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacing
            Label {
                text: qsTr("Approvals")
                font.pixelSize: Theme.titleFontSize
                font.bold: true
                color: Theme.text
            }
            Label {
                objectName: "queueCount"
                // Pages load as the list scrolls: never pass the loaded rows off as the whole queue.
                text: !page.model ? ""
                    : !page.model.hasMore ? qsTr("%n pending", "", page.model.count)
                    : !page.filtered && page.totalPending >= page.model.count
                        ? qsTr("%1 of %2 pending loaded").arg(page.model.count).arg(page.totalPending)
                    : qsTr("%n loaded, more below", "", page.model.count)
                color: Theme.textMuted
            }
            Label {
                objectName: "selectionCount"
                visible: page.model && page.model.selectedCount > 0
                text: page.model ? qsTr("%n selected — Shift+A approves", "", page.model.selectedCount) : ""
                color: Theme.accent
            }
            Item { Layout.fillWidth: true }
            ToolButton {
                text: "?"
                onClicked: shortcuts.open()
                ToolTip.visible: hovered
                ToolTip.text: qsTr("Keyboard shortcuts")
            }
        }

        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacing
            TextField {
                id: search
                objectName: "searchField"
                Layout.fillWidth: true
                placeholderText: qsTr("Search approvals  ( / )")
                Accessible.name: qsTr("Search approvals")
                onTextChanged: searchDelay.restart()
                Keys.onEscapePressed: list.forceActiveFocus()
                Keys.onDownPressed: list.forceActiveFocus()
                onAccepted: list.forceActiveFocus()
            }
            Timer {
                id: searchDelay
                interval: 250
                onTriggered: page.model.search = search.text.trim()
            }
            Button {
                id: tenantButton
                objectName: "tenantFilter"
                property string tenantName: ""
                text: page.model && page.model.filterTenantId !== "" ? qsTr("Tenant: %1").arg(tenantName || page.model.filterTenantId)
                    : qsTr("All tenants")
                onClicked: tenantMenu.popup(tenantButton, 0, tenantButton.height)
                Menu {
                    id: tenantMenu
                    MenuItem {
                        text: qsTr("All tenants")
                        onTriggered: page.model.filterTenantId = ""
                    }
                    Instantiator {
                        model: page.tenants
                        delegate: MenuItem {
                            required property string tenantId
                            required property string tenantName
                            text: tenantName
                            onTriggered: {
                                tenantButton.tenantName = tenantName
                                page.model.filterTenantId = tenantId
                            }
                        }
                        onObjectAdded: (index, object) => tenantMenu.insertItem(index + 1, object)
                        onObjectRemoved: (index, object) => tenantMenu.removeItem(object)
                    }
                }
            }
            ComboBox {
                id: typeFilter
                objectName: "typeFilter"
                Layout.preferredWidth: 200
                textRole: "text"
                valueRole: "value"
                model: [
                    { value: "", text: qsTr("All types") },
                    { value: "content_review", text: qsTr("Content review") },
                    { value: "content_direction", text: qsTr("Content direction") },
                    { value: "brand_direction", text: qsTr("Brand direction") },
                    { value: "strategy_change", text: qsTr("Strategy change") },
                    { value: "budget_authorization", text: qsTr("Budget authorization") },
                    { value: "channel_action", text: qsTr("Channel action") }
                ]
                onActivated: page.model.filterType = currentValue
            }
            ComboBox {
                id: riskFilter
                objectName: "riskFilter"
                Layout.preferredWidth: 150
                textRole: "text"
                valueRole: "value"
                model: [
                    { value: "", text: qsTr("Any risk") },
                    { value: "high", text: qsTr("High risk") },
                    { value: "medium", text: qsTr("Medium risk") },
                    { value: "low", text: qsTr("Low risk") }
                ]
                onActivated: page.model.filterRisk = currentValue
            }
        }

        Rectangle {
            Layout.fillWidth: true
            Layout.fillHeight: true
            color: Theme.surface
            radius: Theme.radius
            border.color: list.activeFocus ? Theme.focus : Theme.border

            ListView {
                id: list
                objectName: "approvalList"
                anchors.fill: parent
                anchors.margins: 1
                clip: true
                focus: true
                model: page.model
                currentIndex: 0
                highlightMoveDuration: 0
                keyNavigationEnabled: false // our own keys below
                spacing: 1
                ScrollBar.vertical: ScrollBar {}
                onAtYEndChanged: if (atYEnd && page.model && page.model.hasMore && !page.model.loading) page.model.fetchMore()
                onCountChanged: if (currentIndex < 0 && count > 0) currentIndex = 0

                delegate: ApprovalRow {
                    onClicked: {
                        list.currentIndex = index
                        list.forceActiveFocus()
                    }
                    onDoubleClicked: page.openApproval(approvalId)
                    onToggleRequested: page.model.toggleSelected(index)
                }

                Keys.onPressed: event => {
                    const row = page.rowOfCurrent()
                    let handled = true
                    if (event.key !== Qt.Key_Shift)
                        page.hint = ""
                    if (event.text === "?") {
                        shortcuts.open()
                    } else if (event.text === "/") {
                        search.forceActiveFocus()
                        search.selectAll()
                    } else if (event.key === Qt.Key_J || event.key === Qt.Key_Down) {
                        list.incrementCurrentIndex()
                    } else if (event.key === Qt.Key_K || event.key === Qt.Key_Up) {
                        list.decrementCurrentIndex()
                    } else if (event.key === Qt.Key_Return || event.key === Qt.Key_Enter) {
                        if (page.currentApprovalId !== "")
                            page.openApproval(page.currentApprovalId)
                    } else if (event.key === Qt.Key_A && (event.modifiers & Qt.ShiftModifier)) {
                        page.bulkApprove()
                    } else if (event.key === Qt.Key_A) {
                        page.approveCurrent("")
                    } else if (event.key === Qt.Key_R) {
                        page.askNote("reject")
                    } else if (event.key === Qt.Key_E) {
                        page.askNote("revision")
                    } else if (event.key === Qt.Key_X) {
                        if (row >= 0)
                            page.model.toggleSelected(row)
                    } else if (event.key >= Qt.Key_1 && event.key <= Qt.Key_9) {
                        handled = page.pickOption(event.key - Qt.Key_0)
                    } else {
                        handled = false
                    }
                    event.accepted = handled
                }

                StateView {
                    anchors.fill: parent
                    loading: page.model ? page.model.loading && list.count === 0 : true
                    error: page.model && list.count === 0 ? page.model.error : ""
                    empty: page.model ? !page.model.loading && page.model.error === "" && list.count === 0 : false
                    emptyText: page.model && (page.model.search !== "" || page.model.filterTenantId !== ""
                                              || page.model.filterType !== "" || page.model.filterRisk !== "")
                        ? qsTr("No approvals match these filters") : qsTr("Nothing waiting for a decision")
                    onRetry: page.model.reload()
                }
            }
        }
        Label {
            Layout.fillWidth: true
            visible: page.model && page.model.error !== "" && list.count > 0
            text: page.model ? page.model.error : ""
            color: Theme.danger
            elide: Text.ElideRight
        }
        Label {
            objectName: "queueHint"
            Layout.fillWidth: true
            visible: page.hint !== ""
            text: page.hint
            color: Theme.warning
            wrapMode: Text.Wrap
        }
        Label {
            text: qsTr("j/k move · Enter opens · a approves · 1–9 pick an option · r rejects · e asks for a revision · x selects · Shift+A approves the selection · / searches · ? all keys")
            color: Theme.textMuted
            font.pixelSize: Theme.smallFontSize
            Layout.fillWidth: true
            elide: Text.ElideRight
        }
    }

    NoteDialog {
        id: noteDialog
        property string approvalId: ""
        onNoteGiven: note => {
            const row = page.model.rowOf(approvalId)
            if (row < 0)
                return
            if (action === "reject")
                page.model.reject(row, note)
            else
                page.model.requestRevision(row, note)
            if (page.currentApprovalId === approvalId)
                list.incrementCurrentIndex()
        }
        onClosed: list.forceActiveFocus()
    }
    BulkApproveDialog {
        id: bulkDialog
        onAccepted: page.model.approveSelected()
        onClosed: list.forceActiveFocus()
    }
    BulkResultsDialog {
        id: bulkResults
        onClosed: list.forceActiveFocus()
    }
    ShortcutsDialog {
        id: shortcuts
        onClosed: list.forceActiveFocus()
    }
    Component.onCompleted: list.forceActiveFocus()
}
