// SPDX-License-Identifier: GPL-3.0-or-later
// Setup, roles and tenant isolation, query validation, the audit log and the operational logs.
#include "tst_dashboardapi_insight.h"

#include "services/insightreports.h"
#include "services/recurringtasks.h"

#include <QElapsedTimer>
#include <QThread>

using namespace lm;

namespace lm::test {

namespace {
const QStringList kRoles {QStringLiteral("activity_planner"), QStringLiteral("strategist"),
    QStringLiteral("copywriter"), QStringLiteral("seo_specialist"), QStringLiteral("social_media_manager"),
    QStringLiteral("designer"), QStringLiteral("analyst")};
} // namespace

void TestInsightApi::init()
{
    m_server = std::make_unique<TestServer>();
    QVERIFY2(m_server->error().isEmpty(), qPrintable(m_server->error()));
    QJsonObject answer;
    m_admin = m_server->login(QStringLiteral("admin@acme.demo"), &answer);
    m_acmeId = answer.value(QStringLiteral("user")).toObject().value(QStringLiteral("tenantId")).toString();
    m_adminUserId = answer.value(QStringLiteral("user")).toObject().value(QStringLiteral("id")).toString();
    m_member = m_server->login(QStringLiteral("member@acme.demo"));
    m_reviewer = m_server->login(QStringLiteral("reviewer@acme.demo"));
    m_globex = m_server->login(QStringLiteral("admin@globex.demo"), &answer);
    m_globexId = answer.value(QStringLiteral("user")).toObject().value(QStringLiteral("tenantId")).toString();
    QVERIFY(!m_admin.isEmpty() && !m_member.isEmpty() && !m_reviewer.isEmpty() && !m_globex.isEmpty());
    m_auditBaseline = auditCount(); // the sign-ins above
}

int TestInsightApi::auditCount()
{
    auto rows = store().audit.list(acme(), {}, 1000);
    return rows.ok() ? int(rows->size()) : -1;
}

void TestInsightApi::cleanup()
{
    m_server.reset();
}

QByteArray TestInsightApi::tokenFor(const QString &who) const
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

void TestInsightApi::addAgents(const QString &tenantId)
{
    for (const QString &role : kRoles) {
        store::AgentConfig a;
        a.id = Ulid::generate();
        a.tenantId = tenantId;
        a.role = role;
        a.name = QStringLiteral("Sim ") + role;
        a.model = QStringLiteral("simulator-1");
        a.adapterType = QStringLiteral("simulator");
        a.adapterConfig = {
            {QStringLiteral("tokensPerSecond"), 0}, {QStringLiteral("forceAction"), QStringLiteral("none")}};
        a.reportsTo = role == QLatin1String("strategist") ? QString() : QStringLiteral("strategist");
        a.concurrency = 4;
        a.createdAtMs = now();
        a.updatedAtMs = now();
        QVERIFY2(store().agents.insert(a).ok(), qPrintable(role));
    }
}

QString TestInsightApi::addCampaign(
    const QString &name, const QString &status, std::optional<qint64> capMicros, qint64 spentMicros)
{
    store::Campaign c;
    c.id = Ulid::generate();
    c.tenantId = m_acmeId;
    c.name = name;
    c.brief = QStringLiteral("Grow bookings for whitening.");
    c.status = status;
    c.budgetCapMicros = capMicros;
    c.spentMicros = spentMicros;
    c.createdBy = m_adminUserId;
    c.createdAtMs = now();
    c.updatedAtMs = now();
    if (auto r = store().campaigns.insert(c); !r.ok())
        qWarning() << r.error().message;
    return c.id;
}

QString TestInsightApi::addRun(const QString &campaignId, const QString &role, const QString &model,
    const QString &type, qint64 costMicros, qint64 startedAtMs)
{
    store::Activity a;
    a.id = Ulid::generate();
    a.tenantId = m_acmeId;
    a.campaignId = campaignId;
    a.title = QStringLiteral("Made by hand");
    a.inputPrompt = QStringLiteral("Write it.");
    a.type = type;
    a.status = QStringLiteral("done");
    a.agentRole = role;
    a.costMicros = costMicros;
    a.createdAtMs = startedAtMs;
    a.updatedAtMs = startedAtMs;
    if (auto r = store().activities.insert(a); !r.ok())
        qWarning() << r.error().message;
    store::Run run;
    run.id = Ulid::generate();
    run.tenantId = m_acmeId;
    run.activityId = a.id;
    run.agentRole = role;
    run.adapterType = QStringLiteral("simulator");
    run.model = model;
    run.status = QStringLiteral("completed");
    run.costMicros = costMicros;
    run.startedAtMs = startedAtMs;
    run.completedAtMs = startedAtMs + 1000;
    if (auto r = store().runs.insert(run); !r.ok())
        qWarning() << r.error().message;
    return a.id;
}

InsightFixture TestInsightApi::makeFixture()
{
    InsightFixture f;
    addAgents(m_acmeId);
    f.campaignId
        = addCampaign(QStringLiteral("Spring whitening"), QStringLiteral("active"), 100'000'000, 40'000'000);
    f.otherCampaignId
        = addCampaign(QStringLiteral("Local search"), QStringLiteral("paused"), std::nullopt, 0);
    const QDate today = m_server->clock().now().date();
    auto report = services::buildReport(store(), m_acmeId, f.campaignId,
        QStringLiteral("monthly_performance"), today.addDays(-30), today.addDays(-1), now());
    if (report.ok()) {
        f.reportId = report->id;
        if (auto r = store().insight.reports.insert(*report); !r.ok())
            qWarning() << r.error().message;
    }
    store::AdCampaign ad;
    ad.id = Ulid::generate();
    ad.tenantId = m_acmeId;
    ad.campaignId = f.campaignId;
    ad.platform = QStringLiteral("google_ads");
    ad.externalId = QStringLiteral("7310-1");
    ad.name = QStringLiteral("Search — whitening");
    ad.spendMicros = 200'000'000;
    ad.impressions = 10'000;
    ad.clicks = 400;
    ad.conversions = 20;
    ad.syncedAtMs = now();
    ad.createdAtMs = now();
    if (auto r = store().insight.paidAds.insertCampaign(ad); !r.ok())
        qWarning() << r.error().message;
    f.adCampaignId = ad.id;
    store::SearchTerm term;
    term.id = Ulid::generate();
    term.tenantId = m_acmeId;
    term.adCampaignId = ad.id;
    term.term = QStringLiteral("teeth whitening price");
    term.matchType = QStringLiteral("broad");
    term.classification = QStringLiteral("watch");
    term.impressions = 1000;
    term.clicks = 50;
    term.costMicros = 25'000'000;
    term.createdAtMs = now();
    term.updatedAtMs = now();
    if (auto r = store().insight.paidAds.insertTerm(term); !r.ok())
        qWarning() << r.error().message;
    f.termId = term.id;
    store::RecurringTask task;
    task.id = Ulid::generate();
    task.tenantId = m_acmeId;
    task.name = QStringLiteral("Monthly performance report");
    task.description = QStringLiteral("Summarise last month.");
    task.agentRole = QStringLiteral("analyst");
    task.activityType = QStringLiteral("performance_report");
    task.periodicity = QStringLiteral("monthly");
    task.variables
        = {QJsonObject {{QStringLiteral("key"), QStringLiteral("recipients")},
               {QStringLiteral("label"), QStringLiteral("Send to")},
               {QStringLiteral("type"), QStringLiteral("string")}, {QStringLiteral("required"), true}},
            QJsonObject {{QStringLiteral("key"), QStringLiteral("maxPages")},
                {QStringLiteral("label"), QStringLiteral("Pages")},
                {QStringLiteral("type"), QStringLiteral("number")}, {QStringLiteral("required"), false}}};
    task.variableValues = {{QStringLiteral("recipients"), QStringLiteral("team@acme.test")}};
    task.nextRunAtMs = services::RecurringTasks::nextRunAfter(task.periodicity, now());
    task.createdAtMs = now();
    task.updatedAtMs = now();
    if (auto r = store().insight.recurringTasks.insert(task); !r.ok())
        qWarning() << r.error().message;
    f.taskId = task.id;
    store::ChatConversation conv {Ulid::generate(), m_acmeId, m_adminUserId, QStringLiteral("Spend?"),
        QStringLiteral("Spend?"), now(), now()};
    if (auto r = store().insight.chat.insertConversation(conv); !r.ok())
        qWarning() << r.error().message;
    f.conversationId = conv.id;
    return f;
}

QByteArray TestInsightApi::expand(QByteArray path, const InsightFixture &f) const
{
    path.replace("{report}", f.reportId.toLatin1());
    path.replace("{term}", f.termId.toLatin1());
    path.replace("{task}", f.taskId.toLatin1());
    path.replace("{conversation}", f.conversationId.toLatin1());
    path.replace("{campaign}", f.campaignId.toLatin1());
    return path;
}

QStringList TestInsightApi::detailFields(const HttpReply &r)
{
    QStringList out;
    for (const QJsonValue &d :
        r.json().value(QStringLiteral("error")).toObject().value(QStringLiteral("details")).toArray())
        out.append(d.toObject().value(QStringLiteral("field")).toString());
    return out;
}

store::AuditEntry TestInsightApi::lastAudit()
{
    auto rows = store().audit.list(acme(), {}, 1);
    return rows.ok() && !rows->isEmpty() ? rows->first() : store::AuditEntry {};
}

void TestInsightApi::access_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("who");
    QTest::addColumn<int>("status");

