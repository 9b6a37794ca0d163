// SPDX-License-Identifier: GPL-3.0-or-later
// Agents (configuration, bounded overrides, health checks) and Skills (lists, uploads, changes).
#include "tst_dashboardapi_config.h"

#include <QTcpServer>

using namespace lm;

namespace lm::test {

namespace {
// A port nothing listens on.
quint16 closedPort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0))
        return 0;
    const quint16 port = server.serverPort();
    server.close();
    return port;
}

QJsonObject byRole(const QJsonArray &items, const QString &role)
{
    for (const QJsonValue &v : items) {
        if (v.toObject().value(QStringLiteral("role")).toString() == role)
            return v.toObject();
    }
    return {};
}

QStringList ids(const QJsonArray &items)
{
    QStringList out;
    for (const QJsonValue &v : items)
        out.append(v.toObject().value(QStringLiteral("id")).toString());
    return out;
}
} // namespace

void TestConfigApi::agentsList()
{
    addAgents(m_acmeId);
    const QString global = addSkill(
        {}, QStringLiteral("seo-rules"), {QStringLiteral("copywriter"), QStringLiteral("seo_specialist")});
    const QString own = addSkill(m_acmeId, QStringLiteral("house-style"), {QStringLiteral("copywriter")});
    addSkill(m_globexId, QStringLiteral("bakery-voice"), {QStringLiteral("copywriter")});
    const HttpReply r = call("GET", "/dashboard/v1/agents", m_reviewer);
    QCOMPARE(r.status, 200);
    const QJsonArray data = r.json().value(QStringLiteral("data")).toArray();
    QCOMPARE(data.size(), 7);
    const QJsonObject copywriter = byRole(data, QStringLiteral("copywriter"));
    QCOMPARE(copywriter.value(QStringLiteral("status")).toString(), QStringLiteral("active"));
    QCOMPARE(copywriter.value(QStringLiteral("adapterType")).toString(), QStringLiteral("simulator"));
    QCOMPARE(copywriter.value(QStringLiteral("model")).toString(), QStringLiteral("simulator-1"));
    QCOMPARE(copywriter.value(QStringLiteral("concurrency")).toInt(), 4);
    QCOMPARE(copywriter.value(QStringLiteral("runningCount")).toInt(), 0);
    QCOMPARE(copywriter.value(QStringLiteral("isGlobalDefault")).toBool(), true);
    QVERIFY(!copywriter.contains(QStringLiteral("maxCostUsdPerActivity")));
    // The skills its runs get: the tenant's and the global ones, never another tenant's.
    QStringList skillIds;
    for (const QJsonValue &v : copywriter.value(QStringLiteral("skillIds")).toArray())
        skillIds.append(v.toString());
    skillIds.sort();
    QStringList expected {global, own};
    expected.sort();
    QCOMPARE(skillIds, expected);
    QCOMPARE(byRole(data, QStringLiteral("analyst")).value(QStringLiteral("skillIds")).toArray().size(), 0);
    // Globex has no agents.
    QCOMPARE(
        call("GET", "/dashboard/v1/agents", m_globex).json().value(QStringLiteral("data")).toArray().size(),
        0);
}

