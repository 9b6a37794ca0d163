// SPDX-License-Identifier: GPL-3.0-or-later
// /dashboard/v1 campaigns, activities and approvals against a real server on port 0, once per
// dialect. Rows are named <resource>-<case>-NN. States the API cannot reach yet (failed activities,
// approvals, outputs) are written through the host's repositories.
#include "api/cursor.h"
#include "core/ulid.h"
#include "store/store.h"
#include "testserver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QMap>
#include <QSet>
#include <QTest>

using namespace lm;
using namespace lm::test;

namespace {

QByteArray json(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

const QStringList kRoles {QStringLiteral("activity_planner"), QStringLiteral("strategist"),
    QStringLiteral("copywriter"), QStringLiteral("seo_specialist"), QStringLiteral("social_media_manager"),
    QStringLiteral("designer"), QStringLiteral("analyst")};

QByteArray validBrief(const QString &name = QStringLiteral("Spring whitening"))
{
    return json({{QStringLiteral("name"), name},
        {QStringLiteral("brief"), QStringLiteral("Grow bookings for whitening in spring.")},
        {QStringLiteral("deliverables"),
            QJsonArray {QJsonObject {{QStringLiteral("type"), QStringLiteral("blog_post")},
                            {QStringLiteral("quantity"), 2}},
                QJsonObject {{QStringLiteral("type"), QStringLiteral("social_post")},
                    {QStringLiteral("quantity"), 3},
                    {QStringLiteral("platformIds"), QJsonArray {QStringLiteral("ig")}}}}},
        {QStringLiteral("budgetCapUsd"), 250.5}});
}

/// The ids a test works on.
struct Fixture
{
    QString campaignId;
    QString failedActivityId;
    QString doneActivityId;
    QString gatedActivityId; ///< awaiting_approval, held by approvalId
    QString approvalId;
    QString optionsActivityId;
    QString optionsApprovalId; ///< has options
};

} // namespace

class TestDashboardApi : public QObject
{
    Q_OBJECT

    std::unique_ptr<TestServer> m_server;
    QByteArray m_admin;
    QByteArray m_member;
    QByteArray m_reviewer;
    QByteArray m_globex;
    QString m_acmeId;
    QString m_globexId;
    QString m_adminUserId;
    QString m_memberUserId;

    store::Store &store() { return m_server->host().store(); }
    store::TenantScope acme() const { return store::TenantScope::tenant(m_acmeId); }

    HttpReply call(const QByteArray &method, const QByteArray &path, const QByteArray &token,
        const QByteArray &body = {})
    {
        TestHttp::Headers headers;
        if (!token.isEmpty())
            headers.append({"Authorization", "Bearer " + token});
        return m_server->http().request(method, path, body, headers);
    }
    HttpReply get(const QByteArray &path, const QByteArray &token) { return call("GET", path, token); }
    HttpReply post(const QByteArray &path, const QByteArray &token, const QByteArray &body)
    {
        return call("POST", path, token, body);
    }

    QByteArray tokenFor(const QString &who) const
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

    /// Simulator agents for every role of the tenant, streaming at once and taking no side actions.
    void addAgents(const QString &tenantId)
    {
        const qint64 now = m_server->clock().nowMs();
        for (const QString &role : kRoles) {
            store::AgentConfig a;
            a.id = Ulid::generate();
            a.tenantId = tenantId;
            a.role = role;
            a.name = QStringLiteral("Sim ") + role;
            a.model = QStringLiteral("simulator-1");
            a.adapterType = QStringLiteral("simulator");
            a.adapterConfig = {{QStringLiteral("tokensPerSecond"), 0},
                {QStringLiteral("forceAction"), QStringLiteral("none")}};
            a.concurrency = 4;
            a.createdAtMs = now;
            a.updatedAtMs = now;
            QVERIFY2(store().agents.insert(a).ok(), qPrintable(role));
        }
    }

    QString createCampaign(const QByteArray &body = validBrief())
    {
        const HttpReply r = post("/dashboard/v1/campaigns", m_admin, body);
        if (r.status != 201)
            qWarning() << r.status << r.body;
        return r.json().value(QStringLiteral("id")).toString();
    }

    store::Activity insertActivity(const QString &campaignId, const QString &status,
        const QString &role = QStringLiteral("copywriter"),
        const QString &title = QStringLiteral("Hand-made"))
    {
        const qint64 now = m_server->clock().nowMs();
        store::Activity a;
        a.id = Ulid::generate();
        a.tenantId = m_acmeId;
        a.campaignId = campaignId;
        a.title = title;
        a.type = QStringLiteral("blog_post");
        a.status = status;
        a.agentRole = role;
        a.inputPrompt = QStringLiteral("Write it.");
        a.retryCount = status == QLatin1String("failed") ? 3 : 0;
        a.createdAtMs = now;
        a.updatedAtMs = now;
        if (auto r = store().activities.insert(a); !r.ok())
            qWarning() << r.error().message;
        return a;
    }

    QString insertApproval(const QString &campaignId, const QString &activityId,
        const QStringList &options = {}, const QString &risk = QStringLiteral("medium"))
    {
        const qint64 now = m_server->clock().nowMs();
        store::Approval a;
        a.id = Ulid::generate();
        a.tenantId = m_acmeId;
        a.campaignId = campaignId;
        a.title = QStringLiteral("Review the draft");
        a.type = options.isEmpty() ? QStringLiteral("content_review") : QStringLiteral("content_direction");
        a.riskLevel = risk;
        a.options = options;
        a.createdByType = QStringLiteral("agent");
        a.createdById = QStringLiteral("copywriter");
        a.createdByName = QStringLiteral("Sim copywriter");
        a.expiresAtMs = now + 48LL * 3600 * 1000;
        a.createdAtMs = now;
        a.updatedAtMs = now;
        if (auto r = store().approvals.insert(a, {activityId}); !r.ok())
            qWarning() << r.error().message;
        // The activity points at its gate, as ActivityFlow leaves it.
        auto act = store().activities.find(acme(), activityId);
        if (act.ok() && act->has_value()) {
            store::Activity held = **act;
            held.approvalId = a.id;
            if (auto r = store().activities.saveTransition(acme(), held, held.status); !r.ok())
                qWarning() << r.error().message;
        }
        return a.id;
    }

