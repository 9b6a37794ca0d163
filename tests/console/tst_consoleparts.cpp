// SPDX-License-Identifier: GPL-3.0-or-later
// The console's C++ parts: its command line and the desktop notifications' rules.
#include "consoleoptions.h"
#include "desktopnotifier.h"

#include <QSignalSpy>
#include <QStandardItemModel>
#include <QTest>

using lm::console::ConsoleOptions;
using lm::console::DesktopNotifier;

namespace {

enum Roles
{
    IdRole = Qt::UserRole + 1,
    TitleRole,
    RiskRole,
    ExpiresRole,
    StatusRole
};

class QueueLikeModel : public QStandardItemModel
{
public:
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override
    {
        return {{IdRole, "approvalId"}, {TitleRole, "title"}, {RiskRole, "riskLevel"},
            {ExpiresRole, "expiresAt"}, {StatusRole, "status"}};
    }
    void add(const QString &id, const QString &risk, const QDateTime &expires,
        const QString &status = QStringLiteral("pending"))
    {
        auto *item = new QStandardItem;
        item->setData(id, IdRole);
        item->setData(QStringLiteral("Approval %1").arg(id), TitleRole);
        item->setData(risk, RiskRole);
        item->setData(expires, ExpiresRole);
        item->setData(status, StatusRole);
        appendRow(item);
    }
};

} // namespace