    const QByteArray classify = R"({"classification":"negative"})";
    const QByteArray patch = R"({"isActive":false})";
    int n = 0;
    const auto row = [&n](const char *name, const QByteArray &method, const QByteArray &path,
                         const QByteArray &body, const char *who, int status) {
        QTest::newRow(
            qPrintable(QStringLiteral("%1-%2").arg(QLatin1String(name)).arg(++n, 2, 10, QLatin1Char('0'))))
            << method << path << body << QString::fromLatin1(who) << status;
    };
    for (const char *who : {"admin", "member", "reviewer"}) {
        row("audit-read", "GET", "/dashboard/v1/audit-log", {}, who, 200);
        row("logs-read", "GET", "/dashboard/v1/logs", {}, who, 200);
        row("spend-read", "GET", "/dashboard/v1/analytics/spend", {}, who, 200);
        row("performance-read", "GET", "/dashboard/v1/analytics/performance", {}, who, 200);
        row("org-chart-read", "GET", "/dashboard/v1/org-chart", {}, who, 200);
        row("reports-read", "GET", "/dashboard/v1/reports", {}, who, 200);
        row("report-read", "GET", "/dashboard/v1/reports/{report}", {}, who, 200);
        row("ads-read", "GET", "/dashboard/v1/paid-ads/campaigns", {}, who, 200);
        row("terms-read", "GET", "/dashboard/v1/paid-ads/search-terms", {}, who, 200);
        row("tasks-read", "GET", "/dashboard/v1/recurring-tasks", {}, who, 200);
        row("conversations-read", "GET", "/dashboard/v1/chat/conversations", {}, who, 200);
    }
    row("classify-admin", "PATCH", "/dashboard/v1/paid-ads/search-terms/{term}/classify", classify, "admin",
        200);
    row("classify-member", "PATCH", "/dashboard/v1/paid-ads/search-terms/{term}/classify", classify, "member",
        200);
    row("classify-reviewer", "PATCH", "/dashboard/v1/paid-ads/search-terms/{term}/classify", classify,
        "reviewer", 403);
    row("task-patch-admin", "PATCH", "/dashboard/v1/recurring-tasks/{task}", patch, "admin", 200);
    row("task-patch-member", "PATCH", "/dashboard/v1/recurring-tasks/{task}", patch, "member", 403);
    row("task-patch-reviewer", "PATCH", "/dashboard/v1/recurring-tasks/{task}", patch, "reviewer", 403);
    row("task-run-admin", "POST", "/dashboard/v1/recurring-tasks/{task}/run", {}, "admin", 202);
    row("task-run-member", "POST", "/dashboard/v1/recurring-tasks/{task}/run", {}, "member", 403);
    row("task-run-reviewer", "POST", "/dashboard/v1/recurring-tasks/{task}/run", {}, "reviewer", 403);
    row("conversation-owner", "GET", "/dashboard/v1/chat/conversations/{conversation}", {}, "admin", 200);
    // Conversations are the user's own: a colleague's is not found.
    row("conversation-colleague", "GET", "/dashboard/v1/chat/conversations/{conversation}", {}, "member",
        404);
    row("conversation-delete-colleague", "DELETE", "/dashboard/v1/chat/conversations/{conversation}", {},
        "member", 404);
    // Another tenant's ids are not found, and nothing changes.
    row("isolation-report", "GET", "/dashboard/v1/reports/{report}", {}, "globex", 404);
    row("isolation-classify", "PATCH", "/dashboard/v1/paid-ads/search-terms/{term}/classify", classify,
        "globex", 404);
    row("isolation-task-patch", "PATCH", "/dashboard/v1/recurring-tasks/{task}", patch, "globex", 404);
    row("isolation-task-run", "POST", "/dashboard/v1/recurring-tasks/{task}/run", {}, "globex", 404);
    row("isolation-conversation", "GET", "/dashboard/v1/chat/conversations/{conversation}", {}, "globex",
        404);
    row("isolation-conversation-delete", "DELETE", "/dashboard/v1/chat/conversations/{conversation}", {},
        "globex", 404);
    row("isolation-chat-context", "POST", "/dashboard/v1/chat/message",
        R"({"message":"hi","context":{"campaignId":"{campaign}"}})", "globex", 404);
    row("isolation-chat-conversation", "POST", "/dashboard/v1/chat/message",
        R"({"message":"hi","conversationId":"{conversation}"})", "globex", 404);
    row("anonymous-audit", "GET", "/dashboard/v1/audit-log", {}, "nobody", 401);
    row("anonymous-chat", "POST", "/dashboard/v1/chat/message", R"({"message":"hi"})", "nobody", 401);
}

