// SPDX-License-Identifier: GPL-3.0-or-later
#include "api/json.h"
#include "api/router.h"

#include <QTest>

using namespace lm;
using namespace lm::api;

namespace {
RouteHandler named(const char *name)
{
    return [name](RequestContext &) -> Result<HttpResponse> {
        HttpResponse r;
        r.body = name;
        return r;
    };
}
} // namespace

class TestRouter : public QObject
{
    Q_OBJECT

    Router m_router;

private Q_SLOTS:
    void initTestCase()
    {
        const auto any = AccessPolicy::anyAccount();
        QVERIFY(m_router.add({HttpMethod::Get, "/dashboard/v1/campaigns", any, named("list")}).ok());
        QVERIFY(m_router.add({HttpMethod::Post, "/dashboard/v1/campaigns", any, named("create")}).ok());
        QVERIFY(m_router.add({HttpMethod::Get, "/dashboard/v1/campaigns/:campaignId", any, named("detail")})
                    .ok());
        QVERIFY(m_router.add({HttpMethod::Patch, "/dashboard/v1/campaigns/:campaignId", any, named("patch")})
                    .ok());
        QVERIFY(m_router
                    .add({HttpMethod::Get, "/dashboard/v1/campaigns/:campaignId/deliverables", any,
                        named("deliverables")})
                    .ok());
        QVERIFY(m_router.add({HttpMethod::Get, "/dashboard/v1/campaigns/stats", any, named("stats")}).ok());
        QVERIFY(m_router
                    .add({HttpMethod::Get, "/dashboard/v1/campaigns/:campaignId/deliverables/:deliverableId",
                        any, named("deliverable")})
                    .ok());
        QVERIFY(m_router.add({HttpMethod::Post, "/dm/v1/approvals/bulk/resolve", any, named("bulk")}).ok());
        QVERIFY(m_router.add({HttpMethod::Post, "/dm/v1/approvals/:id/resolve", any, named("resolve")}).ok());
        QVERIFY(m_router.add({HttpMethod::Get, "/", any, named("root")}).ok());
    }

    void lookup_data()
    {
        QTest::addColumn<QString>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<int>("outcome");
        QTest::addColumn<QString>("handler");
        QTest::addColumn<QString>("params");
        QTest::addColumn<QString>("allow");
        using O = Router::Outcome;
        QTest::newRow("route-static-01") << "GET"
                                         << "/dashboard/v1/campaigns" << int(O::Found) << "list"
                                         << ""
                                         << "";
        QTest::newRow("route-method-02") << "POST"
                                         << "/dashboard/v1/campaigns" << int(O::Found) << "create"
                                         << ""
                                         << "";
        QTest::newRow("route-param-03") << "GET"
                                        << "/dashboard/v1/campaigns/01ABC" << int(O::Found) << "detail"
                                        << "campaignId=01ABC"
                                        << "";
        QTest::newRow("route-static-beats-param-04")
            << "GET"
            << "/dashboard/v1/campaigns/stats" << int(O::Found) << "stats"
            << ""
            << "";
        QTest::newRow("route-nested-05")
            << "GET"
            << "/dashboard/v1/campaigns/c1/deliverables/d2" << int(O::Found) << "deliverable"
            << "campaignId=c1,deliverableId=d2"
            << "";
        QTest::newRow("route-backtrack-06") << "POST"
                                            << "/dm/v1/approvals/bulk/resolve" << int(O::Found) << "bulk"
                                            << ""
                                            << "";
        QTest::newRow("route-backtrack-07") << "POST"
                                            << "/dm/v1/approvals/a1/resolve" << int(O::Found) << "resolve"
                                            << "id=a1"
                                            << "";
        QTest::newRow("route-decoded-param-08")
            << "GET"
            << "/dashboard/v1/campaigns/a%20b" << int(O::Found) << "detail"
            << "campaignId=a b"
            << "";
        QTest::newRow("route-404-encoded-slash-param-08b")
            << "PATCH"
            << "/dashboard/v1/campaigns/01HZX3K6%2F2V5W7" << int(O::NotFound) << ""
            << ""
            << "";
        QTest::newRow("route-head-is-get-09") << "HEAD"
                                              << "/dashboard/v1/campaigns" << int(O::Found) << "list"
                                              << ""
                                              << "";
        QTest::newRow("route-root-10") << "GET"
                                       << "/" << int(O::Found) << "root"
                                       << ""
                                       << "";
        QTest::newRow("route-405-11") << "DELETE"
                                      << "/dashboard/v1/campaigns" << int(O::MethodNotAllowed) << ""
                                      << ""
                                      << "GET, HEAD, POST";
        QTest::newRow("route-405-param-12") << "PUT"
                                            << "/dashboard/v1/campaigns/x" << int(O::MethodNotAllowed) << ""
                                            << ""
                                            << "GET, HEAD, PATCH";
        QTest::newRow("route-404-13") << "GET"
                                      << "/dashboard/v1/nothing" << int(O::NotFound) << ""
                                      << ""
                                      << "";
        QTest::newRow("route-404-prefix-14") << "GET"
                                             << "/dashboard/v1" << int(O::NotFound) << ""
                                             << ""
                                             << "";
        QTest::newRow("route-404-trailing-slash-15") << "GET"
                                                     << "/dashboard/v1/campaigns/" << int(O::NotFound) << ""
                                                     << ""
                                                     << "";
        QTest::newRow("route-404-double-slash-16") << "GET"
                                                   << "/dashboard//v1/campaigns" << int(O::NotFound) << ""
                                                   << ""
                                                   << "";
        QTest::newRow("route-404-too-deep-17")
            << "GET"
            << "/dashboard/v1/campaigns/c/deliverables/d/x" << int(O::NotFound) << ""
            << ""
            << "";
        QTest::newRow("route-404-relative-18") << "GET"
                                               << "dashboard/v1/campaigns" << int(O::NotFound) << ""
                                               << ""
                                               << "";
    }
    void lookup()
    {
        QFETCH(QString, method);
        QFETCH(QString, path);
        QFETCH(int, outcome);
        QFETCH(QString, handler);
        QFETCH(QString, params);
        QFETCH(QString, allow);
        const auto found = m_router.lookup(parseMethod(method.toStdString()), path.toStdString());
        QCOMPARE(int(found.outcome), outcome);
        QCOMPARE(QString::fromStdString(found.allow), allow);
        if (found.outcome != Router::Outcome::Found)
            return;
        const HttpRequest request;
        RequestContext ctx {request, {}, {}, {}, 0, nullptr, {}, {}};
        QCOMPARE(QString::fromStdString(found.route->handler(ctx)->body), handler);
        QStringList got;
        for (const auto &[k, v] : found.params)
            got.append(QString::fromStdString(k + "=" + v));
        QCOMPARE(got.join(QLatin1Char(',')), params);
    }

