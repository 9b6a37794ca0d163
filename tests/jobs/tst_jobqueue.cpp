// SPDX-License-Identifier: GPL-3.0-or-later
// The durable job queue, once per dialect (tst_jobqueue-sqlite, tst_jobqueue-postgres).
#include "jobs/jobqueue.h"
#include "jobs/jobworkers.h"
#include "store/store.h"
#include "testdatabase.h"

#include <QSet>
#include <QTest>

#include <mutex>
#include <thread>

using namespace lm;
using namespace lm::jobs;

class TestJobQueue : public QObject
{
    Q_OBJECT

    std::unique_ptr<test::TestDatabase> m_testDb;
    std::unique_ptr<store::Store> m_store;
    std::unique_ptr<ManualClock> m_clock;
    std::unique_ptr<JobQueue> m_queue;

    QString statusOf(const QString &id)
    {
        auto q = m_store->db().query(QStringLiteral("SELECT status FROM jobs WHERE id = ?"));
        q.bind(id);
        return q.exec().ok() && q.next() ? q.string(0) : QString();
    }

private Q_SLOTS:
    void init()
    {
        m_testDb = std::make_unique<test::TestDatabase>();
        QVERIFY2(m_testDb->error().isEmpty(), qPrintable(m_testDb->error()));
        m_store = std::make_unique<store::Store>(m_testDb->config());
        QVERIFY(m_store->migrate().ok());
        m_clock = std::make_unique<ManualClock>(1'700'000'000'000);
        m_queue
            = std::make_unique<JobQueue>(m_store->db(), *m_clock, JobQueue::Settings {60'000, 2000, 600'000});
    }
    void cleanup()
    {
        m_queue.reset();
        m_store.reset();
        m_testDb.reset();
    }

    void exactlyOnceClaimsWithTwoThreads()
    {
        constexpr int kJobs = 2000;
        {
            store::Transaction tx(m_store->db());
            for (int i = 0; i < kJobs; ++i)
                QVERIFY(m_queue->enqueue({QStringLiteral("test.work"), {}, {{QStringLiteral("n"), i}}}).ok());
            QVERIFY(tx.commit().ok());
        }
        std::mutex mutex;
        QList<int> seen;
        std::atomic<int> errors {0};
        const auto worker = [&](const QString &name) {
            while (true) {
                auto job = m_queue->claim(name);
                if (!job.ok()) {
                    ++errors;
                    continue;
                }
                if (!job->has_value())
                    break;
                if (!m_queue->complete(**job).ok())
                    ++errors;
                std::lock_guard lock(mutex);
                seen.append((*job)->payload.value(QStringLiteral("n")).toInt());
            }
            m_store->db().closeThreadConnection();
        };
        std::thread a(worker, QStringLiteral("worker-a"));
        std::thread b(worker, QStringLiteral("worker-b"));
        a.join();
        b.join();
        QCOMPARE(errors.load(), 0);
        QCOMPARE(seen.size(), kJobs); // each claimed once: no job twice
        QCOMPARE(QSet<int>(seen.begin(), seen.end()).size(), kJobs); // and none missed
        QCOMPARE(*m_queue->pendingCount(), 0);
        auto done = m_store->db().query(
            QStringLiteral("SELECT COUNT(*) FROM jobs WHERE status = 'done' AND attempts = 1"));
        QVERIFY(done.exec().ok() && done.next());
        QCOMPARE(done.int64(0), kJobs);
    }