void TestConfigApi::agentDetailRedacts()
{
    const QByteArray key = "sk-live-abcdefghijklmnopqrstuvwxyz";
    addOpenAiAgent(QStringLiteral("copywriter"), QStringLiteral("http://127.0.0.1:9"), key);
    const HttpReply r = call("GET", "/dashboard/v1/agents/copywriter", m_member);
    QCOMPARE(r.status, 200);
    for (const QByteArray &secret : {key, QByteArray("org-secret-123"), QByteArray("whsec-abc-999")})
        QVERIFY2(!r.body.contains(secret), r.body.constData());
    const QJsonObject detail = r.json();
    const QJsonObject config = detail.value(QStringLiteral("adapterConfig")).toObject();
    QCOMPARE(config.value(QStringLiteral("model")).toString(), QStringLiteral("gpt-4o-mini"));
    QCOMPARE(config.value(QStringLiteral("promptTemplate")).toString(), QStringLiteral("Be useful."));
    QCOMPARE(config.value(QStringLiteral("baseUrl")).toString(), QStringLiteral("http://127.0.0.1:9"));
    QCOMPARE(config.value(QStringLiteral("apiKey")).toString(), QStringLiteral("[redacted]"));
    QCOMPARE(config.value(QStringLiteral("webhookSecret")).toString(), QStringLiteral("[redacted]"));
    QCOMPARE(config.value(QStringLiteral("env")).toObject().value(QStringLiteral("OPENAI_ORG")).toString(),
        QStringLiteral("[redacted]"));
    QCOMPARE(detail.value(QStringLiteral("hasApiKey")).toBool(), true);
    QCOMPARE(detail.value(QStringLiteral("role")).toString(), QStringLiteral("copywriter"));
}

void TestConfigApi::agentPatchValidation_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("issue");
    QTest::newRow("agents-concurrency-zero-01") << QByteArray(R"({"concurrency":0})") << "concurrency"
                                                << "out_of_range";
    QTest::newRow("agents-concurrency-eleven-02") << QByteArray(R"({"concurrency":11})") << "concurrency"
                                                  << "out_of_range";
    QTest::newRow("agents-concurrency-fraction-03") << QByteArray(R"({"concurrency":2.5})") << "concurrency"
                                                    << "must_be_integer";
    QTest::newRow("agents-concurrency-string-04") << QByteArray(R"({"concurrency":"3"})") << "concurrency"
                                                  << "must_be_integer";
    QTest::newRow("agents-cost-negative-05")
        << QByteArray(R"({"maxCostUsdPerActivity":-0.01})") << "maxCostUsdPerActivity"
        << "out_of_range";
    QTest::newRow("agents-cost-type-06")
        << QByteArray(R"({"maxCostUsdPerActivity":"5"})") << "maxCostUsdPerActivity"
        << "must_be_number";
    QTest::newRow("agents-model-blank-07") << QByteArray(R"({"model":"  "})") << "model"
                                           << "required";
    QTest::newRow("agents-model-long-08") << QByteArray(R"({"model":")") + QByteArray(129, 'm') + "\"}"
                                          << "model"
                                          << "too_long";
    QTest::newRow("agents-status-enum-09") << QByteArray(R"({"status":"sleeping"})") << "status"
                                           << "invalid";
    QTest::newRow("agents-tools-type-10") << QByteArray(R"({"toolNames":"web_search"})") << "toolNames"
                                          << "must_be_array";
    QTest::newRow("agents-tools-item-11") << QByteArray(R"({"toolNames":["web_search",7]})") << "toolNames[1]"
                                          << "must_be_string";
    QTest::newRow("agents-tools-chars-12") << QByteArray(R"({"toolNames":["rm -rf"]})") << "toolNames[0]"
                                           << "invalid";
    QTest::newRow("agents-adapter-base-url-13")
        << QByteArray(R"({"adapterConfig":{"baseUrl":"http://evil"}})") << "adapterConfig.baseUrl"
        << "not_allowed";
    QTest::newRow("agents-adapter-timeout-14")
        << QByteArray(R"({"adapterConfig":{"timeoutSec":1}})") << "adapterConfig.timeoutSec"
        << "out_of_range";
    QTest::newRow("agents-adapter-turns-15")
        << QByteArray(R"({"adapterConfig":{"maxTurnsPerRun":0}})") << "adapterConfig.maxTurnsPerRun"
        << "out_of_range";
    QTest::newRow("agents-adapter-template-16")
        << QByteArray(R"({"adapterConfig":{"promptTemplate":5}})") << "adapterConfig.promptTemplate"
        << "must_be_string";
    QTest::newRow("agents-adapter-type-17") << QByteArray(R"({"adapterConfig":[]})") << "adapterConfig"
                                            << "must_be_object";
    QTest::newRow("agents-body-18") << QByteArray("[1]") << "body"
                                    << "must_be_object";
}

