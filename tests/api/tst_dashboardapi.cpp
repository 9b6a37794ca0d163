// SPDX-License-Identifier: GPL-3.0-or-later
// Setup, request validation, roles and tenant isolation.
#include "tst_dashboardapi.h"

#include "api/cursor.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QMap>
#include <QSet>
#include <QTest>

using namespace lm;

namespace lm::test {

void TestDashboardApi::init()
{
    m_server = std::make_unique<TestServer>();
    QVERIFY2(m_server->error().isEmpty(), qPrintable(m_server->error()));
    QJsonObject answer;
    m_admin = m_server->login(QStringLiteral("admin@acme.demo"), &answer);
    m_acmeId = answer.value(QStringLiteral("user")).toObject().value(QStringLiteral("tenantId")).toString();
    m_adminUserId = answer.value(QStringLiteral("user")).toObject().value(QStringLiteral("id")).toString();
    m_member = m_server->login(QStringLiteral("member@acme.demo"), &answer);
    m_memberUserId = answer.value(QStringLiteral("user")).toObject().value(QStringLiteral("id")).toString();
    m_reviewer = m_server->login(QStringLiteral("reviewer@acme.demo"));
    m_globex = m_server->login(QStringLiteral("admin@globex.demo"), &answer);
    m_globexId = answer.value(QStringLiteral("user")).toObject().value(QStringLiteral("tenantId")).toString();
    QVERIFY(!m_admin.isEmpty() && !m_member.isEmpty() && !m_reviewer.isEmpty() && !m_globex.isEmpty());
}

void TestDashboardApi::cleanup()
{
    m_server.reset();
}

void TestDashboardApi::campaignValidation_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("issue");

