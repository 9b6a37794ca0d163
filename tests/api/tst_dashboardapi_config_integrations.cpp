// SPDX-License-Identifier: GPL-3.0-or-later
// Integrations: validation, keys sealed and masked, health checks against loopback fakes of the
// providers (each in its own protocol), updates and deletion.
#include "tst_dashboardapi_config.h"

#include "auth/secretbox.h"
#include "fakellmserver.h"

#include <QFile>
#include <QTcpServer>

using namespace lm;

namespace lm::test {

namespace {
quint16 unusedPort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0))
        return 0;
    const quint16 port = server.serverPort();
    server.close();
    return port;
}

QJsonObject sendgrid(const QString &key)
{
    return {{QStringLiteral("integrationType"), QStringLiteral("sendgrid")},
        {QStringLiteral("name"), QStringLiteral("Newsletters")}, {QStringLiteral("apiKey"), key}};
}
} // namespace

void TestConfigApi::integrationValidation_data()
{
    QTest::addColumn<QJsonObject>("body");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("issue");
    const QJsonObject good = sendgrid(QStringLiteral("SG.valid-key-000000000000"));
    const auto with = [&good](const char *key, const QJsonValue &v) {
        QJsonObject o = good;
        if (v.isUndefined())
            o.remove(QLatin1String(key));
        else
            o.insert(QLatin1String(key), v);
        return o;
    };
    const QJsonValue missing(QJsonValue::Undefined);
    QTest::newRow("integrations-type-missing-01") << with("integrationType", missing) << "integrationType"
                                                  << "required";
    QTest::newRow("integrations-type-enum-02")
        << with("integrationType", QStringLiteral("mailchimp")) << "integrationType"
        << "invalid";
    QTest::newRow("integrations-name-missing-03") << with("name", missing) << "name"
                                                  << "required";
    QTest::newRow("integrations-name-long-04") << with("name", QString(201, QLatin1Char('n'))) << "name"
                                               << "too_long";
    QTest::newRow("integrations-key-missing-05") << with("apiKey", missing) << "apiKey"
                                                 << "required";
    QTest::newRow("integrations-key-type-06") << with("apiKey", 12345) << "apiKey"
                                              << "must_be_string";
    QTest::newRow("integrations-key-long-07") << with("apiKey", QString(4097, QLatin1Char('k'))) << "apiKey"
                                              << "too_long";
    QTest::newRow("integrations-secret-type-08") << with("apiSecret", 5) << "apiSecret"
                                                 << "must_be_string";
    QTest::newRow("integrations-extra-type-09") << with("extraConfig", QStringLiteral("x")) << "extraConfig"
                                                << "must_be_object";
    QTest::newRow("integrations-extra-url-10") << with(
        "extraConfig", QJsonObject {{QStringLiteral("baseUrl"), QStringLiteral("ftp://files.example")}})
                                               << "extraConfig.baseUrl"
                                               << "invalid";
    QJsonObject custom = good;
    custom.insert(QStringLiteral("integrationType"), QStringLiteral("custom"));
    QTest::newRow("integrations-custom-url-11") << custom << "extraConfig.baseUrl"
                                                << "required";
    QTest::newRow("integrations-extra-path-12")
        << with("extraConfig", QJsonObject {{QStringLiteral("healthPath"), QStringLiteral("status")}})
        << "extraConfig.healthPath"
        << "invalid";
}

void TestConfigApi::integrationValidation()
{
    QFETCH(QJsonObject, body);
    QFETCH(QString, field);
    QFETCH(QString, issue);
    const HttpReply r = call("POST", "/dashboard/v1/integrations", m_member, json(body));
    QCOMPARE(r.status, 400);
    QCOMPARE(r.errorCode(), QStringLiteral("VALIDATION_ERROR"));
    QVERIFY2(hasIssue(r, field, issue), r.body.constData());
    QVERIFY(store().integrations.list(acme())->isEmpty());
}