    void aDeadWorkersJobIsClaimedAgainAfterItsLease()
    {
        const QString id = *m_queue->enqueue({QStringLiteral("test.work"), {}, {}});
        auto first = m_queue->claim(QStringLiteral("dies"));
        QVERIFY(first.ok() && first->has_value());
        QVERIFY(!m_queue->claim(QStringLiteral("other"))->has_value()); // leased
        m_clock->advanceMs(60'000);
        auto second = m_queue->claim(QStringLiteral("other"));
        QVERIFY(second.ok() && second->has_value());
        QCOMPARE((*second)->id, id);
        QCOMPARE((*second)->attempts, 2);
        // The first worker comes back: its lease is gone, so it cannot finish the job.
        QCOMPARE(m_queue->complete(**first).error().code, ErrorCode::Conflict);
        QCOMPARE(m_queue->fail(**first, QStringLiteral("late")).error().code, ErrorCode::Conflict);
        QVERIFY(m_queue->complete(**second).ok());
        QCOMPARE(statusOf(id), QStringLiteral("done"));
    }

    void failuresBackOffExponentiallyThenDie()
    {
        const QString id = *m_queue->enqueue({QStringLiteral("test.flaky"), {}, {}, 0, 3});
        auto job = m_queue->claim(QStringLiteral("w"));
        QVERIFY(job.ok() && job->has_value());
        QVERIFY(m_queue->fail(**job, QStringLiteral("boom 1")).ok());
        QCOMPARE(statusOf(id), QStringLiteral("queued"));

        m_clock->advanceMs(1999);
        QVERIFY(!m_queue->claim(QStringLiteral("w"))->has_value()); // 2 s backoff not over
        m_clock->advanceMs(1);
        job = m_queue->claim(QStringLiteral("w"));
        QVERIFY(job.ok() && job->has_value());
        QCOMPARE((*job)->attempts, 2);
        QVERIFY(m_queue->fail(**job, QStringLiteral("boom 2")).ok());

        m_clock->advanceMs(3999);
        QVERIFY(!m_queue->claim(QStringLiteral("w"))->has_value()); // now 4 s
        m_clock->advanceMs(1);
        job = m_queue->claim(QStringLiteral("w"));
        QVERIFY(job.ok() && job->has_value());
        QCOMPARE((*job)->attempts, 3);
        QVERIFY(m_queue->fail(**job, QStringLiteral("boom 3")).ok());
        QCOMPARE(statusOf(id), QStringLiteral("dead"));

        m_clock->advanceMs(3'600'000);
        QVERIFY(!m_queue->claim(QStringLiteral("w"))->has_value());
        const auto dead = m_queue->deadJobs();
        QVERIFY(dead.ok());
        QCOMPARE(dead->size(), 1);
        QCOMPARE(dead->first().id, id);
        QCOMPARE(dead->first().attempts, 3);
        QCOMPARE(dead->first().lastError, QStringLiteral("boom 3"));
    }

    void backoffIsCapped()
    {
        QCOMPARE(m_queue->backoffMs(1), 2000);
        QCOMPARE(m_queue->backoffMs(2), 4000);
        QCOMPARE(m_queue->backoffMs(5), 32000);
        QCOMPARE(m_queue->backoffMs(30), 600'000);
    }

    void anExpiredLeaseWithNoAttemptsLeftIsReaped()
    {
        const QString id = *m_queue->enqueue({QStringLiteral("test.once"), {}, {}, 0, 1});
        QVERIFY(m_queue->claim(QStringLiteral("dies"))->has_value());
        m_clock->advanceMs(60'000);
        QVERIFY(!m_queue->claim(QStringLiteral("other"))->has_value()); // no attempts left: not re-run
        QCOMPARE(*m_queue->reapExpired(), 1);
        QCOMPARE(statusOf(id), QStringLiteral("dead"));
        QCOMPARE(*m_queue->reapExpired(), 0);
    }

    void delayedJobsWaitForTheirTime()
    {
        const QString later
            = *m_queue->enqueue({QStringLiteral("test.later"), {}, {}, m_clock->nowMs() + 10'000});
        const QString now = *m_queue->enqueue({QStringLiteral("test.now"), {}, {}});
        auto job = m_queue->claim(QStringLiteral("w"));
        QCOMPARE((*job)->id, now);
        QVERIFY(!m_queue->claim(QStringLiteral("w"))->has_value());
        m_clock->advanceMs(10'000);
        QCOMPARE((*m_queue->claim(QStringLiteral("w")))->id, later);
    }

    void enqueueCommitsOrRollsBackWithTheChange()
    {
        {
            store::Transaction tx(m_store->db());
            QVERIFY(m_queue->enqueue({QStringLiteral("test.ghost"), {}, {}}).ok());
        } // rolled back: the job never existed
        QCOMPARE(*m_queue->pendingCount(), 0);
        {
            store::Transaction tx(m_store->db());
            QVERIFY(m_queue
                        ->enqueue({QStringLiteral("test.real"), QStringLiteral("tenant-1"),
                            {{QStringLiteral("k"), QStringLiteral("v")}}})
                        .ok());
            QVERIFY(tx.commit().ok());
        }
        auto job = m_queue->claim(QStringLiteral("w"));
        QVERIFY(job.ok() && job->has_value());
        QCOMPARE((*job)->kind, QStringLiteral("test.real"));
        QCOMPARE((*job)->tenantId, QStringLiteral("tenant-1"));
        QCOMPARE((*job)->payload.value(QStringLiteral("k")).toString(), QStringLiteral("v"));
    }

    void workersRunEveryJobOnceAndRetryFailures()
    {
        std::mutex mutex;
        QList<int> ran;
        std::atomic<int> flakyCalls {0};
        std::atomic<int> ranCount {0};
        JobWorkers workers(*m_queue, m_store->db(), 2, QStringLiteral("test"), std::chrono::milliseconds(50));
        workers.registerHandler(QStringLiteral("test.work"), [&](const Job &job) -> Result<void> {
            std::lock_guard lock(mutex);
            ran.append(job.payload.value(QStringLiteral("n")).toInt());
            ++ranCount;
            return {};
        });
        workers.registerHandler(QStringLiteral("test.flaky"), [&](const Job &) -> Result<void> {
            if (++flakyCalls == 1)
                return ApiError::internal(QStringLiteral("first try fails"));
            return {};
        });
        workers.registerHandler(QStringLiteral("test.throws"),
            [](const Job &) -> Result<void> { throw std::runtime_error("handler bug"); });
        workers.start();
        for (int i = 0; i < 200; ++i) {
            QVERIFY(m_queue->enqueue({QStringLiteral("test.work"), {}, {{QStringLiteral("n"), i}}}).ok());
            workers.wake();
        }
        const QString flaky = *m_queue->enqueue({QStringLiteral("test.flaky"), {}, {}});
        const QString throws = *m_queue->enqueue({QStringLiteral("test.throws"), {}, {}, 0, 1});
        const QString orphan = *m_queue->enqueue({QStringLiteral("test.nobody"), {}, {}, 0, 1});
        workers.wake();
        QTRY_COMPARE_WITH_TIMEOUT(ranCount.load(), 200, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(statusOf(throws), QStringLiteral("dead"), 5000);
        QTRY_COMPARE_WITH_TIMEOUT(statusOf(orphan), QStringLiteral("dead"), 5000);
        // The flaky job waits out its backoff on the queue's clock, then succeeds.
        QTRY_COMPARE_WITH_TIMEOUT(flakyCalls.load(), 1, 5000);
        QCOMPARE(statusOf(flaky), QStringLiteral("queued"));
        m_clock->advanceMs(2000);
        workers.wake();
        QTRY_COMPARE_WITH_TIMEOUT(statusOf(flaky), QStringLiteral("done"), 5000);
        workers.stop();
        QCOMPARE(QSet<int>(ran.begin(), ran.end()).size(), 200);
        QCOMPARE(workers.completedCount(), 201);
        const auto dead = m_queue->deadJobs();
        QCOMPARE(dead->size(), 2);
        for (const DeadJob &d : *dead)
            QVERIFY2(d.lastError.contains(QLatin1String("threw"))
                    || d.lastError.contains(QLatin1String("no handler")),
                qPrintable(d.lastError));
    }

    void badJobsAreRefused()
    {
        QCOMPARE(m_queue->enqueue({QString(), {}, {}}).error().code, ErrorCode::ValidationError);
        QCOMPARE(
            m_queue->enqueue({QStringLiteral("x"), {}, {}, 0, 0}).error().code, ErrorCode::ValidationError);
        QCOMPARE(*m_queue->pendingCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestJobQueue)
#include "tst_jobqueue.moc"
