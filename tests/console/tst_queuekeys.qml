// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtTest
import Leadmetrics.Console
import Leadmetrics.Models
import Leadmetrics.ConsoleTest

// The queue page driven by keys, as a reviewer uses it, against the demo backend: what the row
// shows afterwards and what the store then holds.
Item {
    id: root
    width: 1280
    height: 800

    ApprovalQueueModel { id: queue }
    OverviewModel { id: overview }

    QueuePage {
        id: page
        anchors.fill: parent
        model: queue
        tenants: overview
    }

    TestCase {
        id: test
        name: "QueueKeys"
        when: windowShown

        function initTestCase() {
            verify(Backend.error === "", Backend.error)
            Session.serverUrl = Backend.serverUrl
            Session.login("dm@leadmetrics.demo", "demo-pass-2026")
            tryCompare(Session, "state", Session.SignedIn, 15000)
            queue.reload()
            tryVerify(() => page.populated, 15000, "the queue shows the demo's approvals")
            verify(queue.count >= 6)
        }

        function init() {
            page.list.forceActiveFocus()
            verify(page.list.activeFocus)
        }

        // Moves the cursor with j (from the top, k first) to the first row that `wanted` accepts.
        function moveTo(wanted) {
            while (page.list.currentIndex > 0)
                keyClick(Qt.Key_K)
            for (let i = 0; i < page.list.count; ++i) {
                const item = page.list.currentItem
                if (item && item.decision === "" && wanted(item))
                    return item
                keyClick(Qt.Key_J)
            }
            fail("no row fits")
        }
        function typeText(text) {
            for (const ch of text)
                keyClick(ch, ch !== ch.toLowerCase() ? Qt.ShiftModifier : Qt.NoModifier)
        }
        function withoutOptions(item) { return !item.options || item.options.length === 0 }
        function rowOf(id) { return page.list.itemAtIndex(queue.rowOf(id)) }
        function stored(id, field, value) {
            tryVerify(() => Backend.approval(id)[field] === value, 10000,
                      "the server has " + field + " = " + value + " for " + id + " (has " + JSON.stringify(Backend.approval(id)) + ")")
        }

        function test_a_moveAndHelp() {
            moveTo(() => true)
            compare(page.list.currentIndex, 0)
            keyClick(Qt.Key_J)
            compare(page.list.currentIndex, 1)
            keyClick(Qt.Key_Down)
            compare(page.list.currentIndex, 2)
            keyClick(Qt.Key_K)
            keyClick(Qt.Key_Up)
            compare(page.list.currentIndex, 0)
            keyClick(Qt.Key_Question, Qt.ShiftModifier)
            tryCompare(page.shortcuts, "opened", true)
            keyClick(Qt.Key_Escape)
            tryCompare(page.shortcuts, "visible", false)
            keyClick(Qt.Key_Slash)
            verify(page.searchField.activeFocus, "/ goes to the search field")
            keyClick(Qt.Key_Escape)
            verify(page.list.activeFocus)
        }

        function test_b_approve() {
            const pendingBefore = Backend.pendingCount()
            const item = moveTo(withoutOptions)
            const id = item.approvalId
            const index = page.list.currentIndex
            keyClick(Qt.Key_A)
            tryCompare(rowOf(id), "decision", "approved", 10000)
            compare(findChild(rowOf(id), "decisionState").text, "Approved")
            compare(page.list.currentIndex, index + 1, "the cursor moves on to the next approval")
            stored(id, "status", "approved")
            compare(Backend.approval(id).resolvedBy, "Dana Reviewer")
            compare(Backend.pendingCount(), pendingBefore - 1)
        }

        function test_c_rejectNeedsANote() {
            const item = moveTo(withoutOptions)
            const id = item.approvalId
            keyClick(Qt.Key_R)
            tryCompare(page.noteDialog, "opened", true)
            verify(!page.noteDialog.standardButton(Dialog.Ok).enabled, "no rejection without a note")
            keyClick(Qt.Key_Return, Qt.ControlModifier)
            verify(page.noteDialog.visible, "Ctrl+Enter with no note does nothing")
            typeText("Off brand")
            verify(page.noteDialog.standardButton(Dialog.Ok).enabled)
            keyClick(Qt.Key_Return, Qt.ControlModifier)
            tryCompare(page.noteDialog, "visible", false)
            tryCompare(rowOf(id), "decision", "rejected", 10000)
            compare(findChild(rowOf(id), "decisionState").text, "Rejected")
            stored(id, "status", "rejected")
            compare(Backend.approval(id).note, "Off brand")
        }

        function test_d_cancelledRejectionChangesNothing() {
            const item = moveTo(withoutOptions)
            const id = item.approvalId
            keyClick(Qt.Key_R)
            tryCompare(page.noteDialog, "opened", true)
            typeText("no")
            keyClick(Qt.Key_Escape)
            tryCompare(page.noteDialog, "visible", false)
            compare(rowOf(id).decision, "")
            wait(200)
            compare(Backend.approval(id).status, "pending")
        }

        function test_e_optionPick() {
            const item = moveTo(it => it.options && it.options.length >= 2)
            const id = item.approvalId
            const second = item.options[1].id
            // `a` alone cannot approve an approval with options: the page says which keys do.
            keyClick(Qt.Key_A)
            verify(findChild(page, "queueHint").visible)
            compare(rowOf(id).decision, "")
            compare(Backend.approval(id).status, "pending")
            keyClick(Qt.Key_9) // there is no ninth option: nothing happens
            compare(rowOf(id).decision, "")
            keyClick(Qt.Key_2)
            tryCompare(rowOf(id), "decision", "approved", 10000)
            stored(id, "status", "approved")
            compare(Backend.approval(id).selectedOption, second)
        }

        function test_f_bulkApprove() {
            const first = moveTo(withoutOptions)
            const firstId = first.approvalId
            keyClick(Qt.Key_X)
            tryCompare(rowOf(firstId), "selected", true)
            keyClick(Qt.Key_J)
            const second = moveTo(it => withoutOptions(it) && it.approvalId !== firstId)
            const secondId = second.approvalId
            keyClick(Qt.Key_X)
            tryCompare(queue, "selectedCount", 2)
            compare(findChild(page, "selectionCount").text, "2 selected — Shift+A approves")

            keyClick(Qt.Key_A, Qt.ShiftModifier)
            tryCompare(page.bulkDialog, "opened", true)
            compare(page.bulkDialog.title, "Approve 2 selected approval(s)?")
            compare(Backend.approval(firstId).status, "pending", "nothing is decided before the confirmation")
            keyClick(Qt.Key_Space) // the focused Yes button
            tryCompare(page.bulkResults, "opened", true, 15000)
            compare(page.bulkResults.results.length, 2)
            compare(page.bulkResults.title, "2 of 2 approved")
            stored(firstId, "status", "approved")
            stored(secondId, "status", "approved")
            keyClick(Qt.Key_Escape)
            tryCompare(page.bulkResults, "visible", false)
        }
    }
}
