// SPDX-License-Identifier: GPL-3.0-or-later
// Spend and performance analytics, the org chart, reports and paid ads.
#include "tst_dashboardapi_insight.h"

using namespace lm;

namespace lm::test {

namespace {
constexpr qint64 kDay = 24LL * 3600 * 1000;

double usdOf(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1String(key)).toDouble();
}
} // namespace

void TestInsightApi::spend()
{
    const InsightFixture f = makeFixture();
    const qint64 t = now();
    addRun(f.campaignId, QStringLiteral("copywriter"), QStringLiteral("gpt-4o"), QStringLiteral("blog_post"),
        3'000'000, t - 1000);
    addRun(f.campaignId, QStringLiteral("copywriter"), QStringLiteral("gpt-4o"), QStringLiteral("blog_post"),
        2'000'000, t - 2 * kDay);
    addRun(f.otherCampaignId, QStringLiteral("seo_specialist"), QStringLiteral("claude"),
        QStringLiteral("research"), 4'000'000, t - 3 * kDay);
    addRun(f.campaignId, QStringLiteral("analyst"), QStringLiteral("claude"),
        QStringLiteral("performance_report"), 7'000'000, t - 20 * kDay);
    addRun(f.campaignId, QStringLiteral("analyst"), QStringLiteral("claude"),
        QStringLiteral("performance_report"), 9'000'000, t - 45 * kDay);

    // Default: the last 30 days by agent (the agent's name), most expensive first.
    const HttpReply month = get("/dashboard/v1/analytics/spend", m_member);
    QCOMPARE(month.status, 200);
    const QJsonObject m = month.json();
    QCOMPARE(usdOf(m, "totalUsd"), 16.0);
    const QJsonArray breakdown = m.value(QStringLiteral("breakdown")).toArray();
    QCOMPARE(breakdown.size(), 3);
    QCOMPARE(
        breakdown.at(0).toObject().value(QStringLiteral("label")).toString(), QStringLiteral("Sim analyst"));
    QCOMPARE(usdOf(breakdown.at(0).toObject(), "costUsd"), 7.0);
    QCOMPARE(usdOf(breakdown.at(0).toObject(), "pct"), 43.8);
    QCOMPARE(m.value(QStringLiteral("dailySeries")).toArray().size(), 30);
    // Budget: the capped campaign's $40 of $100.
    QCOMPARE(usdOf(m, "budgetCapUsd"), 100.0);
    QCOMPARE(usdOf(m, "budgetUsedPct"), 40.0);

    // A week by model, every day present, today's cost on the last day.
    const QJsonObject week = get("/dashboard/v1/analytics/spend?period=week&groupBy=model", m_admin).json();
    QCOMPARE(usdOf(week, "totalUsd"), 9.0);
    const QJsonArray models = week.value(QStringLiteral("breakdown")).toArray();
    QCOMPARE(models.size(), 2);
    QCOMPARE(models.at(0).toObject().value(QStringLiteral("label")).toString(), QStringLiteral("gpt-4o"));
    QCOMPARE(usdOf(models.at(0).toObject(), "costUsd"), 5.0);
    QCOMPARE(usdOf(models.at(0).toObject(), "pct"), 55.6);
    const QJsonArray days = week.value(QStringLiteral("dailySeries")).toArray();
    QCOMPARE(days.size(), 7);
    const QString today = m_server->clock().now().date().toString(Qt::ISODate);
    QCOMPARE(days.last().toObject().value(QStringLiteral("date")).toString(), today);
    QCOMPARE(usdOf(days.last().toObject(), "costUsd"), 3.0);
    QCOMPARE(usdOf(days.at(4).toObject(), "costUsd"), 2.0);

    const QJsonArray campaigns = get("/dashboard/v1/analytics/spend?period=week&groupBy=campaign", m_admin)
                                     .json()
                                     .value(QStringLiteral("breakdown"))
                                     .toArray();
    QCOMPARE(campaigns.at(0).toObject().value(QStringLiteral("label")).toString(),
        QStringLiteral("Spring whitening"));
    QCOMPARE(
        campaigns.at(1).toObject().value(QStringLiteral("label")).toString(), QStringLiteral("Local search"));
    const QJsonArray types = get("/dashboard/v1/analytics/spend?period=day&groupBy=deliverable_type", m_admin)
                                 .json()
                                 .value(QStringLiteral("breakdown"))
                                 .toArray();
    QCOMPARE(types.size(), 1);
    QCOMPARE(types.at(0).toObject().value(QStringLiteral("label")).toString(), QStringLiteral("blog_post"));
    // Another tenant spent nothing and has no caps: no budget figures.
    const QJsonObject globex = get("/dashboard/v1/analytics/spend", m_globex).json();
    QCOMPARE(usdOf(globex, "totalUsd"), 0.0);
    QVERIFY(!globex.contains(QStringLiteral("budgetCapUsd")));
    QVERIFY(globex.value(QStringLiteral("breakdown")).toArray().isEmpty());
}

