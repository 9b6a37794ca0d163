// SPDX-License-Identifier: GPL-3.0-or-later
// Setup, helpers, roles and tenant isolation of the configuration routes, and the Team routes.
#include "tst_dashboardapi_config.h"

#include "auth/secretbox.h"
#include "store/sqljson.h"

#include <QCryptographicHash>
#include <QRegularExpression>

using namespace lm;

namespace lm::test {

namespace {
constexpr qint64 kDayMs = 24LL * 3600 * 1000;
}

void TestConfigApi::init()
{
    m_server = std::make_unique<TestServer>();
    QVERIFY2(m_server->error().isEmpty(), qPrintable(m_server->error()));
    QJsonObject answer;
    m_admin = m_server->login(QStringLiteral("admin@acme.demo"), &answer);
    m_acmeId = answer.value(QStringLiteral("user")).toObject().value(QStringLiteral("tenantId")).toString();
    m_adminUserId = answer.value(QStringLiteral("user")).toObject().value(QStringLiteral("id")).toString();
    m_member = m_server->login(QStringLiteral("member@acme.demo"), &answer);
    m_memberUserId = answer.value(QStringLiteral("user")).toObject().value(QStringLiteral("id")).toString();
    m_memberRefresh = answer.value(QStringLiteral("refreshToken")).toString();
    m_reviewer = m_server->login(QStringLiteral("reviewer@acme.demo"), &answer);
    m_reviewerUserId = answer.value(QStringLiteral("user")).toObject().value(QStringLiteral("id")).toString();
    m_globex = m_server->login(QStringLiteral("admin@globex.demo"), &answer);
    m_globexId = answer.value(QStringLiteral("user")).toObject().value(QStringLiteral("tenantId")).toString();
    QVERIFY(!m_admin.isEmpty() && !m_member.isEmpty() && !m_reviewer.isEmpty() && !m_globex.isEmpty());
    QVERIFY(!m_memberRefresh.isEmpty());
}

void TestConfigApi::cleanup()
{
    m_server.reset();
}

QByteArray TestConfigApi::tokenFor(const QString &who) const
{
    if (who == QLatin1String("admin"))
        return m_admin;
    if (who == QLatin1String("member"))
        return m_member;
    if (who == QLatin1String("reviewer"))
        return m_reviewer;
    if (who == QLatin1String("globex"))
        return m_globex;
    return {};
}

void TestConfigApi::addAgents(const QString &tenantId)
{
    const qint64 now = m_server->clock().nowMs();
    for (const char *role : {"activity_planner", "strategist", "copywriter", "seo_specialist",
             "social_media_manager", "designer", "analyst"}) {
        store::AgentConfig a;
        a.id = Ulid::generate();
        a.tenantId = tenantId;
        a.role = QString::fromLatin1(role);
        a.name = QStringLiteral("Sim ") + a.role;
        a.model = QStringLiteral("simulator-1");
        a.adapterType = QStringLiteral("simulator");
        a.adapterConfig = {
            {QStringLiteral("tokensPerSecond"), 0}, {QStringLiteral("forceAction"), QStringLiteral("none")}};
        a.concurrency = 4;
        a.createdAtMs = a.updatedAtMs = now;
        QVERIFY2(store().agents.insert(a).ok(), role);
    }
}

void TestConfigApi::addOpenAiAgent(const QString &role, const QString &baseUrl, const QByteArray &apiKey)
{
    const qint64 now = m_server->clock().nowMs();
    store::AgentConfig a;
    a.id = Ulid::generate();
    a.tenantId = m_acmeId;
    a.role = role;
    a.name = QStringLiteral("GPT ") + role;
    a.model = QStringLiteral("gpt-4o-mini");
    a.adapterType = QStringLiteral("openai");
    a.adapterConfig = {{QStringLiteral("baseUrl"), baseUrl},
        {QStringLiteral("promptTemplate"), QStringLiteral("Be useful.")}, {QStringLiteral("timeoutSec"), 5},
        {QStringLiteral("env"),
            QJsonObject {{QStringLiteral("OPENAI_ORG"), QStringLiteral("org-secret-123")}}},
        {QStringLiteral("webhookSecret"), QStringLiteral("whsec-abc-999")}};
    a.adapterSecretSealed = m_server->host().auth().secretBox().seal(apiKey);
    a.createdAtMs = a.updatedAtMs = now;
    QVERIFY(store().agents.insert(a).ok());
}

QString TestConfigApi::addSkill(
    const QString &tenantId, const QString &name, const QStringList &roles, const QString &content)
{
    store::Skill s;
    s.id = Ulid::generate();
    s.tenantId = tenantId;
    s.name = name;
    s.description = QStringLiteral("About ") + name;
    s.agentRoles = roles;
    s.content = content;
    s.createdBy = tenantId.isEmpty() ? QStringLiteral("Leadmetrics") : m_adminUserId;
    s.createdAtMs = s.updatedAtMs = m_server->clock().nowMs();
    if (auto r = store().agents.insertSkill(s); !r.ok())
        qWarning() << r.error().message;
    return s.id;
}

TestConfigApi::Form TestConfigApi::form(const QList<FormPart> &parts)
{
    const QByteArray boundary = "----lmtest" + Ulid::generate().toLatin1();
    Form f;
    f.contentType = "multipart/form-data; boundary=" + boundary;
    for (const FormPart &p : parts) {
        f.body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + p.name + "\"";
        if (!p.filename.isEmpty())
            f.body += "; filename=\"" + p.filename + "\"";
        f.body += "\r\n";
        if (!p.contentType.isEmpty())
            f.body += "Content-Type: " + p.contentType + "\r\n";
        f.body += "\r\n" + p.data + "\r\n";
    }
    f.body += "--" + boundary + "--\r\n";
    return f;
}

QString TestConfigApi::createIntegration(const QJsonObject &body)
{
    const HttpReply r = call("POST", "/dashboard/v1/integrations", m_admin, json(body));
    if (r.status != 201)
        qWarning() << r.status << r.body;
    return r.json().value(QStringLiteral("id")).toString();
}

QStringList TestConfigApi::detailFields(const HttpReply &r)
{
    QStringList out;
    for (const QJsonValue &d :
        r.json().value(QStringLiteral("error")).toObject().value(QStringLiteral("details")).toArray())
        out.append(d.toObject().value(QStringLiteral("field")).toString());
    return out;
}

bool TestConfigApi::hasIssue(const HttpReply &r, const QString &field, const QString &issue)
{
    for (const QJsonValue &d :
        r.json().value(QStringLiteral("error")).toObject().value(QStringLiteral("details")).toArray()) {
        const QJsonObject o = d.toObject();
        if (o.value(QStringLiteral("field")).toString() == field
            && o.value(QStringLiteral("issue")).toString() == issue)
            return true;
    }
    return false;
}

QString TestConfigApi::tableText(const QString &table)
{
    QString out;
    auto q = store().db().query(QStringLiteral("SELECT * FROM ") + table);
    if (!q.exec().ok())
        return out;
    while (q.next()) {
        for (int c = 0; c < 32; ++c) {
            const QVariant v = q.value(c);
            if (!v.isValid())
                break;
            out += v.toString() + QLatin1Char('|') + QString::fromLatin1(v.toByteArray()) + QLatin1Char('|');
        }
        out += QLatin1Char('\n');
    }
    return out;
}

void TestConfigApi::access_data()
{
    QTest::addColumn<QString>("who");
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");

    const QByteArray invite = R"({"email":"new@acme.demo","name":"New Person","role":"member"})";
    const QByteArray role = R"({"role":"reviewer"})";
    const QByteArray agentPatch = R"({"concurrency":3})";
    const QByteArray skillPatch = R"({"description":"changed"})";
    const QByteArray integrationPatch = R"({"name":"changed"})";
    const auto row = [](const char *name, const char *who, const char *method, const char *path,
                         const QByteArray &body, int status) {
        QTest::newRow(name) << QString::fromLatin1(who) << QByteArray(method) << QByteArray(path) << body
                            << status;
    };
    // Admin-only routes.
    row("roles-member-invite-01", "member", "POST", "/dashboard/v1/team/invite", invite, 403);
    row("roles-reviewer-invite-02", "reviewer", "POST", "/dashboard/v1/team/invite", invite, 403);
    row("roles-member-role-03", "member", "PATCH", "/dashboard/v1/team/users/{reviewer}", role, 403);
    row("roles-reviewer-remove-04", "reviewer", "DELETE", "/dashboard/v1/team/users/{member}", {}, 403);
    row("roles-member-agent-patch-05", "member", "PATCH", "/dashboard/v1/agents/copywriter", agentPatch, 403);
    row("roles-reviewer-agent-patch-06", "reviewer", "PATCH", "/dashboard/v1/agents/copywriter", agentPatch,
        403);
    // Configuration writes: admins and members; reviewers read.
    row("roles-reviewer-skill-patch-07", "reviewer", "PATCH", "/dashboard/v1/skills/{skill}", skillPatch,
        403);
    row("roles-reviewer-skill-delete-08", "reviewer", "DELETE", "/dashboard/v1/skills/{skill}", {}, 403);
    row("roles-reviewer-integration-patch-09", "reviewer", "PATCH",
        "/dashboard/v1/integrations/{integration}", integrationPatch, 403);
    row("roles-reviewer-integration-delete-10", "reviewer", "DELETE",
        "/dashboard/v1/integrations/{integration}", {}, 403);
    row("roles-member-skill-patch-11", "member", "PATCH", "/dashboard/v1/skills/{skill}", skillPatch, 200);
    row("roles-member-integration-patch-12", "member", "PATCH", "/dashboard/v1/integrations/{integration}",
        integrationPatch, 200);
    row("roles-reviewer-reads-13", "reviewer", "GET", "/dashboard/v1/team", {}, 200);
    row("roles-reviewer-agent-14", "reviewer", "GET", "/dashboard/v1/agents/copywriter", {}, 200);
    row("roles-reviewer-skills-15", "reviewer", "GET", "/dashboard/v1/skills", {}, 200);
    row("roles-reviewer-integrations-16", "reviewer", "GET", "/dashboard/v1/integrations", {}, 200);
    row("roles-no-token-17", "", "GET", "/dashboard/v1/integrations", {}, 401);
    row("roles-admin-role-18", "admin", "PATCH", "/dashboard/v1/team/users/{member}", role, 200);
    // Another tenant's ids are not found, on every route that takes one; nothing changes.
    row("tenant-role-19", "globex", "PATCH", "/dashboard/v1/team/users/{member}", role, 404);
    row("tenant-remove-20", "globex", "DELETE", "/dashboard/v1/team/users/{member}", {}, 404);
    row("tenant-skill-patch-21", "globex", "PATCH", "/dashboard/v1/skills/{skill}", skillPatch, 404);
    row("tenant-skill-delete-22", "globex", "DELETE", "/dashboard/v1/skills/{skill}", {}, 404);
    row("tenant-integration-patch-23", "globex", "PATCH", "/dashboard/v1/integrations/{integration}",
        integrationPatch, 404);
    row("tenant-integration-delete-24", "globex", "DELETE", "/dashboard/v1/integrations/{integration}", {},
        404);
    row("tenant-integration-test-25", "globex", "POST", "/dashboard/v1/integrations/{integration}/test", {},
        404);
    // Globex has no agents: acme's roles are not found for it.
    row("tenant-agent-detail-26", "globex", "GET", "/dashboard/v1/agents/copywriter", {}, 404);
    row("tenant-agent-patch-27", "globex", "PATCH", "/dashboard/v1/agents/copywriter", agentPatch, 404);
    row("tenant-agent-test-28", "globex", "POST", "/dashboard/v1/agents/copywriter/test", {}, 404);
    row("notfound-user-29", "admin", "PATCH", "/dashboard/v1/team/users/01ARZ3NDEKTSV4RRFFQ69G5FAV", role,
        404);
    row("notfound-agent-30", "admin", "GET", "/dashboard/v1/agents/astronaut", {}, 404);
}

void TestConfigApi::access()
{
    QFETCH(QString, who);
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, path);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    addAgents(m_acmeId);
    const QString skillId = addSkill(m_acmeId, QStringLiteral("house-style"), {QStringLiteral("copywriter")});
    const QString integrationId
        = createIntegration({{QStringLiteral("integrationType"), QStringLiteral("sendgrid")},
            {QStringLiteral("name"), QStringLiteral("Mail")},
            {QStringLiteral("apiKey"), QStringLiteral("SG.key-000000000000-ABCD")}});
    QVERIFY(!integrationId.isEmpty());
    path.replace("{member}", m_memberUserId.toLatin1());
    path.replace("{reviewer}", m_reviewerUserId.toLatin1());
    path.replace("{skill}", skillId.toLatin1());
    path.replace("{integration}", integrationId.toLatin1());
    const HttpReply r = call(method, path, tokenFor(who), body);
    QVERIFY2(r.status == status, r.body.constData());
    if (status == 403)
        QCOMPARE(r.errorCode(), QStringLiteral("FORBIDDEN"));
    if (status == 404 || status == 403) {
        QCOMPARE(r.errorCode(), status == 404 ? QStringLiteral("NOT_FOUND") : QStringLiteral("FORBIDDEN"));
        // Nothing changed in acme.
        auto member = store().users.find(acme(), m_memberUserId);
        QVERIFY(member.ok() && member->has_value());
        QCOMPARE((*member)->role, Role::Member);
        QCOMPARE((*member)->status, QStringLiteral("active"));
        auto skill = store().agents.findVisibleSkill(m_acmeId, skillId);
        QVERIFY(skill.ok() && skill->has_value());
        QCOMPARE((*skill)->description, QStringLiteral("About house-style"));
        auto integration = store().integrations.find(acme(), integrationId);
        QVERIFY(integration.ok() && integration->has_value());
        QCOMPARE((*integration)->name, QStringLiteral("Mail"));
        QVERIFY(!(*integration)->lastVerifiedAtMs);
        auto agent = store().agents.findByRole(acme(), QStringLiteral("copywriter"));
        QVERIFY(agent.ok() && agent->has_value());
        QCOMPARE((*agent)->concurrency, 4);
        auto invited = store().team.findByEmail(QStringLiteral("new@acme.demo"));
        QVERIFY(invited.ok() && !invited->has_value());
    }
}

