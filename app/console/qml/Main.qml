// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Leadmetrics.Console
import Leadmetrics.Models

ApplicationWindow {
    id: window
    width: 1280
    height: 800
    minimumWidth: 960
    minimumHeight: 600
    visible: true
    title: qsTr("Leadmetrics Console")
    color: Theme.background
    palette.window: Theme.background
    palette.base: Theme.surface
    palette.alternateBase: Theme.surfaceAlt
    palette.text: Theme.text
    palette.windowText: Theme.text
    palette.buttonText: Theme.text
    palette.button: Theme.surfaceAlt
    palette.highlight: Theme.accent
    palette.placeholderText: Theme.textMuted
    palette.mid: Theme.border

    readonly property bool signedIn: Session.state === Session.SignedIn
    readonly property string screenshotPage: ConsoleContext.screenshotPage

    // Shared by the pages and the tray, so the count and notifications follow the live queue.
    ApprovalQueueModel { id: queueModel }
    OverviewModel { id: overviewModel }
    // Every tenant's pending approvals, from the overview (kept live from events): the queue model
    // knows only the rows it has loaded so far.
    readonly property int totalPending: overviewModel.totals.pending !== undefined
        ? overviewModel.totals.pending : queueModel.count

    DesktopNotifier {
        id: notifier
        model: window.signedIn ? queueModel : null
        pendingCount: window.signedIn ? window.totalPending : 0
        enabled: window.screenshotPage === ""
        onActivated: {
            window.show()
            window.raise()
            window.requestActivate()
            window.showQueue("")
        }
    }

    function showMissionControl() {
        stack.replace(null, missionControlPage)
    }
    function showQueue(tenantId) {
        queueModel.filterTenantId = tenantId
        if (stack.currentItem && stack.currentItem.objectName === "queuePage")
            return
        stack.replace(null, queuePage)
    }
    function openApproval(approvalId) {
        stack.push(approvalPage, { approvalId: approvalId })
    }
    function openActivity(activityId) {
        stack.push(activityPage, { activityId: activityId })
    }
    function showSignIn() {
        stack.replace(null, loginPage)
    }
    function showConnection() {
        stack.replace(null, connectionPage)
    }

    Connections {
        target: Session
        function onStateChanged() {
            if (Session.state === Session.SignedIn) {
                ConsoleContext.markStartup("signed in")
                queueModel.reload()
                overviewModel.reload()
                if (window.screenshotPage !== "")
                    screenshot.start()
                else
                    window.showMissionControl()
            } else if (Session.state === Session.SignedOut && stack.currentItem
                       && stack.currentItem.objectName !== "loginPage" && stack.currentItem.objectName !== "connectionPage") {
                window.showSignIn()
            }
        }
    }

    Connections {
        target: Session
        enabled: window.screenshotPage !== ""
        function onErrorMessageChanged() {
            if (Session.errorMessage !== "" && Session.state !== Session.SignedIn)
                ConsoleContext.failScreenshot(qsTr("sign-in failed: %1").arg(Session.errorMessage))
        }
    }

    Component.onCompleted: {
        if (ConsoleContext.initialServerUrl !== "") {
            Session.serverUrl = ConsoleContext.initialServerUrl
            showSignIn()
            if (screenshotPage !== "")
                Session.login(ConsoleContext.screenshotEmail, ConsoleContext.screenshotPassword)
        } else {
            showConnection()
        }
    }

    Shortcut {
        sequence: "Ctrl+1"
        enabled: window.signedIn
        onActivated: window.showMissionControl()
    }
    Shortcut {
        sequence: "Ctrl+2"
        enabled: window.signedIn
        onActivated: window.showQueue(queueModel.filterTenantId)
    }
    Shortcut {
        sequence: "F5"
        enabled: window.signedIn
        onActivated: {
            if (stack.currentItem && stack.currentItem.reload)
                stack.currentItem.reload()
        }
    }

    header: ToolBar {
        visible: window.signedIn
        background: Rectangle { color: Theme.surface; border.color: Theme.border }
        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: 12
            anchors.rightMargin: 12
            spacing: Theme.spacing
            ToolButton {
                objectName: "backButton"
                text: "←"
                visible: stack.depth > 1
                onClicked: stack.pop()
                Accessible.name: qsTr("Back")
            }
            Label {
                text: qsTr("Leadmetrics")
                font.bold: true
                font.pixelSize: Theme.fontSize + 2
                color: Theme.text
            }
            TabBar {
                id: nav
                currentIndex: stack.currentItem && stack.currentItem.objectName === "missionControlPage" ? 0 : 1
                TabButton {
                    text: qsTr("Mission control")
                    width: implicitWidth
                    onClicked: window.showMissionControl()
                }
                TabButton {
                    objectName: "queueTab"
                    text: window.totalPending > 0 ? qsTr("Approvals (%1)").arg(window.totalPending) : qsTr("Approvals")
                    width: implicitWidth
                    onClicked: window.showQueue(queueModel.filterTenantId)
                }
            }
            Item { Layout.fillWidth: true }
            ConnectionBadge {}
            Label {
                text: Session.user && Session.user.name ? Session.user.name : ""
                color: Theme.textMuted
            }
            ToolButton {
                text: qsTr("Sign out")
                onClicked: Session.logout()
            }
        }
    }

    StackView {
        id: stack
        anchors.fill: parent
        focus: true
    }

    Component {
        id: connectionPage
        ConnectionPage {
            onConnectRequested: url => {
                Session.serverUrl = url
                ConsoleContext.rememberServer(url)
                window.showSignIn()
            }
        }
    }
    Component {
        id: loginPage
        LoginPage {
            onChangeServerRequested: window.showConnection()
        }
    }
    Component {
        id: missionControlPage
        MissionControlPage {
            model: overviewModel
            onOpenQueue: tenantId => window.showQueue(tenantId)
        }
    }
    Component {
        id: queuePage
        QueuePage {
            model: queueModel
            tenants: overviewModel
            totalPending: overviewModel.totals.pending !== undefined ? overviewModel.totals.pending : -1
            onOpenApproval: approvalId => window.openApproval(approvalId)
        }
    }
    Component {
        id: approvalPage
        ApprovalPage {
            onOpenActivity: activityId => window.openActivity(activityId)
            onDone: stack.pop()
        }
    }
    Component {
        id: activityPage
        ActivityPage {}
    }

    // Start-up timing (a screenshot run prints it): the first frame that shows rows of the queue.
    readonly property var queueList: stack.currentItem && stack.currentItem.objectName === "queuePage"
                                     ? stack.currentItem.list : null
    property bool queueRowsMarked: false
    function markQueueRows() {
        if (!queueRowsMarked && queueList && queueList.count > 0) {
            queueRowsMarked = true
            ConsoleContext.markStartupAfterNextFrame(window, "queue rows on screen")
        }
    }
    onQueueListChanged: markQueueRows()
    Connections {
        target: window.queueList
        enabled: !window.queueRowsMarked
        function onCountChanged() { window.markQueueRows() }
    }
    property bool queuePageMarked: false
    Connections {
        target: queueModel
        enabled: !window.queuePageMarked
        function onLoadingChanged() {
            if (!queueModel.loading) { // the first page's answer is in (its rows follow)
                window.queuePageMarked = true
                ConsoleContext.markStartup("queue first page")
            }
        }
    }

    // --screenshot: open the page, wait until it shows data, then save the window and quit.
    QtObject {
        id: screenshot
        property string step: ""
        function start() {
            step = "open"
            poll.start()
        }
    }
    Timer {
        id: poll
        interval: 200
        repeat: true
        triggeredOnStart: true // the page opens at once: start-up is timed up to its rows
        onTriggered: {
            const page = stack.currentItem
            if (screenshot.step === "open") {
                if (window.screenshotPage === "mission-control") {
                    window.showMissionControl()
                    screenshot.step = "wait"
                } else if (window.screenshotPage === "queue") {
                    window.showQueue("")
                    screenshot.step = "wait"
                } else {
                    window.showQueue("")
                    screenshot.step = "queue"
                }
            } else if (screenshot.step === "queue") {
                if (page && page.populated) {
                    if (page.currentApprovalId === "")
                        ConsoleContext.failScreenshot(qsTr("the demo queue is empty"))
                    window.openApproval(page.currentApprovalId)
                    screenshot.step = window.screenshotPage === "activity" ? "activity" : "wait"
                } else if (queueModel.error !== "") {
                    ConsoleContext.failScreenshot(queueModel.error)
                }
            } else if (screenshot.step === "activity") {
                if (page && page.populated) {
                    if (page.firstActivityId === "")
                        ConsoleContext.failScreenshot(qsTr("the demo approval has no linked activity"))
                    window.openActivity(page.firstActivityId)
                    screenshot.step = "wait"
                }
            } else if (screenshot.step === "wait" && page && page.populated && !page.busy) {
                screenshot.step = "grab"
                settle.start()
            }
        }
    }
    // One more frame after the data arrived: layouts and highlighting settle.
    Timer {
        id: settle
        interval: 400
        onTriggered: {
            poll.stop()
            ConsoleContext.saveScreenshot(window)
        }
    }
}