    Fixture makeFixture()
    {
        Fixture f;
        f.campaignId = createCampaign();
        f.failedActivityId = insertActivity(f.campaignId, QStringLiteral("failed")).id;
        store::Activity done = insertActivity(f.campaignId, QStringLiteral("done"));
        store::Document doc;
        doc.id = Ulid::generate();
        doc.tenantId = m_acmeId;
        doc.activityId = done.id;
        doc.format = QStringLiteral("markdown");
        doc.body = QStringLiteral("# Whiter smiles\n\nBook now.");
        doc.createdAtMs = m_server->clock().nowMs();
        if (auto r = store().runs.insertDocument(doc); !r.ok())
            qWarning() << r.error().message;
        done.outputDocumentId = doc.id;
        done.outputPreview = doc.body;
        if (auto r = store().activities.saveTransition(acme(), done, done.status); !r.ok())
            qWarning() << r.error().message;
        f.doneActivityId = done.id;
        f.gatedActivityId = insertActivity(f.campaignId, QStringLiteral("awaiting_approval")).id;
        f.approvalId = insertApproval(f.campaignId, f.gatedActivityId);
        f.optionsActivityId = insertActivity(f.campaignId, QStringLiteral("awaiting_approval")).id;
        f.optionsApprovalId = insertApproval(f.campaignId, f.optionsActivityId,
            {QStringLiteral("Friendly"), QStringLiteral("Clinical")}, QStringLiteral("high"));
        return f;
    }

    QByteArray expand(QByteArray path, const Fixture &f) const
    {
        path.replace("{campaign}", f.campaignId.toLatin1());
        path.replace("{failed}", f.failedActivityId.toLatin1());
        path.replace("{done}", f.doneActivityId.toLatin1());
        path.replace("{gated}", f.gatedActivityId.toLatin1());
        path.replace("{approval}", f.approvalId.toLatin1());
        path.replace("{optionsApproval}", f.optionsApprovalId.toLatin1());
        return path;
    }

    QString adminName()
    {
        auto user = store().users.find(acme(), m_adminUserId);
        return user.ok() && user->has_value() ? (*user)->name : QString();
    }

    static QString firstDetailField(const HttpReply &r)
    {
        return r.json()
            .value(QStringLiteral("error"))
            .toObject()
            .value(QStringLiteral("details"))
            .toArray()
            .first()
            .toObject()
            .value(QStringLiteral("field"))
            .toString();
    }
    static QStringList detailFields(const HttpReply &r)
    {
        QStringList out;
        for (const QJsonValue &d :
            r.json().value(QStringLiteral("error")).toObject().value(QStringLiteral("details")).toArray())
            out.append(d.toObject().value(QStringLiteral("field")).toString());
        return out;
    }

private Q_SLOTS:
    void init()
    {
        m_server = std::make_unique<TestServer>();
        QVERIFY2(m_server->error().isEmpty(), qPrintable(m_server->error()));
        QJsonObject answer;
        m_admin = m_server->login(QStringLiteral("admin@acme.demo"), &answer);
        m_acmeId
            = answer.value(QStringLiteral("user")).toObject().value(QStringLiteral("tenantId")).toString();
        m_adminUserId
            = answer.value(QStringLiteral("user")).toObject().value(QStringLiteral("id")).toString();
        m_member = m_server->login(QStringLiteral("member@acme.demo"), &answer);
        m_memberUserId
            = answer.value(QStringLiteral("user")).toObject().value(QStringLiteral("id")).toString();
        m_reviewer = m_server->login(QStringLiteral("reviewer@acme.demo"));
        m_globex = m_server->login(QStringLiteral("admin@globex.demo"), &answer);
        m_globexId
            = answer.value(QStringLiteral("user")).toObject().value(QStringLiteral("tenantId")).toString();
        QVERIFY(!m_admin.isEmpty() && !m_member.isEmpty() && !m_reviewer.isEmpty() && !m_globex.isEmpty());
    }
    void cleanup() { m_server.reset(); }

    void campaignValidation_data()
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
        const auto deliverable
            = [&with](const QJsonObject &d) { return with("deliverables", QJsonArray {d}); };
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
        QTest::newRow("campaigns-deliverables-empty-08")
            << with("deliverables", QJsonArray()) << "deliverables"
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
        QTest::newRow("campaigns-deliverable-type-enum-11") << deliverable(
            {{QStringLiteral("type"), QStringLiteral("podcast")}, {QStringLiteral("quantity"), 1}})
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
        QTest::newRow("campaigns-budget-type-22")
            << with("budgetCapUsd", QStringLiteral("100")) << "budgetCapUsd"
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
    void campaignValidation()
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

    void queryValidation_data()
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
        QTest::newRow("query-cursor-order-mismatch-15")
            << QByteArray("/dashboard/v1/campaigns?order=asc&cursor=")
                + api::CursorCodec::encode({Ulid::generate(), true}).toLatin1()
            << "cursor"
            << "order_mismatch";
        QTest::newRow("query-filter-long-16")
            << QByteArray("/dashboard/v1/activities?filter[campaignId]=") + QByteArray(200, 'x')
            << "filter[campaignId]"
            << "too_long";
    }
    void queryValidation()
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

    void access_data()
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
            << "reviewer" << QByteArray("POST") << QByteArray("/dashboard/v1/campaigns") << validBrief()
            << 403;
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
            << "member" << QByteArray("POST") << QByteArray("/dashboard/v1/activities/{done}/comments")
            << comment << 201;
        QTest::newRow("roles-member-list-09")
            << "member" << QByteArray("GET") << QByteArray("/dashboard/v1/campaigns") << QByteArray() << 200;
        QTest::newRow("roles-reviewer-detail-10")
            << "reviewer" << QByteArray("GET") << QByteArray("/dashboard/v1/campaigns/{campaign}")
            << QByteArray() << 200;
        QTest::newRow("roles-no-token-11")
            << "" << QByteArray("GET") << QByteArray("/dashboard/v1/approvals") << QByteArray() << 401;
        QTest::newRow("roles-admin-retry-12")
            << "admin" << QByteArray("POST") << QByteArray("/dashboard/v1/activities/{failed}/retry")
            << QByteArray() << 202;