void TestConfigApi::teamList()
{
    addAgents(m_acmeId);
    const QJsonArray all
        = call("GET", "/dashboard/v1/team", m_member).json().value(QStringLiteral("data")).toArray();
    QCOMPARE(all.size(), 3 + 7);
    QSet<QString> emails;
    int agents = 0;
    for (const QJsonValue &v : all) {
        const QJsonObject o = v.toObject();
        if (o.value(QStringLiteral("type")).toString() == QLatin1String("agent")) {
            ++agents;
            QCOMPARE(o.value(QStringLiteral("agentAdapter")).toString(), QStringLiteral("simulator"));
            QCOMPARE(o.value(QStringLiteral("runningCount")).toInt(), 0);
            QVERIFY(!o.contains(QStringLiteral("email")));
        } else {
            emails.insert(o.value(QStringLiteral("email")).toString());
            QCOMPARE(o.value(QStringLiteral("status")).toString(), QStringLiteral("active"));
            // Everyone here signed in during init().
            QVERIFY(o.contains(QStringLiteral("lastActiveAt")));
        }
    }
    QCOMPARE(agents, 7);
    // Globex's admin is not part of acme's team.
    QCOMPARE(emails,
        (QSet<QString> {QStringLiteral("admin@acme.demo"), QStringLiteral("member@acme.demo"),
            QStringLiteral("reviewer@acme.demo")}));

    struct Case
    {
        const char *query;
        int count;
    };
    for (const Case &c :
        {Case {"filter[type]=human", 3}, Case {"filter[type]=agent", 7}, Case {"filter[role]=reviewer", 1},
            Case {"filter[role]=copywriter", 1}, Case {"filter[status]=active&filter[type]=human", 3},
            Case {"filter[status]=terminated", 0}, Case {"filter[status]=inactive", 0}}) {
        const HttpReply r = call("GET", QByteArray("/dashboard/v1/team?") + c.query, m_admin);
        QCOMPARE(r.status, 200);
        QVERIFY2(r.json().value(QStringLiteral("data")).toArray().size() == c.count, c.query);
    }
    for (const char *bad : {"filter[type]=robot", "filter[status]=sleeping"}) {
        const HttpReply r = call("GET", QByteArray("/dashboard/v1/team?") + bad, m_admin);
        QCOMPARE(r.status, 400);
        QCOMPARE(r.errorCode(), QStringLiteral("VALIDATION_ERROR"));
        QVERIFY(detailFields(r).first().startsWith(QLatin1String("filter[")));
    }
}