    const auto with = [](const char *key, const QJsonValue &value) {
        QJsonObject o = QJsonDocument::fromJson(validBrief()).object();
        if (value.isUndefined())
            o.remove(QLatin1String(key));
        else
            o.insert(QLatin1String(key), value);
        return json(o);
    };
    const auto deliverable = [&with](const QJsonObject &d) { return with("deliverables", QJsonArray {d}); };
    const QJsonValue missing = QJsonValue(QJsonValue::Undefined);
    QTest::newRow("campaigns-name-missing-01") << with("name", missing) << "name"
                                               << "required";
    QTest::newRow("campaigns-name-type-02") << with("name", 5) << "name"
                                            << "must_be_string";
    QTest::newRow("campaigns-name-long-03") << with("name", QString(201, QLatin1Char('n'))) << "name"
                                            << "too_long";
    QTest::newRow("campaigns-name-blank-04") << with("name", QStringLiteral("   ")) << "name"
                                             << "required";
    QTest::newRow("campaigns-brief-missing-05") << with("brief", missing) << "brief"
                                                << "required";
    QTest::newRow("campaigns-brief-long-06") << with("brief", QString(20001, QLatin1Char('b'))) << "brief"
                                             << "too_long";
    QTest::newRow("campaigns-deliverables-missing-07") << with("deliverables", missing) << "deliverables"
                                                       << "required";
    QTest::newRow("campaigns-deliverables-empty-08") << with("deliverables", QJsonArray()) << "deliverables"
                                                     << "required";
    QTest::newRow("campaigns-deliverables-type-09")
        << with("deliverables", QStringLiteral("blog")) << "deliverables"
        << "must_be_array";
    QJsonArray many;
    for (int i = 0; i < 21; ++i)
        many.append(QJsonObject {
            {QStringLiteral("type"), QStringLiteral("blog_post")}, {QStringLiteral("quantity"), 1}});
    QTest::newRow("campaigns-deliverables-too-many-10") << with("deliverables", many) << "deliverables"
                                                        << "too_many";
    QTest::newRow("campaigns-deliverable-type-enum-11")
        << deliverable({{QStringLiteral("type"), QStringLiteral("podcast")}, {QStringLiteral("quantity"), 1}})
        << "deliverables[0].type"
        << "invalid";
    QTest::newRow("campaigns-deliverable-type-missing-12")
        << deliverable({{QStringLiteral("quantity"), 1}}) << "deliverables[0].type"
        << "required";
    QTest::newRow("campaigns-deliverable-quantity-zero-13") << deliverable(
        {{QStringLiteral("type"), QStringLiteral("blog_post")}, {QStringLiteral("quantity"), 0}})
                                                            << "deliverables[0].quantity"
                                                            << "out_of_range";
    QTest::newRow("campaigns-deliverable-quantity-big-14") << deliverable(
        {{QStringLiteral("type"), QStringLiteral("blog_post")}, {QStringLiteral("quantity"), 101}})
                                                           << "deliverables[0].quantity"
                                                           << "out_of_range";
    QTest::newRow("campaigns-deliverable-quantity-fraction-15") << deliverable(
        {{QStringLiteral("type"), QStringLiteral("blog_post")}, {QStringLiteral("quantity"), 1.5}})
                                                                << "deliverables[0].quantity"
                                                                << "must_be_integer";
    QTest::newRow("campaigns-deliverable-quantity-string-16")
        << deliverable({{QStringLiteral("type"), QStringLiteral("blog_post")},
               {QStringLiteral("quantity"), QStringLiteral("2")}})
        << "deliverables[0].quantity"
        << "must_be_integer";
    QJsonArray platforms;
    for (int i = 0; i < 21; ++i)
        platforms.append(QStringLiteral("p%1").arg(i));
    QTest::newRow("campaigns-deliverable-platforms-many-17")
        << deliverable({{QStringLiteral("type"), QStringLiteral("blog_post")},
               {QStringLiteral("quantity"), 1}, {QStringLiteral("platformIds"), platforms}})
        << "deliverables[0].platformIds"
        << "too_many";
    QTest::newRow("campaigns-deliverable-platforms-type-18")
        << deliverable({{QStringLiteral("type"), QStringLiteral("blog_post")},
               {QStringLiteral("quantity"), 1}, {QStringLiteral("platformIds"), QJsonArray {7}}})
        << "deliverables[0].platformIds[0]"
        << "must_be_string";
    QTest::newRow("campaigns-deliverable-template-type-19")
        << deliverable({{QStringLiteral("type"), QStringLiteral("blog_post")},
               {QStringLiteral("quantity"), 1}, {QStringLiteral("templateId"), 9}})
        << "deliverables[0].templateId"
        << "must_be_string";
    QTest::newRow("campaigns-deliverable-not-object-20")
        << with("deliverables", QJsonArray {QStringLiteral("blog_post")}) << "deliverables[0]"
        << "must_be_object";
    QTest::newRow("campaigns-budget-negative-21") << with("budgetCapUsd", -1) << "budgetCapUsd"
                                                  << "out_of_range";
    QTest::newRow("campaigns-budget-type-22") << with("budgetCapUsd", QStringLiteral("100")) << "budgetCapUsd"
                                              << "must_be_number";
    QTest::newRow("campaigns-start-date-bad-23")
        << with("startDate", QStringLiteral("2026-13-01")) << "startDate"
        << "invalid_date";
    QTest::newRow("campaigns-start-date-datetime-24")
        << with("startDate", QStringLiteral("2026-03-01T10:00:00Z")) << "startDate"
        << "invalid_date";
    QTest::newRow("campaigns-end-date-type-25") << with("endDate", 20260301) << "endDate"
                                                << "must_be_string";
    {
        QJsonObject o = QJsonDocument::fromJson(validBrief()).object();
        o.insert(QStringLiteral("startDate"), QStringLiteral("2026-05-01"));
        o.insert(QStringLiteral("endDate"), QStringLiteral("2026-04-30"));
        QTest::newRow("campaigns-end-before-start-26") << json(o) << "endDate"
                                                       << "before_start_date";
    }
    QJsonArray attachments;
    for (int i = 0; i < 21; ++i)
        attachments.append(QStringLiteral("f%1").arg(i));
    QTest::newRow("campaigns-attachments-many-27") << with("attachments", attachments) << "attachments"
                                                   << "too_many";
    QTest::newRow("campaigns-attachments-type-28")
        << with("attachments", QStringLiteral("f1")) << "attachments"
        << "must_be_array";
    QTest::newRow("campaigns-body-malformed-29") << QByteArray("{\"name\":") << "body"
                                                 << "malformed_json";
    QTest::newRow("campaigns-body-array-30") << QByteArray("[]") << "body"
                                             << "must_be_object";
}

void TestDashboardApi::campaignValidation()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, field);
    QFETCH(QString, issue);
    const HttpReply r = post("/dashboard/v1/campaigns", m_admin, body);
    QCOMPARE(r.status, 400);
    QCOMPARE(r.errorCode(), QStringLiteral("VALIDATION_ERROR"));
    bool found = false;
    for (const QJsonValue &d :
        r.json().value(QStringLiteral("error")).toObject().value(QStringLiteral("details")).toArray()) {
        const QJsonObject o = d.toObject();
        if (o.value(QStringLiteral("field")).toString() == field
            && o.value(QStringLiteral("issue")).toString() == issue)
            found = true;
    }
    QVERIFY2(found, r.body.constData());
    // Nothing was stored.
    auto page = store().campaigns.list(acme(), {}, {{}, 100, true});
    QVERIFY(page.ok());
    QCOMPARE(page->items.size(), 0);
}