        // Another tenant's ids are not found, on every route that takes one.
        QTest::newRow("tenant-campaign-detail-13")
            << "globex" << QByteArray("GET") << QByteArray("/dashboard/v1/campaigns/{campaign}")
            << QByteArray() << 404;
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
            << "globex" << QByteArray("POST") << QByteArray("/dashboard/v1/activities/{done}/comments")
            << comment << 404;
        QTest::newRow("tenant-activity-comments-18")
            << "globex" << QByteArray("GET") << QByteArray("/dashboard/v1/activities/{done}/comments")
            << QByteArray() << 404;
        QTest::newRow("tenant-approval-detail-19")
            << "globex" << QByteArray("GET") << QByteArray("/dashboard/v1/approvals/{approval}")
            << QByteArray() << 404;
        QTest::newRow("tenant-approval-resolve-20")
            << "globex" << QByteArray("POST") << QByteArray("/dashboard/v1/approvals/{approval}/resolve")
            << approve << 404;
        QTest::newRow("notfound-campaign-21")
            << "admin" << QByteArray("GET")
            << QByteArray("/dashboard/v1/campaigns/01ARZ3NDEKTSV4RRFFQ69G5FAV") << QByteArray() << 404;
        QTest::newRow("notfound-output-none-22")
            << "admin" << QByteArray("GET") << QByteArray("/dashboard/v1/activities/{failed}/output")
            << QByteArray() << 404;
    }
    void access()
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

    void campaignPlanned()
    {
        addAgents(m_acmeId);
        const QString id = createCampaign();
        QVERIFY(!id.isEmpty());
        // Planning runs on the real workers: the plan, then 2 blog posts and 3 social posts, all done.
        const QByteArray detailPath = "/dashboard/v1/campaigns/" + id.toLatin1();
        QTRY_VERIFY_WITH_TIMEOUT(get("/dashboard/v1/campaigns", m_member)
                                     .json()
                                     .value(QStringLiteral("data"))
                                     .toArray()
                                     .first()
                                     .toObject()
                                     .value(QStringLiteral("activityCount"))
                                     .toObject()
                                     .value(QStringLiteral("done"))
                                     .toInt()
                == 6,
            30000);

        const QJsonObject item = get("/dashboard/v1/campaigns", m_member)
                                     .json()
                                     .value(QStringLiteral("data"))
                                     .toArray()
                                     .first()
                                     .toObject();
        QCOMPARE(item.value(QStringLiteral("id")).toString(), id);
        QCOMPARE(item.value(QStringLiteral("status")).toString(), QStringLiteral("active"));
        QCOMPARE(item.value(QStringLiteral("budgetCapUsd")).toDouble(), 250.5);
        QVERIFY(item.value(QStringLiteral("spentUsd")).toDouble() > 0);
        QCOMPARE(item.value(QStringLiteral("deliverableCount")).toInt(), 2);
        const QJsonObject counts = item.value(QStringLiteral("activityCount")).toObject();
        QCOMPARE(counts.value(QStringLiteral("total")).toInt(), 6);
        QCOMPARE(counts.value(QStringLiteral("inProgress")).toInt(), 0);
        QCOMPARE(counts.value(QStringLiteral("pending")).toInt(), 0);
        QCOMPARE(item.value(QStringLiteral("pendingApprovals")).toInt(), 0);
        QCOMPARE(item.value(QStringLiteral("createdBy")).toString(), adminName());
        QVERIFY(item.value(QStringLiteral("createdOn")).toString().endsWith(QLatin1Char('Z')));
        QVERIFY(item.value(QStringLiteral("startDate")).isNull());
        QVERIFY(item.value(QStringLiteral("endDate")).isNull());

        // Activities of the campaign, by role.
        const QJsonArray activities
            = get("/dashboard/v1/activities?filter[campaignId]=" + id.toLatin1(), m_member)
                  .json()
                  .value(QStringLiteral("data"))
                  .toArray();
        QCOMPARE(activities.size(), 6);
        QMap<QString, int> byRole;
        for (const QJsonValue &v : activities) {
            const QJsonObject a = v.toObject();
            byRole[a.value(QStringLiteral("agentRole")).toString()] += 1;
            QCOMPARE(a.value(QStringLiteral("campaignName")).toString(), QStringLiteral("Spring whitening"));
            QCOMPARE(a.value(QStringLiteral("status")).toString(), QStringLiteral("done"));
            QVERIFY(a.contains(QStringLiteral("costUsd")));
        }
        QCOMPARE(byRole.value(QStringLiteral("activity_planner")), 1);
        QCOMPARE(byRole.value(QStringLiteral("copywriter")), 2);
        QCOMPARE(byRole.value(QStringLiteral("social_media_manager")), 3);
        const QJsonArray copy
            = get("/dashboard/v1/activities?filter[agentRole]=copywriter&filter[status]=done", m_member)
                  .json()
                  .value(QStringLiteral("data"))
                  .toArray();
        QCOMPARE(copy.size(), 2);

        // The detail.
        const HttpReply detail = get(detailPath, m_reviewer);
        QCOMPARE(detail.status, 200);
        const QJsonObject d = detail.json();
        QCOMPARE(d.value(QStringLiteral("brief")).toString(),
            QStringLiteral("Grow bookings for whitening in spring."));
        QCOMPARE(d.value(QStringLiteral("createdBy")).toObject().value(QStringLiteral("id")).toString(),
            m_adminUserId);
        QCOMPARE(d.value(QStringLiteral("createdBy")).toObject().value(QStringLiteral("name")).toString(),
            adminName());
        const QJsonArray deliverables = d.value(QStringLiteral("deliverables")).toArray();
        QCOMPARE(deliverables.size(), 2);
        for (const QJsonValue &v : deliverables) {
            const QJsonObject del = v.toObject();
            QVERIFY(del.value(QStringLiteral("platforms")).isArray());
            const QJsonObject period = del.value(QStringLiteral("currentPeriod")).toObject();
            const int target = del.value(QStringLiteral("quantity")).toInt();
            QCOMPARE(period.value(QStringLiteral("target")).toInt(), target);
            QCOMPARE(period.value(QStringLiteral("completed")).toInt(), target);
            QCOMPARE(period.value(QStringLiteral("inProgress")).toInt(), 0);
            QCOMPARE(period.value(QStringLiteral("status")).toString(), QStringLiteral("on_track"));
            QCOMPARE(period.value(QStringLiteral("periodStart")).toString(),
                m_server->clock().now().date().toString(Qt::ISODate));
        }
        QCOMPARE(d.value(QStringLiteral("recentActivities")).toArray().size(), 6);
        QCOMPARE(d.value(QStringLiteral("pendingApprovals")).toInt(), 0);
        QStringList roles;
        for (const QJsonValue &v : d.value(QStringLiteral("costByAgent")).toArray()) {
            roles.append(v.toObject().value(QStringLiteral("agentRole")).toString());
            QVERIFY(v.toObject().value(QStringLiteral("costUsd")).toDouble() > 0);
        }
        roles.sort();
        QCOMPARE(roles,
            QStringList({QStringLiteral("activity_planner"), QStringLiteral("copywriter"),
                QStringLiteral("social_media_manager")}));

        // A finished activity's detail and output.
        const QString doneId = copy.first().toObject().value(QStringLiteral("id")).toString();
        const QJsonObject a = get("/dashboard/v1/activities/" + doneId.toLatin1(), m_member).json();
        QCOMPARE(a.value(QStringLiteral("assignee")).toObject().value(QStringLiteral("type")).toString(),
            QStringLiteral("agent"));
        QCOMPARE(a.value(QStringLiteral("assignee")).toObject().value(QStringLiteral("name")).toString(),
            QStringLiteral("Sim copywriter"));
        QCOMPARE(a.value(QStringLiteral("campaign")).toObject().value(QStringLiteral("id")).toString(), id);
        QCOMPARE(a.value(QStringLiteral("deliverable")).toObject().value(QStringLiteral("type")).toString(),
            QStringLiteral("blog_post"));
        QVERIFY(!a.value(QStringLiteral("inputPrompt")).toString().isEmpty());
        QVERIFY(!a.value(QStringLiteral("outputRef")).toString().isEmpty());
        QVERIFY(!a.value(QStringLiteral("outputPreview")).toString().isEmpty());
        QVERIFY(a.value(QStringLiteral("comments")).toArray().isEmpty());
        QVERIFY(a.value(QStringLiteral("subtasks")).toArray().isEmpty());
        QVERIFY(a.contains(QStringLiteral("updatedOn")));
        const QJsonArray runs = a.value(QStringLiteral("runs")).toArray();
        QCOMPARE(runs.size(), 1);
        const QJsonObject run = runs.first().toObject();
        QCOMPARE(run.value(QStringLiteral("status")).toString(), QStringLiteral("completed"));
        QCOMPARE(run.value(QStringLiteral("model")).toString(), QStringLiteral("simulator-1"));
        QVERIFY(run.value(QStringLiteral("outputTokens")).toInt() > 0);
        QVERIFY(run.value(QStringLiteral("durationMs")).toDouble() >= 0);
        QVERIFY(run.contains(QStringLiteral("completedAt")));
        QVERIFY(!run.contains(QStringLiteral("error")));
        const HttpReply output = get("/dashboard/v1/activities/" + doneId.toLatin1() + "/output", m_member);
        QCOMPARE(output.status, 200);
        QCOMPARE(output.json().value(QStringLiteral("activityId")).toString(), doneId);
        QCOMPARE(output.json().value(QStringLiteral("format")).toString(), QStringLiteral("markdown"));
        QVERIFY(output.json()
                    .value(QStringLiteral("text"))
                    .toString()
                    .startsWith(a.value(QStringLiteral("outputPreview")).toString()));

        // The create is audited with the caller, ip and request id.
        auto audit = store().audit.list(acme(), QStringLiteral("campaign.created"));
        QVERIFY(audit.ok());
        QCOMPARE(audit->size(), 1);
        QCOMPARE(audit->first().actorId, m_adminUserId);
        QCOMPARE(audit->first().ip, QStringLiteral("127.0.0.1"));
        QVERIFY(!audit->first().requestId.isEmpty());
    }

    void campaignCreateAnswer()
    {
        const HttpReply r = post("/dashboard/v1/campaigns", m_admin, validBrief());
        QCOMPARE(r.status, 201);
        QVERIFY(Ulid::isValid(r.json().value(QStringLiteral("id")).toString()));
        QCOMPARE(r.json().value(QStringLiteral("name")).toString(), QStringLiteral("Spring whitening"));
        QCOMPARE(r.json().value(QStringLiteral("status")).toString(), QStringLiteral("draft"));
        // Dates and attachments are kept; an archived campaign leaves the default list.
        QJsonObject o = QJsonDocument::fromJson(validBrief(QStringLiteral("Dated"))).object();
        o.insert(QStringLiteral("startDate"), QStringLiteral("2030-01-10"));
        o.insert(QStringLiteral("endDate"), QStringLiteral("2030-03-31"));
        o.insert(QStringLiteral("attachments"), QJsonArray {QStringLiteral("att-1")});
        o.insert(QStringLiteral("budgetCapUsd"), QJsonValue::Null);
        const QString dated = createCampaign(json(o));
        QVERIFY(!dated.isEmpty());
        const QJsonObject d = get("/dashboard/v1/campaigns/" + dated.toLatin1(), m_admin).json();
        QCOMPARE(d.value(QStringLiteral("startDate")).toString(), QStringLiteral("2030-01-10"));
        QCOMPARE(d.value(QStringLiteral("endDate")).toString(), QStringLiteral("2030-03-31"));
        QVERIFY(d.value(QStringLiteral("budgetCapUsd")).isNull());
        QCOMPARE(d.value(QStringLiteral("attachments")).toArray().size(), 1);
        QVERIFY(store()
                    .campaigns.setStatus(acme(), dated, QStringLiteral("archived"), m_server->clock().nowMs())
                    .ok());
        QCOMPARE(
            get("/dashboard/v1/campaigns", m_admin).json().value(QStringLiteral("data")).toArray().size(), 1);
        const QJsonArray archived = get("/dashboard/v1/campaigns?filter[status]=archived", m_admin)
                                        .json()
                                        .value(QStringLiteral("data"))
                                        .toArray();
        QCOMPARE(archived.size(), 1);
        QCOMPARE(archived.first().toObject().value(QStringLiteral("id")).toString(), dated);
    }

    void periodStatus_data()
    {
        QTest::addColumn<int>("startDaysAgo");
        QTest::addColumn<int>("lengthDays");
        QTest::addColumn<int>("done");
        QTest::addColumn<int>("underway");
        QTest::addColumn<QString>("status");
        // Target 4 in every row.
        QTest::newRow("periods-early-nothing-01") << 0 << 30 << 0 << 0 << "on_track";
        QTest::newRow("periods-late-nothing-02") << 20 << 30 << 0 << 0 << "at_risk";
        QTest::newRow("periods-late-underway-03") << 20 << 30 << 1 << 2 << "on_track";
        QTest::newRow("periods-ended-short-04") << 40 << 30 << 3 << 0 << "missed";
        QTest::newRow("periods-ended-met-05") << 40 << 30 << 4 << 0 << "on_track";
        QTest::newRow("periods-half-half-06") << 14 << 30 << 2 << 0 << "on_track";
    }
    void periodStatus()
    {
        QFETCH(int, startDaysAgo);
        QFETCH(int, lengthDays);
        QFETCH(int, done);
        QFETCH(int, underway);
        QFETCH(QString, status);
        const QString id = createCampaign();
        auto deliverables = store().campaigns.deliverables(acme(), id);
        QVERIFY(deliverables.ok() && !deliverables->isEmpty());
        const QDate today = m_server->clock().now().date();
        store::DeliverablePeriod p;
        p.id = Ulid::generate();
        p.tenantId = m_acmeId;
        p.deliverableId = deliverables->first().id;
        p.periodStart = today.addDays(-startDaysAgo).toString(Qt::ISODate);
        p.periodEnd = today.addDays(-startDaysAgo + lengthDays - 1).toString(Qt::ISODate);
        p.target = 4;
        p.createdAtMs = m_server->clock().nowMs();
        QVERIFY(store().campaigns.insertPeriod(p).ok());
        for (int i = 0; i < done + underway; ++i) {
            store::Activity a
                = insertActivity(id, i < done ? QStringLiteral("done") : QStringLiteral("awaiting_review"));
            a.deliverableId = p.deliverableId;
            a.periodId = p.id;
            // Re-insert is not possible; period links are written directly for the test.
            auto q = store().db().query(
                QStringLiteral("UPDATE activities SET period_id = ?, deliverable_id = ? WHERE id = ?"));
            q.bind(p.id).bind(p.deliverableId).bind(a.id);
            QVERIFY(q.exec().ok());
        }
        const QJsonArray dels = get("/dashboard/v1/campaigns/" + id.toLatin1(), m_admin)
                                    .json()
                                    .value(QStringLiteral("deliverables"))
                                    .toArray();
        QJsonObject period;
        for (const QJsonValue &v : dels) {
            if (v.toObject().value(QStringLiteral("id")).toString() == p.deliverableId)
                period = v.toObject().value(QStringLiteral("currentPeriod")).toObject();
        }
        QCOMPARE(period.value(QStringLiteral("completed")).toInt(), done);
        QCOMPARE(period.value(QStringLiteral("inProgress")).toInt(), underway);
        QCOMPARE(period.value(QStringLiteral("status")).toString(), status);
    }

    void activityPaging_data()
    {
        QTest::addColumn<QString>("order");
        QTest::newRow("activities-paging-desc-01") << "desc";
        QTest::newRow("activities-paging-asc-02") << "asc";
    }
    void activityPaging()
    {
        QFETCH(QString, order);
        const QString campaign = createCampaign();
        QSet<QString> initial;
        // The planning activity of the brief is one of them.
        for (int i = 0; i < 29; ++i)
            initial.insert(insertActivity(campaign, QStringLiteral("done"), QStringLiteral("copywriter"),
                QStringLiteral("Row %1").arg(i))
                               .id);
        auto plan = store().activities.list(acme(), {{}, {}, campaign, {}, {}, {}}, {{}, 100, true});
        QVERIFY(plan.ok());
        for (const auto &a : std::as_const(plan->items))
            initial.insert(a.id);
        QCOMPARE(initial.size(), 30);

        const QByteArray base = "/dashboard/v1/activities?filter[campaignId]=" + campaign.toLatin1()
            + "&order=" + order.toLatin1();
        HttpReply first = get(base, m_member);
        QCOMPARE(first.status, 200);
        const QJsonObject pagination = first.json().value(QStringLiteral("pagination")).toObject();
        QCOMPARE(pagination.value(QStringLiteral("limit")).toInt(), 25);
        QCOMPARE(pagination.value(QStringLiteral("hasMore")).toBool(), true);
        QStringList seen;
        QString previous;
        const auto take = [&](const QJsonArray &data) {
            for (const QJsonValue &v : data) {
                const QString id = v.toObject().value(QStringLiteral("id")).toString();
                if (!previous.isEmpty())
                    QVERIFY(order == QLatin1String("desc") ? id < previous : id > previous);
                previous = id;
                seen.append(id);
            }
        };
        take(first.json().value(QStringLiteral("data")).toArray());
        QCOMPARE(seen.size(), 25);

        // Rows arrive between the pages.
        QSet<QString> added;
        for (int i = 0; i < 3; ++i)
            added.insert(insertActivity(campaign, QStringLiteral("done")).id);

        QString cursor = pagination.value(QStringLiteral("nextCursor")).toString();
        QVERIFY(!cursor.isEmpty());
        for (int guard = 0; !cursor.isEmpty() && guard < 5; ++guard) {
            const HttpReply next = get(base + "&cursor=" + cursor.toLatin1(), m_member);
            QCOMPARE(next.status, 200);
            take(next.json().value(QStringLiteral("data")).toArray());
            const QJsonValue nc = next.json()
                                      .value(QStringLiteral("pagination"))
                                      .toObject()
                                      .value(QStringLiteral("nextCursor"));
            QCOMPARE(next.json()
                         .value(QStringLiteral("pagination"))
                         .toObject()
                         .value(QStringLiteral("hasMore"))
                         .toBool(),
                !nc.isNull());
            cursor = nc.toString();
        }
        const QSet<QString> unique(seen.begin(), seen.end());
        QCOMPARE(unique.size(), seen.size()); // no duplicates
        QVERIFY(unique.contains(initial)); // no gaps
        // Newest-first lists do not show rows newer than their first page; oldest-first ones reach them at
        // the end.
        if (order == QLatin1String("desc"))
            QCOMPARE(seen.size(), 30);
        else
            QCOMPARE(seen.size(), 33);
    }

    void campaignPaging()
    {
        const qint64 now = m_server->clock().nowMs();
        QStringList ids;
        for (int i = 0; i < 27; ++i) {
            store::Campaign c;
            c.id = Ulid::generate();
            c.tenantId = m_acmeId;
            c.name = QStringLiteral("Campaign %1").arg(i);
            c.brief = QStringLiteral("b");
            c.status = QStringLiteral("active");
            c.createdBy = m_adminUserId;
            c.createdAtMs = now;
            c.updatedAtMs = now;
            QVERIFY(store().campaigns.insert(c).ok());
            ids.prepend(c.id);
        }
        const HttpReply first = get("/dashboard/v1/campaigns?limit=10", m_member);
        QCOMPARE(first.status, 200);
        QStringList seen;
        QJsonObject page = first.json();
        for (int guard = 0; guard < 5; ++guard) {
            for (const QJsonValue &v : page.value(QStringLiteral("data")).toArray())
                seen.append(v.toObject().value(QStringLiteral("id")).toString());
            const QJsonValue next
                = page.value(QStringLiteral("pagination")).toObject().value(QStringLiteral("nextCursor"));
            if (next.isNull())
                break;
            page = get("/dashboard/v1/campaigns?limit=10&cursor=" + next.toString().toLatin1(), m_member)
                       .json();
        }
        QCOMPARE(seen, ids);
        // Another tenant sees none of them.
        QCOMPARE(
            get("/dashboard/v1/campaigns", m_globex).json().value(QStringLiteral("data")).toArray().size(),
            0);
    }

    void approvalsRead()
    {
        const Fixture f = makeFixture();
        const qint64 now = m_server->clock().nowMs();
        // One more, expiring within a day, and one already decided.
        const QString soonActivity = insertActivity(f.campaignId, QStringLiteral("awaiting_approval")).id;
        const QString soon = insertApproval(f.campaignId, soonActivity, {}, QStringLiteral("low"));
        auto q = store().db().query(QStringLiteral("UPDATE approvals SET expires_at = ? WHERE id = ?"));
        q.bind(now + 3600 * 1000).bind(soon);
        QVERIFY(q.exec().ok());
        QCOMPARE(post("/dashboard/v1/approvals/" + f.approvalId.toLatin1() + "/resolve", m_reviewer,
                     R"({"resolution":"approved"})")
                     .status,
            200);

        const HttpReply list = get("/dashboard/v1/approvals", m_member);
        QCOMPARE(list.status, 200);
        const QJsonArray pending = list.json().value(QStringLiteral("data")).toArray();
        QCOMPARE(pending.size(), 2); // pending by default
        const QJsonObject first = pending.first().toObject();
        QCOMPARE(first.value(QStringLiteral("id")).toString(), soon); // newest first
        QCOMPARE(first.value(QStringLiteral("status")).toString(), QStringLiteral("pending"));
        QCOMPARE(first.value(QStringLiteral("createdBy")).toObject().value(QStringLiteral("type")).toString(),
            QStringLiteral("agent"));
        QCOMPARE(first.value(QStringLiteral("linkedActivities"))
                     .toArray()
                     .first()
                     .toObject()
                     .value(QStringLiteral("id"))
                     .toString(),
            soonActivity);
        QVERIFY(first.contains(QStringLiteral("expiresAt")));
        QVERIFY(list.json()
                    .value(QStringLiteral("pagination"))
                    .toObject()
                    .value(QStringLiteral("nextCursor"))
                    .isNull());

        const QJsonArray high = get("/dashboard/v1/approvals?filter[riskLevel]=high", m_member)
                                    .json()
                                    .value(QStringLiteral("data"))
                                    .toArray();
        QCOMPARE(high.size(), 1);
        QCOMPARE(high.first().toObject().value(QStringLiteral("id")).toString(), f.optionsApprovalId);
        QCOMPARE(high.first().toObject().value(QStringLiteral("options")).toArray().size(), 2);
        const QJsonArray approved
            = get("/dashboard/v1/approvals?filter[status]=approved&filter[type]=content_review", m_member)
                  .json()
                  .value(QStringLiteral("data"))
                  .toArray();
        QCOMPARE(approved.size(), 1);
        const QJsonObject decided = approved.first().toObject();
        QCOMPARE(decided.value(QStringLiteral("resolution")).toString(), QStringLiteral("approved"));
        QVERIFY(decided.contains(QStringLiteral("resolvedAt")));
        QCOMPARE(decided.value(QStringLiteral("resolvedBy"))
                     .toObject()
                     .value(QStringLiteral("name"))
                     .toString()
                     .isEmpty(),
            false);

        const HttpReply stats = get("/dashboard/v1/approvals/stats", m_member);
        QCOMPARE(stats.status, 200);
        QCOMPARE(stats.json().value(QStringLiteral("pending")).toInt(), 2);
        QCOMPARE(stats.json().value(QStringLiteral("highRisk")).toInt(), 1);
        QCOMPARE(stats.json().value(QStringLiteral("expiringIn24h")).toInt(), 1);
        QCOMPARE(stats.json().value(QStringLiteral("resolvedThisWeek")).toInt(), 1);
        QCOMPARE(
            get("/dashboard/v1/approvals/stats", m_globex).json().value(QStringLiteral("pending")).toInt(),
            0);

        // The detail carries the linked activities' output refs and previews.
        store::Activity withOutput = **store().activities.find(acme(), soonActivity);
        withOutput.outputDocumentId = Ulid::generate();
        withOutput.outputPreview = QStringLiteral("Draft text");
        QVERIFY(store().activities.saveTransition(acme(), withOutput, withOutput.status).ok());
        const HttpReply detail = get("/dashboard/v1/approvals/" + soon.toLatin1(), m_member);
        QCOMPARE(detail.status, 200);
        const QJsonObject linked
            = detail.json().value(QStringLiteral("linkedActivities")).toArray().first().toObject();
        QCOMPARE(linked.value(QStringLiteral("outputPreview")).toString(), QStringLiteral("Draft text"));
        QCOMPARE(linked.value(QStringLiteral("outputRef")).toString(), withOutput.outputDocumentId);
        QCOMPARE(get("/dashboard/v1/approvals/01ARZ3NDEKTSV4RRFFQ69G5FAV", m_member).status, 404);
    }

    void resolve_data()
    {
        QTest::addColumn<QString>("which"); // plain | options
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("detail"); // error field, or the wake reason on success
        QTest::newRow("approvals-approve-01")
            << "plain" << QByteArray(R"({"resolution":"approved"})") << 200 << "review_approved";
        QTest::newRow("approvals-reject-02")
            << "plain" << QByteArray(R"({"resolution":"rejected","note":"Too salesy"})") << 200
            << "review_feedback";
        QTest::newRow("approvals-revision-03")
            << "plain" << QByteArray(R"({"resolution":"revision_requested","note":"Shorter"})") << 200
            << "revision_requested";
        QTest::newRow("approvals-reject-no-note-04")
            << "plain" << QByteArray(R"({"resolution":"rejected"})") << 400 << "note";
        QTest::newRow("approvals-revision-blank-note-05")
            << "plain" << QByteArray(R"({"resolution":"revision_requested","note":"  "})") << 400 << "note";
        QTest::newRow("approvals-bad-resolution-06")
            << "plain" << QByteArray(R"({"resolution":"maybe"})") << 400 << "resolution";
        QTest::newRow("approvals-missing-resolution-07")
            << "plain" << QByteArray(R"({"note":"x"})") << 400 << "resolution";
        QTest::newRow("approvals-note-type-08")
            << "plain" << QByteArray(R"({"resolution":"approved","note":5})") << 400 << "note";
        QTest::newRow("approvals-note-long-09")
            << "plain" << QByteArray(R"({"resolution":"rejected","note":")") + QByteArray(4001, 'n') + "\"}"
            << 400 << "note";
        QTest::newRow("approvals-options-missing-10")
            << "options" << QByteArray(R"({"resolution":"approved"})") << 422 << "selectedOption";
        QTest::newRow("approvals-options-unknown-11")
            << "options" << QByteArray(R"({"resolution":"approved","selectedOption":"Loud"})") << 422
            << "selectedOption";
        QTest::newRow("approvals-options-ok-12")
            << "options" << QByteArray(R"({"resolution":"approved","selectedOption":"Friendly"})") << 200
            << "review_approved";
        QTest::newRow("approvals-options-reject-13")
            << "options" << QByteArray(R"({"resolution":"rejected","note":"Neither"})") << 200
            << "review_feedback";
        QTest::newRow("approvals-malformed-14") << "plain" << QByteArray("{") << 400 << "body";
    }
    void resolve()
    {
        QFETCH(QString, which);
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(QString, detail);
        const Fixture f = makeFixture();
        const QString approvalId = which == QLatin1String("options") ? f.optionsApprovalId : f.approvalId;
        const QString activityId
            = which == QLatin1String("options") ? f.optionsActivityId : f.gatedActivityId;
        const QByteArray path = "/dashboard/v1/approvals/" + approvalId.toLatin1() + "/resolve";
        const HttpReply r = post(path, m_admin, body);
        QVERIFY2(r.status == status, r.body.constData());
        auto approval = store().approvals.find(acme(), approvalId);
        QVERIFY(approval.ok() && approval->has_value());
        auto activity = store().activities.find(acme(), activityId);
        QVERIFY(activity.ok() && activity->has_value());
        if (status != 200) {
            QVERIFY2(detailFields(r).contains(detail), r.body.constData());
            QCOMPARE((*approval)->status, QStringLiteral("pending"));
            QCOMPARE((*activity)->status, QStringLiteral("awaiting_approval"));
            return;
        }
        const QJsonObject answer = r.json();
        QCOMPARE(answer.value(QStringLiteral("approvalId")).toString(), approvalId);
        QCOMPARE(answer.value(QStringLiteral("resolution")).toString(),
            QJsonDocument::fromJson(body).object().value(QStringLiteral("resolution")).toString());
        QCOMPARE(answer.value(QStringLiteral("reEnqueuedActivities")).toInt(), 1);
        QVERIFY((*approval)->status != QLatin1String("pending"));
        QCOMPARE((*activity)->wakeReason, detail);
        QVERIFY((*activity)->status != QLatin1String("awaiting_approval"));
        auto audit = store().audit.list(
            acme(), QStringLiteral("approval.") + answer.value(QStringLiteral("resolution")).toString());
        QVERIFY(audit.ok());
        QCOMPARE(audit->size(), 1);
        QCOMPARE(audit->first().actorId, m_adminUserId);
        // Decided once.
        const HttpReply again = post(path, m_admin, body);
        QCOMPARE(again.status, 409);
        QCOMPARE(again.errorCode(), QStringLiteral("CONFLICT"));
    }

    void retry_data()
    {
        QTest::addColumn<QString>("activityStatus");
        QTest::addColumn<QString>("campaignStatus");
        QTest::addColumn<int>("status");
        QTest::newRow("activities-retry-failed-01") << "failed"
                                                    << "" << 202;
        QTest::newRow("activities-retry-done-02") << "done"
                                                  << "" << 422;
        QTest::newRow("activities-retry-in-progress-03") << "in_progress"
                                                         << "" << 422;
        QTest::newRow("activities-retry-blocked-04") << "blocked"
                                                     << "" << 422;
        QTest::newRow("activities-retry-paused-campaign-05") << "failed"
                                                             << "paused" << 422;
        QTest::newRow("activities-retry-archived-campaign-06") << "failed"
                                                               << "archived" << 422;
        QTest::newRow("activities-retry-active-campaign-07") << "failed"
                                                             << "active" << 202;
    }
    void retry()
    {
        QFETCH(QString, activityStatus);
        QFETCH(QString, campaignStatus);
        QFETCH(int, status);
        addAgents(m_acmeId);
        // A campaign whose planning cannot start (it is paused, or no worker gets to it first does not
        // matter): the activity under test is written by hand.
        const QString campaign = createCampaign();
        if (!campaignStatus.isEmpty())
            QVERIFY(store()
                        .campaigns.setStatus(acme(), campaign, campaignStatus, m_server->clock().nowMs())
                        .ok());
        const store::Activity a = insertActivity(campaign, activityStatus);
        const HttpReply r = post("/dashboard/v1/activities/" + a.id.toLatin1() + "/retry", m_admin, {});
        QVERIFY2(r.status == status, r.body.constData());
        if (status == 422) {
            QCOMPARE(r.errorCode(), QStringLiteral("UNPROCESSABLE"));
            QCOMPARE((**store().activities.find(acme(), a.id)).status, activityStatus);
            return;
        }
        const QString runId = r.json().value(QStringLiteral("runId")).toString();
        QCOMPARE(r.json().value(QStringLiteral("activityId")).toString(), a.id);
        QVERIFY(Ulid::isValid(runId));
        auto audit = store().audit.list(acme(), QStringLiteral("activity.retried"));
        QVERIFY(audit.ok());
        QCOMPARE(audit->size(), 1);
        QCOMPARE(audit->first().targetId, a.id);
        // The promised run is the one a worker starts, and the activity is done again.
        const QByteArray detailPath = "/dashboard/v1/activities/" + a.id.toLatin1();
        QTRY_COMPARE_WITH_TIMEOUT(get(detailPath, m_member).json().value(QStringLiteral("status")).toString(),
            QStringLiteral("done"), 20000);
        const QJsonObject d = get(detailPath, m_member).json();
        QCOMPARE(d.value(QStringLiteral("wakeReason")).toString(), QStringLiteral("retry"));
        const QJsonArray runs = d.value(QStringLiteral("runs")).toArray();
        QCOMPARE(runs.size(), 1);
        QCOMPARE(runs.first().toObject().value(QStringLiteral("id")).toString(), runId);
    }

    void comments()
    {
        addAgents(m_acmeId);
        const Fixture f = makeFixture();
        const QByteArray path = "/dashboard/v1/activities/" + f.doneActivityId.toLatin1() + "/comments";
        const QString text
            = QStringLiteral("@agent:copywriter please shorten; @human:%1 FYI. @agent:copywriter again")
                  .arg(m_memberUserId);
        const HttpReply first = post(path, m_admin, json({{QStringLiteral("text"), text}}));
        QVERIFY2(first.status == 201, first.body.constData());
        const QJsonObject c = first.json();
        QVERIFY(Ulid::isValid(c.value(QStringLiteral("id")).toString()));
        QCOMPARE(c.value(QStringLiteral("text")).toString(), text);
        QCOMPARE(c.value(QStringLiteral("type")).toString(), QStringLiteral("comment"));
        QCOMPARE(c.value(QStringLiteral("author")).toObject().value(QStringLiteral("id")).toString(),
            m_adminUserId);
        QCOMPARE(c.value(QStringLiteral("author")).toObject().value(QStringLiteral("name")).toString(),
            adminName());
        QCOMPARE(c.value(QStringLiteral("author")).toObject().value(QStringLiteral("type")).toString(),
            QStringLiteral("human"));
        const QJsonArray mentions = c.value(QStringLiteral("mentions")).toArray();
        QCOMPARE(mentions.size(), 2); // repeated mentions count once
        QCOMPARE(mentions[0].toObject().value(QStringLiteral("type")).toString(), QStringLiteral("agent"));
        QCOMPARE(mentions[0].toObject().value(QStringLiteral("id")).toString(), QStringLiteral("copywriter"));
        QCOMPARE(mentions[0].toObject().value(QStringLiteral("name")).toString(),
            QStringLiteral("Sim copywriter"));
        QCOMPARE(mentions[1].toObject().value(QStringLiteral("type")).toString(), QStringLiteral("human"));
        QCOMPARE(mentions[1].toObject().value(QStringLiteral("id")).toString(), m_memberUserId);
        QVERIFY(!mentions[1].toObject().value(QStringLiteral("name")).toString().isEmpty());

        const HttpReply second = post(path, m_member,
            json({{QStringLiteral("text"), QStringLiteral("Holding this until Monday")},
                {QStringLiteral("type"), QStringLiteral("intervention_note")}}));
        QCOMPARE(second.status, 201);
        QCOMPARE(second.json().value(QStringLiteral("type")).toString(), QStringLiteral("intervention_note"));
        QCOMPARE(
            second.json().value(QStringLiteral("author")).toObject().value(QStringLiteral("id")).toString(),
            m_memberUserId);

        // Refused: each names the field.
        const QList<QPair<QJsonObject, QString>> bad {
            {{{QStringLiteral("text"), QStringLiteral("@agent:astrologer hi")}}, QStringLiteral("text")},
            {{{QStringLiteral("text"), QStringLiteral("@human:01ARZ3NDEKTSV4RRFFQ69G5FAV hi")}},
                QStringLiteral("text")},
            {{{QStringLiteral("text"), QString(10001, QLatin1Char('x'))}}, QStringLiteral("text")},
            {{{QStringLiteral("text"), QString()}}, QStringLiteral("text")},
            {{{QStringLiteral("type"), QStringLiteral("comment")}}, QStringLiteral("text")},
            {{{QStringLiteral("text"), QStringLiteral("ok")},
                 {QStringLiteral("type"), QStringLiteral("shout")}},
                QStringLiteral("type")},
        };
        for (const auto &[body, field] : bad) {
            const HttpReply r = post(path, m_admin, json(body));
            QVERIFY2(r.status == 400, r.body.constData());
            QVERIFY2(detailFields(r).contains(field), r.body.constData());
        }
        // A globex user is not a member of acme.
        auto globexUsers = store().db().query(QStringLiteral("SELECT id FROM users WHERE tenant_id = ?"));
        globexUsers.bind(m_globexId);
        QVERIFY(globexUsers.exec().ok() && globexUsers.next());
        const HttpReply foreign = post(path, m_admin,
            json({{QStringLiteral("text"), QStringLiteral("@human:%1 hi").arg(globexUsers.string(0))}}));
        QCOMPARE(foreign.status, 400);

        const HttpReply list = get(path, m_reviewer);
        QCOMPARE(list.status, 200);
        const QJsonArray data = list.json().value(QStringLiteral("data")).toArray();
        QCOMPARE(data.size(), 2);
        QCOMPARE(data[0].toObject().value(QStringLiteral("id")).toString(),
            c.value(QStringLiteral("id")).toString()); // oldest first
        QCOMPARE(
            data[1].toObject().value(QStringLiteral("type")).toString(), QStringLiteral("intervention_note"));
        const QJsonObject detail
            = get("/dashboard/v1/activities/" + f.doneActivityId.toLatin1(), m_member).json();
        QCOMPARE(detail.value(QStringLiteral("comments")).toArray().size(), 2);
        auto audit = store().audit.list(acme(), QStringLiteral("activity.commented"));
        QVERIFY(audit.ok());
        QCOMPARE(audit->size(), 2);
    }

    void activityDetail()
    {
        const Fixture f = makeFixture();
        const QJsonObject gated
            = get("/dashboard/v1/activities/" + f.gatedActivityId.toLatin1(), m_member).json();
        QCOMPARE(gated.value(QStringLiteral("status")).toString(), QStringLiteral("awaiting_approval"));
        const QJsonObject approval = gated.value(QStringLiteral("approval")).toObject();
        QCOMPARE(approval.value(QStringLiteral("id")).toString(), f.approvalId);
        QCOMPARE(approval.value(QStringLiteral("type")).toString(), QStringLiteral("content_review"));
        QCOMPARE(approval.value(QStringLiteral("status")).toString(), QStringLiteral("pending"));
        // No agent configured: the role stands in for the assignee.
        QCOMPARE(gated.value(QStringLiteral("assignee")).toObject().value(QStringLiteral("id")).toString(),
            QStringLiteral("copywriter"));
        QVERIFY(!gated.contains(QStringLiteral("deliverable")));
        QVERIFY(gated.value(QStringLiteral("runs")).toArray().isEmpty());

        const QJsonArray failed = get("/dashboard/v1/activities?filter[status]=failed", m_member)
                                      .json()
                                      .value(QStringLiteral("data"))
                                      .toArray();
        QCOMPARE(failed.size(), 1);
        QCOMPARE(failed.first().toObject().value(QStringLiteral("id")).toString(), f.failedActivityId);
        const HttpReply output
            = get("/dashboard/v1/activities/" + f.doneActivityId.toLatin1() + "/output", m_member);
        QCOMPARE(output.status, 200);
        QCOMPARE(output.json().value(QStringLiteral("text")).toString(),
            QStringLiteral("# Whiter smiles\n\nBook now."));
        // A subtask shows in its parent's detail.
        store::Activity sub
            = insertActivity(f.campaignId, QStringLiteral("created"), QStringLiteral("seo_specialist"));
        auto q = store().db().query(QStringLiteral("UPDATE activities SET parent_id = ? WHERE id = ?"));
        q.bind(f.doneActivityId).bind(sub.id);
        QVERIFY(q.exec().ok());
        const QJsonArray subtasks = get("/dashboard/v1/activities/" + f.doneActivityId.toLatin1(), m_member)
                                        .json()
                                        .value(QStringLiteral("subtasks"))
                                        .toArray();
        QCOMPARE(subtasks.size(), 1);
        QCOMPARE(subtasks.first().toObject().value(QStringLiteral("id")).toString(), sub.id);
    }
};

QTEST_GUILESS_MAIN(TestDashboardApi)
#include "tst_dashboardapi.moc"
