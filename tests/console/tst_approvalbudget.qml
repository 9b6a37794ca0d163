// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtTest
import Leadmetrics.Console
import Leadmetrics.Models
import Leadmetrics.ConsoleTest

// The approval page's campaign budget against the demo backend: the figures the server sent, the
// bar, and the warning once the projection passes the cap (the cap changed in the store).
Item {
    id: root
    width: 1280
    height: 800

    ApprovalPage {
        id: page
        anchors.fill: parent
    }

    TestCase {
        id: test
        name: "ApprovalBudget"
        when: windowShown

        property string approvalId: ""
        property var panel: null

        function money(value) { return "$" + Number(value).toFixed(2) }
        function text(name) { return findChild(test.panel, name).text }

        function initTestCase() {
            verify(Backend.error === "", Backend.error)
            if (Session.state !== Session.SignedIn) {
                Session.serverUrl = Backend.serverUrl
                Session.login("dm@leadmetrics.demo", "demo-pass-2026")
            }
            tryCompare(Session, "state", Session.SignedIn, 15000)
            approvalId = Backend.pendingCampaignApproval()
            verify(approvalId !== "", "the demo has a pending approval in a campaign")
            panel = findChild(page, "budgetPanel")
            verify(panel)
        }

        // Opens the approval afresh after a change in the store.
        function open() {
            page.approvalId = ""
            page.approvalId = approvalId
            tryVerify(() => page.populated, 15000, "the approval loads")
            tryVerify(() => panel.detail.hasBudget, 5000, "the DM detail carries the campaign's budget")
        }

        function cleanupTestCase() {
            Backend.setCampaignCap(approvalId, 500)
        }

        function test_a_figuresAndBar() {
            verify(Backend.setCampaignCap(approvalId, 500))
            open()
            const d = panel.detail
            verify(panel.visible)
            verify(d.budgetSpentUsd > 0, "the demo campaign has spent something")
            verify(d.hasProjection)
            verify(d.budgetProjectedUsd >= d.budgetSpentUsd)
            compare(d.budgetCapUsd, 500)
            compare(text("budgetSpent"), money(d.budgetSpentUsd))
            compare(text("budgetProjected"), money(d.budgetProjectedUsd))
            compare(text("budgetCap"), "$500.00")
            compare(text("budgetStatus"), "Within the cap: " + Math.round(d.budgetProjectedUsd / 5) + "% projected")
            verify(Qt.colorEqual(findChild(panel, "budgetProjected").color, Theme.text))
            const bar = findChild(panel, "budgetBar")
            fuzzyCompare(findChild(panel, "budgetSpentFill").width, bar.width * d.budgetSpentUsd / 500, 1)
            fuzzyCompare(findChild(panel, "budgetProjectedFill").width, bar.width * d.budgetProjectedUsd / 500, 1)
            verify(Qt.colorEqual(findChild(panel, "budgetSpentFill").color, Theme.accent))
        }

        function test_b_projectionPastTheCapWarns() {
            open()
            const projected = panel.detail.budgetProjectedUsd
            verify(projected > 0)
            // A cap just under the projection.
            verify(Backend.setCampaignCap(approvalId, Math.floor(projected * 100 - 1) / 100))
            open()
            verify(panel.detail.budgetOverCap)
            compare(text("budgetStatus"), "Projected over the cap")
            verify(Qt.colorEqual(findChild(panel, "budgetProjected").color, Theme.warning))
            verify(Qt.colorEqual(findChild(panel, "budgetSpentFill").color, Theme.warning))
            // The bar's whole width is now the projection: it is full.
            fuzzyCompare(findChild(panel, "budgetProjectedFill").width, findChild(panel, "budgetBar").width, 1)
        }

        function test_c_noCap() {
            verify(Backend.setCampaignCap(approvalId, -1))
            open()
            verify(!panel.detail.hasBudgetCap)
            verify(!panel.detail.budgetOverCap)
            compare(text("budgetCap"), "no cap")
            compare(text("budgetStatus"), "No budget cap")
        }

        function test_d_outsideAnyCampaign() {
            const loose = Backend.addApprovalWithoutCampaign()
            verify(loose !== "")
            page.approvalId = loose
            tryVerify(() => page.populated && page.approval.id === loose, 15000, "the approval loads")
            verify(!panel.detail.hasBudget)
            verify(panel.visible, "the page says there is no budget rather than nothing")
            verify(findChild(panel, "budgetNoCampaign").visible)
            verify(!findChild(panel, "budgetBar").visible)
        }
    }
}