void TestConfigApi::agentPatchValidation()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, field);
    QFETCH(QString, issue);
    addAgents(m_acmeId);
    const auto before = store().agents.findByRole(acme(), QStringLiteral("copywriter"));
    // A valid change beside the bad one is not applied either.
    QByteArray withGood = body;
    if (body.startsWith("{") && body != "{}")
        withGood = QByteArray(R"({"concurrency":6,)") + body.mid(1);
    if (field == QLatin1String("concurrency"))
        withGood = body;
    const HttpReply r = call("PATCH", "/dashboard/v1/agents/copywriter", m_admin, withGood);
    QCOMPARE(r.status, 400);
    QCOMPARE(r.errorCode(), QStringLiteral("VALIDATION_ERROR"));
    QVERIFY2(hasIssue(r, field, issue), r.body.constData());
    const auto after = store().agents.findByRole(acme(), QStringLiteral("copywriter"));
    QCOMPARE((*after)->concurrency, (*before)->concurrency);
    QCOMPARE((*after)->model, (*before)->model);
    QCOMPARE((*after)->adapterConfig, (*before)->adapterConfig);
    QCOMPARE((*after)->isGlobalDefault, true);
    QVERIFY(store().audit.list(acme(), QStringLiteral("agent.updated"))->isEmpty());
}

void TestConfigApi::agentPatch()
{
    addAgents(m_acmeId);
    const HttpReply r = call("PATCH", "/dashboard/v1/agents/copywriter", m_admin,
        R"({"concurrency":10,"model":"gpt-4o-mini","maxCostUsdPerActivity":2.5,"status":"paused",
            "toolNames":["web_search","keyword_research","web_search"],
            "adapterConfig":{"promptTemplate":"Short and warm.","timeoutSec":60,"maxTurnsPerRun":4}})");
    QCOMPARE(r.status, 200);
    const QJsonObject summary = r.json();
    QCOMPARE(summary.value(QStringLiteral("concurrency")).toInt(), 10);
    QCOMPARE(summary.value(QStringLiteral("model")).toString(), QStringLiteral("gpt-4o-mini"));
    QCOMPARE(summary.value(QStringLiteral("maxCostUsdPerActivity")).toDouble(), 2.5);
    QCOMPARE(summary.value(QStringLiteral("status")).toString(), QStringLiteral("paused"));
    QCOMPARE(summary.value(QStringLiteral("isGlobalDefault")).toBool(), false);
    QCOMPARE(summary.value(QStringLiteral("toolNames")).toArray().size(), 2);
    // Stored, where the run executor reads it.
    auto agent = store().agents.findByRole(acme(), QStringLiteral("copywriter"));
    QCOMPARE((*agent)->concurrency, 10);
    QCOMPARE((*agent)->maxCostMicrosPerActivity.value_or(0), 2'500'000);
    QCOMPARE((*agent)->adapterConfig.value(QStringLiteral("promptTemplate")).toString(),
        QStringLiteral("Short and warm."));
    QCOMPARE((*agent)->adapterConfig.value(QStringLiteral("timeoutSec")).toInt(), 60);
    // Settings the tenant may not touch stay as they were.
    QCOMPARE((*agent)->adapterConfig.value(QStringLiteral("forceAction")).toString(), QStringLiteral("none"));
    QCOMPARE((*agent)->adapterType, QStringLiteral("simulator"));
    auto audit = store().audit.list(acme(), QStringLiteral("agent.updated"));
    QCOMPARE(audit->size(), 1);
    const QJsonObject changes = audit->first().changes;
    QCOMPARE(changes.value(QStringLiteral("concurrency")).toObject(),
        (QJsonObject {{QStringLiteral("from"), 4}, {QStringLiteral("to"), 10}}));
    QVERIFY(changes.contains(QStringLiteral("adapterConfig.promptTemplate")));
    QVERIFY(changes.contains(QStringLiteral("maxCostUsdPerActivity")));
    // null lifts the cost maximum; an unchanged body writes nothing.
    QCOMPARE(
        call("PATCH", "/dashboard/v1/agents/copywriter", m_admin, R"({"maxCostUsdPerActivity":null})").status,
        200);
    QVERIFY(!(*store().agents.findByRole(acme(), QStringLiteral("copywriter")))->maxCostMicrosPerActivity);
    QCOMPARE(call("PATCH", "/dashboard/v1/agents/copywriter", m_admin, R"({"concurrency":10})").status, 200);
    QCOMPARE(store().audit.list(acme(), QStringLiteral("agent.updated"))->size(), 2);
}