void TestInsightApi::access()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, path);
    QFETCH(QByteArray, body);
    QFETCH(QString, who);
    QFETCH(int, status);
    const InsightFixture f = makeFixture();
    addAgents(m_globexId);
    const qint64 auditBefore = store().audit.list(acme(), {}, 1000)->size();
    const auto termBefore = store().insight.paidAds.findTerm(acme(), f.termId);
    const auto taskBefore = store().insight.recurringTasks.find(acme(), f.taskId);
    const HttpReply r = call(method, expand(path, f), tokenFor(who), expand(body, f));
    QVERIFY2(
        r.status == status, qPrintable(QStringLiteral("%1 %2").arg(r.status).arg(QString::fromUtf8(r.body))));
    if (status >= 400) {
        // Refused calls change nothing.
        QCOMPARE(qint64(store().audit.list(acme(), {}, 1000)->size()), auditBefore);
        QCOMPARE(store().insight.paidAds.findTerm(acme(), f.termId).value()->classification,
            termBefore.value()->classification);
        QCOMPARE(store().insight.recurringTasks.find(acme(), f.taskId).value()->isActive,
            taskBefore.value()->isActive);
        QVERIFY(store().insight.chat.find(acme(), m_adminUserId, f.conversationId).value().has_value());
    }
}

