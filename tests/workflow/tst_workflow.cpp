// SPDX-License-Identifier: GPL-3.0-or-later
// The workflow's pure rules. The allowed transitions are stated here a second time, as a list taken
// from the spec, and the whole table (every status × every event) is walked against it.
#include "workflow/activitystatemachine.h"
#include "workflow/budget.h"

#include <QSet>
#include <QTest>

using namespace lm;
using namespace lm::workflow;

namespace {
using S = ActivityStatus;
using E = ActivityEvent;

struct Allowed
{
    S from;
    E event;
    S to;
};

// What may happen, and nothing else.
const QList<Allowed> kAllowed = {
    // A new activity is assigned by the planner; it can be paused or stopped by the budget before it runs.
    {S::Created, E::Assign, S::Assigned},
    {S::Created, E::Pause, S::Blocked},
    {S::Created, E::BudgetExceeded, S::Blocked},
    // A queued activity starts a run, or is handed to someone else, paused, or stopped by the budget.
    {S::Assigned, E::Start, S::InProgress},
    {S::Assigned, E::Reassign, S::Reassigned},
    {S::Assigned, E::Pause, S::Blocked},
    {S::Assigned, E::BudgetExceeded, S::Blocked},
    // A running activity ends, waits on a gate, a subtask or a review, is blocked, handed on, or fails.
    {S::InProgress, E::Complete, S::Done},
    {S::InProgress, E::RequestApproval, S::AwaitingApproval},
    {S::InProgress, E::CreateSubtask, S::AwaitingSubtask},
    {S::InProgress, E::RequestReview, S::AwaitingReview},
    {S::InProgress, E::ReportBlocker, S::Blocked},
    {S::InProgress, E::Reassign, S::Reassigned},
    {S::InProgress, E::Fail, S::Failed},
    {S::InProgress, E::Pause, S::Blocked},
    {S::InProgress, E::BudgetExceeded, S::Blocked},
    // Approval decisions wake it (approve, reject with feedback, revision); an undecided gate expires.
    {S::AwaitingApproval, E::WakeReviewApproved, S::Assigned},
    {S::AwaitingApproval, E::WakeReviewFeedback, S::Assigned},
    {S::AwaitingApproval, E::WakeRevisionRequested, S::Assigned},
    {S::AwaitingApproval, E::ApprovalExpired, S::Blocked},
    {S::AwaitingSubtask, E::WakeSubtaskCompleted, S::Assigned},
    {S::AwaitingReview, E::WakeReviewApproved, S::Assigned},
    {S::AwaitingReview, E::WakeReviewFeedback, S::Assigned},
    {S::AwaitingReview, E::WakeRevisionRequested, S::Assigned},
    // A person unblocks (resume); a reassignment is picked up; a failure is retried (spec: retry only from
    // failed).
    {S::Blocked, E::WakeManual, S::Assigned},
    {S::Reassigned, E::WakeReassigned, S::Assigned},
    {S::Failed, E::WakeRetry, S::Assigned},
};

constexpr qint64 kHour = 3600 * 1000;
} // namespace