void TestConfigApi::agentTest()
{
    addAgents(m_acmeId);
    HttpReply r = call("POST", "/dashboard/v1/agents/copywriter/test", m_member);
    QCOMPARE(r.status, 200);
    QVERIFY2(r.json().value(QStringLiteral("ok")).toBool(), r.body.constData());
    QVERIFY(!r.json().value(QStringLiteral("checks")).toArray().isEmpty());
    for (const QJsonValue &c : r.json().value(QStringLiteral("checks")).toArray())
        QVERIFY(c.toObject().value(QStringLiteral("ok")).toBool());

    // An OpenAI-compatible agent whose endpoint nobody answers: a clear failure, not a 500.
    const QByteArray key = "sk-test-unreachable-0123456789";
    const QString url = QStringLiteral("http://127.0.0.1:%1").arg(closedPort());
    addOpenAiAgent(QStringLiteral("strategist_openai"), url, key);
    r = call("POST", "/dashboard/v1/agents/strategist_openai/test", m_admin);
    QCOMPARE(r.status, 200);
    const QJsonObject answer = r.json();
    QCOMPARE(answer.value(QStringLiteral("ok")).toBool(), false);
    QVERIFY(!r.body.contains(key));
    bool unreachable = false;
    for (const QJsonValue &c : answer.value(QStringLiteral("checks")).toArray()) {
        const QJsonObject o = c.toObject();
        if (o.value(QStringLiteral("name")).toString() == QLatin1String("endpoint_reachable")) {
            unreachable = !o.value(QStringLiteral("ok")).toBool();
            QVERIFY2(o.value(QStringLiteral("detail")).toString().contains(url.mid(7)), r.body.constData());
        }
    }
    QVERIFY2(unreachable, r.body.constData());
    QVERIFY(answer.value(QStringLiteral("message")).toString().contains(QLatin1String("endpoint_reachable")));
}