void TestInsightApi::queryValidation_data()
{
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("issue");
    QTest::newRow("audit-limit-zero-01") << QByteArray("/dashboard/v1/audit-log?limit=0") << "limit"
                                         << "out_of_range";
    QTest::newRow("audit-limit-big-02") << QByteArray("/dashboard/v1/audit-log?limit=101") << "limit"
                                        << "out_of_range";
    QTest::newRow("audit-start-date-03")
        << QByteArray("/dashboard/v1/audit-log?filter[startDate]=yesterday") << "filter[startDate]"
        << "invalid_date";
    QTest::newRow("audit-cursor-04") << QByteArray("/dashboard/v1/audit-log?cursor=zzz") << "cursor"
                                     << "invalid";
    QTest::newRow("audit-action-long-05")
        << QByteArray("/dashboard/v1/audit-log?filter[action]=") + QByteArray(129, 'a') << "filter[action]"
        << "too_long";
    QTest::newRow("logs-level-06") << QByteArray("/dashboard/v1/logs?filter[level]=fatal") << "filter[level]"
                                   << "invalid";
    QTest::newRow("logs-category-07")
        << QByteArray("/dashboard/v1/logs?filter.category=payments") << "filter[category]"
        << "invalid";
    QTest::newRow("logs-end-date-08")
        << QByteArray("/dashboard/v1/logs?filter[endDate]=2026-13-01") << "filter[endDate]"
        << "invalid_date";
    QTest::newRow("spend-period-09") << QByteArray("/dashboard/v1/analytics/spend?period=year") << "period"
                                     << "invalid";
    QTest::newRow("spend-group-10") << QByteArray("/dashboard/v1/analytics/spend?groupBy=tenant") << "groupBy"
                                    << "invalid";
    QTest::newRow("spend-start-11") << QByteArray("/dashboard/v1/analytics/spend?startDate=01/02/2026")
                                    << "startDate"
                                    << "invalid_date";
    QTest::newRow("spend-order-12") << QByteArray(
        "/dashboard/v1/analytics/spend?startDate=2026-03-10&endDate=2026-03-01")
                                    << "endDate"
                                    << "before_start_date";
    QTest::newRow("spend-window-13") << QByteArray(
        "/dashboard/v1/analytics/spend?startDate=2024-01-01&endDate=2026-01-01")
                                     << "startDate"
                                     << "out_of_range";
    QTest::newRow("reports-status-14")
        << QByteArray("/dashboard/v1/reports?filter[status]=sent") << "filter[status]"
        << "invalid";
    QTest::newRow("reports-type-15") << QByteArray("/dashboard/v1/reports?filter[type]=weekly")
                                     << "filter[type]"
                                     << "invalid";
    QTest::newRow("reports-start-16")
        << QByteArray("/dashboard/v1/reports?filter[startDate]=2026-02-30") << "filter[startDate]"
        << "invalid_date";
    QTest::newRow("terms-class-17") << QByteArray(
        "/dashboard/v1/paid-ads/search-terms?filter[classification]=spam")
                                    << "filter[classification]"
                                    << "invalid";
    QTest::newRow("ads-platform-18") << QByteArray("/dashboard/v1/paid-ads/campaigns?filter[platform]=tiktok")
                                     << "filter[platform]"
                                     << "invalid";
    QTest::newRow("ads-limit-19") << QByteArray("/dashboard/v1/paid-ads/campaigns?limit=abc") << "limit"
                                  << "must_be_integer";
}