void TestInsightApi::spendWindow()
{
    const InsightFixture f = makeFixture();
    const qint64 t = now();
    addRun(f.campaignId, QStringLiteral("copywriter"), QStringLiteral("m"), QStringLiteral("blog_post"),
        1'000'000, t - 45 * kDay);
    addRun(f.campaignId, QStringLiteral("copywriter"), QStringLiteral("m"), QStringLiteral("blog_post"),
        4'000'000, t - 40 * kDay);
    const QDate start = QDateTime::fromMSecsSinceEpoch(t - 46 * kDay, Qt::UTC).date();
    const QDate end = QDateTime::fromMSecsSinceEpoch(t - 42 * kDay, Qt::UTC).date();
    const QJsonObject w = get("/dashboard/v1/analytics/spend?startDate="
            + start.toString(Qt::ISODate).toLatin1() + "&endDate=" + end.toString(Qt::ISODate).toLatin1(),
        m_admin)
                              .json();
    QCOMPARE(usdOf(w, "totalUsd"), 1.0);
    QCOMPARE(w.value(QStringLiteral("dailySeries")).toArray().size(), 5);
    QCOMPARE(w.value(QStringLiteral("dailySeries"))
                 .toArray()
                 .first()
                 .toObject()
                 .value(QStringLiteral("date"))
                 .toString(),
        start.toString(Qt::ISODate));
}

void TestInsightApi::performance()
{
    const InsightFixture f = makeFixture();
    const QDate today = m_server->clock().now().date();
    store::Deliverable d;
    d.id = Ulid::generate();
    d.tenantId = m_acmeId;
    d.campaignId = f.campaignId;
    d.type = QStringLiteral("blog_post");
    d.quantity = 4;
    d.createdAtMs = now();
    QVERIFY(store().campaigns.insertDeliverable(d).ok());
    store::DeliverablePeriod p;
    p.id = Ulid::generate();
    p.tenantId = m_acmeId;
    p.deliverableId = d.id;
    p.periodStart = today.addDays(-10).toString(Qt::ISODate);
    p.periodEnd = today.addDays(20).toString(Qt::ISODate);
    p.target = 4;
    p.createdAtMs = now();
    QVERIFY(store().campaigns.insertPeriod(p).ok());
    for (int i = 0; i < 3; ++i) {
        store::Activity a;
        a.id = Ulid::generate();
        a.tenantId = m_acmeId;
        a.campaignId = f.campaignId;
        a.deliverableId = d.id;
        a.periodId = p.id;
        a.title = QStringLiteral("Post %1").arg(i);
        a.type = QStringLiteral("blog_post");
        a.status = i < 2 ? QStringLiteral("done") : QStringLiteral("in_progress");
        a.agentRole = QStringLiteral("copywriter");
        a.inputPrompt = QStringLiteral("Write it.");
        a.completedAtMs = i < 2 ? std::optional<qint64>(now() - kDay) : std::nullopt;
        a.createdAtMs = now();
        a.updatedAtMs = now();
        QVERIFY(store().activities.insert(a).ok());
    }
    const HttpReply r = get("/dashboard/v1/analytics/performance", m_reviewer);
    QCOMPARE(r.status, 200);
    const QJsonArray goals = r.json().value(QStringLiteral("data")).toArray();
    QCOMPARE(goals.size(), 1); // the paused campaign has no goals shown
    const QJsonObject g = goals.at(0).toObject();
    QCOMPARE(g.value(QStringLiteral("goalId")).toString(), d.id);
    QVERIFY(g.value(QStringLiteral("goalTitle")).toString().contains(QLatin1String("Spring whitening")));
    QCOMPARE(g.value(QStringLiteral("metric")).toString(), QStringLiteral("blog_post_completed"));
    QCOMPARE(g.value(QStringLiteral("targetValue")).toInt(), 4);
    QCOMPARE(g.value(QStringLiteral("currentValue")).toInt(), 2);
    QCOMPARE(g.value(QStringLiteral("progressPct")).toDouble(), 50.0);
    QCOMPARE(g.value(QStringLiteral("trendDirection")).toString(), QStringLiteral("up"));
    QCOMPARE(g.value(QStringLiteral("period")).toObject().value(QStringLiteral("start")).toString(),
        p.periodStart);
    QCOMPARE(get("/dashboard/v1/analytics/performance", m_globex)
                 .json()
                 .value(QStringLiteral("data"))
                 .toArray()
                 .size(),
        0);
}