void TestConfigApi::integrationKeysStayHidden()
{
    const QString key = QStringLiteral("SG.live-4f1c9a77b2e04d-secretpart-WXYZ");
    const QString secret = QStringLiteral("dfs-password-never-shown");
    HttpReply r = call("POST", "/dashboard/v1/integrations", m_member,
        json({{QStringLiteral("integrationType"), QStringLiteral("dataforseo")},
            {QStringLiteral("name"), QStringLiteral("Rank data")}, {QStringLiteral("apiKey"), key},
            {QStringLiteral("apiSecret"), secret},
            {QStringLiteral("extraConfig"),
                QJsonObject {{QStringLiteral("location"), QStringLiteral("Leeds")}}}}),
        {{"X-Request-Id", "trace-integration-1"}});
    QCOMPARE(r.status, 201);
    QVERIFY(!r.body.contains(key.toUtf8()) && !r.body.contains(secret.toUtf8()));
    const QJsonObject created = r.json();
    QCOMPARE(created.value(QStringLiteral("apiKey")).toString(), QStringLiteral("****WXYZ"));
    QCOMPARE(created.value(QStringLiteral("hasApiSecret")).toBool(), true);
    QCOMPARE(created.value(QStringLiteral("status")).toString(), QStringLiteral("connected"));
    QVERIFY(created.value(QStringLiteral("lastVerifiedAt")).isNull());
    QVERIFY(created.value(QStringLiteral("errorMessage")).isNull());
    QCOMPARE(created.value(QStringLiteral("isActive")).toBool(), true);
    QCOMPARE(created.value(QStringLiteral("integrationType")).toString(), QStringLiteral("dataforseo"));
    const QString id = created.value(QStringLiteral("id")).toString();

    // A short key shows the mask alone.
    r = call("POST", "/dashboard/v1/integrations", m_admin, json(sendgrid(QStringLiteral("short-key"))));
    QCOMPARE(r.status, 201);
    QCOMPARE(r.json().value(QStringLiteral("apiKey")).toString(), QStringLiteral("****"));

    const HttpReply list = call("GET", "/dashboard/v1/integrations", m_reviewer);
    QCOMPARE(list.status, 200);
    QCOMPARE(list.json().value(QStringLiteral("data")).toArray().size(), 2);
    QVERIFY(!list.body.contains(key.toUtf8()) && !list.body.contains("short-key"));
    QVERIFY(!call("GET", "/dashboard/v1/integrations", m_globex).body.contains(id.toLatin1()));

    // Sealed at rest: the row holds neither in clear, and the secret box opens the key again.
    auto row = store().integrations.find(acme(), id);
    QVERIFY(row.ok() && row->has_value());
    QCOMPARE(
        m_server->host().auth().secretBox().open((*row)->apiKeySealed).value_or(QByteArray()), key.toUtf8());
    QCOMPARE(m_server->host().auth().secretBox().open((*row)->apiSecretSealed).value_or(QByteArray()),
        secret.toUtf8());
    for (const QString &table : {QStringLiteral("integrations"), QStringLiteral("audit_log")}) {
        const QString text = tableText(table);
        QVERIFY2(!text.contains(key) && !text.contains(secret) && !text.contains(QStringLiteral("short-key")),
            qPrintable(table));
    }
    auto audit = store().audit.list(acme(), QStringLiteral("integration.created"));
    QCOMPARE(audit->size(), 2);
    const store::AuditEntry &first = audit->last();
    QCOMPARE(first.requestId, QStringLiteral("trace-integration-1"));
    QCOMPARE(first.actorId, m_memberUserId);
    QCOMPARE(first.changes.value(QStringLiteral("apiKey")).toObject().value(QStringLiteral("to")).toString(),
        QStringLiteral("****WXYZ"));
    // Never logged: the access log has the requests but not the keys.
    m_server->host().stop();
    QFile log(m_server->dataDir() + QStringLiteral("/logs/access.log"));
    QVERIFY(log.open(QIODevice::ReadOnly));
    const QByteArray logged = log.readAll();
    QVERIFY(logged.contains("/dashboard/v1/integrations"));
    QVERIFY(!logged.contains(key.toUtf8()) && !logged.contains(secret.toUtf8()));
}