void TestConfigApi::skillsList()
{
    addAgents(m_acmeId);
    const QString global = addSkill({}, QStringLiteral("seo-rules"), {QStringLiteral("seo_specialist")});
    const QString own = addSkill(m_acmeId, QStringLiteral("house-style"), {QStringLiteral("copywriter")},
        QStringLiteral("# House style\n\nÉcrire simplement.")); // é is two bytes
    const QString other
        = addSkill(m_globexId, QStringLiteral("bakery-voice"), {QStringLiteral("copywriter")});
    HttpReply r = call("GET", "/dashboard/v1/skills", m_reviewer);
    QCOMPARE(r.status, 200);
    QJsonArray data = r.json().value(QStringLiteral("data")).toArray();
    QCOMPARE(ids(data), (QStringList {own, global})); // by name
    const QJsonObject mine = data.first().toObject();
    QCOMPARE(mine.value(QStringLiteral("scope")).toString(), QStringLiteral("tenant"));
    QCOMPARE(mine.value(QStringLiteral("sizeBytes")).toInt(),
        QStringLiteral("# House style\n\nÉcrire simplement.").toUtf8().size());
    QCOMPARE(mine.value(QStringLiteral("createdBy")).toString(), QStringLiteral("Alex Acme"));
    QCOMPARE(
        mine.value(QStringLiteral("assignedAgents")).toArray(), QJsonArray {QStringLiteral("copywriter")});
    QCOMPARE(data.last().toObject().value(QStringLiteral("scope")).toString(), QStringLiteral("global"));
    QVERIFY(!r.body.contains(other.toLatin1()));

    QCOMPARE(ids(call("GET", "/dashboard/v1/skills?filter[scope]=global", m_admin)
                     .json()
                     .value(QStringLiteral("data"))
                     .toArray()),
        QStringList {global});
    QCOMPARE(ids(call("GET", "/dashboard/v1/skills?filter[scope]=tenant", m_admin)
                     .json()
                     .value(QStringLiteral("data"))
                     .toArray()),
        QStringList {own});
    QCOMPARE(ids(call("GET", "/dashboard/v1/skills?filter[agentRole]=copywriter", m_admin)
                     .json()
                     .value(QStringLiteral("data"))
                     .toArray()),
        QStringList {own});
    QCOMPARE(ids(call("GET", "/dashboard/v1/skills?filter[agentRole]=seo", m_admin)
                     .json()
                     .value(QStringLiteral("data"))
                     .toArray()),
        QStringList {});
    r = call("GET", "/dashboard/v1/skills?filter[scope]=everyone", m_admin);
    QCOMPARE(r.status, 400);
    QCOMPARE(detailFields(r), QStringList {QStringLiteral("filter[scope]")});
}

void TestConfigApi::skillUploadValidation_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("issue");
    QTest::addColumn<QByteArray>("name");
    QTest::addColumn<QByteArray>("roles");
    QTest::addColumn<QByteArray>("filename");
    QTest::addColumn<QByteArray>("content");
    const QByteArray md = "# Tone\n\nFriendly.";
    QTest::newRow("skills-name-missing-01")
        << 400 << "name"
        << "required" << QByteArray() << QByteArray("copywriter") << QByteArray("tone.md") << md;
    QTest::newRow("skills-name-long-02")
        << 400 << "name"
        << "too_long" << QByteArray(201, 'n') << QByteArray("copywriter") << QByteArray("tone.md") << md;
    QTest::newRow("skills-file-missing-03")
        << 400 << "file"
        << "required" << QByteArray("tone") << QByteArray("copywriter") << QByteArray() << QByteArray();
    QTest::newRow("skills-file-not-markdown-04")
        << 400 << "file"
        << "not_markdown" << QByteArray("tone") << QByteArray("copywriter") << QByteArray("tone.exe") << md;
    QTest::newRow("skills-file-not-utf8-05") << 400 << "file"
                                             << "not_utf8" << QByteArray("tone") << QByteArray("copywriter")
                                             << QByteArray("tone.md") << QByteArray("# \xff\xfe bad");
    QTest::newRow("skills-file-empty-06") << 400 << "file"
                                          << "empty" << QByteArray("tone") << QByteArray("copywriter")
                                          << QByteArray("tone.md") << QByteArray("  \n");
    QTest::newRow("skills-role-unknown-07")
        << 400 << "agentRoles"
        << "unknown_role" << QByteArray("tone") << QByteArray("copywriter, wizard") << QByteArray("tone.md")
        << md;
    QTest::newRow("skills-file-too-large-08") << 413 << "file"
                                              << "too_large" << QByteArray("tone") << QByteArray("copywriter")
                                              << QByteArray("tone.md") << QByteArray(500 * 1024 + 1, 'x');
    QTest::newRow("skills-name-taken-09") << 409 << "name"
                                          << "already_exists" << QByteArray("house-style")
                                          << QByteArray("copywriter") << QByteArray("tone.md") << md;
}

