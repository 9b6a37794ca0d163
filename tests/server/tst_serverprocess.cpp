// SPDX-License-Identifier: GPL-3.0-or-later
// The real leadmetrics-server binary, as a user runs it.
#include "testhttp.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace lm::test;

class TestServerProcess : public QObject
{
    Q_OBJECT

    // Starts the server and returns the port from its "listening on" line (0 on failure).
    static quint16 start(QProcess &process, const QStringList &args)
    {
        process.setProgram(QStringLiteral(LM_SERVER_BINARY));
        process.setArguments(args);
        process.setProcessChannelMode(QProcess::SeparateChannels);
        process.start();
        if (!process.waitForStarted(5000))
            return 0;
        static const QRegularExpression line(QStringLiteral("^listening on http://127\\.0\\.0\\.1:(\\d+)$"));
        QByteArray out;
        while (process.waitForReadyRead(20000)) {
            out += process.readAllStandardOutput();
            if (out.contains('\n'))
                break;
        }
        const auto m = line.match(QString::fromUtf8(out).trimmed());
        return m.hasMatch() ? quint16(m.captured(1).toUInt()) : 0;
    }

private Q_SLOTS:
    void listensOnAFreePortAndStopsOnSigterm()
    {
        QTemporaryDir dir;
        QProcess process;
        const quint16 port = start(process,
            {QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"), QStringLiteral("--data-dir"),
                dir.path(), QStringLiteral("--demo")});
        QVERIFY2(port > 0, process.readAllStandardError().constData());
        TestHttp http(QStringLiteral("127.0.0.1"), port);
        QCOMPARE(http.get("/healthz").status, 200);
        for (const char *email : {"root@leadmetrics.demo", "dm@leadmetrics.demo", "admin@acme.demo",
                 "member@acme.demo", "reviewer@acme.demo", "admin@globex.demo"}) {
            const HttpReply login = http.postJson("/auth/v1/login",
                {{QStringLiteral("email"), QString::fromLatin1(email)},
                    {QStringLiteral("password"), QStringLiteral("demo-pass-2026")}});
            QCOMPARE(login.status, 200);
            const QByteArray token = login.json().value(QStringLiteral("accessToken")).toString().toLatin1();
            QCOMPARE(http.get("/auth/v1/me", token).json().value(QStringLiteral("email")).toString(),
                QString::fromLatin1(email));
        }

        // Keys were generated owner-only.
        for (const char *key : {"/keys/jwt-signing.key", "/keys/secrets.key"}) {
            const auto perms = QFile::permissions(dir.path() + QLatin1String(key));
            QCOMPARE(perms & (QFile::ReadGroup | QFile::ReadOther | QFile::WriteGroup | QFile::WriteOther),
                QFileDevice::Permissions());
        }

        ::kill(pid_t(process.processId()), SIGTERM);
        QVERIFY(process.waitForFinished(15000));
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(process.exitCode(), 0);

        // A restart on the same data dir keeps the accounts and does not seed twice; tokens signed
        // before the restart stay valid because the key persisted.
        QProcess again;
        const quint16 port2 = start(again,
            {QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"), QStringLiteral("--data-dir"),
                dir.path(), QStringLiteral("--demo")});
        QVERIFY(port2 > 0);
        TestHttp http2(QStringLiteral("127.0.0.1"), port2);
        QCOMPARE(http2
                     .postJson("/auth/v1/login",
                         {{QStringLiteral("email"), QStringLiteral("admin@acme.demo")},
                             {QStringLiteral("password"), QStringLiteral("demo-pass-2026")}})
                     .status,
            200);
        again.terminate();
        QVERIFY(again.waitForFinished(15000));
        QCOMPARE(again.exitCode(), 0);
    }