void TestConfigApi::integrationTest_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("secret");
    QTest::addColumn<QJsonObject>("extra");
    QTest::addColumn<int>("replyStatus");
    QTest::addColumn<QByteArray>("replyBody");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("status");
    QTest::addColumn<QString>("path"); ///< the request the fake must have seen (prefix); empty: none
    QTest::addColumn<QByteArray>("header"); ///< "name: value" it must have carried
    const QString key = QStringLiteral("key-0123456789-ABCD");
    const QByteArray bearer = "authorization: Bearer " + key.toUtf8();
    const auto row = [](const char *name, const char *type, const QString &secret, const QJsonObject &extra,
                         int replyStatus, const QByteArray &body, bool ok, const char *status,
                         const char *path, const QByteArray &header) {
        QTest::newRow(name) << QString::fromLatin1(type) << secret << extra << replyStatus << body << ok
                            << QString::fromLatin1(status) << QString::fromLatin1(path) << header;
    };
    row("integrations-test-sendgrid-ok-01", "sendgrid", {}, {}, 200, R"({"scopes":["mail.send"]})", true,
        "connected", "/v3/scopes", bearer);
    row("integrations-test-sendgrid-rejected-02", "sendgrid", {}, {}, 401,
        R"({"errors":[{"field":null,"message":"The provided authorization grant is invalid, expired, or revoked"}]})",
        false, "error", "/v3/scopes", bearer);
    row("integrations-test-sendgrid-limited-03", "sendgrid", {}, {}, 429,
        R"({"errors":[{"message":"too many requests"}]})", false, "quota_exceeded", "/v3/scopes", bearer);
    row("integrations-test-semrush-ok-04", "semrush", {}, {}, 200, "15000", true, "connected",
        "/users/countapiunits.html?key=key-0123456789-ABCD", {});
    row("integrations-test-semrush-empty-05", "semrush", {}, {}, 200, "0", false, "quota_exceeded",
        "/users/countapiunits.html", {});
    row("integrations-test-semrush-wrong-06", "semrush", {}, {}, 200, "ERROR 120 :: WRONG KEY - ID PAIR",
        false, "error", "/users/countapiunits.html", {});
    row("integrations-test-dataforseo-ok-07", "dataforseo", QStringLiteral("pw-1"), {}, 200,
        R"({"status_code":20000,"status_message":"Ok.","tasks":[{"result":[{"login":"x","money":{"balance":12.5}}]}]})",
        true, "connected", "/v3/appendix/user_data",
        "authorization: Basic " + (key.toUtf8() + ":pw-1").toBase64());
    row("integrations-test-dataforseo-spent-08", "dataforseo", QStringLiteral("pw-1"), {}, 200,
        R"({"status_code":20000,"status_message":"Ok.","tasks":[{"result":[{"money":{"balance":0}}]}]})",
        false, "quota_exceeded", "/v3/appendix/user_data", {});
    row("integrations-test-meta-expired-09", "meta_ads_api", {}, {}, 400,
        R"({"error":{"message":"Error validating access token","type":"OAuthException","code":190}})", false,
        "expired", "/v19.0/me?", {});
    row("integrations-test-ahrefs-ok-10", "ahrefs", {}, {}, 200,
        R"({"limits_and_usage":{"units_usage_api_key":10}})", true, "connected",
        "/v3/subscription-info/limits-and-usage", bearer);
    row("integrations-test-google-ok-11", "google_ads_api", QStringLiteral("ya29.oauth-token"), {}, 200,
        R"({"resourceNames":["customers/1234567890"]})", true, "connected",
        "/v17/customers:listAccessibleCustomers", "developer-token: " + key.toUtf8());
    row("integrations-test-custom-ok-12", "custom", {},
        {{QStringLiteral("healthPath"), QStringLiteral("/status")}}, 200, R"({"status":"up"})", true,
        "connected", "/status", bearer);
    row("integrations-test-google-no-token-13", "google_ads_api", {}, {}, 200, {}, false, "error", "", {});
    row("integrations-test-unreachable-14", "sendgrid", {},
        {{QStringLiteral("baseUrl"), QStringLiteral("closed")}}, 200, {}, false, "error", "", {});
}

