// SPDX-License-Identifier: GPL-3.0-or-later
// Leads: validation, lifecycle with timeline and audit, listing, CSV imports; roles and tenants.
#include "tst_dashboardapi_intake.h"

#include "services/leadimport.h"

#include <QSet>

using namespace lm;

namespace lm::test {

void TestIntakeApi::init()
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
    m_globexUserId = answer.value(QStringLiteral("user")).toObject().value(QStringLiteral("id")).toString();
    QVERIFY(!m_admin.isEmpty() && !m_member.isEmpty() && !m_reviewer.isEmpty() && !m_globex.isEmpty());
}

void TestIntakeApi::cleanup()
{
    m_server.reset();
}

void TestIntakeApi::leadValidation_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("problem");
    const QJsonObject valid {{QStringLiteral("firstName"), QStringLiteral("Ada")},
        {QStringLiteral("lastName"), QStringLiteral("Lovelace")}};
    const auto with = [&valid](const char *key, const QJsonValue &v) {
        QJsonObject o = valid;
        if (v.isUndefined())
            o.remove(QLatin1String(key));
        else
            o.insert(QLatin1String(key), v);
        return intakeJson(o);
    };
    const QJsonValue missing(QJsonValue::Undefined);
    QTest::newRow("leads-first-missing-01")
        << QByteArray("POST") << with("firstName", missing) << "firstName/required";
    QTest::newRow("leads-first-type-02")
        << QByteArray("POST") << with("firstName", 3) << "firstName/must_be_string";
    QTest::newRow("leads-first-long-03")
        << QByteArray("POST") << with("firstName", QString(101, QLatin1Char('a'))) << "firstName/too_long";
    QTest::newRow("leads-last-blank-04")
        << QByteArray("POST") << with("lastName", QStringLiteral("  ")) << "lastName/required";
    QTest::newRow("leads-email-invalid-05")
        << QByteArray("POST") << with("email", QStringLiteral("not-an-email")) << "email/invalid";
    QTest::newRow("leads-email-long-06")
        << QByteArray("POST") << with("email", QString(250, QLatin1Char('e')) + QStringLiteral("@x.io"))
        << "email/too_long";
    QTest::newRow("leads-source-enum-07")
        << QByteArray("POST") << with("source", QStringLiteral("billboard")) << "source/invalid";
    QTest::newRow("leads-tags-type-08")
        << QByteArray("POST") << with("tags", QStringLiteral("vip")) << "tags/must_be_array";
    QTest::newRow("leads-tags-item-09")
        << QByteArray("POST") << with("tags", QJsonArray {1}) << "tags[0]/must_be_string";
    QTest::newRow("leads-tags-long-10")
        << QByteArray("POST") << with("tags", QJsonArray {QString(51, QLatin1Char('t'))})
        << "tags[0]/too_long";
    QTest::newRow("leads-notes-long-11")
        << QByteArray("POST") << with("notes", QString(5001, QLatin1Char('n'))) << "notes/too_long";
    QTest::newRow("leads-body-12") << QByteArray("POST") << QByteArray("[1]") << "body/must_be_object";
    QTest::newRow("leads-patch-status-13")
        << QByteArray("PATCH") << QByteArray(R"({"status":"won"})") << "status/invalid";
    QTest::newRow("leads-patch-score-range-14")
        << QByteArray("PATCH") << QByteArray(R"({"score":101})") << "score/out_of_range";
    QTest::newRow("leads-patch-score-type-15")
        << QByteArray("PATCH") << QByteArray(R"({"score":"high"})") << "score/must_be_integer";
    QTest::newRow("leads-patch-first-null-16")
        << QByteArray("PATCH") << QByteArray(R"({"firstName":null})") << "firstName/required";
    QTest::newRow("leads-patch-assignee-type-17")
        << QByteArray("PATCH") << QByteArray(R"({"assignedTo":5})") << "assignedTo/must_be_string";
    QTest::newRow("leads-patch-email-18")
        << QByteArray("PATCH") << QByteArray(R"({"email":"a@b"})") << "email/invalid";
}