void TestInsightApi::queryValidation()
{
    QFETCH(QByteArray, path);
    QFETCH(QString, field);
    QFETCH(QString, issue);
    const HttpReply r = get(path, m_admin);
    QCOMPARE(r.status, 400);
    QCOMPARE(r.errorCode(), QStringLiteral("VALIDATION_ERROR"));
    const QJsonArray details
        = r.json().value(QStringLiteral("error")).toObject().value(QStringLiteral("details")).toArray();
    bool found = false;
    for (const QJsonValue &d : details)
        found |= d.toObject().value(QStringLiteral("field")).toString() == field
            && d.toObject().value(QStringLiteral("issue")).toString() == issue;
    QVERIFY2(found, r.body.constData());
}

void TestInsightApi::auditLog()
{
    const InsightFixture f = makeFixture();
    // Two mutations through the API, by two people.
    QCOMPARE(call("PATCH", "/dashboard/v1/paid-ads/search-terms/" + f.termId.toLatin1() + "/classify",
                 m_member, R"({"classification":"negative","note":"job seekers"})")
                 .status,
        200);
    QCOMPARE(call("PATCH", "/dashboard/v1/recurring-tasks/" + f.taskId.toLatin1(), m_admin,
                 R"({"isActive":false})")
                 .status,
        200);
    // Platform rows and another tenant's rows stay out.
    store::AuditEntry foreign;
    foreign.tenantId = m_globexId;
    foreign.action = QStringLiteral("campaign.created");
    foreign.targetType = QStringLiteral("campaign");
    foreign.createdAtMs = now();
    QVERIFY(store().audit.append(foreign).ok());

    const HttpReply all = get("/dashboard/v1/audit-log", m_reviewer);
    QCOMPARE(all.status, 200);
    const QJsonArray rows = all.json().value(QStringLiteral("data")).toArray();
    QVERIFY(rows.size() >= 2);
    for (const QJsonValue &v : rows)
        QVERIFY(v.toObject().value(QStringLiteral("entityType")).toString() != QLatin1String("campaign"));
    const QJsonObject newest = rows.at(0).toObject();
    QCOMPARE(newest.value(QStringLiteral("entityType")).toString(), QStringLiteral("recurring_task"));
    QCOMPARE(newest.value(QStringLiteral("entityId")).toString(), f.taskId);
    QCOMPARE(newest.value(QStringLiteral("action")).toString(), QStringLiteral("recurring_task.updated"));
    QCOMPARE(newest.value(QStringLiteral("actorType")).toString(), QStringLiteral("user"));
    QCOMPARE(newest.value(QStringLiteral("actorId")).toString(), m_adminUserId);
    QCOMPARE(newest.value(QStringLiteral("actorName")).toString(), QStringLiteral("Alex Acme"));
    QCOMPARE(newest.value(QStringLiteral("ip")).toString(), QStringLiteral("127.0.0.1"));
    const QJsonObject active
        = newest.value(QStringLiteral("changes")).toObject().value(QStringLiteral("isActive")).toObject();
    QCOMPARE(active.value(QStringLiteral("from")).toBool(), true);
    QCOMPARE(active.value(QStringLiteral("to")).toBool(), false);
    QVERIFY(all.json().value(QStringLiteral("pagination")).toObject().value(QStringLiteral("limit")).toInt()
        == 50);

    // filter[action] takes the stored name or its last segment; entityType and userId filter.
    const auto only = [this](const QByteArray &query) {
        return get("/dashboard/v1/audit-log?" + query, m_admin)
            .json()
            .value(QStringLiteral("data"))
            .toArray();
    };
    QCOMPARE(only("filter[action]=classified").size(), 1);
    QCOMPARE(only("filter[action]=search_term.classified").size(), 1);
    QCOMPARE(only("filter[action]=approved").size(), 0);
    const QJsonArray byTerm = only("filter[entityType]=search_term&filter[entityId]=" + f.termId.toLatin1());
    QCOMPARE(byTerm.size(), 1);
    QCOMPARE(
        byTerm.at(0).toObject().value(QStringLiteral("actorName")).toString(), QStringLiteral("Morgan Acme"));
    QCOMPARE(byTerm.at(0)
                 .toObject()
                 .value(QStringLiteral("changes"))
                 .toObject()
                 .value(QStringLiteral("classification"))
                 .toObject()
                 .value(QStringLiteral("to"))
                 .toString(),
        QStringLiteral("negative"));
    QCOMPARE(
        only("filter[userId]=" + m_adminUserId.toLatin1() + "&filter[entityType]=recurring_task").size(), 1);
    QCOMPARE(
        only("filter[userId]=" + m_adminUserId.toLatin1() + "&filter[entityType]=search_term").size(), 0);
    const QByteArray tomorrow = m_server->clock().now().date().addDays(1).toString(Qt::ISODate).toLatin1();
    const QByteArray today = m_server->clock().now().date().toString(Qt::ISODate).toLatin1();
    QCOMPARE(only("filter[startDate]=" + tomorrow).size(), 0);
    QVERIFY(only("filter[startDate]=" + today + "&filter[endDate]=" + today).size() >= 2);

    // Keyset pages: limit 1 walks every row once.
    QSet<QString> seen;
    QByteArray cursor;
    for (int i = 0; i < 10; ++i) {
        const HttpReply page
            = get("/dashboard/v1/audit-log?limit=1" + (cursor.isEmpty() ? QByteArray() : "&cursor=" + cursor),
                m_admin);
        const QJsonArray data = page.json().value(QStringLiteral("data")).toArray();
        for (const QJsonValue &v : data)
            QVERIFY(!seen.contains(v.toObject().value(QStringLiteral("id")).toString()));
        for (const QJsonValue &v : data)
            seen.insert(v.toObject().value(QStringLiteral("id")).toString());
        const QJsonValue next
            = page.json().value(QStringLiteral("pagination")).toObject().value(QStringLiteral("nextCursor"));
        if (next.isNull())
            break;
        cursor = next.toString().toLatin1();
    }
    QCOMPARE(seen.size(), rows.size());
}