void TestConfigApi::inviteValidation_data()
{
    QTest::addColumn<QJsonObject>("body");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("issue");
    const QJsonObject good {{QStringLiteral("email"), QStringLiteral("new@acme.demo")},
        {QStringLiteral("name"), QStringLiteral("New Person")},
        {QStringLiteral("role"), QStringLiteral("member")}};
    const auto with = [&good](const char *key, const QJsonValue &v) {
        QJsonObject o = good;
        if (v.isUndefined())
            o.remove(QLatin1String(key));
        else
            o.insert(QLatin1String(key), v);
        return o;
    };
    const QJsonValue missing(QJsonValue::Undefined);
    QTest::newRow("invite-email-missing-01") << with("email", missing) << "email"
                                             << "required";
    QTest::newRow("invite-email-invalid-02") << with("email", QStringLiteral("not-an-email")) << "email"
                                             << "invalid";
    QTest::newRow("invite-email-type-03") << with("email", 7) << "email"
                                          << "must_be_string";
    QTest::newRow("invite-email-long-04")
        << with("email", QString(250, QLatin1Char('a')) + QStringLiteral("@x.io")) << "email"
        << "too_long";
    QTest::newRow("invite-name-missing-05") << with("name", missing) << "name"
                                            << "required";
    QTest::newRow("invite-name-long-06") << with("name", QString(201, QLatin1Char('n'))) << "name"
                                         << "too_long";
    QTest::newRow("invite-role-missing-07") << with("role", missing) << "role"
                                            << "required";
    QTest::newRow("invite-role-enum-08") << with("role", QStringLiteral("super_admin")) << "role"
                                         << "invalid";
    QTest::newRow("invite-role-type-09") << with("role", true) << "role"
                                         << "must_be_string";
}