void TestIntakeApi::leadValidation()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, body);
    QFETCH(QString, problem);
    const QString id = createLead({{QStringLiteral("firstName"), QStringLiteral("Grace")},
        {QStringLiteral("lastName"), QStringLiteral("Hopper")},
        {QStringLiteral("email"), QStringLiteral("grace@navy.example")}});
    const QByteArray before = get("/dashboard/v1/leads/" + id.toLatin1(), m_admin).body;
    const QByteArray path
        = method == "POST" ? QByteArray("/dashboard/v1/leads") : "/dashboard/v1/leads/" + id.toLatin1();
    const HttpReply r = call(method, path, m_admin, body);
    QCOMPARE(r.status, 400);
    QCOMPARE(r.errorCode(), QStringLiteral("VALIDATION_ERROR"));
    QVERIFY2(detailFields(r).contains(problem), qPrintable(detailFields(r).join(QLatin1Char(','))));
    // Bad input changes nothing.
    QCOMPARE(get("/dashboard/v1/leads", m_admin).json().value(QStringLiteral("data")).toArray().size(), 1);
    QCOMPARE(get("/dashboard/v1/leads/" + id.toLatin1(), m_admin).body, before);
    QCOMPARE(audit(QStringLiteral("lead.updated")).size(), 0);
}