void TestDashboardApi::queryValidation_data()
{
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("issue");
    QTest::newRow("query-limit-zero-01") << QByteArray("/dashboard/v1/campaigns?limit=0") << "limit"
                                         << "out_of_range";
    QTest::newRow("query-limit-big-02") << QByteArray("/dashboard/v1/activities?limit=101") << "limit"
                                        << "out_of_range";
    QTest::newRow("query-limit-text-03") << QByteArray("/dashboard/v1/approvals?limit=ten") << "limit"
                                         << "must_be_integer";
    QTest::newRow("query-order-04") << QByteArray("/dashboard/v1/campaigns?order=up") << "order"
                                    << "invalid";
    QTest::newRow("query-campaign-status-05")
        << QByteArray("/dashboard/v1/campaigns?filter[status]=sleeping") << "filter[status]"
        << "invalid";
    QTest::newRow("query-activity-status-06")
        << QByteArray("/dashboard/v1/activities?filter%5Bstatus%5D=sleeping") << "filter[status]"
        << "invalid";
    QTest::newRow("query-activity-wake-07")
        << QByteArray("/dashboard/v1/activities?filter[wakeReason]=because") << "filter[wakeReason]"
        << "invalid";
    QTest::newRow("query-approval-status-08")
        << QByteArray("/dashboard/v1/approvals?filter[status]=maybe") << "filter[status]"
        << "invalid";
    QTest::newRow("query-approval-type-09")
        << QByteArray("/dashboard/v1/approvals?filter[type]=vibes") << "filter[type]"
        << "invalid";
    QTest::newRow("query-approval-risk-10")
        << QByteArray("/dashboard/v1/approvals?filter[riskLevel]=extreme") << "filter[riskLevel]"
        << "invalid";
    QTest::newRow("query-cursor-garbage-11")
        << QByteArray("/dashboard/v1/campaigns?cursor=%%%garbage") << "cursor"
        << "invalid";
    QTest::newRow("query-cursor-base64-junk-12") << QByteArray("/dashboard/v1/activities?cursor=")
            + QByteArray("hello world")
                  .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals)
                                                 << "cursor"
                                                 << "invalid";
    QTest::newRow("query-cursor-tampered-13") << QByteArray("/dashboard/v1/approvals?cursor=")
            + QByteArray("v1.d.NOT-A-ULID-AT-ALL-XXXXXX")
                  .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals)
                                              << "cursor"
                                              << "invalid";
    QTest::newRow("query-cursor-version-14") << QByteArray("/dashboard/v1/campaigns?cursor=")
            + (QByteArray("v9.d.") + Ulid::generate().toLatin1())
                  .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals)
                                             << "cursor"
                                             << "invalid";
    QTest::newRow("query-cursor-order-mismatch-15") << QByteArray("/dashboard/v1/campaigns?order=asc&cursor=")
            + api::CursorCodec::encode({Ulid::generate(), true}).toLatin1()
                                                    << "cursor"
                                                    << "order_mismatch";
    QTest::newRow("query-filter-long-16")
        << QByteArray("/dashboard/v1/activities?filter[campaignId]=") + QByteArray(200, 'x')
        << "filter[campaignId]"
        << "too_long";
}

void TestDashboardApi::queryValidation()
{
    QFETCH(QByteArray, path);
    QFETCH(QString, field);
    QFETCH(QString, issue);
    const HttpReply r = get(path, m_member);
    QCOMPARE(r.status, 400);
    QCOMPARE(r.errorCode(), QStringLiteral("VALIDATION_ERROR"));
    QVERIFY2(detailFields(r).contains(field), r.body.constData());
    QVERIFY2(r.body.contains(issue.toLatin1()), r.body.constData());
}