void TestConfigApi::integrationTest()
{
    QFETCH(QString, type);
    QFETCH(QString, secret);
    QFETCH(QJsonObject, extra);
    QFETCH(int, replyStatus);
    QFETCH(QByteArray, replyBody);
    QFETCH(bool, ok);
    QFETCH(QString, status);
    QFETCH(QString, path);
    QFETCH(QByteArray, header);
    const QString key = QStringLiteral("key-0123456789-ABCD");

    FakeLlmServer fake; // a provider on loopback: it answers with the scripted reply
    fake.enqueue({replyStatus, {{"Content-Type", "application/json"}}, {replyBody}, 0});
    if (extra.value(QStringLiteral("baseUrl")).toString() == QLatin1String("closed"))
        extra.insert(QStringLiteral("baseUrl"), QStringLiteral("http://127.0.0.1:%1").arg(unusedPort()));
    else
        extra.insert(QStringLiteral("baseUrl"), fake.baseUrl());
    QJsonObject body {{QStringLiteral("integrationType"), type},
        {QStringLiteral("name"), QStringLiteral("Checked")}, {QStringLiteral("apiKey"), key},
        {QStringLiteral("extraConfig"), extra}};
    if (!secret.isEmpty())
        body.insert(QStringLiteral("apiSecret"), secret);
    const QString id = createIntegration(body);
    QVERIFY(!id.isEmpty());

    const HttpReply r = call("POST", "/dashboard/v1/integrations/" + id.toLatin1() + "/test", m_member);
    QCOMPARE(r.status, 200);
    const QJsonObject answer = r.json();
    QVERIFY2(answer.value(QStringLiteral("ok")).toBool() == ok, r.body.constData());
    QCOMPARE(answer.value(QStringLiteral("status")).toString(), status);
    QVERIFY(!answer.value(QStringLiteral("message")).toString().isEmpty());
    QVERIFY2(!r.body.contains(key.toUtf8()), r.body.constData());

    const QList<FakeRequest> seen = fake.requests();
    if (path.isEmpty()) {
        QVERIFY(seen.isEmpty());
    } else {
        QCOMPARE(seen.size(), 1);
        QCOMPARE(seen.first().method, QByteArray("GET"));
        QVERIFY2(seen.first().path.startsWith(path.toUtf8()), seen.first().path.constData());
        if (!header.isEmpty()) {
            const qsizetype colon = header.indexOf(": ");
            QCOMPARE(seen.first().headers.value(header.left(colon)), header.mid(colon + 2));
        }
    }
    // The outcome is kept: the list shows it, and the check is audited.
    const QJsonArray list
        = call("GET", "/dashboard/v1/integrations", m_admin).json().value(QStringLiteral("data")).toArray();
    QCOMPARE(list.size(), 1);
    const QJsonObject item = list.first().toObject();
    QCOMPARE(item.value(QStringLiteral("status")).toString(), status);
    QCOMPARE(item.value(QStringLiteral("lastVerifiedAt")).isNull(), !ok);
    QCOMPARE(item.value(QStringLiteral("errorMessage")).isNull(), ok);
    if (!ok)
        QVERIFY(!item.value(QStringLiteral("errorMessage")).toString().contains(key));
    auto audit = store().audit.list(acme(), QStringLiteral("integration.tested"));
    QCOMPARE(audit->size(), 1);
    QCOMPARE(audit->first()
                 .changes.value(QStringLiteral("status"))
                 .toObject()
                 .value(QStringLiteral("to"))
                 .toString(),
        status);
}