void TestIntakeApi::leadLifecycle()
{
    // Create: 201 with the lead, a timeline that starts with its creation and the note.
    const HttpReply created = post("/dashboard/v1/leads", m_member,
        intakeJson({{QStringLiteral("firstName"), QStringLiteral("Ada")},
            {QStringLiteral("lastName"), QStringLiteral("Lovelace")},
            {QStringLiteral("email"), QStringLiteral("Ada@Engines.example")},
            {QStringLiteral("company"), QStringLiteral("Engines Ltd")},
            {QStringLiteral("notes"), QStringLiteral("Met at the expo.")},
            {QStringLiteral("tags"),
                QJsonArray {QStringLiteral("expo"), QStringLiteral("expo"), QStringLiteral("vip")}}}));
    QCOMPARE(created.status, 201);
    const QJsonObject lead = created.json();
    const QString id = lead.value(QStringLiteral("id")).toString();
    QCOMPARE(lead.value(QStringLiteral("status")).toString(), QStringLiteral("new"));
    QCOMPARE(lead.value(QStringLiteral("source")).toString(), QStringLiteral("manual"));
    QCOMPARE(lead.value(QStringLiteral("tags")).toArray(),
        (QJsonArray {QStringLiteral("expo"), QStringLiteral("vip")}));
    QVERIFY(!lead.contains(QStringLiteral("phone")));
    QVERIFY(!lead.contains(QStringLiteral("assignedTo")));
    QJsonArray timeline = lead.value(QStringLiteral("timeline")).toArray();
    QCOMPARE(timeline.size(), 2);
    QCOMPARE(timeline[0].toObject().value(QStringLiteral("type")).toString(), QStringLiteral("created"));
    QCOMPARE(timeline[1]
                 .toObject()
                 .value(QStringLiteral("data"))
                 .toObject()
                 .value(QStringLiteral("text"))
                 .toString(),
        QStringLiteral("Met at the expo."));
    QCOMPARE(timeline[1]
                 .toObject()
                 .value(QStringLiteral("actor"))
                 .toObject()
                 .value(QStringLiteral("id"))
                 .toString(),
        m_memberUserId);

    // The same e-mail in another case is the same lead: 409, nothing added.
    const HttpReply dup = post("/dashboard/v1/leads", m_admin,
        intakeJson({{QStringLiteral("firstName"), QStringLiteral("A")},
            {QStringLiteral("lastName"), QStringLiteral("L")},
            {QStringLiteral("email"), QStringLiteral("ada@engines.EXAMPLE")}}));
    QCOMPARE(dup.status, 409);
    // Another tenant may have the same address.
    QCOMPARE(post("/dashboard/v1/leads", m_globex,
                 intakeJson({{QStringLiteral("firstName"), QStringLiteral("A")},
                     {QStringLiteral("lastName"), QStringLiteral("L")},
                     {QStringLiteral("email"), QStringLiteral("ada@engines.example")}}))
                 .status,
        201);

    // Assigned to a user of another tenant: refused, nothing changes.
    const QByteArray path = "/dashboard/v1/leads/" + id.toLatin1();
    HttpReply r = call("PATCH", path, m_admin,
        intakeJson({{QStringLiteral("assignedTo"), m_globexUserId},
            {QStringLiteral("status"), QStringLiteral("contacted")}}));
    QCOMPARE(r.status, 400);
    QVERIFY(detailFields(r).contains(QStringLiteral("assignedTo/unknown_user")));
    QCOMPARE(get(path, m_admin).json().value(QStringLiteral("status")).toString(), QStringLiteral("new"));

    // A patch of several fields: each change is a timeline entry, one audit row lists them all.
    r = call("PATCH", path, m_admin,
        intakeJson({{QStringLiteral("status"), QStringLiteral("qualified")}, {QStringLiteral("score"), 80},
            {QStringLiteral("assignedTo"), m_memberUserId}, {QStringLiteral("company"), QJsonValue::Null},
            {QStringLiteral("firstName"), QStringLiteral("Ada")}}));
    QCOMPARE(r.status, 200);
    const QJsonObject updated = r.json();
    QCOMPARE(updated.value(QStringLiteral("status")).toString(), QStringLiteral("qualified"));
    QCOMPARE(updated.value(QStringLiteral("score")).toInt(), 80);
    QVERIFY(!updated.contains(QStringLiteral("company")));
    QCOMPARE(updated.value(QStringLiteral("assignedTo")).toObject().value(QStringLiteral("name")).toString(),
        QStringLiteral("Morgan Acme"));
    timeline = updated.value(QStringLiteral("timeline")).toArray();
    QCOMPARE(timeline.size(), 2 + 4); // status, score, company, assignment; unchanged firstName adds nothing
    QStringList types;
    for (const QJsonValue &e : timeline)
        types.append(e.toObject().value(QStringLiteral("type")).toString());
    QCOMPARE(types.count(QStringLiteral("status_change")), 1);
    QCOMPARE(types.count(QStringLiteral("assignment")), 1);
    QCOMPARE(types.count(QStringLiteral("field_change")), 2);
    for (const QJsonValue &e : timeline) {
        const QJsonObject o = e.toObject();
        if (o.value(QStringLiteral("type")).toString() == QLatin1String("status_change")) {
            QCOMPARE(o.value(QStringLiteral("data")).toObject().value(QStringLiteral("from")).toString(),
                QStringLiteral("new"));
            QCOMPARE(o.value(QStringLiteral("data")).toObject().value(QStringLiteral("to")).toString(),
                QStringLiteral("qualified"));
            QCOMPARE(o.value(QStringLiteral("actor")).toObject().value(QStringLiteral("name")).toString(),
                QStringLiteral("Alex Acme"));
        }
    }
    const auto rows = audit(QStringLiteral("lead.updated"));
    QCOMPARE(rows.size(), 1);
    QCOMPARE(rows.first().actorId, m_adminUserId);
    QCOMPARE(rows.first().targetId, id);
    QVERIFY(!rows.first().ip.isEmpty());
    const QStringList changed = rows.first().changes.keys();
    QCOMPARE(QSet<QString>(changed.begin(), changed.end()),
        (QSet<QString> {QStringLiteral("status"), QStringLiteral("score"), QStringLiteral("assignedTo"),
            QStringLiteral("company")}));
    QCOMPARE(rows.first()
                 .changes.value(QStringLiteral("company"))
                 .toObject()
                 .value(QStringLiteral("from"))
                 .toString(),
        QStringLiteral("Engines Ltd"));
    QCOMPARE(audit(QStringLiteral("lead.created")).size(), 1);

    // An empty patch changes nothing and writes nothing.
    QCOMPARE(call("PATCH", path, m_admin, "{}").status, 200);
    QCOMPARE(audit(QStringLiteral("lead.updated")).size(), 1);
    // A reviewer reads but does not write.
    QCOMPARE(get(path, m_reviewer).status, 200);
    QCOMPARE(call("PATCH", path, m_reviewer, R"({"status":"converted"})").status, 403);
}

