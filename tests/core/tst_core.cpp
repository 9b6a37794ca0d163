// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/apierror.h"
#include "core/result.h"
#include "core/roles.h"
#include "core/ulid.h"

#include <QSet>
#include <QTest>

using namespace lm;

class TestCore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void ulidShapeAndTime()
    {
        const QDateTime t = QDateTime::fromMSecsSinceEpoch(1700000000123, Qt::UTC);
        const QString id = Ulid::generate(t);
        QCOMPARE(id.size(), 26);
        QVERIFY(Ulid::isValid(id));
        QCOMPARE(Ulid::timestampMs(id), 1700000000123);
    }

    void ulidSortsInCreationOrderWithinOneMillisecond()
    {
        const QDateTime t = QDateTime::currentDateTimeUtc();
        QStringList ids;
        for (int i = 0; i < 1000; ++i)
            ids.append(Ulid::generate(t));
        QStringList sorted = ids;
        sorted.sort();
        QCOMPARE(sorted, ids);
        QCOMPARE(QSet<QString>(ids.begin(), ids.end()).size(), 1000);
    }

    void ulidRejectsMalformed_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("ulid-empty-01") << QString();
        QTest::newRow("ulid-short-02") << QStringLiteral("01ARZ3NDEKTSV4RRFFQ69G5FA");
        QTest::newRow("ulid-letter-u-03") << QStringLiteral("01ARZ3NDEKTSV4RRFFQ69G5FAU");
        QTest::newRow("ulid-overflow-04") << QStringLiteral("81ARZ3NDEKTSV4RRFFQ69G5FAV");
        QTest::newRow("ulid-sql-05") << QStringLiteral("01ARZ3NDEKTSV4RRF'Q69G5FAV");
    }
    void ulidRejectsMalformed()
    {
        QFETCH(QString, text);
        QVERIFY(!Ulid::isValid(text));
        QCOMPARE(Ulid::timestampMs(text), -1);
    }

    void errorCodesMapToStatuses_data()
    {
        QTest::addColumn<int>("code");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("name");
        QTest::newRow("error-validation-01") << int(ErrorCode::ValidationError) << 400 << "VALIDATION_ERROR";
        QTest::newRow("error-unauthorized-02") << int(ErrorCode::Unauthorized) << 401 << "UNAUTHORIZED";
        QTest::newRow("error-forbidden-03") << int(ErrorCode::Forbidden) << 403 << "FORBIDDEN";
        QTest::newRow("error-notfound-04") << int(ErrorCode::NotFound) << 404 << "NOT_FOUND";
        QTest::newRow("error-conflict-05") << int(ErrorCode::Conflict) << 409 << "CONFLICT";
        QTest::newRow("error-toolarge-06") << int(ErrorCode::PayloadTooLarge) << 413 << "PAYLOAD_TOO_LARGE";
        QTest::newRow("error-unprocessable-07") << int(ErrorCode::Unprocessable) << 422 << "UNPROCESSABLE";
        QTest::newRow("error-ratelimited-08") << int(ErrorCode::RateLimited) << 429 << "RATE_LIMITED";
        QTest::newRow("error-internal-09") << int(ErrorCode::Internal) << 500 << "INTERNAL";
        QTest::newRow("error-headers-10") << int(ErrorCode::HeadersTooLarge) << 431 << "HEADERS_TOO_LARGE";
    }
    void errorCodesMapToStatuses()
    {
        QFETCH(int, code);
        QFETCH(int, status);
        QFETCH(QString, name);
        QCOMPARE(httpStatusFor(ErrorCode(code)), status);
        QCOMPARE(errorCodeName(ErrorCode(code)), name);
    }

    void resultCarriesValueOrError()
    {
        Result<int> good(42);
        QVERIFY(good.ok());
        QCOMPARE(*good, 42);
        Result<int> bad(ApiError::notFound());
        QVERIFY(!bad.ok());
        QCOMPARE(bad.error().httpStatus(), 404);
        Result<void> none;
        QVERIFY(none.ok());
    }

    void rolesAndSurfacesRoundTrip()
    {
        for (Role r : {Role::Admin, Role::Member, Role::Reviewer, Role::DmReviewer, Role::SuperAdmin})
            QCOMPARE(parseRole(roleName(r)), std::optional<Role>(r));
        QVERIFY(!parseRole(u"root").has_value());
        const auto set = SurfaceSet::parse({QStringLiteral("dm"), QStringLiteral("cli")});
        QVERIFY(set && set->contains(Surface::Dm) && set->contains(Surface::Cli)
            && !set->contains(Surface::Manage));
        QVERIFY(!SurfaceSet::parse({QStringLiteral("everything")}));
        QVERIFY(RoleSet({Role::Admin}).contains(Role::Admin));
        QVERIFY(!RoleSet({Role::Admin}).contains(Role::Member));
    }
};

QTEST_GUILESS_MAIN(TestCore)
#include "tst_core.moc"