void TestInsightApi::orgChart()
{
    addAgents(m_acmeId);
    const HttpReply r = get("/dashboard/v1/org-chart", m_member);
    QCOMPARE(r.status, 200);
    const QJsonArray nodes = r.json().value(QStringLiteral("nodes")).toArray();
    QCOMPARE(nodes.size(), 3 + 7); // three people, seven agents
    QHash<QString, QJsonObject> byRole;
    for (const QJsonValue &v : nodes)
        byRole.insert(v.toObject().value(QStringLiteral("role")).toString(), v.toObject());
    const QJsonObject admin = byRole.value(QStringLiteral("admin"));
    QCOMPARE(admin.value(QStringLiteral("type")).toString(), QStringLiteral("human"));
    QCOMPARE(admin.value(QStringLiteral("id")).toString(), m_adminUserId);
    QVERIFY(!admin.contains(QStringLiteral("reportsTo")));
    const QJsonObject strategist = byRole.value(QStringLiteral("strategist"));
    QCOMPARE(strategist.value(QStringLiteral("type")).toString(), QStringLiteral("agent"));
    QCOMPARE(strategist.value(QStringLiteral("reportsTo")).toString(), m_adminUserId);
    QCOMPARE(byRole.value(QStringLiteral("copywriter")).value(QStringLiteral("reportsTo")).toString(),
        strategist.value(QStringLiteral("id")).toString());
    QCOMPARE(
        byRole.value(QStringLiteral("member")).value(QStringLiteral("reportsTo")).toString(), m_adminUserId);
    const QJsonArray edges = r.json().value(QStringLiteral("edges")).toArray();
    QCOMPARE(edges.size(), nodes.size() - 1);
    bool found = false;
    for (const QJsonValue &e : edges)
        found |= e.toObject().value(QStringLiteral("from"))
                == byRole.value(QStringLiteral("copywriter")).value(QStringLiteral("id"))
            && e.toObject().value(QStringLiteral("to")) == strategist.value(QStringLiteral("id"));
    QVERIFY(found);
    // Globex has no agents: only its admin.
    QCOMPARE(
        get("/dashboard/v1/org-chart", m_globex).json().value(QStringLiteral("nodes")).toArray().size(), 1);
}