void TestDashboardApi::access_data()
{
    QTest::addColumn<QString>("who");
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");

    const QByteArray approve = R"({"resolution":"approved"})";
    const QByteArray comment = R"({"text":"Looks good"})";
    QTest::newRow("roles-member-create-campaign-01")
        << "member" << QByteArray("POST") << QByteArray("/dashboard/v1/campaigns") << validBrief() << 403;
    QTest::newRow("roles-reviewer-create-campaign-02")
        << "reviewer" << QByteArray("POST") << QByteArray("/dashboard/v1/campaigns") << validBrief() << 403;
    QTest::newRow("roles-member-retry-03")
        << "member" << QByteArray("POST") << QByteArray("/dashboard/v1/activities/{failed}/retry")
        << QByteArray() << 403;
    QTest::newRow("roles-reviewer-retry-04")
        << "reviewer" << QByteArray("POST") << QByteArray("/dashboard/v1/activities/{failed}/retry")
        << QByteArray() << 403;
    QTest::newRow("roles-member-resolve-05")
        << "member" << QByteArray("POST") << QByteArray("/dashboard/v1/approvals/{approval}/resolve")
        << approve << 403;
    QTest::newRow("roles-reviewer-resolve-06")
        << "reviewer" << QByteArray("POST") << QByteArray("/dashboard/v1/approvals/{approval}/resolve")
        << approve << 200;
    QTest::newRow("roles-admin-resolve-07")
        << "admin" << QByteArray("POST") << QByteArray("/dashboard/v1/approvals/{approval}/resolve")
        << approve << 200;
    QTest::newRow("roles-member-comment-08")
        << "member" << QByteArray("POST") << QByteArray("/dashboard/v1/activities/{done}/comments") << comment
        << 201;
    QTest::newRow("roles-member-list-09")
        << "member" << QByteArray("GET") << QByteArray("/dashboard/v1/campaigns") << QByteArray() << 200;
    QTest::newRow("roles-reviewer-detail-10")
        << "reviewer" << QByteArray("GET") << QByteArray("/dashboard/v1/campaigns/{campaign}") << QByteArray()
        << 200;
    QTest::newRow("roles-no-token-11")
        << "" << QByteArray("GET") << QByteArray("/dashboard/v1/approvals") << QByteArray() << 401;
    QTest::newRow("roles-admin-retry-12")
        << "admin" << QByteArray("POST") << QByteArray("/dashboard/v1/activities/{failed}/retry")
        << QByteArray() << 202;

    // Another tenant's ids are not found, on every route that takes one.
    QTest::newRow("tenant-campaign-detail-13")
        << "globex" << QByteArray("GET") << QByteArray("/dashboard/v1/campaigns/{campaign}") << QByteArray()
        << 404;
    QTest::newRow("tenant-activity-detail-14")
        << "globex" << QByteArray("GET") << QByteArray("/dashboard/v1/activities/{done}") << QByteArray()
        << 404;
    QTest::newRow("tenant-activity-output-15")
        << "globex" << QByteArray("GET") << QByteArray("/dashboard/v1/activities/{done}/output")
        << QByteArray() << 404;
    QTest::newRow("tenant-activity-retry-16")
        << "globex" << QByteArray("POST") << QByteArray("/dashboard/v1/activities/{failed}/retry")
        << QByteArray() << 404;
    QTest::newRow("tenant-activity-comment-17")
        << "globex" << QByteArray("POST") << QByteArray("/dashboard/v1/activities/{done}/comments") << comment
        << 404;
    QTest::newRow("tenant-activity-comments-18")
        << "globex" << QByteArray("GET") << QByteArray("/dashboard/v1/activities/{done}/comments")
        << QByteArray() << 404;
    QTest::newRow("tenant-approval-detail-19")
        << "globex" << QByteArray("GET") << QByteArray("/dashboard/v1/approvals/{approval}") << QByteArray()
        << 404;
    QTest::newRow("tenant-approval-resolve-20")
        << "globex" << QByteArray("POST") << QByteArray("/dashboard/v1/approvals/{approval}/resolve")
        << approve << 404;
    QTest::newRow("notfound-campaign-21")
        << "admin" << QByteArray("GET") << QByteArray("/dashboard/v1/campaigns/01ARZ3NDEKTSV4RRFFQ69G5FAV")
        << QByteArray() << 404;
    QTest::newRow("tenant-campaign-deliverables-23")
        << "globex" << QByteArray("GET") << QByteArray("/dashboard/v1/campaigns/{campaign}/deliverables")
        << QByteArray() << 404;
    QTest::newRow("tenant-deliverable-activities-24")
        << "globex" << QByteArray("GET") << QByteArray("/dashboard/v1/deliverables/{deliverable}/activities")
        << QByteArray() << 404;
    QTest::newRow("roles-member-deliverables-25")
        << "member" << QByteArray("GET") << QByteArray("/dashboard/v1/campaigns/{campaign}/deliverables")
        << QByteArray() << 200;
    QTest::newRow("notfound-output-none-22")
        << "admin" << QByteArray("GET") << QByteArray("/dashboard/v1/activities/{failed}/output")
        << QByteArray() << 404;
}