void TestInsightApi::engineLogs()
{
    const InsightFixture f = makeFixture();
    // Run the report task now: the analyst's run goes through the job queue and the simulator.
    const HttpReply run
        = call("POST", "/dashboard/v1/recurring-tasks/" + f.taskId.toLatin1() + "/run", m_admin);
    QCOMPARE(run.status, 202);
    const QString activityId = run.json().value(QStringLiteral("activityId")).toString();
    QElapsedTimer timer;
    timer.start();
    QJsonArray entries;
    while (timer.elapsed() < 15000) {
        entries = get(
            "/dashboard/v1/logs?filter[activityId]=" + activityId.toLatin1() + "&filter[category]=agent",
            m_member)
                      .json()
                      .value(QStringLiteral("data"))
                      .toArray();
        if (entries.size() >= 2)
            break;
        QThread::msleep(50);
    }
    QCOMPARE(entries.size(), 2);
    QCOMPARE(entries.at(0).toObject().value(QStringLiteral("message")).toString(),
        QStringLiteral("Run completed"));
    QCOMPARE(
        entries.at(1).toObject().value(QStringLiteral("message")).toString(), QStringLiteral("Run started"));
    QCOMPARE(
        entries.at(1).toObject().value(QStringLiteral("agentRole")).toString(), QStringLiteral("analyst"));
    QCOMPARE(entries.at(1).toObject().value(QStringLiteral("level")).toString(), QStringLiteral("info"));
    QVERIFY(!entries.at(1)
                 .toObject()
                 .value(QStringLiteral("context"))
                 .toObject()
                 .value(QStringLiteral("runId"))
                 .toString()
                 .isEmpty());
    const QJsonArray system = get("/dashboard/v1/logs?filter[category]=system", m_admin)
                                  .json()
                                  .value(QStringLiteral("data"))
                                  .toArray();
    QVERIFY(!system.isEmpty());
    QVERIFY(system.at(0)
                .toObject()
                .value(QStringLiteral("message"))
                .toString()
                .startsWith(QLatin1String("Recurring task started")));
    // Another tenant sees none of it.
    QCOMPARE(get("/dashboard/v1/logs", m_globex).json().value(QStringLiteral("data")).toArray().size(), 0);
}