    void registrationIsChecked_data()
    {
        QTest::addColumn<int>("method");
        QTest::addColumn<QString>("pattern");
        QTest::addColumn<bool>("withAccess");
        QTest::addColumn<bool>("withHandler");
        QTest::newRow("register-no-access-01") << int(HttpMethod::Get) << "/x/unprotected" << false << true;
        QTest::newRow("register-no-handler-02") << int(HttpMethod::Get) << "/x/nohandler" << true << false;
        QTest::newRow("register-duplicate-03")
            << int(HttpMethod::Get) << "/dashboard/v1/campaigns" << true << true;
        QTest::newRow("register-param-rename-04")
            << int(HttpMethod::Delete) << "/dashboard/v1/campaigns/:id" << true << true;
        QTest::newRow("register-empty-segment-05") << int(HttpMethod::Get) << "/x//y" << true << true;
        QTest::newRow("register-no-slash-06") << int(HttpMethod::Get) << "x/y" << true << true;
        QTest::newRow("register-unnamed-param-07") << int(HttpMethod::Get) << "/x/:" << true << true;
        QTest::newRow("register-head-08") << int(HttpMethod::Head) << "/x/head" << true << true;
    }
    void registrationIsChecked()
    {
        QFETCH(int, method);
        QFETCH(QString, pattern);
        QFETCH(bool, withAccess);
        QFETCH(bool, withHandler);
        RouteSpec spec {HttpMethod(method), pattern.toStdString(),
            withAccess ? std::optional<AccessPolicy>(AccessPolicy::open()) : std::nullopt,
            withHandler ? named("x") : RouteHandler()};
        const std::size_t before = m_router.routes().size();
        const auto added = m_router.add(std::move(spec));
        QVERIFY(!added.ok());
        QCOMPARE(added.error().code, ErrorCode::Internal);
        QVERIFY(added.error().message.contains(pattern));
        QCOMPARE(m_router.routes().size(), before);
    }

    void errorEnvelopeShape()
    {
        ApiError e = ApiError::validation(QStringLiteral("note"), QStringLiteral("required"));
        const HttpResponse r = errorResponse(e, QStringLiteral("req_1"));
        QCOMPARE(r.status, 400);
        QCOMPARE(r.header("Content-Type"), std::string_view("application/json"));
        QCOMPARE(QString::fromStdString(r.body),
            QStringLiteral(
                R"({"error":{"code":"VALIDATION_ERROR","details":[{"field":"note","issue":"required"}],)"
                R"("message":"The request is not valid","requestId":"req_1"}})"));
    }
};

QTEST_GUILESS_MAIN(TestRouter)
#include "tst_router.moc"