void TestConfigApi::skillUploadValidation()
{
    QFETCH(int, status);
    QFETCH(QString, field);
    QFETCH(QString, issue);
    QFETCH(QByteArray, name);
    QFETCH(QByteArray, roles);
    QFETCH(QByteArray, filename);
    QFETCH(QByteArray, content);
    addAgents(m_acmeId);
    addSkill(m_acmeId, QStringLiteral("house-style"), {QStringLiteral("copywriter")});
    QList<FormPart> parts;
    if (!name.isEmpty())
        parts.append({"name", name, {}, {}});
    parts.append({"description", "How we sound", {}, {}});
    parts.append({"agentRoles", roles, {}, {}});
    if (!filename.isEmpty())
        parts.append({"file", content, filename, "text/plain"});
    const HttpReply r = postForm("/dashboard/v1/skills", m_member, form(parts));
    QVERIFY2(r.status == status, r.body.constData());
    QVERIFY2(hasIssue(r, field, issue), r.body.constData());
    QCOMPARE(store().agents.visibleSkills(m_acmeId, QStringLiteral("tenant"), {})->size(), 1);
    QVERIFY(store().audit.list(acme(), QStringLiteral("skill.created"))->isEmpty());
}

void TestConfigApi::skillUpload()
{
    addAgents(m_acmeId);
    const QByteArray content = "# Local SEO\n\n- Mention the neighbourhood.\n- Link the booking page.\n";
    const HttpReply r = postForm("/dashboard/v1/skills", m_member,
        form({{"name", "local-seo", {}, {}}, {"description", "Neighbourhood pages", {}, {}},
            {"agentRoles", "copywriter, seo_specialist", {}, {}},
            {"file", content, "local-seo.md", "application/octet-stream"}}));
    QCOMPARE(r.status, 201);
    const QJsonObject skill = r.json();
    QCOMPARE(skill.value(QStringLiteral("scope")).toString(), QStringLiteral("tenant"));
    QCOMPARE(skill.value(QStringLiteral("name")).toString(), QStringLiteral("local-seo"));
    QCOMPARE(skill.value(QStringLiteral("sizeBytes")).toInt(), content.size());
    QCOMPARE(skill.value(QStringLiteral("createdBy")).toString(), QStringLiteral("Morgan Acme"));
    QCOMPARE(skill.value(QStringLiteral("assignedAgents")).toArray(),
        (QJsonArray {QStringLiteral("copywriter"), QStringLiteral("seo_specialist")}));
    const QString id = skill.value(QStringLiteral("id")).toString();
    // The run executor's lookup finds it for both roles, with the uploaded text.
    for (const QString &role : {QStringLiteral("copywriter"), QStringLiteral("seo_specialist")}) {
        auto forRole = store().agents.skillsForRole(m_acmeId, role);
        QVERIFY(forRole.ok());
        QCOMPARE(forRole->size(), 1);
        QCOMPARE(forRole->first().id, id);
        QCOMPARE(forRole->first().content.toUtf8(), content);
    }
    QCOMPARE(store().audit.list(acme(), QStringLiteral("skill.created"))->size(), 1);
    // An upload just under the limit is accepted; a body over the route's limit is refused whole.
    const HttpReply big = postForm("/dashboard/v1/skills", m_admin,
        form({{"name", "big", {}, {}}, {"agentRoles", "analyst", {}, {}},
            {"file", QByteArray(500 * 1024, 'a'), "big.markdown", {}}}));
    QCOMPARE(big.status, 201);
    const HttpReply huge = postForm("/dashboard/v1/skills", m_admin,
        form({{"name", "huge", {}, {}}, {"file", QByteArray(700 * 1024, 'a'), "huge.md", {}}}));
    QCOMPARE(huge.status, 413);
    QCOMPARE(huge.errorCode(), QStringLiteral("PAYLOAD_TOO_LARGE"));
    // Not a form at all.
    const HttpReply notForm = call("POST", "/dashboard/v1/skills", m_admin, R"({"name":"x"})");
    QCOMPARE(notForm.status, 400);
    QCOMPARE(detailFields(notForm), QStringList {QStringLiteral("body")});
}