void TestInsightApi::engineApprovalAndBillingLogs()
{
    const InsightFixture f = makeFixture();
    // The analyst asks for an approval, its tokens are priced, and the campaign is near its cap.
    auto analyst = store().agents.findByRole(acme(), QStringLiteral("analyst"));
    QVERIFY(analyst.ok() && analyst->has_value());
    store::AgentConfig a = **analyst;
    a.adapterConfig.insert(QStringLiteral("forceAction"), QStringLiteral("approval"));
    QVERIFY(store().agents.update(acme(), a).ok());
    QVERIFY(store()
                .agents.upsertPrice({QStringLiteral("simulator-1"), 1'000'000'000, 1'000'000'000}, now())
                .ok());
    auto spent = store().db().query(QStringLiteral("UPDATE campaigns SET spent_micros = ? WHERE id = ?"));
    spent.bind(89'990'000).bind(f.campaignId);
    QVERIFY(spent.exec().ok());
    QCOMPARE(
        call("POST", "/dashboard/v1/recurring-tasks/" + f.taskId.toLatin1() + "/run", m_admin).status, 202);
    // A job nobody handles dies after its one attempt.
    QVERIFY(m_server->host().jobQueue().enqueue({QStringLiteral("no_such_kind"), m_acmeId, {}, 0, 1}).ok());
    m_server->host().engine().wakeWorkers();

    const auto messages = [this](const QByteArray &category) {
        QStringList out;
        for (const QJsonValue &v : get("/dashboard/v1/logs?filter[category]=" + category, m_admin)
                                       .json()
                                       .value(QStringLiteral("data"))
                                       .toArray())
            out.append(v.toObject().value(QStringLiteral("message")).toString());
        return out;
    };
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < 15000
        && (messages("approval").isEmpty() || messages("billing").isEmpty() || messages("tool").isEmpty()
            || !messages("system").join(QLatin1Char('|')).contains(QLatin1String("dead"))))
        QThread::msleep(50);
    QVERIFY(messages("approval").value(0).startsWith(QLatin1String("Approval requested")));
    QCOMPARE(messages("tool").value(0), QStringLiteral("Tool call: create_approval"));
    QCOMPARE(messages("billing").value(0), QStringLiteral("Campaign spend passed 90% of its budget cap"));
    QVERIFY(messages("system").contains(QStringLiteral("Job no_such_kind is dead after 1 attempts")));
    const QJsonArray warn = get("/dashboard/v1/logs?filter[level]=warn", m_admin)
                                .json()
                                .value(QStringLiteral("data"))
                                .toArray();
    QCOMPARE(warn.size(), 1);
    QCOMPARE(warn.at(0)
                 .toObject()
                 .value(QStringLiteral("context"))
                 .toObject()
                 .value(QStringLiteral("campaignId"))
                 .toString(),
        f.campaignId);

    // Resolving the approval is logged with who decided.
    auto pending = store().approvals.list(acme(), {QStringLiteral("pending"), {}, {}}, {{}, 10, true});
    QVERIFY(pending.ok() && pending->items.size() == 1);
    QCOMPARE(call("POST", "/dashboard/v1/approvals/" + pending->items.first().id.toLatin1() + "/resolve",
                 m_reviewer, R"({"resolution":"approved"})")
                 .status,
        200);
    QCOMPARE(messages("approval").value(0), QStringLiteral("Approval approved by Robin Acme"));
}