void TestIntakeApi::leadListing()
{
    const struct
    {
        const char *first, *last, *email, *status, *source;
    } leads[] = {{"Ann", "Archer", "ann@alpha.example", "new", "form"},
        {"Bob", "Baker", "bob@beta.example", "contacted", "google_ads"},
        {"Cara", "Cole", "cara@gamma.example", "new", "google_ads"},
        {"Dan", "Dale", "dan@delta.example", "converted", "manual"},
        {"Eve", "Evans", "eve_100%@epsilon.example", "new", "meta_ads"}};
    for (const auto &l : leads) {
        const QString id = createLead({{QStringLiteral("firstName"), QString::fromLatin1(l.first)},
            {QStringLiteral("lastName"), QString::fromLatin1(l.last)},
            {QStringLiteral("email"), QString::fromLatin1(l.email)},
            {QStringLiteral("source"), QString::fromLatin1(l.source)}});
        QVERIFY(!id.isEmpty());
        if (QLatin1String(l.status) != QLatin1String("new"))
            QCOMPARE(call("PATCH", "/dashboard/v1/leads/" + id.toLatin1(), m_admin,
                         intakeJson({{QStringLiteral("status"), QString::fromLatin1(l.status)}}))
                         .status,
                200);
    }
    const auto names = [this](const QByteArray &query) {
        QStringList out;
        const HttpReply r = get("/dashboard/v1/leads" + query, m_member);
        if (r.status != 200)
            qWarning() << r.status << r.body;
        for (const QJsonValue &v : r.json().value(QStringLiteral("data")).toArray())
            out.append(v.toObject().value(QStringLiteral("firstName")).toString());
        return out;
    };
    QCOMPARE(names(""),
        (QStringList {QStringLiteral("Eve"), QStringLiteral("Dan"), QStringLiteral("Cara"),
            QStringLiteral("Bob"), QStringLiteral("Ann")}));
    QCOMPARE(names("?search=BAKER"), QStringList {QStringLiteral("Bob")});
    QCOMPARE(names("?search=bob+baker"), QStringList {QStringLiteral("Bob")}); // full name
    QCOMPARE(names("?search=gamma.example"), QStringList {QStringLiteral("Cara")});
    QCOMPARE(names("?search=%25"), QStringList {QStringLiteral("Eve")}); // a literal %, not a wildcard
    QCOMPARE(names("?search=_"), QStringList {QStringLiteral("Eve")});
    QCOMPARE(names("?filter[status]=new"),
        (QStringList {QStringLiteral("Eve"), QStringLiteral("Cara"), QStringLiteral("Ann")}));
    QCOMPARE(
        names("?filter%5Bsource%5D=google_ads&filter[status]=new"), QStringList {QStringLiteral("Cara")});
    QCOMPARE(names("?search=e&filter[source]=manual"), QStringList {QStringLiteral("Dan")});
    QCOMPARE(get("/dashboard/v1/leads?filter[status]=won", m_member).status, 400);
    QCOMPARE(detailFields(get("/dashboard/v1/leads?filter[source]=tv", m_member)),
        QStringList {QStringLiteral("filter[source]/invalid")});
    QCOMPARE(detailFields(get("/dashboard/v1/leads?search=" + QByteArray(129, 'x'), m_member)),
        QStringList {QStringLiteral("search/too_long")});
    // Pages of two walk every lead once.
    QStringList walked;
    QByteArray next = "/dashboard/v1/leads?limit=2&order=asc";
    while (!next.isEmpty()) {
        const HttpReply r = get(next, m_member);
        QCOMPARE(r.status, 200);
        for (const QJsonValue &v : r.json().value(QStringLiteral("data")).toArray())
            walked.append(v.toObject().value(QStringLiteral("firstName")).toString());
        const QJsonValue cursor
            = r.json().value(QStringLiteral("pagination")).toObject().value(QStringLiteral("nextCursor"));
        next = cursor.isNull() ? QByteArray()
                               : "/dashboard/v1/leads?limit=2&cursor=" + cursor.toString().toLatin1();
    }
    QCOMPARE(walked,
        (QStringList {QStringLiteral("Ann"), QStringLiteral("Bob"), QStringLiteral("Cara"),
            QStringLiteral("Dan"), QStringLiteral("Eve")}));
    // Another tenant sees none of them.
    QCOMPARE(get("/dashboard/v1/leads", m_globex).json().value(QStringLiteral("data")).toArray().size(), 0);
}