class TestConsoleParts : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void embeddedBackendDefaultsToAFreeLoopbackPort()
    {
        auto o = ConsoleOptions::parse(
            {QStringLiteral("--demo"), QStringLiteral("--workers"), QStringLiteral("0")});
        QVERIFY2(o.ok(), qPrintable(o.error().message));
        QCOMPARE(o->embedded.host, QStringLiteral("127.0.0.1"));
        QCOMPARE(o->embedded.port, quint16(0));
        QVERIFY(o->embedded.demo);
        QCOMPARE(o->embedded.workers, 0);
        QVERIFY(o->serverUrl.isEmpty());
    }

    void serverFlagsAndErrors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("error"); // empty: accepted
        QTest::newRow("options-remote-01")
            << QStringList {QStringLiteral("--server"), QStringLiteral("https://lm.example.com/")}
            << QString();
        QTest::newRow("options-remote-02")
            << QStringList {QStringLiteral("--server=ftp://x")} << QStringLiteral("--server");
        QTest::newRow("options-remote-03")
            << QStringList {QStringLiteral("--server")} << QStringLiteral("--server");
        QTest::newRow("options-shot-01") << QStringList {QStringLiteral("--screenshot"),
            QStringLiteral("queue")} << QStringLiteral("--out");
        QTest::newRow("options-shot-02") << QStringList {QStringLiteral("--screenshot"),
            QStringLiteral("nope"), QStringLiteral("--out"), QStringLiteral("x.png")}
                                         << QStringLiteral("--screenshot");
        QTest::newRow("options-shot-03")
            << QStringList {QStringLiteral("--out"), QStringLiteral("x.png")} << QStringLiteral("--out");
        QTest::newRow("options-shot-04") << QStringList {QStringLiteral("--screenshot=approval"),
            QStringLiteral("--out=x.png"), QStringLiteral("--server"), QStringLiteral("http://h:1")}
                                         << QStringLiteral("--screenshot");
        QTest::newRow("options-server-01") << QStringList {QStringLiteral("--workers"), QStringLiteral("999")}
                                           << QStringLiteral("--workers");
        QTest::newRow("options-server-02")
            << QStringList {QStringLiteral("--bogus")} << QStringLiteral("--bogus");
    }
    void serverFlagsAndErrors()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, error);
        auto o = ConsoleOptions::parse(args);
        if (error.isEmpty()) {
            QVERIFY2(o.ok(), qPrintable(o.error().message));
            QCOMPARE(o->serverUrl, QStringLiteral("https://lm.example.com"));
        } else {
            QVERIFY(!o.ok());
            QVERIFY2(o.error().message.contains(error), qPrintable(o.error().message));
        }
    }

    void screenshotRunsSeedTheDemo()
    {
        auto o = ConsoleOptions::parse({QStringLiteral("--screenshot"), QStringLiteral("activity"),
            QStringLiteral("--out"), QStringLiteral("/tmp/a.png")});
        QVERIFY2(o.ok(), qPrintable(o.error().message));
        QVERIFY(o->embedded.demo);
        QVERIFY(!o->dataDirGiven);
        QCOMPARE(o->screenshotPage, QStringLiteral("activity"));
    }

    void screenshotRunOnANamedStoreKeepsIt()
    {
        // bench/console-startup.sh: the seeded store, not a fresh demo one in a temporary dir.
        for (const QStringList &store : {QStringList {QStringLiteral("--data-dir"), QStringLiteral("/tmp/s")},
                 QStringList {QStringLiteral("--data-dir=/tmp/s")},
                 QStringList {QStringLiteral("--database"), QStringLiteral("sqlite:/tmp/s/lm.db")}}) {
            auto o = ConsoleOptions::parse(
                QStringList {QStringLiteral("--screenshot"), QStringLiteral("queue"), QStringLiteral("--out"),
                    QStringLiteral("/tmp/q.png"), QStringLiteral("--workers"), QStringLiteral("0")}
                + store);
            QVERIFY2(o.ok(), qPrintable(o.error().message));
            QVERIFY2(o->dataDirGiven, qPrintable(store.join(u' ')));
            QVERIFY(!o->embedded.demo);
            QCOMPARE(o->embedded.workers, 0);
        }
    }

    void notifiesHighRiskAndSoonExpiringOnce()
    {
        const QDateTime now = QDateTime::currentDateTimeUtc();
        QueueLikeModel model;
        model.add(QStringLiteral("high"), QStringLiteral("high"), now.addDays(3));
        model.add(QStringLiteral("soon"), QStringLiteral("low"), now.addSecs(2 * 3600));
        model.add(QStringLiteral("later"), QStringLiteral("medium"), now.addSecs(7 * 3600));
        model.add(
            QStringLiteral("decided"), QStringLiteral("high"), now.addDays(1), QStringLiteral("approved"));

        DesktopNotifier notifier;
        QSignalSpy notified(&notifier, &DesktopNotifier::notified);
        notifier.setModel(&model);
        QCOMPARE(notified.count(), 2);
        QCOMPARE(notified.at(0).at(0).toString(), QStringLiteral("high"));
        QCOMPARE(notified.at(1).at(0).toString(), QStringLiteral("soon"));
        QVERIFY(notified.at(1).at(1).toString().contains(QLatin1String("2 hour")));

        // A change to a notified row, or the same rows again, notifies nobody twice.
        model.setData(model.index(0, 0), QStringLiteral("High (edited)"), TitleRole);
        model.add(QStringLiteral("new-high"), QStringLiteral("high"), now.addDays(2));
        QCOMPARE(notified.count(), 3);
        QCOMPARE(notified.at(2).at(0).toString(), QStringLiteral("new-high"));

        // A row that comes within 6 hours of expiry while listed is notified then.
        model.setData(model.index(2, 0), now.addSecs(5 * 3600), ExpiresRole);
        QCOMPARE(notified.count(), 4);
        QCOMPARE(notified.at(3).at(0).toString(), QStringLiteral("later"));
        QCOMPARE(notifier.notifiedCount(), 4);
    }

    void expiredOrFarApprovalsAreNotNotified()
    {
        const QDateTime now = QDateTime::currentDateTimeUtc();
        QVERIFY(DesktopNotifier::reasonFor(QStringLiteral("low"), now.addSecs(-60), now).isEmpty());
        QVERIFY(
            DesktopNotifier::reasonFor(QStringLiteral("medium"), now.addSecs(6 * 3600 + 60), now).isEmpty());
        QVERIFY(DesktopNotifier::reasonFor(QStringLiteral("low"), QDateTime(), now).isEmpty());
        QVERIFY(!DesktopNotifier::reasonFor(QStringLiteral("low"), now.addSecs(6 * 3600), now).isEmpty());
        QVERIFY(!DesktopNotifier::reasonFor(QStringLiteral("high"), QDateTime(), now).isEmpty());
    }

    void pendingCountIsShown()
    {
        DesktopNotifier notifier;
        QSignalSpy changed(&notifier, &DesktopNotifier::pendingCountChanged);
        notifier.setPendingCount(12);
        notifier.setPendingCount(12);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(notifier.pendingCount(), 12);
    }
};

QTEST_MAIN(TestConsoleParts)
#include "tst_consoleparts.moc"