void TestInsightApi::logsFilters()
{
    const qint64 t = now();
    const auto add = [this](const QString &tenant, const char *level, const char *category,
                         const QString &activity, const char *role, qint64 at) {
        store::LogEntry e {tenant, QString::fromLatin1(level), QString::fromLatin1(category),
            QStringLiteral("m"), {}, activity, QString::fromLatin1(role), at};
        QVERIFY(
            store().insight.logs.append(e, Ulid::generate(QDateTime::fromMSecsSinceEpoch(at, Qt::UTC))).ok());
    };
    add(m_acmeId, "info", "agent", QStringLiteral("A1"), "copywriter", t - 3 * 24 * 3600 * 1000LL);
    add(m_acmeId, "error", "agent", QStringLiteral("A1"), "copywriter", t - 2 * 24 * 3600 * 1000LL);
    add(m_acmeId, "warn", "billing", {}, "", t - 1000);
    add(m_acmeId, "info", "tool", QStringLiteral("A2"), "seo_specialist", t);
    add({}, "error", "system", {}, "", t); // a platform record
    add(m_globexId, "error", "agent", {}, "copywriter", t);
    const auto count = [this](const QByteArray &query) {
        return get("/dashboard/v1/logs" + query, m_admin)
            .json()
            .value(QStringLiteral("data"))
            .toArray()
            .size();
    };
    QCOMPARE(count(""), 4);
    QCOMPARE(count("?filter[level]=error"), 1);
    QCOMPARE(count("?filter[category]=agent"), 2);
    QCOMPARE(count("?filter[agentRole]=copywriter"), 2);
    QCOMPARE(count("?filter[activityId]=A2"), 1);
    const QByteArray yesterday = m_server->clock().now().date().addDays(-1).toString(Qt::ISODate).toLatin1();
    QCOMPARE(count("?filter[startDate]=" + yesterday), 2);
    const QDateTime twoDaysAgo = QDateTime::fromMSecsSinceEpoch(t - 2 * 24 * 3600 * 1000LL, Qt::UTC);
    QCOMPARE(count("?filter[endDate]=" + twoDaysAgo.toString(Qt::ISODateWithMs).toLatin1()), 2);
    const HttpReply page = get("/dashboard/v1/logs?limit=2", m_admin);
    QCOMPARE(
        page.json().value(QStringLiteral("pagination")).toObject().value(QStringLiteral("hasMore")).toBool(),
        true);
    QCOMPARE(get("/dashboard/v1/logs", m_admin)
                 .json()
                 .value(QStringLiteral("pagination"))
                 .toObject()
                 .value(QStringLiteral("limit"))
                 .toInt(),
        100);
}

} // namespace lm::test

QTEST_GUILESS_MAIN(lm::test::TestInsightApi)