void TestInsightApi::reports()
{
    const InsightFixture f = makeFixture();
    store::Report old;
    old.id = Ulid::generate();
    old.tenantId = m_acmeId;
    old.campaignId = f.otherCampaignId;
    old.title = QStringLiteral("Q1 review");
    old.type = QStringLiteral("quarterly_review");
    old.status = QStringLiteral("delivered");
    old.periodStart = QStringLiteral("2026-01-01");
    old.periodEnd = QStringLiteral("2026-03-31");
    old.content = QStringLiteral("# Q1\n\nGood quarter.");
    old.deliveredAtMs = now();
    old.deliveredBy = m_adminUserId;
    old.deliveryChannel = QStringLiteral("email");
    old.createdAtMs = now();
    QVERIFY(store().insight.reports.insert(old).ok());

    const HttpReply list = get("/dashboard/v1/reports", m_member);
    QCOMPARE(list.status, 200);
    const QJsonArray all = list.json().value(QStringLiteral("data")).toArray();
    QCOMPARE(all.size(), 2);
    QCOMPARE(all.at(0).toObject().value(QStringLiteral("id")).toString(), old.id);
    QVERIFY(!all.at(0).toObject().contains(QStringLiteral("content")));
    QCOMPARE(
        all.at(0).toObject().value(QStringLiteral("periodStart")).toString(), QStringLiteral("2026-01-01"));
    QVERIFY(all.at(1).toObject().value(QStringLiteral("deliveredAt")).isNull());
    const auto ids = [this](const QByteArray &query) {
        QStringList out;
        for (const QJsonValue &v :
            get("/dashboard/v1/reports?" + query, m_admin).json().value(QStringLiteral("data")).toArray())
            out.append(v.toObject().value(QStringLiteral("id")).toString());
        return out;
    };
    QCOMPARE(ids("filter[status]=delivered"), QStringList {old.id});
    QCOMPARE(ids("filter[type]=monthly_performance"), QStringList {f.reportId});
    QCOMPARE(ids("filter[campaignId]=" + f.otherCampaignId.toLatin1()), QStringList {old.id});
    QCOMPARE(ids("filter[startDate]=2026-01-01&filter[endDate]=2026-03-31"), QStringList {old.id});
    QCOMPARE(ids("filter[startDate]=2026-01-02&filter[endDate]=2026-03-31"), QStringList {});

    const HttpReply detail = get("/dashboard/v1/reports/" + f.reportId.toLatin1(), m_reviewer);
    QCOMPARE(detail.status, 200);
    const QJsonObject d = detail.json();
    QCOMPARE(d.value(QStringLiteral("campaignId")).toString(), f.campaignId);
    QVERIFY(d.value(QStringLiteral("content")).toString().startsWith(QLatin1String("# Monthly performance")));
    QVERIFY(d.value(QStringLiteral("content")).toString().contains(QLatin1String("Spring whitening")));
    QVERIFY(d.value(QStringLiteral("deliveredBy")).isNull());
    QVERIFY(d.contains(QStringLiteral("activityId")));
    const QJsonObject delivered = get("/dashboard/v1/reports/" + old.id.toLatin1(), m_admin).json();
    QCOMPARE(delivered.value(QStringLiteral("deliveryChannel")).toString(), QStringLiteral("email"));
    QCOMPARE(delivered.value(QStringLiteral("content")).toString(), old.content);
    QCOMPARE(get("/dashboard/v1/reports/" + Ulid::generate().toLatin1(), m_admin).status, 404);
    QCOMPARE(get("/dashboard/v1/reports", m_globex).json().value(QStringLiteral("data")).toArray().size(), 0);
}

void TestInsightApi::paidAds()
{
    const InsightFixture f = makeFixture();
    const HttpReply ads = get("/dashboard/v1/paid-ads/campaigns", m_reviewer);
    QCOMPARE(ads.status, 200);
    const QJsonArray items = ads.json().value(QStringLiteral("data")).toArray();
    QCOMPARE(items.size(), 1);
    const QJsonObject c = items.at(0).toObject();
    QCOMPARE(c.value(QStringLiteral("spendUsd")).toDouble(), 200.0);
    QCOMPARE(c.value(QStringLiteral("impressions")).toInt(), 10000);
    QCOMPARE(c.value(QStringLiteral("clicks")).toInt(), 400);
    QCOMPARE(c.value(QStringLiteral("conversions")).toInt(), 20);
    QCOMPARE(c.value(QStringLiteral("ctrPct")).toDouble(), 4.0);
    QCOMPARE(c.value(QStringLiteral("cpcUsd")).toDouble(), 0.5);
    QCOMPARE(c.value(QStringLiteral("costPerConversionUsd")).toDouble(), 10.0);
    QCOMPARE(get("/dashboard/v1/paid-ads/campaigns?filter[platform]=meta_ads", m_admin)
                 .json()
                 .value(QStringLiteral("data"))
                 .toArray()
                 .size(),
        0);
    QCOMPARE(get("/dashboard/v1/paid-ads/campaigns", m_globex)
                 .json()
                 .value(QStringLiteral("data"))
                 .toArray()
                 .size(),
        0);

    const QJsonArray terms
        = get("/dashboard/v1/paid-ads/search-terms?filter[campaignId]=" + f.adCampaignId.toLatin1(), m_admin)
              .json()
              .value(QStringLiteral("data"))
              .toArray();
    QCOMPARE(terms.size(), 1);
    QCOMPARE(
        terms.at(0).toObject().value(QStringLiteral("classification")).toString(), QStringLiteral("watch"));
    QCOMPARE(
        terms.at(0).toObject().value(QStringLiteral("classifiedBy")).toString(), QStringLiteral("agent"));
    QCOMPARE(terms.at(0).toObject().value(QStringLiteral("costUsd")).toDouble(), 25.0);
    QCOMPARE(get("/dashboard/v1/paid-ads/search-terms?filter[classification]=negative", m_admin)
                 .json()
                 .value(QStringLiteral("data"))
                 .toArray()
                 .size(),
        0);
    QCOMPARE(get("/dashboard/v1/paid-ads/search-terms?filter[campaignId]=nope", m_admin)
                 .json()
                 .value(QStringLiteral("data"))
                 .toArray()
                 .size(),
        0);
}

