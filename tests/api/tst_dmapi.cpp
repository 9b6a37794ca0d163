// SPDX-License-Identifier: GPL-3.0-or-later
// /dm/v1: roles, overview, the cross-tenant queue (order, filters, paging), detail, resolve, bulk.
#include "tst_dmapi.h"

#include <QSet>

using namespace lm;

namespace lm::test {

namespace {
constexpr qint64 kHour = 3600LL * 1000;

QByteArray json(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QByteArray brief()
{
    return json({{QStringLiteral("name"), QStringLiteral("Spring push")},
        {QStringLiteral("brief"), QStringLiteral("Grow bookings in spring.")},
        {QStringLiteral("deliverables"),
            QJsonArray {QJsonObject {
                {QStringLiteral("type"), QStringLiteral("blog_post")}, {QStringLiteral("quantity"), 1}}}},
        {QStringLiteral("budgetCapUsd"), 250.5}});
}
} // namespace

void TestDmApi::init()
{
    TestServer::Settings settings;
    settings.workers = 0;
    m_server = std::make_unique<TestServer>(settings);
    QVERIFY2(m_server->error().isEmpty(), qPrintable(m_server->error()));
    QJsonObject answer;
    const auto userOf = [&answer](const char *key) {
        return answer.value(QStringLiteral("user")).toObject().value(QLatin1String(key)).toString();
    };
    m_dm = m_server->login(QStringLiteral("dm@leadmetrics.demo"), &answer);
    m_dmUserId = userOf("id");
    m_root = m_server->login(QStringLiteral("root@leadmetrics.demo"));
    m_acmeAdmin = m_server->login(QStringLiteral("admin@acme.demo"), &answer);
    m_acmeId = userOf("tenantId");
    m_acmeReviewer = m_server->login(QStringLiteral("reviewer@acme.demo"));
    m_globexAdmin = m_server->login(QStringLiteral("admin@globex.demo"), &answer);
    m_globexId = userOf("tenantId");
    QVERIFY(!m_dm.isEmpty() && !m_root.isEmpty() && !m_acmeAdmin.isEmpty() && !m_globexAdmin.isEmpty());
    m_acmeCampaign = createCampaign(m_acmeAdmin);
    m_globexCampaign = createCampaign(m_globexAdmin);
    QVERIFY(!m_acmeCampaign.isEmpty() && !m_globexCampaign.isEmpty());
}

void TestDmApi::cleanup()
{
    m_server.reset();
}

QByteArray TestDmApi::tokenFor(const QString &who) const
{
    if (who == QLatin1String("dm"))
        return m_dm;
    if (who == QLatin1String("root"))
        return m_root;
    if (who == QLatin1String("acmeAdmin"))
        return m_acmeAdmin;
    if (who == QLatin1String("acmeReviewer"))
        return m_acmeReviewer;
    if (who == QLatin1String("globexAdmin"))
        return m_globexAdmin;
    return {};
}

QString TestDmApi::createCampaign(const QByteArray &adminToken)
{
    const HttpReply r = post("/dashboard/v1/campaigns", adminToken, brief());
    if (r.status != 201)
        qWarning() << r.status << r.body;
    return r.json().value(QStringLiteral("id")).toString();
}

store::Activity TestDmApi::insertActivity(const QString &tenantId, const QString &status)
{
    store::Activity a;
    a.id = Ulid::generate();
    a.tenantId = tenantId;
    a.campaignId = tenantId == m_acmeId ? m_acmeCampaign : m_globexCampaign;
    a.title = QStringLiteral("Hand-made");
    a.type = QStringLiteral("blog_post");
    a.status = status;
    a.agentRole = QStringLiteral("copywriter");
    a.inputPrompt = QStringLiteral("Write it.");
    a.createdAtMs = now();
    a.updatedAtMs = now();
    if (auto r = store().activities.insert(a); !r.ok())
        qWarning() << r.error().message;
    return a;
}

QString TestDmApi::insertApproval(const QString &tenantId, const QString &risk, qint64 expiresInMs,
    const QString &title, QString *activityId)
{
    store::Activity held = insertActivity(tenantId, QStringLiteral("awaiting_approval"));
    store::Approval a;
    a.id = Ulid::generate();
    a.tenantId = tenantId;
    a.campaignId = held.campaignId;
    a.title = title.isEmpty() ? QStringLiteral("Review the draft") : title;
    a.type = QStringLiteral("content_review");
    a.riskLevel = risk;
    a.createdById = QStringLiteral("copywriter");
    a.createdByName = QStringLiteral("Sim copywriter");
    a.expiresAtMs = now() + expiresInMs;
    a.createdAtMs = now();
    a.updatedAtMs = now();
    if (auto r = store().approvals.insert(a, {held.id}); !r.ok())
        qWarning() << r.error().message;
    held.approvalId = a.id;
    if (auto r = store().activities.saveTransition(store::TenantScope::tenant(tenantId), held, held.status);
        !r.ok())
        qWarning() << r.error().message;
    if (activityId)
        *activityId = held.id;
    return a.id;
}

QString TestDmApi::statusOf(const QString &activityId)
{
    auto a = store().activities.find(store::TenantScope::allTenants(), activityId);
    return a.ok() && a->has_value() ? (*a)->status : QString();
}

QString TestDmApi::approvalStatus(const QString &approvalId)
{
    auto a = store().approvals.find(store::TenantScope::allTenants(), approvalId);
    return a.ok() && a->has_value() ? (*a)->status : QString();
}

QStringList TestDmApi::pageIds(const QByteArray &path, QString *nextCursor)
{
    const HttpReply r = get(path, m_dm);
    if (r.status != 200)
        qWarning() << path << r.status << r.body;
    QStringList ids;
    for (const QJsonValue &v : r.json().value(QStringLiteral("data")).toArray())
        ids.append(v.toObject().value(QStringLiteral("id")).toString());
    if (nextCursor)
        *nextCursor = r.json()
                          .value(QStringLiteral("pagination"))
                          .toObject()
                          .value(QStringLiteral("nextCursor"))
                          .toString();
    return ids;
}

QList<store::AuditEntry> TestDmApi::auditOf(const QString &action)
{
    QList<store::AuditEntry> out;
    auto rows = store().audit.listForActor(m_dmUserId, 500);
    if (!rows.ok())
        return out;
    for (const auto &row : std::as_const(*rows)) {
        if (row.action == action)
            out.append(row);
    }
    return out;
}

void TestDmApi::access_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QString>("who");
    QTest::addColumn<int>("status");
    const QList<std::pair<QByteArray, QByteArray>> routes {{"GET", "/dm/v1/overview"},
        {"GET", "/dm/v1/approvals"}, {"GET", "/dm/v1/approvals/{approval}"},
        {"POST", "/dm/v1/approvals/{approval}/resolve"}, {"POST", "/dm/v1/approvals/bulk/resolve"},
        {"GET", "/dm/v1/activities/{activity}"}, {"POST", "/dm/v1/activities/{running}/pause"},
        {"GET", "/dm/v1/events"}};
    int n = 0;
    for (const auto &[method, path] : routes) {
        const QByteArray name = path.mid(7).replace('/', '-').replace("{", "").replace("}", "");
        for (const auto &[who, status] : QList<std::pair<QString, int>> {{QStringLiteral("acmeAdmin"), 403},
                 {QStringLiteral("acmeReviewer"), 403}, {QStringLiteral("none"), 401}}) {
            QTest::addRow("access-%s-%s-%02d", name.constData(), qPrintable(who), ++n)
                << method << path << who << status;
        }
    }
    QTest::newRow("access-overview-dm-90")
        << QByteArray("GET") << QByteArray("/dm/v1/overview") << "dm" << 200;
    QTest::newRow("access-overview-root-91")
        << QByteArray("GET") << QByteArray("/dm/v1/overview") << "root" << 200;
    QTest::newRow("access-resolve-dm-92")
        << QByteArray("POST") << QByteArray("/dm/v1/approvals/{approval}/resolve") << "dm" << 200;
    QTest::newRow("access-resolve-root-93")
        << QByteArray("POST") << QByteArray("/dm/v1/approvals/{approval}/resolve") << "root" << 200;
    QTest::newRow("access-pause-root-94")
        << QByteArray("POST") << QByteArray("/dm/v1/activities/{running}/pause") << "root" << 200;
}

void TestDmApi::access()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, path);
    QFETCH(QString, who);
    QFETCH(int, status);
    QString heldId;
    const QString approval = insertApproval(m_acmeId, QStringLiteral("high"), 5 * kHour, {}, &heldId);
    const QString running = insertActivity(m_acmeId, QStringLiteral("in_progress")).id;
    path.replace("{approval}", approval.toLatin1()).replace("{activity}", heldId.toLatin1());
    path.replace("{running}", running.toLatin1());
    QByteArray body;
    if (path.endsWith("/bulk/resolve"))
        body = json({{QStringLiteral("ids"), QJsonArray {approval}},
            {QStringLiteral("resolution"), QStringLiteral("approved")}});
    else if (path.endsWith("/resolve"))
        body = R"({"resolution":"approved"})";
    const HttpReply r = call(method, path, tokenFor(who), body);
    QCOMPARE(r.status, status);
    if (status >= 400) {
        QCOMPARE(r.errorCode(), status == 403 ? QStringLiteral("FORBIDDEN") : QStringLiteral("UNAUTHORIZED"));
        // A refused call changes nothing.
        QCOMPARE(approvalStatus(approval), QStringLiteral("pending"));
        QCOMPARE(statusOf(running), QStringLiteral("in_progress"));
    }
}