void TestIntakeApi::leadImport()
{
    // One lead exists already: the file's row with its address is a duplicate.
    QVERIFY(!createLead({{QStringLiteral("firstName"), QStringLiteral("Old")},
                            {QStringLiteral("lastName"), QStringLiteral("Timer")},
                            {QStringLiteral("email"), QStringLiteral("old.timer@example.com")}})
                 .isEmpty());
    const QByteArray csv
        = "\xEF\xBB\xBF"
          "First Name,last_name,E-mail,Company,Phone,Tags,Notes\r\n" // row 1
          "Alice,Anders,alice@example.com,\"Anders, Inc.\",555-0100,vip;dental,\r\n" // 2: good, quoted comma
          "Bob,Brown,bob@example.com,Brown Bakery,,,\"Called twice,\nwants a quote\"\r\n" // 3: good, newline
                                                                                          // in quotes
          "Carol,,carol@example.com,,,,\r\n" // 4: no last name
          "Dave,Doe,not-an-email,,,,\r\n" // 5: bad e-mail
          "Eve,Evans,ALICE@example.com,,,,\r\n" // 6: duplicate within the file
          "Frank,Fox,old.timer@example.com,,,,\r\n" // 7: duplicate of an existing lead
          "\r\n" // 8: blank, skipped silently
          "Gina,\"Gray \"\"G\"\"\",gina@example.com,,,,\r\n" // 9: good, doubled quotes
          "Hal,Hill,hal@example.com\r\n" // 10: too few fields
          "Ivy,Ives,,Ivy Co,,,\n"; // 11: good, no e-mail, LF line end
    const HttpReply accepted = importCsv(csv, "Dental expo 2026", m_member);
    QCOMPARE(accepted.status, 202);
    QCOMPARE(accepted.json().value(QStringLiteral("status")).toString(), QStringLiteral("processing"));
    QCOMPARE(accepted.json().value(QStringLiteral("total")).toInt(), 9);
    const QString importId = accepted.json().value(QStringLiteral("importId")).toString();

    const QJsonObject status = waitForImport(importId);
    QCOMPARE(status.value(QStringLiteral("status")).toString(), QStringLiteral("completed"));
    QCOMPARE(status.value(QStringLiteral("importId")).toString(), importId);
    QCOMPARE(status.value(QStringLiteral("total")).toInt(), 9);
    QCOMPARE(status.value(QStringLiteral("imported")).toInt(), 4);
    QCOMPARE(status.value(QStringLiteral("skipped")).toInt(), 2);
    QMap<int, QString> errors;
    for (const QJsonValue &e : status.value(QStringLiteral("errors")).toArray())
        errors.insert(e.toObject().value(QStringLiteral("row")).toInt(),
            e.toObject().value(QStringLiteral("reason")).toString());
    QCOMPARE(errors.keys(), (QList<int> {4, 5, 10}));
    QCOMPARE(errors.value(4), QStringLiteral("lastName is required"));
    QCOMPARE(errors.value(5), QStringLiteral("invalid email"));
    QCOMPARE(errors.value(10), QStringLiteral("expected 7 fields, found 3"));

    // The imported leads, with the label as their source reference.
    const QJsonArray imported = get("/dashboard/v1/leads?filter[source]=import&order=asc", m_member)
                                    .json()
                                    .value(QStringLiteral("data"))
                                    .toArray();
    QCOMPARE(imported.size(), 4);
    QMap<QString, QJsonObject> byName;
    for (const QJsonValue &v : imported)
        byName.insert(v.toObject().value(QStringLiteral("firstName")).toString(), v.toObject());
    QCOMPARE(byName.keys(),
        (QStringList {
            QStringLiteral("Alice"), QStringLiteral("Bob"), QStringLiteral("Gina"), QStringLiteral("Ivy")}));
    QCOMPARE(byName[QStringLiteral("Alice")].value(QStringLiteral("company")).toString(),
        QStringLiteral("Anders, Inc."));
    QCOMPARE(byName[QStringLiteral("Alice")].value(QStringLiteral("tags")).toArray(),
        (QJsonArray {QStringLiteral("vip"), QStringLiteral("dental")}));
    QCOMPARE(byName[QStringLiteral("Alice")].value(QStringLiteral("sourceRef")).toString(),
        QStringLiteral("Dental expo 2026"));
    QCOMPARE(byName[QStringLiteral("Gina")].value(QStringLiteral("lastName")).toString(),
        QStringLiteral("Gray \"G\""));
    QVERIFY(!byName[QStringLiteral("Ivy")].contains(QStringLiteral("email")));
    const QJsonObject bob = get("/dashboard/v1/leads/"
            + byName[QStringLiteral("Bob")].value(QStringLiteral("id")).toString().toLatin1(),
        m_member)
                                .json();
    QCOMPARE(bob.value(QStringLiteral("importId")).toString(), importId);
    const QJsonArray timeline = bob.value(QStringLiteral("timeline")).toArray();
    QCOMPARE(timeline.size(), 2);
    QCOMPARE(
        timeline[0].toObject().value(QStringLiteral("data")).toObject().value(QStringLiteral("row")).toInt(),
        3);
    QCOMPARE(timeline[1]
                 .toObject()
                 .value(QStringLiteral("data"))
                 .toObject()
                 .value(QStringLiteral("text"))
                 .toString(),
        QStringLiteral("Called twice,\nwants a quote"));
    QCOMPARE(audit(QStringLiteral("lead.import.started")).size(), 1);

    // A source label from the lead source enum is the leads' source.
    const HttpReply formImport = importCsv("name,email\nZed Zulu,zed@example.com\n", "form");
    QCOMPARE(formImport.status, 202);
    const QJsonObject formStatus
        = waitForImport(formImport.json().value(QStringLiteral("importId")).toString());
    QCOMPARE(formStatus.value(QStringLiteral("imported")).toInt(), 1);
    const QJsonArray zed
        = get("/dashboard/v1/leads?search=zulu", m_member).json().value(QStringLiteral("data")).toArray();
    QCOMPARE(zed.size(), 1);
    QCOMPARE(zed.first().toObject().value(QStringLiteral("source")).toString(), QStringLiteral("form"));
    QCOMPARE(zed.first().toObject().value(QStringLiteral("lastName")).toString(), QStringLiteral("Zulu"));

    // Running the job again (a retried delivery) imports nothing twice.
    jobs::Job again;
    again.kind = services::LeadImporter::kJobKind;
    again.tenantId = m_acmeId;
    again.payload = {{QStringLiteral("importId"), importId}};
    again.attempts = 1;
    again.maxAttempts = 3;
    QVERIFY(services::LeadImporter::run(m_server->host().engine(), again).ok());
    QCOMPARE(get("/dashboard/v1/leads?filter[source]=import", m_member)
                 .json()
                 .value(QStringLiteral("data"))
                 .toArray()
                 .size(),
        4);
}