class TestWorkflow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void wholeTransitionTable()
    {
        int allowedCells = 0;
        for (std::size_t s = 0; s < kActivityStatusCount; ++s) {
            for (std::size_t e = 0; e < kActivityEventCount; ++e) {
                const S from = S(s);
                const E event = E(e);
                std::optional<S> expected;
                for (const Allowed &a : kAllowed) {
                    if (a.from == from && a.event == event)
                        expected = a.to;
                }
                const auto got = ActivityStateMachine::next(from, event);
                const QByteArray cell = (statusName(from) + QLatin1String(" x ") + eventName(event)).toUtf8();
                if (expected) {
                    ++allowedCells;
                    QVERIFY2(got.ok(), cell.constData());
                    QVERIFY2(*got == *expected, cell.constData());
                    QVERIFY(ActivityStateMachine::allows(from, event));
                } else {
                    QVERIFY2(!got.ok(), cell.constData());
                    QCOMPARE(got.error().code, ErrorCode::Conflict);
                    QVERIFY(got.error().message.contains(statusName(from)));
                    QVERIFY(!ActivityStateMachine::allows(from, event));
                }
            }
        }
        QCOMPARE(allowedCells, kAllowed.size());
        QCOMPARE(allowedCells, 27);
    }

    void doneIsFinalAndFailedLeavesOnlyByRetry()
    {
        for (std::size_t e = 0; e < kActivityEventCount; ++e)
            QVERIFY(!ActivityStateMachine::allows(S::Done, E(e)));
        QVERIFY(ActivityStateMachine::isTerminal(S::Done));
        for (std::size_t e = 0; e < kActivityEventCount; ++e)
            QCOMPARE(ActivityStateMachine::allows(S::Failed, E(e)), E(e) == E::WakeRetry);
    }

    void everyStatusIsReachableFromCreated()
    {
        QSet<S> seen {S::Created};
        QList<S> frontier {S::Created};
        while (!frontier.isEmpty()) {
            const S s = frontier.takeFirst();
            for (std::size_t e = 0; e < kActivityEventCount; ++e) {
                const auto to = ActivityStateMachine::next(s, E(e));
                if (to.ok() && !seen.contains(*to)) {
                    seen.insert(*to);
                    frontier.append(*to);
                }
            }
        }
        QCOMPARE(seen.size(), qsizetype(kActivityStatusCount));
    }

    void theApprovalLoop()
    {
        // brief → plan → run → approval → approve → re-enqueued → run → done
        S s = S::Created;
        for (E e : {E::Assign, E::Start, E::RequestApproval, E::WakeReviewApproved, E::Start, E::Complete}) {
            const auto next = ActivityStateMachine::next(s, e);
            QVERIFY2(next.ok(), qPrintable(eventName(e)));
            s = *next;
        }
        QCOMPARE(s, S::Done);
    }

    void pausableStatuses()
    {
        QVERIFY(ActivityStateMachine::isPausable(S::InProgress));
        QVERIFY(ActivityStateMachine::isPausable(S::Assigned));
        QVERIFY(!ActivityStateMachine::isPausable(S::AwaitingApproval));
        QVERIFY(!ActivityStateMachine::isPausable(S::Done));
        QVERIFY(!ActivityStateMachine::isPausable(S::Blocked));
    }

    void namesRoundTrip()
    {
        for (std::size_t s = 0; s < kActivityStatusCount; ++s)
            QCOMPARE(parseStatus(statusName(S(s))), std::optional<S>(S(s)));
        QCOMPARE(statusName(S::AwaitingApproval), QStringLiteral("awaiting_approval"));
        QVERIFY(!parseStatus(u"paused").has_value());
        for (std::size_t w = 0; w < kWakeReasonCount; ++w) {
            const WakeReason r = WakeReason(w);
            QCOMPARE(parseWakeReason(wakeReasonName(r)), std::optional<WakeReason>(r));
            QVERIFY(eventName(wakeEvent(r)).endsWith(wakeReasonName(r)));
        }
        QCOMPARE(wakeEvent(WakeReason::Retry), E::WakeRetry);
        QCOMPARE(blockReasonOf(E::ApprovalExpired), std::optional<BlockReason>(BlockReason::ApprovalExpired));
        QCOMPARE(blockReasonOf(E::Pause), std::optional<BlockReason>(BlockReason::Paused));
        QVERIFY(!blockReasonOf(E::Complete).has_value());
        // Every event that leads to Blocked says why.
        for (const Allowed &a : kAllowed) {
            if (a.to == S::Blocked)
                QVERIFY2(blockReasonOf(a.event).has_value(), qPrintable(eventName(a.event)));
        }
    }

    void costs_data()
    {
        QTest::addColumn<qint64>("input");
        QTest::addColumn<qint64>("output");
        QTest::addColumn<qint64>("inPrice");
        QTest::addColumn<qint64>("outPrice");
        QTest::addColumn<qint64>("micros");
        // $3 / $15 per million tokens.
        QTest::newRow("cost-typical-01")
            << qint64(1000) << qint64(500) << qint64(3'000'000) << qint64(15'000'000) << qint64(10'500);
        QTest::newRow("cost-zero-02")
            << qint64(0) << qint64(0) << qint64(3'000'000) << qint64(15'000'000) << qint64(0);
        QTest::newRow("cost-rounds-up-03")
            << qint64(1) << qint64(0) << qint64(3'000'000) << qint64(0) << qint64(3);
        QTest::newRow("cost-fraction-up-04")
            << qint64(1) << qint64(0) << qint64(150'000) << qint64(0) << qint64(1);
        QTest::newRow("cost-huge-05") << qint64(2'000'000'000'000) << qint64(0) << qint64(15'000'000)
                                      << qint64(0) << qint64(30'000'000'000'000);
        QTest::newRow("cost-negative-tokens-06")
            << qint64(-5) << qint64(10) << qint64(1'000'000) << qint64(1'000'000) << qint64(10);
    }
    void costs()
    {
        QFETCH(qint64, input);
        QFETCH(qint64, output);
        QFETCH(qint64, inPrice);
        QFETCH(qint64, outPrice);
        QFETCH(qint64, micros);
        QCOMPARE(Budget::costMicros(input, output, {inPrice, outPrice}), micros);
    }

    void budgetAlertsOnceAtNinetyPercentAndStopsAtTheCap()
    {
        const qint64 cap = Budget::fromUsd(1000);
        QCOMPARE(cap, 1'000'000'000);
        // Below 90 %: nothing.
        auto e = Budget::evaluate(cap, Budget::fromUsd(100), Budget::fromUsd(899.99));
        QVERIFY(!e.crossedAlertThreshold && !e.exhausted);
        // Crossing 90 %: the one alert.
        e = Budget::evaluate(cap, Budget::fromUsd(899.99), Budget::fromUsd(900));
        QVERIFY(e.crossedAlertThreshold);
        QVERIFY(!e.exhausted);
        // Already past 90 %: no second alert.
        e = Budget::evaluate(cap, Budget::fromUsd(900), Budget::fromUsd(950));
        QVERIFY(!e.crossedAlertThreshold);
        // Jumping straight past the cap still alerts once and exhausts.
        e = Budget::evaluate(cap, Budget::fromUsd(10), Budget::fromUsd(1200));
        QVERIFY(e.crossedAlertThreshold && e.exhausted);
        QVERIFY(Budget::runMayStart(cap, cap - 1));
        QVERIFY(!Budget::runMayStart(cap, cap));
        // No cap: no alert, never exhausted.
        e = Budget::evaluate(0, 0, Budget::fromUsd(1e9));
        QVERIFY(!e.crossedAlertThreshold && !e.exhausted);
        QVERIFY(Budget::runMayStart(0, Budget::fromUsd(1e9)));
        QCOMPARE(Budget::toUsd(Budget::fromUsd(12.34)), 12.34);
    }

    void perActivityMaximum()
    {
        QVERIFY(!Budget::activityOverMaximum(Budget::fromUsd(5), Budget::fromUsd(5)));
        QVERIFY(Budget::activityOverMaximum(Budget::fromUsd(5), Budget::fromUsd(5) + 1));
        QVERIFY(!Budget::activityOverMaximum(0, Budget::fromUsd(1e6)));
    }

    void approvalExpiryAndTheSixHourNotice()
    {
        const qint64 expires = 100 * kHour;
        QVERIFY(!ApprovalTiming::expiringNoticeDue(expires - 6 * kHour - 1, expires, false));
        QVERIFY(ApprovalTiming::expiringNoticeDue(expires - 6 * kHour, expires, false));
        QVERIFY(!ApprovalTiming::expiringNoticeDue(expires - 6 * kHour, expires, true)); // once
        QVERIFY(ApprovalTiming::expiringNoticeDue(expires - 1, expires, false));
        QVERIFY(!ApprovalTiming::expiringNoticeDue(expires, expires, false)); // expired, not expiring
        QVERIFY(!ApprovalTiming::isExpired(expires - 1, expires));
        QVERIFY(ApprovalTiming::isExpired(expires, expires));
        QCOMPARE(ApprovalTiming::hoursLeft(expires - 6 * kHour, expires), 6);
        QCOMPARE(ApprovalTiming::hoursLeft(expires - 5 * kHour - 1, expires), 6);
        QCOMPARE(ApprovalTiming::hoursLeft(expires - 1, expires), 1);
        QCOMPARE(ApprovalTiming::hoursLeft(expires + 1, expires), 0);
    }
};

QTEST_GUILESS_MAIN(TestWorkflow)
#include "tst_workflow.moc"