void TestDmApi::overview()
{
    insertApproval(m_acmeId, QStringLiteral("high"), 5 * kHour);
    insertApproval(m_acmeId, QStringLiteral("low"), 48 * kHour);
    insertApproval(m_globexId, QStringLiteral("high"), 72 * kHour);
    insertActivity(m_acmeId, QStringLiteral("in_progress"));
    insertActivity(m_globexId, QStringLiteral("failed"));
    insertActivity(m_globexId, QStringLiteral("blocked"));
    // Acme's campaign is active with its 250.50 cap; Globex's stays uncapped.
    auto active = store().db().query(QStringLiteral("UPDATE campaigns SET status = 'active' WHERE id = ?"));
    active.bind(m_acmeCampaign);
    QVERIFY(active.exec().ok());
    auto uncapped
        = store().db().query(QStringLiteral("UPDATE campaigns SET budget_cap_micros = NULL WHERE id = ?"));
    uncapped.bind(m_globexCampaign);
    QVERIFY(uncapped.exec().ok());
    const store::Activity spent = insertActivity(m_acmeId, QStringLiteral("done"));
    auto run = store().db().query(QStringLiteral(
        "INSERT INTO runs (id, tenant_id, activity_id, agent_role, adapter_type, model, status, cost_micros,"
        " started_at) VALUES (?, ?, ?, 'copywriter', 'simulator', 'simulator-1', 'completed', 1250000, ?)"));
    run.bind(Ulid::generate()).bind(m_acmeId).bind(spent.id).bind(now());
    QVERIFY(run.exec().ok());

    const HttpReply r = get("/dm/v1/overview", m_dm);
    QCOMPARE(r.status, 200);
    QMap<QString, QJsonObject> byTenant;
    for (const QJsonValue &v : r.json().value(QStringLiteral("tenants")).toArray())
        byTenant.insert(
            v.toObject().value(QStringLiteral("tenant")).toObject().value(QStringLiteral("id")).toString(),
            v.toObject());
    QCOMPARE(byTenant.size(), 2);
    const QJsonObject acme = byTenant.value(m_acmeId);
    QCOMPARE(acme.value(QStringLiteral("tenant")).toObject().value(QStringLiteral("name")).toString(),
        QStringLiteral("Acme Dental"));
    const QJsonObject acmeApprovals = acme.value(QStringLiteral("approvals")).toObject();
    QCOMPARE(acmeApprovals.value(QStringLiteral("pending")).toInt(), 2);
    QCOMPARE(acmeApprovals.value(QStringLiteral("highRisk")).toInt(), 1);
    QCOMPARE(acmeApprovals.value(QStringLiteral("expiringIn24h")).toInt(), 1);
    QCOMPARE(
        acme.value(QStringLiteral("activities")).toObject().value(QStringLiteral("inProgress")).toInt(), 1);
    QCOMPARE(
        acme.value(QStringLiteral("spend")).toObject().value(QStringLiteral("monthToDateUsd")).toDouble(),
        1.25);
    QCOMPARE(
        acme.value(QStringLiteral("spend")).toObject().value(QStringLiteral("capUsd")).toDouble(), 250.5);
    const QJsonObject globex = byTenant.value(m_globexId);
    QCOMPARE(
        globex.value(QStringLiteral("activities")).toObject().value(QStringLiteral("failed")).toInt(), 1);
    QCOMPARE(
        globex.value(QStringLiteral("activities")).toObject().value(QStringLiteral("blocked")).toInt(), 1);
    QVERIFY(globex.value(QStringLiteral("spend")).toObject().value(QStringLiteral("capUsd")).isNull());
    const QJsonObject totals = r.json().value(QStringLiteral("totals")).toObject();
    QCOMPARE(totals.value(QStringLiteral("tenants")).toInt(), 2);
    QCOMPARE(
        totals.value(QStringLiteral("approvals")).toObject().value(QStringLiteral("pending")).toInt(), 3);
    QCOMPARE(
        totals.value(QStringLiteral("approvals")).toObject().value(QStringLiteral("highRisk")).toInt(), 2);
    QCOMPARE(
        totals.value(QStringLiteral("spend")).toObject().value(QStringLiteral("capUsd")).toDouble(), 250.5);

    // A platform audit row: who looked, from where.
    const auto rows = auditOf(QStringLiteral("dm.overview.read"));
    QCOMPARE(rows.size(), 1);
    QVERIFY(rows.first().tenantId.isEmpty());
    QCOMPARE(rows.first().ip, QStringLiteral("127.0.0.1"));
}