void TestConfigApi::integrationUpdateAndDelete()
{
    FakeLlmServer fake;
    fake.enqueue({401, {{"Content-Type", "application/json"}}, {R"({"errors":[{"message":"bad key"}]})"}, 0});
    QJsonObject body = sendgrid(QStringLiteral("SG.old-key-00000000-OLD1"));
    body.insert(QStringLiteral("extraConfig"), QJsonObject {{QStringLiteral("baseUrl"), fake.baseUrl()}});
    const QString id = createIntegration(body);
    const QByteArray path = "/dashboard/v1/integrations/" + id.toLatin1();
    QCOMPARE(call("POST", path + "/test", m_admin).json().value(QStringLiteral("status")).toString(),
        QStringLiteral("error"));

    // Renaming keeps the verdict; a new key clears it.
    HttpReply r = call("PATCH", path, m_member, R"({"name":"Transactional mail","isActive":false})");
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json().value(QStringLiteral("name")).toString(), QStringLiteral("Transactional mail"));
    QCOMPARE(r.json().value(QStringLiteral("isActive")).toBool(), false);
    QCOMPARE(r.json().value(QStringLiteral("status")).toString(), QStringLiteral("error"));
    r = call("PATCH", path, m_member, R"({"apiKey":"SG.new-key-11111111-NEW2"})");
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json().value(QStringLiteral("apiKey")).toString(), QStringLiteral("****NEW2"));
    QCOMPARE(r.json().value(QStringLiteral("status")).toString(), QStringLiteral("connected"));
    QVERIFY(r.json().value(QStringLiteral("errorMessage")).isNull());
    QVERIFY(!r.body.contains("SG.new-key"));
    auto row = store().integrations.find(acme(), id);
    QCOMPARE(m_server->host().auth().secretBox().open((*row)->apiKeySealed).value_or(QByteArray()),
        QByteArray("SG.new-key-11111111-NEW2"));
    auto audit = store().audit.list(acme(), QStringLiteral("integration.updated"));
    QCOMPARE(audit->size(), 2);
    QCOMPARE(audit->first().changes.value(QStringLiteral("apiKey")).toObject(),
        (QJsonObject {{QStringLiteral("from"), QStringLiteral("****OLD1")},
            {QStringLiteral("to"), QStringLiteral("****NEW2")}}));
    QVERIFY(!tableText(QStringLiteral("audit_log")).contains(QStringLiteral("SG.new-key")));

    // Bad changes change nothing.
    r = call("PATCH", path, m_admin, R"({"isActive":"yes","name":"Ignored"})");
    QCOMPARE(r.status, 400);
    QCOMPARE(detailFields(r), QStringList {QStringLiteral("isActive")});
    r = call("PATCH", path, m_admin, R"({"integrationType":"semrush"})");
    QCOMPARE(r.status, 422);
    QVERIFY(hasIssue(r, QStringLiteral("integrationType"), QStringLiteral("not_changeable")));
    r = call("PATCH", path, m_admin, R"({"apiKey":""})");
    QCOMPARE(r.status, 400);
    QCOMPARE((*store().integrations.find(acme(), id))->name, QStringLiteral("Transactional mail"));

    r = call("DELETE", path, m_admin);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json(), (QJsonObject {{QStringLiteral("deleted"), true}}));
    QVERIFY(store().integrations.list(acme())->isEmpty());
    QCOMPARE(call("DELETE", path, m_admin).status, 404);
    QCOMPARE(call("POST", path + "/test", m_admin).status, 404);
    QCOMPARE(store().audit.list(acme(), QStringLiteral("integration.deleted"))->size(), 1);
}

} // namespace lm::test