void TestDashboardApi::access()
{
    QFETCH(QString, who);
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, path);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    const Fixture f = makeFixture();
    QVERIFY(!f.campaignId.isEmpty());
    const HttpReply r = call(method, expand(path, f), tokenFor(who), body);
    QVERIFY2(r.status == status, r.body.constData());
    if (status == 404 && who == QLatin1String("globex")) {
        QCOMPARE(r.errorCode(), QStringLiteral("NOT_FOUND"));
        // Nothing changed in acme.
        auto approval = store().approvals.find(acme(), f.approvalId);
        QVERIFY(approval.ok() && approval->has_value());
        QCOMPARE((*approval)->status, QStringLiteral("pending"));
        auto failed = store().activities.find(acme(), f.failedActivityId);
        QVERIFY(failed.ok() && failed->has_value());
        QCOMPARE((*failed)->status, QStringLiteral("failed"));
        auto comments = store().activities.comments(store::TenantScope::allTenants(), f.doneActivityId);
        QVERIFY(comments.ok());
        QCOMPARE(comments->size(), 0);
    }
    if (status == 403)
        QCOMPARE(r.errorCode(), QStringLiteral("FORBIDDEN"));
}

void TestDashboardApi::cursorCodec()
{
    const QString id = Ulid::generate();
    for (bool descending : {true, false}) {
        const QString text = api::CursorCodec::encode({id, descending});
        QVERIFY(!text.contains(id)); // opaque to clients
        auto back = api::CursorCodec::decode(text);
        QVERIFY(back.ok());
        QCOMPARE(back->lastId, id);
        QCOMPARE(back->descending, descending);
    }
    const QString good = api::CursorCodec::encode({id, true});
    QString flipped = good;
    flipped[2] = flipped[2] == QLatin1Char('A') ? QLatin1Char('B') : QLatin1Char('A');
    for (const QString &bad : {QString(), QStringLiteral("!!"), good + QStringLiteral("="), good.left(10),
             flipped, QString(200, QLatin1Char('A'))}) {
        auto decoded = api::CursorCodec::decode(bad);
        QVERIFY2(!decoded.ok(), qPrintable(bad));
        QCOMPARE(decoded.error().code, ErrorCode::ValidationError);
        QCOMPARE(decoded.error().details.first().field, QStringLiteral("cursor"));
    }
}

void TestDashboardApi::auditTrail()
{
    const Fixture f = makeFixture();
    TestHttp::Headers headers {{"Authorization", "Bearer " + m_admin}, {"X-Request-Id", "trace-retry-1"}};
    const HttpReply r = m_server->http().request(
        "POST", "/dashboard/v1/activities/" + f.failedActivityId.toLatin1() + "/retry", {}, headers);
    QCOMPARE(r.status, 202);
    auto rows = store().audit.list(acme(), QStringLiteral("activity.retried"));
    QVERIFY(rows.ok() && rows->size() == 1);
    const store::AuditEntry &e = rows->first();
    QCOMPARE(e.requestId, QStringLiteral("trace-retry-1"));
    QCOMPARE(e.actorId, m_adminUserId);
    QCOMPARE(e.ip, QStringLiteral("127.0.0.1"));
    QCOMPARE(e.targetType, QStringLiteral("activity"));
    const QJsonObject status = e.changes.value(QStringLiteral("status")).toObject();
    QCOMPARE(status.value(QStringLiteral("from")).toString(), QStringLiteral("failed"));
    QCOMPARE(status.value(QStringLiteral("to")).toString(), QStringLiteral("assigned"));
    QCOMPARE(e.changes.value(QStringLiteral("runId")).toObject().value(QStringLiteral("to")).toString(),
        r.json().value(QStringLiteral("runId")).toString());
    // Reads are not audited; the alias filter.name works like filter[name].
    const QJsonArray failed = get("/dashboard/v1/activities?filter.status=done", m_member)
                                  .json()
                                  .value(QStringLiteral("data"))
                                  .toArray();
    QCOMPARE(failed.size(), 1);
    QCOMPARE(failed.first().toObject().value(QStringLiteral("id")).toString(), f.doneActivityId);
}

} // namespace lm::test

QTEST_GUILESS_MAIN(lm::test::TestDashboardApi)