void TestDmApi::queueOrderAndFilters()
{
    // Across both tenants: high risk first, then the soonest expiry, then id.
    const QString acmeHigh5
        = insertApproval(m_acmeId, QStringLiteral("high"), 5 * kHour, QStringLiteral("Invoice wording"));
    const QString globexHigh2
        = insertApproval(m_globexId, QStringLiteral("high"), 2 * kHour, QStringLiteral("Bread ad"));
    const QString acmeMedium1
        = insertApproval(m_acmeId, QStringLiteral("medium"), 1 * kHour, QStringLiteral("Blog: whitening"));
    const QString globexLow
        = insertApproval(m_globexId, QStringLiteral("low"), kHour / 2, QStringLiteral("100% rye post"));
    const QString acmeHigh2
        = insertApproval(m_acmeId, QStringLiteral("high"), 2 * kHour, QStringLiteral("INVOICE reminder"));
    const QString decided
        = insertApproval(m_acmeId, QStringLiteral("high"), kHour, QStringLiteral("Decided"));
    QCOMPARE(post("/dm/v1/approvals/" + decided.toLatin1() + "/resolve", m_dm, R"({"resolution":"approved"})")
                 .status,
        200);

    QStringList highTwo {globexHigh2, acmeHigh2};
    std::sort(highTwo.begin(), highTwo.end()); // same risk and expiry: by id
    const QStringList expected = highTwo + QStringList {acmeHigh5, acmeMedium1, globexLow};
    const HttpReply r = get("/dm/v1/approvals", m_dm);
    QCOMPARE(r.status, 200);
    const QJsonArray data = r.json().value(QStringLiteral("data")).toArray();
    QStringList ids;
    for (const QJsonValue &v : data)
        ids.append(v.toObject().value(QStringLiteral("id")).toString());
    QCOMPARE(ids, expected);
    // The Dashboard's item plus its tenant.
    for (const QJsonValue &v : data) {
        const QJsonObject item = v.toObject();
        const QString id = item.value(QStringLiteral("id")).toString();
        const QJsonObject tenant = item.value(QStringLiteral("tenant")).toObject();
        const bool globex = id == globexHigh2 || id == globexLow;
        QCOMPARE(tenant.value(QStringLiteral("id")).toString(), globex ? m_globexId : m_acmeId);
        QCOMPARE(tenant.value(QStringLiteral("name")).toString(),
            globex ? QStringLiteral("Globex Bakery") : QStringLiteral("Acme Dental"));
        QCOMPARE(item.value(QStringLiteral("linkedActivities")).toArray().size(), 1);
        QCOMPARE(item.value(QStringLiteral("status")).toString(), QStringLiteral("pending"));
        QVERIFY(item.contains(QStringLiteral("expiresAt")) && item.contains(QStringLiteral("createdBy")));
    }

    QCOMPARE(pageIds("/dm/v1/approvals?filter[riskLevel]=high"), highTwo + QStringList {acmeHigh5});
    QCOMPARE(pageIds("/dm/v1/approvals?filter[tenantId]=" + m_globexId.toLatin1()),
        (QStringList {globexHigh2, globexLow}));
    QCOMPARE(pageIds("/dm/v1/approvals?filter[tenantId]=01ARZ3NDEKTSV4RRFFQ69G5FAV"), QStringList());
    QCOMPARE(pageIds("/dm/v1/approvals?filter[status]=approved"), QStringList {decided});
    QCOMPARE(pageIds("/dm/v1/approvals?filter[type]=budget_authorization"), QStringList());
    // Search: a case-insensitive substring of the title; wildcards are taken literally.
    QCOMPARE(pageIds("/dm/v1/approvals?search=invoice"), (QStringList {acmeHigh2, acmeHigh5}));
    QCOMPARE(pageIds("/dm/v1/approvals?search=100%25"), QStringList {globexLow});
    QCOMPARE(pageIds("/dm/v1/approvals?search=%25"), QStringList {globexLow});
    QCOMPARE(
        pageIds("/dm/v1/approvals?search=invoice&filter[tenantId]=" + m_globexId.toLatin1()), QStringList());

    // Each list read is one platform audit row naming what was asked.
    const auto rows = auditOf(QStringLiteral("dm.approvals.listed"));
    QCOMPARE(rows.size(), 10);
    QVERIFY(rows.first().tenantId.isEmpty());
}