    void badFlagsExitWithUsage_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("flags-unknown-01") << QStringList {QStringLiteral("--frobnicate")};
        QTest::newRow("flags-bad-listen-02")
            << QStringList {QStringLiteral("--listen"), QStringLiteral("nowhere")};
        QTest::newRow("flags-bad-port-03")
            << QStringList {QStringLiteral("--listen"), QStringLiteral("127.0.0.1:99999")};
        QTest::newRow("flags-bad-workers-04")
            << QStringList {QStringLiteral("--workers"), QStringLiteral("65")};
        QTest::newRow("flags-bad-database-05")
            << QStringList {QStringLiteral("--database"), QStringLiteral("mysql://x")};
        QTest::newRow("flags-missing-value-06") << QStringList {QStringLiteral("--data-dir")};
        QTest::newRow("flags-bad-sse-cap-07")
            << QStringList {QStringLiteral("--sse-max-streams-per-user"), QStringLiteral("0")};
        QTest::newRow("flags-bad-sse-send-buffer-08")
            << QStringList {QStringLiteral("--sse-send-buffer"), QStringLiteral("100")};
        QTest::newRow("flags-bad-sse-send-buffer-09")
            << QStringList {QStringLiteral("--sse-send-buffer"), QStringLiteral("8388608")};
    }
    void badFlagsExitWithUsage()
    {
        QFETCH(QStringList, args);
        QTemporaryDir dir;
        QProcess process;
        process.start(QStringLiteral(LM_SERVER_BINARY),
            QStringList {QStringLiteral("--data-dir=") + dir.path()} + args);
        QVERIFY(process.waitForFinished(15000));
        QVERIFY2(process.exitCode() != 0, "bad flags must not start a server");
        QVERIFY(!process.readAllStandardError().isEmpty());
    }

    void seedFillsAnEmptyStoreOnce()
    {
        QTemporaryDir dir;
        const auto seed = [&dir](const QStringList &flags) {
            QProcess process;
            process.start(QStringLiteral(LM_SERVER_BINARY),
                QStringList {QStringLiteral("seed")} + flags
                    + QStringList {QStringLiteral("--data-dir"), dir.path()});
            process.waitForFinished(120000);
            return process.exitCode();
        };
        QCOMPARE(
            seed({QStringLiteral("--tenants"), QStringLiteral("2"), QStringLiteral("--approvals-per-tenant"),
                QStringLiteral("40"), QStringLiteral("--activities-per-tenant"), QStringLiteral("30")}),
            0);
        // A store with data is refused (exit 1), a bad number is a usage error (exit 2).
        QCOMPARE(seed({QStringLiteral("--tenants"), QStringLiteral("1")}), 1);
        QCOMPARE(seed({QStringLiteral("--tenants"), QStringLiteral("zero")}), 2);

        QProcess process;
        const quint16 port = start(process,
            {QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"), QStringLiteral("--data-dir"),
                dir.path(), QStringLiteral("--workers"), QStringLiteral("0")});
        QVERIFY2(port > 0, process.readAllStandardError().constData());
        TestHttp http(QStringLiteral("127.0.0.1"), port);
        const auto login = [&http](const char *email) {
            return http.postJson("/auth/v1/login",
                {{QStringLiteral("email"), QString::fromLatin1(email)},
                    {QStringLiteral("password"), QStringLiteral("bench-pass-2026")}});
        };
        // Exactly the tenants asked for.
        QCOMPARE(login("admin@bench-1.test").status, 200);
        QCOMPARE(login("admin@bench-3.test").status, 401);
        const QByteArray token
            = login("admin@bench-2.test").json().value(QStringLiteral("accessToken")).toString().toLatin1();
        // 40 seeded approvals (about 30 % pending) besides the demo's own, each with linked activities.
        int total = 0;
        int pending = 0;
        for (const char *status : {"pending", "approved", "rejected", "expired"}) {
            const HttpReply page
                = http.get("/dashboard/v1/approvals?limit=100&filter[status]=" + QByteArray(status), token);
            QCOMPARE(page.status, 200);
            const QJsonArray items = page.json().value(QStringLiteral("data")).toArray();
            total += int(items.size());
            if (qstrcmp(status, "pending") == 0)
                pending = int(items.size());
            for (const QJsonValue &item : items)
                QVERIFY(!item.toObject().value(QStringLiteral("linkedActivities")).toArray().isEmpty());
        }
        QVERIFY2(total >= 40, qPrintable(QString::number(total)));
        QVERIFY2(pending >= 4 && pending < total, qPrintable(QString::number(pending)));
        ::kill(pid_t(process.processId()), SIGTERM);
        QVERIFY(process.waitForFinished(15000));
    }

    void portInUseIsAClearError()
    {
        QTemporaryDir dir1, dir2;
        QProcess first;
        const quint16 port = start(first,
            {QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"), QStringLiteral("--data-dir"),
                dir1.path()});
        QVERIFY(port > 0);
        QProcess second;
        second.start(QStringLiteral(LM_SERVER_BINARY),
            {QStringLiteral("--listen"), QStringLiteral("127.0.0.1:%1").arg(port),
                QStringLiteral("--data-dir"), dir2.path()});
        QVERIFY(second.waitForFinished(15000));
        QCOMPARE(second.exitCode(), 1);
        QVERIFY(second.readAllStandardError().contains("cannot listen"));
        first.terminate();
        QVERIFY(first.waitForFinished(15000));
    }
};

QTEST_GUILESS_MAIN(TestServerProcess)
#include "tst_serverprocess.moc"