void TestIntakeApi::leadImportValidation_data()
{
    QTest::addColumn<QByteArray>("csv");
    QTest::addColumn<QByteArray>("source");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("problem");
    QTest::newRow("imports-file-missing-01") << QByteArray() << QByteArray("x") << 400 << "file/required";
    QTest::newRow("imports-source-missing-02")
        << QByteArray("name\nA B\n") << QByteArray() << 400 << "source/required";
    QTest::newRow("imports-source-long-03")
        << QByteArray("name\nA B\n") << QByteArray(101, 's') << 400 << "source/too_long";
    QTest::newRow("imports-empty-04") << QByteArray("") << QByteArray("x") << 400 << "file/empty";
    QTest::newRow("imports-no-rows-05")
        << QByteArray("first name,last name\r\n") << QByteArray("x") << 400 << "file/empty";
    QTest::newRow("imports-columns-06")
        << QByteArray("email,phone\na@b.io,1\n") << QByteArray("x") << 400 << "file/missing_columns";
    QTest::newRow("imports-too-large-07")
        << ("name\n" + QByteArray(10 * 1024 * 1024, 'a')) << QByteArray("x") << 413 << "";
}

void TestIntakeApi::leadImportValidation()
{
    QFETCH(QByteArray, csv);
    QFETCH(QByteArray, source);
    QFETCH(int, status);
    QFETCH(QString, problem);
    const HttpReply r = importCsv(csv, source);
    QCOMPARE(r.status, status);
    if (!problem.isEmpty())
        QVERIFY2(detailFields(r).contains(problem), qPrintable(detailFields(r).join(QLatin1Char(','))));
    QCOMPARE(audit(QStringLiteral("lead.import.started")).size(), 0);
    // Not multipart at all.
    QCOMPARE(post("/dashboard/v1/leads/import", m_admin, R"({"file":"x"})").status, 400);
}