void TestDmApi::queueQueryValidation_data()
{
    QTest::addColumn<QByteArray>("query");
    QTest::addColumn<QString>("field");
    QTest::newRow("queue-status-01") << QByteArray("filter[status]=sleeping") << "filter[status]";
    QTest::newRow("queue-risk-02") << QByteArray("filter[riskLevel]=extreme") << "filter[riskLevel]";
    QTest::newRow("queue-type-03") << QByteArray("filter[type]=poem") << "filter[type]";
    QTest::newRow("queue-limit-04") << QByteArray("limit=101") << "limit";
    QTest::newRow("queue-cursor-05") << QByteArray("cursor=garbage!") << "cursor";
    QTest::newRow("queue-search-long-06") << "search=" + QByteArray(201, 's') << "search";
}

void TestDmApi::queueQueryValidation()
{
    QFETCH(QByteArray, query);
    QFETCH(QString, field);
    const HttpReply r = get("/dm/v1/approvals?" + query, m_dm);
    QCOMPARE(r.status, 400);
    QCOMPARE(r.errorCode(), QStringLiteral("VALIDATION_ERROR"));
    QVERIFY2(r.body.contains(field.toLatin1()), r.body.constData());
}

void TestDmApi::queuePagingWhileInserting()
{
    QStringList all;
    for (int i = 0; i < 7; ++i)
        all.append(insertApproval(i % 2 ? m_acmeId : m_globexId,
            i < 3 ? QStringLiteral("high") : QStringLiteral("medium"), (10 + i) * kHour));
    QString cursor;
    QStringList seen = pageIds("/dm/v1/approvals?limit=3", &cursor);
    QCOMPARE(seen, all.mid(0, 3));
    QVERIFY(!cursor.isEmpty());
    // Inserted meanwhile: one that sorts before the cursor (next refresh), one after (a later page).
    const QString before = insertApproval(m_acmeId, QStringLiteral("high"), kHour);
    const QString after = insertApproval(m_globexId, QStringLiteral("low"), kHour);
    // And one already served is decided: the position holds.
    QCOMPARE(
        post("/dm/v1/approvals/" + all.at(2).toLatin1() + "/resolve", m_dm, R"({"resolution":"approved"})")
            .status,
        200);
    while (!cursor.isEmpty()) {
        QString next;
        seen += pageIds("/dm/v1/approvals?limit=3&cursor=" + cursor.toLatin1(), &next);
        cursor = next;
    }
    QCOMPARE(seen, all + QStringList {after});
    QVERIFY(!seen.contains(before));
    QCOMPARE(pageIds("/dm/v1/approvals?limit=100").first(), before);
}