void TestConfigApi::inviteValidation()
{
    QFETCH(QJsonObject, body);
    QFETCH(QString, field);
    QFETCH(QString, issue);
    const HttpReply r = call("POST", "/dashboard/v1/team/invite", m_admin, json(body));
    QCOMPARE(r.status, 400);
    QCOMPARE(r.errorCode(), QStringLiteral("VALIDATION_ERROR"));
    QVERIFY2(hasIssue(r, field, issue), r.body.constData());
    auto people = store().team.members(acme());
    QVERIFY(people.ok());
    QCOMPARE(people->size(), 3);
    QVERIFY(store().team.pendingInvites(acme())->isEmpty());
}

void TestConfigApi::invite()
{
    const qint64 now = m_server->clock().nowMs();
    const HttpReply r = call("POST", "/dashboard/v1/team/invite", m_admin,
        R"({"email":"  Nova@Acme.demo ","name":"Nova Newcomer","role":"reviewer"})",
        {{"X-Request-Id", "trace-invite-1"}});
    QCOMPARE(r.status, 201);
    const QJsonObject answer = r.json();
    const QString inviteId = answer.value(QStringLiteral("inviteId")).toString();
    QVERIFY(!inviteId.isEmpty());
    const QString url = answer.value(QStringLiteral("inviteUrl")).toString();
    const QRegularExpression form(
        QStringLiteral("^http://127\\.0\\.0\\.1(:\\d+)?/invite/(lmi_[A-Za-z0-9_-]{43})$"));
    const auto match = form.match(url);
    QVERIFY2(match.hasMatch(), qPrintable(url));
    const QString token = match.captured(2);
    // Seven days from now.
    QCOMPARE(QDateTime::fromString(answer.value(QStringLiteral("expiresAt")).toString(), Qt::ISODateWithMs)
                 .toMSecsSinceEpoch(),
        now + 7 * kDayMs);

    // The invitation is stored hashed: the token appears nowhere in the table.
    auto invites = store().team.pendingInvites(acme());
    QVERIFY(invites.ok());
    QCOMPARE(invites->size(), 1);
    QCOMPARE(invites->first().id, inviteId);
    QCOMPARE(
        invites->first().tokenHash, QCryptographicHash::hash(token.toLatin1(), QCryptographicHash::Sha256));
    QVERIFY(!tableText(QStringLiteral("team_invites")).contains(token));

    // The invited person is on the team as invited (inactive), and cannot sign in.
    const QJsonArray invited = call("GET", "/dashboard/v1/team?filter[status]=inactive", m_admin)
                                   .json()
                                   .value(QStringLiteral("data"))
                                   .toArray();
    QCOMPARE(invited.size(), 1);
    const QJsonObject person = invited.first().toObject();
    QCOMPARE(person.value(QStringLiteral("email")).toString(), QStringLiteral("nova@acme.demo"));
    QCOMPARE(person.value(QStringLiteral("status")).toString(), QStringLiteral("invited"));
    QCOMPARE(person.value(QStringLiteral("role")).toString(), QStringLiteral("reviewer"));
    QCOMPARE(
        call("GET", "/dashboard/v1/team", m_admin).json().value(QStringLiteral("data")).toArray().size(), 4);
    for (const char *password : {"", "!invited", "demo-pass-2026"}) {
        const HttpReply login = m_server->http().postJson("/auth/v1/login",
            {{QStringLiteral("email"), QStringLiteral("nova@acme.demo")},
                {QStringLiteral("password"), QString::fromLatin1(password)}});
        QVERIFY2(login.status == 401 || login.status == 400, login.body.constData());
    }

    auto audit = store().audit.list(acme(), QStringLiteral("user.invited"));
    QVERIFY(audit.ok());
    QCOMPARE(audit->size(), 1);
    const store::AuditEntry &e = audit->first();
    QCOMPARE(e.actorId, m_adminUserId);
    QCOMPARE(e.ip, QStringLiteral("127.0.0.1"));
    QCOMPARE(e.requestId, QStringLiteral("trace-invite-1"));
    QCOMPARE(e.targetId, person.value(QStringLiteral("id")).toString());
    QCOMPARE(e.changes.value(QStringLiteral("role")).toObject().value(QStringLiteral("to")).toString(),
        QStringLiteral("reviewer"));
    QVERIFY(!tableText(QStringLiteral("audit_log")).contains(token));

    // The invited person accepts with the token of the URL and a password, then signs in.
    const auto accept = [this](const QString &t, const QString &password) {
        return m_server->http().postJson("/auth/v1/invites/accept",
            {{QStringLiteral("token"), t}, {QStringLiteral("password"), password}});
    };
    HttpReply accepted = accept(token, QStringLiteral("short"));
    QCOMPARE(accepted.status, 400);
    QVERIFY(hasIssue(accepted, QStringLiteral("password"), QStringLiteral("too_short")));
    accepted
        = accept(QStringLiteral("lmi_") + QString(43, QLatin1Char('A')), QStringLiteral("a-long-password-1"));
    QCOMPARE(accepted.status, 400);
    QVERIFY(hasIssue(accepted, QStringLiteral("token"), QStringLiteral("invalid")));
    accepted = accept(token, QStringLiteral("a-long-password-1"));
    QCOMPARE(accepted.status, 200);
    QCOMPARE(accepted.json().value(QStringLiteral("status")).toString(), QStringLiteral("active"));
    const HttpReply login = m_server->http().postJson("/auth/v1/login",
        {{QStringLiteral("email"), QStringLiteral("nova@acme.demo")},
            {QStringLiteral("password"), QStringLiteral("a-long-password-1")}});
    QCOMPARE(login.status, 200);
    const QJsonObject user = login.json().value(QStringLiteral("user")).toObject();
    QCOMPARE(user.value(QStringLiteral("role")).toString(), QStringLiteral("reviewer"));
    QCOMPARE(user.value(QStringLiteral("tenantId")).toString(), m_acmeId);
    QVERIFY(store().team.pendingInvites(acme())->isEmpty());
    QCOMPARE(store().audit.list(acme(), QStringLiteral("user.invite_accepted"))->size(), 1);
    // A token works once.
    QVERIFY(hasIssue(accept(token, QStringLiteral("another-password-2")), QStringLiteral("token"),
        QStringLiteral("invalid")));
}