void TestConfigApi::skillChangeAndDelete()
{
    addAgents(m_acmeId);
    const QString global = addSkill({}, QStringLiteral("seo-rules"), {QStringLiteral("seo_specialist")});
    const QString own = addSkill(m_acmeId, QStringLiteral("house-style"), {QStringLiteral("copywriter")});
    const QByteArray path = "/dashboard/v1/skills/" + own.toLatin1();

    HttpReply r = call("PATCH", path, m_member,
        R"({"content":"# House style v2\n\nShorter.","agentRoles":["copywriter","analyst"],"name":"house-style-2"})");
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json().value(QStringLiteral("name")).toString(), QStringLiteral("house-style-2"));
    QCOMPARE(r.json().value(QStringLiteral("sizeBytes")).toInt(),
        QByteArray("# House style v2\n\nShorter.").size());
    QCOMPARE((*store().agents.skillsForRole(m_acmeId, QStringLiteral("analyst"))).first().content,
        QStringLiteral("# House style v2\n\nShorter."));
    auto audit = store().audit.list(acme(), QStringLiteral("skill.updated"));
    QCOMPARE(audit->size(), 1);
    QVERIFY(audit->first().changes.contains(QStringLiteral("sizeBytes")));
    QVERIFY(audit->first().changes.contains(QStringLiteral("agentRoles")));

    // A form with a file replaces the content.
    r = postForm(path, m_admin, form({{"file", "# From a file", "v3.md", {}}}), "PATCH");
    QCOMPARE(r.status, 200);
    QCOMPARE((*store().agents.findVisibleSkill(m_acmeId, own))->content, QStringLiteral("# From a file"));

    // Bad input changes nothing.
    struct Bad
    {
        QByteArray body;
        const char *field;
        const char *issue;
        int status;
    };
    for (const Bad &b : {Bad {R"({"agentRoles":["wizard"]})", "agentRoles[0]", "unknown_role", 400},
             Bad {R"({"agentRoles":"copywriter"})", "agentRoles", "must_be_array", 400},
             Bad {R"({"content":7})", "content", "must_be_string", 400},
             Bad {R"({"name":""})", "name", "required", 400},
             Bad {QByteArray(R"({"content":")") + QByteArray(500 * 1024 + 1, 'c') + "\"}", "content",
                 "too_large", 413}}) {
        const HttpReply bad = call("PATCH", path, m_admin, b.body);
        QCOMPARE(bad.status, b.status);
        QVERIFY2(
            hasIssue(bad, QString::fromLatin1(b.field), QString::fromLatin1(b.issue)), bad.body.constData());
    }
    QCOMPARE((*store().agents.findVisibleSkill(m_acmeId, own))->content, QStringLiteral("# From a file"));
    QCOMPARE(store().audit.list(acme(), QStringLiteral("skill.updated"))->size(), 2);

    // Global skills are read-only for tenants.
    const QByteArray globalPath = "/dashboard/v1/skills/" + global.toLatin1();
    r = call("PATCH", globalPath, m_admin, R"({"content":"# Hijacked"})");
    QCOMPARE(r.status, 403);
    QCOMPARE(r.errorCode(), QStringLiteral("FORBIDDEN"));
    QCOMPARE(call("DELETE", globalPath, m_admin).status, 403);
    QCOMPARE((*store().agents.findVisibleSkill(m_acmeId, global))->content,
        QStringLiteral("# Skill\n\nDo it well."));

    QCOMPARE(call("DELETE", path, m_member).status, 204);
    QVERIFY(!(*store().agents.findVisibleSkill(m_acmeId, own)).has_value());
    QVERIFY(store().agents.skillsForRole(m_acmeId, QStringLiteral("copywriter"))->isEmpty());
    QCOMPARE(call("DELETE", path, m_member).status, 404);
    QCOMPARE(store().audit.list(acme(), QStringLiteral("skill.deleted"))->size(), 1);
}

} // namespace lm::test