void TestInsightApi::classify_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("issue");
    QTest::newRow("classify-ok-01") << QByteArray(
        R"({"classification":"high_intent","note":"books consults"})")
                                    << 200 << ""
                                    << "";
    QTest::newRow("classify-missing-02") << QByteArray(R"({"note":"x"})") << 400 << "classification"
                                         << "required";
    QTest::newRow("classify-enum-03") << QByteArray(R"({"classification":"spam"})") << 400 << "classification"
                                      << "invalid";
    QTest::newRow("classify-type-04") << QByteArray(R"({"classification":3})") << 400 << "classification"
                                      << "must_be_string";
    QTest::newRow("classify-note-long-05")
        << QByteArray(R"({"classification":"negative","note":")") + QByteArray(501, 'n') + QByteArray(R"("})")
        << 400 << "note"
        << "too_long";
    QTest::newRow("classify-note-type-06")
        << QByteArray(R"({"classification":"negative","note":[1]})") << 400 << "note"
        << "must_be_string";
    QTest::newRow("classify-not-json-07") << QByteArray("classification=negative") << 400 << ""
                                          << "";
}

void TestInsightApi::classify()
{
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QString, field);
    QFETCH(QString, issue);
    const InsightFixture f = makeFixture();
    const HttpReply r = call(
        "PATCH", "/dashboard/v1/paid-ads/search-terms/" + f.termId.toLatin1() + "/classify", m_member, body);
    QCOMPARE(r.status, status);
    auto term = store().insight.paidAds.findTerm(acme(), f.termId);
    QVERIFY(term.ok() && term->has_value());
    if (status != 200) {
        if (!field.isEmpty())
            QVERIFY2(detailFields(r).contains(field), r.body.constData());
        QCOMPARE((*term)->classification, QStringLiteral("watch"));
        QCOMPARE(auditCount(), m_auditBaseline);
        return;
    }
    QCOMPARE(r.json().value(QStringLiteral("classification")).toString(), QStringLiteral("high_intent"));
    QCOMPARE(r.json().value(QStringLiteral("classifiedBy")).toString(), QStringLiteral("human"));
    QCOMPARE((*term)->classification, QStringLiteral("high_intent"));
    QCOMPARE((*term)->note, QStringLiteral("books consults"));
    const store::AuditEntry audit = lastAudit();
    QCOMPARE(audit.action, QStringLiteral("search_term.classified"));
    QCOMPARE(audit.targetId, f.termId);
    QCOMPARE(audit.changes.value(QStringLiteral("classification"))
                 .toObject()
                 .value(QStringLiteral("from"))
                 .toString(),
        QStringLiteral("watch"));
    QCOMPARE(audit.changes.value(QStringLiteral("note")).toObject().value(QStringLiteral("to")).toString(),
        QStringLiteral("books consults"));
    // The list shows the override.
    QCOMPARE(get("/dashboard/v1/paid-ads/search-terms?filter[classification]=high_intent", m_admin)
                 .json()
                 .value(QStringLiteral("data"))
                 .toArray()
                 .size(),
        1);
}

} // namespace lm::test