void TestConfigApi::inviteConflicts()
{
    const auto invite = [this](const QString &email) {
        return call("POST", "/dashboard/v1/team/invite", m_admin,
            json({{QStringLiteral("email"), email}, {QStringLiteral("name"), QStringLiteral("Someone")},
                {QStringLiteral("role"), QStringLiteral("member")}}));
    };
    struct Case
    {
        const char *email;
        const char *issue;
    };
    // A member of the tenant, a member in other case, another tenant's account.
    for (const Case &c : {Case {"member@acme.demo", "already_member"},
             Case {"MEMBER@acme.demo", "already_member"}, Case {"admin@globex.demo", "already_registered"},
             Case {"root@leadmetrics.demo", "already_registered"}}) {
        const HttpReply r = invite(QString::fromLatin1(c.email));
        QCOMPARE(r.status, 409);
        QCOMPARE(r.errorCode(), QStringLiteral("CONFLICT"));
        QVERIFY2(hasIssue(r, QStringLiteral("email"), QString::fromLatin1(c.issue)), r.body.constData());
    }
    const HttpReply first = invite(QStringLiteral("fresh@acme.demo"));
    QCOMPARE(first.status, 201);
    const QString firstToken
        = first.json().value(QStringLiteral("inviteUrl")).toString().section(QLatin1Char('/'), -1);
    const HttpReply again = invite(QStringLiteral("fresh@acme.demo"));
    QCOMPARE(again.status, 409);
    QVERIFY(hasIssue(again, QStringLiteral("email"), QStringLiteral("already_invited")));
    QCOMPARE(store().team.pendingInvites(acme())->size(), 1);
    // Once the first invitation has expired, a new one replaces it.
    m_server->clock().advanceMs(8 * kDayMs);
    m_admin = m_server->login(QStringLiteral("admin@acme.demo")); // the old access token has expired
    const HttpReply expired = m_server->http().postJson("/auth/v1/invites/accept",
        {{QStringLiteral("token"), firstToken},
            {QStringLiteral("password"), QStringLiteral("a-long-password-1")}});
    QCOMPARE(expired.status, 400);
    QVERIFY2(hasIssue(expired, QStringLiteral("token"), QStringLiteral("expired")), expired.body.constData());
    const HttpReply renewed = invite(QStringLiteral("fresh@acme.demo"));
    QCOMPARE(renewed.status, 201);
    auto pending = store().team.pendingInvites(acme());
    QCOMPARE(pending->size(), 1);
    QCOMPARE(pending->first().id, renewed.json().value(QStringLiteral("inviteId")).toString());
    QCOMPARE(store().audit.list(acme(), QStringLiteral("user.invited"))->size(), 2);
}