void TestDmApi::detailAndResolve()
{
    QString heldId;
    const QString id = insertApproval(
        m_globexId, QStringLiteral("medium"), 30 * kHour, QStringLiteral("Bread ad"), &heldId);
    const HttpReply detail = get("/dm/v1/approvals/" + id.toLatin1(), m_dm);
    QCOMPARE(detail.status, 200);
    QCOMPARE(detail.json().value(QStringLiteral("tenant")).toObject().value(QStringLiteral("id")).toString(),
        m_globexId);
    QCOMPARE(detail.json()
                 .value(QStringLiteral("linkedActivities"))
                 .toArray()
                 .first()
                 .toObject()
                 .value(QStringLiteral("id"))
                 .toString(),
        heldId);
    QCOMPARE(get("/dm/v1/approvals/01ARZ3NDEKTSV4RRFFQ69G5FAV", m_dm).status, 404);
    // The read is audited in the approval's tenant; the unknown id wrote nothing.
    const auto reads = auditOf(QStringLiteral("dm.approval.read"));
    QCOMPARE(reads.size(), 1);
    QCOMPARE(reads.first().tenantId, m_globexId);
    QCOMPARE(reads.first().targetId, id);

    const QByteArray resolve = "/dm/v1/approvals/" + id.toLatin1() + "/resolve";
    QCOMPARE(post(resolve, m_dm, R"({"resolution":"rejected"})").status, 400); // a note is required
    QCOMPARE(post(resolve, m_dm, R"({"resolution":"maybe"})").status, 400);
    QCOMPARE(approvalStatus(id), QStringLiteral("pending"));
    QCOMPARE(post("/dm/v1/approvals/01ARZ3NDEKTSV4RRFFQ69G5FAV/resolve", m_dm, R"({"resolution":"approved"})")
                 .status,
        404);
    const HttpReply r = post(resolve, m_dm, R"({"resolution":"revision_requested","note":"Warmer, please"})");
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json(),
        (QJsonObject {{QStringLiteral("approvalId"), id},
            {QStringLiteral("resolution"), QStringLiteral("revision_requested")},
            {QStringLiteral("reEnqueuedActivities"), 1}}));
    QCOMPARE(approvalStatus(id), QStringLiteral("rejected"));
    QCOMPARE(statusOf(heldId), QStringLiteral("assigned")); // re-enqueued with the reviewer's note
    const HttpReply again = post(resolve, m_dm, R"({"resolution":"approved"})");
    QCOMPARE(again.status, 409);
    QCOMPARE(again.errorCode(), QStringLiteral("CONFLICT"));
    // The decision is in the tenant's audit log, by the DM reviewer.
    const auto decisions = auditOf(QStringLiteral("approval.revision_requested"));
    QCOMPARE(decisions.size(), 1);
    QCOMPARE(decisions.first().tenantId, m_globexId);
    QCOMPARE(decisions.first().targetId, id);
    // The tenant's own reviewers see who decided.
    const HttpReply seen = get("/dashboard/v1/approvals/" + id.toLatin1(), m_globexAdmin);
    QCOMPARE(
        seen.json().value(QStringLiteral("resolvedBy")).toObject().value(QStringLiteral("id")).toString(),
        m_dmUserId);
    QVERIFY(!seen.json()
                 .value(QStringLiteral("resolvedBy"))
                 .toObject()
                 .value(QStringLiteral("name"))
                 .toString()
                 .isEmpty());
}