void TestIntakeApi::csvParser()
{
    const QList<services::CsvRecord> records
        = services::parseCsv("a,\"b,1\",c\r\n\"multi\r\nline\",\"q\"\"q\",\n\n,,\n\"open,end");
    QCOMPARE(records.size(), 4);
    QCOMPARE(
        records[0].fields, (QStringList {QStringLiteral("a"), QStringLiteral("b,1"), QStringLiteral("c")}));
    QCOMPARE(records[1].row, 2);
    QCOMPARE(records[1].fields,
        (QStringList {QStringLiteral("multi\r\nline"), QStringLiteral("q\"q"), QString()}));
    QCOMPARE(records[2].row, 4); // the record spanning two lines is one row; the blank line keeps its number
    QCOMPARE(records[2].fields.size(), 3);
    QCOMPARE(records[3].row, 5);
    QVERIFY(records[3].unterminated);
}

void TestIntakeApi::access_data()
{
    QTest::addColumn<QString>("who");
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::newRow("access-reviewer-create-lead-01")
        << "reviewer" << QByteArray("POST") << QByteArray("/dashboard/v1/leads")
        << QByteArray(R"({"firstName":"A","lastName":"B"})") << 403;
    QTest::newRow("access-reviewer-import-02")
        << "reviewer" << QByteArray("POST") << QByteArray("/dashboard/v1/leads/import") << QByteArray("x")
        << 403;
    QTest::newRow("access-reviewer-connect-03")
        << "reviewer" << QByteArray("POST") << QByteArray("/dashboard/v1/channels/linkedin/connect")
        << QByteArray(R"({"redirectUrl":"http://app.example.test/x"})") << 403;
    QTest::newRow("access-member-disconnect-04")
        << "member" << QByteArray("DELETE") << QByteArray("/dashboard/v1/channels/{channel}") << QByteArray()
        << 403;
    QTest::newRow("access-reviewer-disconnect-05")
        << "reviewer" << QByteArray("DELETE") << QByteArray("/dashboard/v1/channels/{channel}")
        << QByteArray() << 403;
    QTest::newRow("access-globex-lead-06")
        << "globex" << QByteArray("GET") << QByteArray("/dashboard/v1/leads/{lead}") << QByteArray() << 404;
    QTest::newRow("access-globex-patch-lead-07")
        << "globex" << QByteArray("PATCH") << QByteArray("/dashboard/v1/leads/{lead}")
        << QByteArray(R"({"status":"converted"})") << 404;
    QTest::newRow("access-globex-import-08")
        << "globex" << QByteArray("GET") << QByteArray("/dashboard/v1/leads/imports/{import}") << QByteArray()
        << 404;
    QTest::newRow("access-globex-disconnect-09")
        << "globex" << QByteArray("DELETE") << QByteArray("/dashboard/v1/channels/{channel}") << QByteArray()
        << 404;
    QTest::newRow("access-globex-health-10")
        << "globex" << QByteArray("GET") << QByteArray("/dashboard/v1/channels/{channel}/health")
        << QByteArray() << 404;
    QTest::newRow("access-anonymous-leads-11")
        << "nobody" << QByteArray("GET") << QByteArray("/dashboard/v1/leads") << QByteArray() << 401;
    QTest::newRow("access-member-lead-12")
        << "member" << QByteArray("PATCH") << QByteArray("/dashboard/v1/leads/{lead}")
        << QByteArray(R"({"score":5})") << 200;
    QTest::newRow("access-reviewer-health-13")
        << "reviewer" << QByteArray("GET") << QByteArray("/dashboard/v1/channels/{channel}/health")
        << QByteArray() << 200;
}

void TestIntakeApi::access()
{
    QFETCH(QString, who);
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, path);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    const QString lead = createLead({{QStringLiteral("firstName"), QStringLiteral("Ada")},
        {QStringLiteral("lastName"), QStringLiteral("L")}});
    const HttpReply imported = importCsv("name\nAda Two\n");
    const QString importId = imported.json().value(QStringLiteral("importId")).toString();
    store::Channel c;
    c.id = Ulid::generate();
    c.tenantId = m_acmeId;
    c.platform = QStringLiteral("linkedin");
    c.name = QStringLiteral("LinkedIn");
    c.connectedBy = m_adminUserId;
    c.connectedAtMs = c.createdAtMs = c.updatedAtMs = m_server->clock().nowMs();
    QVERIFY(store().channels.insert(c).ok());
    path.replace("{lead}", lead.toLatin1())
        .replace("{import}", importId.toLatin1())
        .replace("{channel}", c.id.toLatin1());
    const QByteArray token = who == QLatin1String("nobody") ? QByteArray() : tokenFor(who);
    const HttpReply r = call(method, path, token, body);
    QCOMPARE(r.status, status);
    if (status >= 400) {
        // Nothing changed.
        QCOMPARE(get("/dashboard/v1/leads/" + lead.toLatin1(), m_admin)
                     .json()
                     .value(QStringLiteral("status"))
                     .toString(),
            QStringLiteral("new"));
        QCOMPARE(get("/dashboard/v1/channels", m_admin)
                     .json()
                     .value(QStringLiteral("data"))
                     .toArray()
                     .first()
                     .toObject()
                     .value(QStringLiteral("status"))
                     .toString(),
            QStringLiteral("connected"));
        QCOMPARE(
            get("/dashboard/v1/leads", m_admin).json().value(QStringLiteral("data")).toArray().size() <= 2,
            true);
    }
}

} // namespace lm::test

QTEST_GUILESS_MAIN(lm::test::TestIntakeApi)