void TestConfigApi::roleChange()
{
    const QByteArray memberPath = "/dashboard/v1/team/users/" + m_memberUserId.toLatin1();
    const QByteArray adminPath = "/dashboard/v1/team/users/" + m_adminUserId.toLatin1();
    for (const QByteArray &bad :
        {QByteArray(R"({"role":"owner"})"), QByteArray("{}"), QByteArray(R"({"role":3})")}) {
        const HttpReply r = call("PATCH", memberPath, m_admin, bad);
        QCOMPARE(r.status, 400);
        QCOMPARE(detailFields(r), QStringList {QStringLiteral("role")});
    }
    // The only admin cannot demote themselves.
    HttpReply r = call("PATCH", adminPath, m_admin, R"({"role":"member"})");
    QCOMPARE(r.status, 409);
    QVERIFY(hasIssue(r, QStringLiteral("role"), QStringLiteral("last_admin")));
    QCOMPARE((*store().users.find(acme(), m_adminUserId))->role, Role::Admin);

    r = call("PATCH", memberPath, m_admin, R"({"role":"admin"})");
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json().value(QStringLiteral("role")).toString(), QStringLiteral("admin"));
    QCOMPARE(r.json().value(QStringLiteral("id")).toString(), m_memberUserId);
    QCOMPARE((*store().users.find(acme(), m_memberUserId))->role, Role::Admin);
    auto audit = store().audit.list(acme(), QStringLiteral("user.role_changed"));
    QCOMPARE(audit->size(), 1);
    QCOMPARE(audit->first().changes.value(QStringLiteral("role")).toObject(),
        (QJsonObject {{QStringLiteral("from"), QStringLiteral("member")},
            {QStringLiteral("to"), QStringLiteral("admin")}}));
    // With a second admin, the first may step down; the same role again changes nothing.
    QCOMPARE(call("PATCH", adminPath, m_admin, R"({"role":"reviewer"})").status, 200);
    QCOMPARE((*store().users.find(acme(), m_adminUserId))->role, Role::Reviewer);
    // Tokens carry no authority of their own (issue 13): the member's token issued before the
    // promotion acts as the admin the account is now; the same role again changes nothing.
    QCOMPARE(call("PATCH", memberPath, m_member, R"({"role":"admin"})").status, 200);
    QCOMPARE(store().audit.list(acme(), QStringLiteral("user.role_changed"))->size(), 2);
}