void TestDmApi::bulkResolve()
{
    QString heldA, heldB, heldDone;
    const QString a = insertApproval(m_acmeId, QStringLiteral("high"), 5 * kHour, {}, &heldA);
    const QString b = insertApproval(m_globexId, QStringLiteral("low"), 5 * kHour, {}, &heldB);
    const QString done = insertApproval(m_acmeId, QStringLiteral("low"), 5 * kHour, {}, &heldDone);
    QCOMPARE(
        post("/dm/v1/approvals/" + done.toLatin1() + "/resolve", m_dm, R"({"resolution":"approved"})").status,
        200);
    const QString unknown = QStringLiteral("01ARZ3NDEKTSV4RRFFQ69G5FAV");
    const HttpReply r = post("/dm/v1/approvals/bulk/resolve", m_dm,
        json({{QStringLiteral("ids"), QJsonArray {a, unknown, done, b}},
            {QStringLiteral("resolution"), QStringLiteral("approved")},
            {QStringLiteral("note"), QStringLiteral("LGTM")}}));
    QCOMPARE(r.status, 200);
    const QJsonArray results = r.json().value(QStringLiteral("results")).toArray();
    QCOMPARE(results.size(), 4);
    const QStringList order {a, unknown, done, b};
    for (int i = 0; i < 4; ++i)
        QCOMPARE(results[i].toObject().value(QStringLiteral("approvalId")).toString(), order[i]);
    QCOMPARE(results[0].toObject().value(QStringLiteral("ok")).toBool(), true);
    QCOMPARE(
        results[0].toObject().value(QStringLiteral("resolution")).toString(), QStringLiteral("approved"));
    QCOMPARE(results[0].toObject().value(QStringLiteral("reEnqueuedActivities")).toInt(), 1);
    QCOMPARE(results[1].toObject().value(QStringLiteral("ok")).toBool(), false);
    QCOMPARE(results[1]
                 .toObject()
                 .value(QStringLiteral("error"))
                 .toObject()
                 .value(QStringLiteral("code"))
                 .toString(),
        QStringLiteral("NOT_FOUND"));
    QCOMPARE(results[2].toObject().value(QStringLiteral("ok")).toBool(), false);
    QCOMPARE(results[2]
                 .toObject()
                 .value(QStringLiteral("error"))
                 .toObject()
                 .value(QStringLiteral("code"))
                 .toString(),
        QStringLiteral("CONFLICT"));
    QVERIFY(!results[2].toObject().contains(QStringLiteral("resolution")));
    QCOMPARE(results[3].toObject().value(QStringLiteral("ok")).toBool(), true);
    // The others were applied, across tenants, and their activities re-enqueued.
    QCOMPARE(approvalStatus(a), QStringLiteral("approved"));
    QCOMPARE(approvalStatus(b), QStringLiteral("approved"));
    QCOMPARE(statusOf(heldA), QStringLiteral("assigned"));
    QCOMPARE(statusOf(heldB), QStringLiteral("assigned"));
    QCOMPARE(auditOf(QStringLiteral("approval.approved")).size(), 3); // done, a, b
}

