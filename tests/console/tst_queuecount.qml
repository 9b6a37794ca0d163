// SPDX-License-Identifier: GPL-3.0-or-later
import QtQuick
import QtQuick.Controls
import QtTest
import Leadmetrics.Console
import Leadmetrics.Models
import Leadmetrics.ConsoleTest

// The queue's header count against the demo backend, with pages of 3 rows so that the queue is
// only partly loaded: it must name the whole queue (from the overview), never the loaded rows as
// if they were all.
Item {
    id: root
    width: 1280
    height: 800

    ApprovalQueueModel {
        id: queue
        pageSize: 3
    }
    OverviewModel { id: overview }

    // Short, so that 3 rows overflow it and the list does not fetch the next page by itself.
    QueuePage {
        id: page
        width: parent.width
        height: 240
        model: queue
        tenants: overview
        totalPending: overview.totals.pending !== undefined ? overview.totals.pending : -1
    }

    TestCase {
        id: test
        name: "QueueCount"
        when: windowShown

        function header() { return findChild(page, "queueCount").text }

        function initTestCase() {
            verify(Backend.error === "", Backend.error)
            if (Session.state !== Session.SignedIn) {
                Session.serverUrl = Backend.serverUrl
                Session.login("dm@leadmetrics.demo", "demo-pass-2026")
            }
            tryCompare(Session, "state", Session.SignedIn, 15000)
        }

        // Rows may also arrive live meanwhile (the demo's agents keep working): the header is
        // compared with the model and the store as they are.
        function test_a_partlyLoadedQueueNamesTheWhole() {
            queue.filterRisk = ""
            queue.search = ""
            overview.reload()
            queue.reload()
            tryVerify(() => !queue.loading && queue.count > 0, 15000, "the first page")
            verify(queue.hasMore, "pages of 3 leave more to load")
            tryVerify(() => overview.totals.pending === Backend.pendingCount(), 15000,
                      "the overview counts what the store holds")
            verify(queue.count < overview.totals.pending)
            tryVerify(() => header() === queue.count + " of " + overview.totals.pending + " pending loaded",
                      5000, "header: " + header())
        }

        // A filtered queue has no known total: it says more is to come instead of a wrong figure.
        function test_b_filteredPartlyLoadedQueue() {
            queue.search = "a"
            tryVerify(() => !queue.loading && queue.count > 0, 15000, "titles with an 'a'")
            if (queue.hasMore)
                tryVerify(() => header() === queue.count + " loaded, more below", 5000, "header: " + header())
            else
                tryVerify(() => header() === (queue.count === 1 ? "1 pending" : queue.count + " pending"), 5000,
                          "header: " + header())
            verify(header().indexOf(" of ") < 0, "no total is claimed for a filtered queue")
        }
    }
}