void TestConfigApi::removeUser()
{
    const QByteArray memberPath = "/dashboard/v1/team/users/" + m_memberUserId.toLatin1();
    QCOMPARE(call("DELETE", memberPath, m_admin).status, 204);
    auto user = store().users.find(acme(), m_memberUserId);
    QCOMPARE((*user)->status, QStringLiteral("deleted"));
    // Signed out everywhere: the refresh token is dead and the password no longer opens the account.
    const HttpReply refresh
        = m_server->http().postJson("/auth/v1/refresh", {{QStringLiteral("refreshToken"), m_memberRefresh}});
    QCOMPARE(refresh.status, 401);
    QVERIFY(m_server->login(QStringLiteral("member@acme.demo")).isEmpty());
    // Gone from the team, listed only as terminated; removing again finds nobody.
    const QJsonArray team = call("GET", "/dashboard/v1/team?filter[type]=human", m_admin)
                                .json()
                                .value(QStringLiteral("data"))
                                .toArray();
    QCOMPARE(team.size(), 2);
    const QJsonArray gone = call("GET", "/dashboard/v1/team?filter[status]=terminated", m_admin)
                                .json()
                                .value(QStringLiteral("data"))
                                .toArray();
    QCOMPARE(gone.size(), 1);
    QCOMPARE(
        gone.first().toObject().value(QStringLiteral("status")).toString(), QStringLiteral("terminated"));
    QCOMPARE(call("DELETE", memberPath, m_admin).status, 404);
    QCOMPARE(call("PATCH", memberPath, m_admin, R"({"role":"admin"})").status, 404);
    auto audit = store().audit.list(acme(), QStringLiteral("user.removed"));
    QCOMPARE(audit->size(), 1);
    QCOMPARE(audit->first()
                 .changes.value(QStringLiteral("status"))
                 .toObject()
                 .value(QStringLiteral("to"))
                 .toString(),
        QStringLiteral("deleted"));
    QCOMPARE(audit->first()
                 .changes.value(QStringLiteral("sessions"))
                 .toObject()
                 .value(QStringLiteral("from"))
                 .toInt(),
        1);
    // The last admin cannot be removed.
    const HttpReply last = call("DELETE", "/dashboard/v1/team/users/" + m_adminUserId.toLatin1(), m_admin);
    QCOMPARE(last.status, 409);
    QCOMPARE((*store().users.find(acme(), m_adminUserId))->status, QStringLiteral("active"));
    // A removed member can be invited back.
    const HttpReply back = call("POST", "/dashboard/v1/team/invite", m_admin,
        R"({"email":"member@acme.demo","name":"Morgan Again","role":"member"})");
    QCOMPARE(back.status, 201);
    QCOMPARE((*store().users.find(acme(), m_memberUserId))->status, QStringLiteral("invited"));
}

} // namespace lm::test

QTEST_GUILESS_MAIN(lm::test::TestConfigApi)