void TestDmApi::bulkValidation_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("field");
    QJsonArray many;
    for (int i = 0; i < 101; ++i)
        many.append(Ulid::generate());
    const auto with = [](const QJsonValue &ids, const QString &resolution, const QJsonValue &note = {}) {
        QJsonObject o {{QStringLiteral("ids"), ids}, {QStringLiteral("resolution"), resolution}};
        if (!note.isNull())
            o.insert(QStringLiteral("note"), note);
        return json(o);
    };
    QTest::newRow("bulk-ids-missing-01") << QByteArray(R"({"resolution":"approved"})") << "ids";
    QTest::newRow("bulk-ids-empty-02") << with(QJsonArray(), QStringLiteral("approved")) << "ids";
    QTest::newRow("bulk-ids-many-03") << with(many, QStringLiteral("approved")) << "ids";
    QTest::newRow("bulk-ids-repeat-04") << with(QJsonArray {QStringLiteral("{a}"), QStringLiteral("{a}")},
        QStringLiteral("approved")) << "ids[1]";
    QTest::newRow("bulk-ids-type-05")
        << with(QJsonArray {QStringLiteral("{a}"), 7}, QStringLiteral("approved")) << "ids[1]";
    QTest::newRow("bulk-ids-not-array-06")
        << with(QStringLiteral("{a}"), QStringLiteral("approved")) << "ids";
    QTest::newRow("bulk-resolution-07")
        << with(QJsonArray {QStringLiteral("{a}")}, QStringLiteral("maybe")) << "resolution";
    QTest::newRow("bulk-note-required-08")
        << with(QJsonArray {QStringLiteral("{a}")}, QStringLiteral("rejected")) << "note";
    QTest::newRow("bulk-note-long-09") << with(
        QJsonArray {QStringLiteral("{a}")}, QStringLiteral("rejected"), QString(4001, QLatin1Char('n')))
                                       << "note";
    QTest::newRow("bulk-body-10") << QByteArray("[1]") << "body";
}

void TestDmApi::bulkValidation()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, field);
    const QString a = insertApproval(m_acmeId, QStringLiteral("high"), 5 * kHour);
    body.replace("{a}", a.toLatin1());
    const HttpReply r = post("/dm/v1/approvals/bulk/resolve", m_dm, body);
    QCOMPARE(r.status, 400);
    QCOMPARE(r.errorCode(), QStringLiteral("VALIDATION_ERROR"));
    QVERIFY2(r.body.contains("\"field\":\"" + field.toLatin1() + "\""), r.body.constData());
    QCOMPARE(approvalStatus(a), QStringLiteral("pending")); // nothing applied
}

} // namespace lm::test
