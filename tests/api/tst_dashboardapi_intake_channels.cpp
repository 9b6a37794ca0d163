// SPDX-License-Identifier: GPL-3.0-or-later
// Content requests and their pipeline; channels: the OAuth2 connection against a fake provider,
// disconnects that revoke, and health scores.
#include "auth/authservice.h"
#include "auth/secretbox.h"
#include "tst_dashboardapi_intake.h"
#include "tst_dashboardapi_intake_oauth.h"

#include <QDate>
#include <QFile>
#include <QUrlQuery>

using namespace lm;

namespace lm::test {

QString TestIntakeApi::insertActiveCampaign(const QString &type, const QStringList &platformIds)
{
    const qint64 now = m_server->clock().nowMs();
    store::Campaign c;
    c.id = Ulid::generate();
    c.tenantId = m_acmeId;
    c.name = QStringLiteral("Always on");
    c.brief = QStringLiteral("Keep posting.");
    c.status = QStringLiteral("active");
    c.createdBy = m_adminUserId;
    c.createdAtMs = c.updatedAtMs = now;
    if (!store().campaigns.insert(c).ok())
        return {};
    store::Deliverable d;
    d.id = Ulid::generate();
    d.tenantId = m_acmeId;
    d.campaignId = c.id;
    d.type = type;
    d.quantity = 2;
    d.platformIds = platformIds;
    d.createdAtMs = now;
    if (!store().campaigns.insertDeliverable(d).ok())
        return {};
    const QDate today = m_server->clock().now().date();
    store::DeliverablePeriod p;
    p.id = Ulid::generate();
    p.tenantId = m_acmeId;
    p.deliverableId = d.id;
    p.periodStart = today.addDays(-3).toString(Qt::ISODate);
    p.periodEnd = today.addDays(20).toString(Qt::ISODate);
    p.target = 2;
    p.createdAtMs = now;
    if (!store().campaigns.insertPeriod(p).ok())
        return {};
    return c.id;
}

void TestIntakeApi::requestValidation_data()
{
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("problem");
    const QByteArray blog = "/dashboard/v1/blog-requests";
    const QByteArray social = "/dashboard/v1/social-requests";
    QTest::newRow("requests-blog-topic-missing-01") << blog << QByteArray("{}") << "topic/required";
    QTest::newRow("requests-blog-topic-long-02")
        << blog << intakeJson({{QStringLiteral("topic"), QString(301, QLatin1Char('t'))}})
        << "topic/too_long";
    QTest::newRow("requests-blog-priority-03")
        << blog << QByteArray(R"({"topic":"x","priority":"urgent"})") << "priority/invalid";
    QTest::newRow("requests-blog-keyword-type-04")
        << blog << QByteArray(R"({"topic":"x","targetKeyword":7})") << "targetKeyword/must_be_string";
    QTest::newRow("requests-blog-channel-05")
        << blog << QByteArray(R"({"topic":"x","channelId":"01J00000000000000000000000"})")
        << "channelId/not_found";
    QTest::newRow("requests-blog-brief-long-06")
        << blog
        << intakeJson({{QStringLiteral("topic"), QStringLiteral("x")},
               {QStringLiteral("brief"), QString(5001, QLatin1Char('b'))}})
        << "brief/too_long";
    QTest::newRow("requests-social-platforms-missing-07")
        << social << QByteArray(R"({"topic":"x"})") << "platforms/required";
    QTest::newRow("requests-social-platforms-empty-08")
        << social << QByteArray(R"({"topic":"x","platforms":[]})") << "platforms/required";
    QTest::newRow("requests-social-platform-enum-09")
        << social << QByteArray(R"({"topic":"x","platforms":["myspace"]})") << "platforms[0]/invalid";
    QTest::newRow("requests-social-platforms-type-10")
        << social << QByteArray(R"({"topic":"x","platforms":"linkedin"})") << "platforms/must_be_array";
    QTest::newRow("requests-social-schedule-11")
        << social << QByteArray(R"({"topic":"x","platforms":["tiktok"],"scheduleFor":"next week"})")
        << "scheduleFor/invalid_datetime";
    QTest::newRow("requests-social-schedule-local-12")
        << social << QByteArray(R"({"topic":"x","platforms":["tiktok"],"scheduleFor":"2026-05-01T10:00:00"})")
        << "scheduleFor/invalid_datetime";
}

void TestIntakeApi::requestValidation()
{
    QFETCH(QByteArray, path);
    QFETCH(QByteArray, body);
    QFETCH(QString, problem);
    const HttpReply r = post(path, m_admin, body);
    QCOMPARE(r.status, 400);
    QVERIFY2(detailFields(r).contains(problem), qPrintable(detailFields(r).join(QLatin1Char(','))));
    QCOMPARE(get(path, m_admin).json().value(QStringLiteral("data")).toArray().size(), 0);
}

void TestIntakeApi::blogRequestPipeline()
{
    const QByteArray path = "/dashboard/v1/blog-requests";
    // No active campaign: an admin's request is approved and waits.
    HttpReply r = post(path, m_admin, R"({"topic":"Whitening myths","targetKeyword":"teeth whitening"})");
    QCOMPARE(r.status, 201);
    QCOMPARE(r.json().value(QStringLiteral("status")).toString(), QStringLiteral("approved"));
    QVERIFY(!r.json().contains(QStringLiteral("blogPostId")));
    QCOMPARE(r.json().value(QStringLiteral("createdBy")).toString(), QStringLiteral("Alex Acme"));

    // An active campaign with a blog deliverable whose period contains today: production starts.
    const QString campaignId = insertActiveCampaign(QStringLiteral("blog_post"));
    QVERIFY(!campaignId.isEmpty());
    store::Channel wp;
    wp.id = Ulid::generate();
    wp.tenantId = m_acmeId;
    wp.platform = QStringLiteral("wordpress");
    wp.name = QStringLiteral("WordPress");
    wp.connectedBy = m_adminUserId;
    wp.connectedAtMs = wp.createdAtMs = wp.updatedAtMs = m_server->clock().nowMs();
    QVERIFY(store().channels.insert(wp).ok());
    r = post(path, m_reviewer,
        intakeJson({{QStringLiteral("topic"), QStringLiteral("Implant aftercare")},
            {QStringLiteral("channelId"), wp.id}, {QStringLiteral("priority"), QStringLiteral("high")},
            {QStringLiteral("brief"), QStringLiteral("Warm tone.")}}));
    QCOMPARE(r.status, 201);
    const QJsonObject started = r.json();
    QCOMPARE(started.value(QStringLiteral("status")).toString(), QStringLiteral("in_production"));
    QCOMPARE(started.value(QStringLiteral("channelName")).toString(), QStringLiteral("WordPress"));
    const QString activityId = started.value(QStringLiteral("blogPostId")).toString();
    QVERIFY(!activityId.isEmpty());
    auto activity = store().activities.find(acme(), activityId);
    QVERIFY(activity.ok() && activity->has_value());
    QCOMPARE((*activity)->campaignId, campaignId);
    QCOMPARE((*activity)->type, QStringLiteral("blog_post"));
    QCOMPARE((*activity)->agentRole, QStringLiteral("copywriter"));
    // Assigned to its agent; a job worker may already have taken it further (in_progress, or
    // blocked when the test tenant's agent cannot run it), so only "never entered" is wrong.
    QVERIFY2((*activity)->status != QLatin1String("created"), qPrintable((*activity)->status));
    QVERIFY((*activity)->inputPrompt.contains(QStringLiteral("Implant aftercare")));
    QVERIFY((*activity)->inputPrompt.contains(QStringLiteral("Warm tone.")));
    // The activity shows in the Activities list of the campaign.
    QCOMPARE(get("/dashboard/v1/activities/" + activityId.toLatin1(), m_member).status, 200);

    // A member's request is a draft: nothing is produced.
    r = post(path, m_member, R"({"topic":"Evening hours"})");
    QCOMPARE(r.status, 201);
    QCOMPARE(r.json().value(QStringLiteral("status")).toString(), QStringLiteral("draft"));
    QVERIFY(!r.json().contains(QStringLiteral("blogPostId")));

    // When the activity is done the request reads as completed.
    // (Written directly: the API has no way to finish an activity, and its run may be under way.)
    {
        auto q = store().db().query(QStringLiteral("UPDATE activities SET status = 'done' WHERE id = ?"));
        q.bind(activityId);
        QVERIFY(q.exec().ok());
    }
    const auto topics = [this, &path](const QByteArray &query) {
        QStringList out;
        for (const QJsonValue &v : get(path + query, m_member).json().value(QStringLiteral("data")).toArray())
            out.append(v.toObject().value(QStringLiteral("topic")).toString());
        return out;
    };
    QCOMPARE(topics(""),
        (QStringList {QStringLiteral("Evening hours"), QStringLiteral("Implant aftercare"),
            QStringLiteral("Whitening myths")}));
    QCOMPARE(topics("?filter[status]=completed"), QStringList {QStringLiteral("Implant aftercare")});
    QCOMPARE(topics("?filter[status]=in_production"), QStringList {});
    QCOMPARE(topics("?filter[status]=draft"), QStringList {QStringLiteral("Evening hours")});
    QCOMPARE(topics("?limit=1&order=asc"), QStringList {QStringLiteral("Whitening myths")});
    QCOMPARE(get(path + "?filter[status]=done", m_member).status, 400);
    QCOMPARE(audit(QStringLiteral("content_request.created")).size(), 3);
    // Another tenant's channel is not a channel of this tenant; another tenant sees no requests.
    QCOMPARE(get(path, m_globex).json().value(QStringLiteral("data")).toArray().size(), 0);
    r = post(path, m_globex,
        intakeJson({{QStringLiteral("topic"), QStringLiteral("x")}, {QStringLiteral("channelId"), wp.id}}));
    QCOMPARE(r.status, 400);
    QVERIFY(detailFields(r).contains(QStringLiteral("channelId/not_found")));
}

void TestIntakeApi::socialRequests()
{
    const QByteArray path = "/dashboard/v1/social-requests";
    // A social deliverable that targets Instagram only: a LinkedIn request does not fit it.
    QVERIFY(!insertActiveCampaign(QStringLiteral("social_post"), {QStringLiteral("instagram")}).isEmpty());
    HttpReply r = post(path, m_admin,
        R"({"topic":"Team photo","platforms":["linkedin"],"scheduleFor":"2026-05-01T10:00:00Z"})");
    QCOMPARE(r.status, 201);
    QCOMPARE(r.json().value(QStringLiteral("status")).toString(), QStringLiteral("approved"));
    QCOMPARE(
        r.json().value(QStringLiteral("scheduleFor")).toString(), QStringLiteral("2026-05-01T10:00:00.000Z"));
    QCOMPARE(r.json().value(QStringLiteral("platforms")).toArray(), QJsonArray {QStringLiteral("linkedin")});
    r = post(path, m_admin, R"({"topic":"Spring offer","platforms":["instagram","facebook","instagram"]})");
    QCOMPARE(r.status, 201);
    QCOMPARE(r.json().value(QStringLiteral("status")).toString(), QStringLiteral("in_production"));
    const QString activityId = r.json().value(QStringLiteral("activityId")).toString();
    auto activity = store().activities.find(acme(), activityId);
    QVERIFY(activity.ok() && activity->has_value());
    QCOMPARE((*activity)->agentRole, QStringLiteral("social_media_manager"));
    QCOMPARE(r.json().value(QStringLiteral("platforms")).toArray(),
        (QJsonArray {QStringLiteral("instagram"), QStringLiteral("facebook")}));
    QCOMPARE(get(path + "?filter[platform]=facebook", m_reviewer)
                 .json()
                 .value(QStringLiteral("data"))
                 .toArray()
                 .size(),
        1);
    QCOMPARE(get(path + "?filter[platform]=linkedin", m_reviewer)
                 .json()
                 .value(QStringLiteral("data"))
                 .toArray()
                 .size(),
        1);
    QCOMPARE(get(path + "?filter[platform]=tiktok", m_reviewer)
                 .json()
                 .value(QStringLiteral("data"))
                 .toArray()
                 .size(),
        0);
    QCOMPARE(get(path + "?filter[platform]=myspace", m_reviewer).status, 400);
    // Blog and social requests are separate lists.
    QCOMPARE(
        get("/dashboard/v1/blog-requests", m_reviewer).json().value(QStringLiteral("data")).toArray().size(),
        0);
}

namespace {
/// The provider table pointing linkedin at the fake; the dashboard at app.example.test is allowed.
void writeProviders(TestServer &server, const FakeOAuthProvider &fake, int ttlSeconds = 600)
{
    QFile file(server.dataDir() + QStringLiteral("/channel-providers.json"));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(intakeJson({{QStringLiteral("callbackUrl"),
                               QStringLiteral("http://127.0.0.1:%1/dashboard/v1/channels/oauth/callback")
                                   .arg(server.port())},
        {QStringLiteral("redirectAllowList"),
            QJsonArray {QStringLiteral("http://app.example.test/channels")}},
        {QStringLiteral("stateTtlSeconds"), ttlSeconds},
        {QStringLiteral("providers"),
            QJsonObject {{QStringLiteral("linkedin"),
                QJsonObject {{QStringLiteral("authorizeUrl"), fake.baseUrl() + QStringLiteral("/authorize")},
                    {QStringLiteral("tokenUrl"), fake.baseUrl() + QStringLiteral("/token")},
                    {QStringLiteral("revokeUrl"), fake.baseUrl() + QStringLiteral("/revoke")},
                    {QStringLiteral("clientId"), QString::fromLatin1(FakeOAuthProvider::kClientId)},
                    {QStringLiteral("clientSecret"), QString::fromLatin1(FakeOAuthProvider::kClientSecret)},
                    {QStringLiteral("scopes"),
                        QJsonArray {
                            QStringLiteral("r_organization"), QStringLiteral("w_member_social")}}}}}}}));
}

QByteArray pathOf(const QByteArray &location)
{
    const QUrl url(QString::fromLatin1(location));
    return url.path(QUrl::FullyEncoded).toLatin1()
        + (url.hasQuery() ? "?" + url.query(QUrl::FullyEncoded).toLatin1() : QByteArray());
}
} // namespace

void TestIntakeApi::channelConnectFlow()
{
    FakeOAuthProvider fake;
    writeProviders(*m_server, fake);
    const QByteArray redirectUrl = "http://app.example.test/channels/done?tab=social";

    // Connect: the authUrl is the provider's authorize endpoint with our client, callback and state.
    HttpReply r = post(
        "/dashboard/v1/channels/linkedin/connect", m_member, R"({"redirectUrl":")" + redirectUrl + "\"}");
    QCOMPARE(r.status, 200);
    const QString authUrl = r.json().value(QStringLiteral("authUrl")).toString();
    const QString state = r.json().value(QStringLiteral("state")).toString();
    QVERIFY(authUrl.startsWith(fake.baseUrl() + QStringLiteral("/authorize?")));
    QVERIFY(state.size() >= 40);
    const QUrlQuery auth {QUrl(authUrl)};
    QCOMPARE(auth.queryItemValue(QStringLiteral("state"), QUrl::FullyDecoded), state);
    QCOMPARE(auth.queryItemValue(QStringLiteral("scope"), QUrl::FullyDecoded),
        QStringLiteral("r_organization w_member_social"));
    QCOMPARE(auth.queryItemValue(QStringLiteral("redirect_uri"), QUrl::FullyDecoded),
        QStringLiteral("http://127.0.0.1:%1/dashboard/v1/channels/oauth/callback").arg(m_server->port()));

    // The browser follows it; the provider sends it back to our callback with a code.
    const HttpReply consent
        = TestHttp(QStringLiteral("127.0.0.1"), fake.port()).get(pathOf(authUrl.toLatin1()));
    QCOMPARE(consent.status, 302);
    const QByteArray back = consent.headers.value("location");
    QVERIFY(back.startsWith("http://127.0.0.1:" + QByteArray::number(m_server->port())
        + "/dashboard/v1/channels/oauth/callback?"));
    // Wrong state: refused, nothing connected.
    r = m_server->http().get("/dashboard/v1/channels/oauth/callback?code=code-1&state=forged");
    QCOMPARE(r.status, 400);
    QVERIFY(detailFields(r).contains(QStringLiteral("state/invalid")));
    QCOMPARE(get("/dashboard/v1/channels", m_admin).json().value(QStringLiteral("data")).toArray().size(), 0);

    // The callback (no bearer token) exchanges the code and redirects to the dashboard.
    r = m_server->http().get(pathOf(back));
    QCOMPARE(r.status, 302);
    const QUrl done(QString::fromLatin1(r.headers.value("location")));
    QCOMPARE(done.host(), QStringLiteral("app.example.test"));
    QCOMPARE(done.path(), QStringLiteral("/channels/done"));
    const QUrlQuery doneQuery(done);
    QCOMPARE(doneQuery.queryItemValue(QStringLiteral("tab")), QStringLiteral("social"));
    QCOMPARE(doneQuery.queryItemValue(QStringLiteral("status")), QStringLiteral("connected"));
    const QString channelId = doneQuery.queryItemValue(QStringLiteral("channelId"));
    QVERIFY(!channelId.isEmpty());
    // The token request was a form post of the authorization code grant with our callback.
    const auto seen = fake.seen();
    QCOMPARE(seen.tokenRequests.size(), 1);
    QVERIFY(seen.tokenRequests.first().contains(QStringLiteral("grant_type=authorization_code")));
    QVERIFY(seen.tokenRequests.first().contains(QStringLiteral("client_secret=lm-secret-%26%3D%2B")));

    // Listed as connected, by the member who started it.
    const QJsonArray channels
        = get("/dashboard/v1/channels", m_reviewer).json().value(QStringLiteral("data")).toArray();
    QCOMPARE(channels.size(), 1);
    const QJsonObject channel = channels.first().toObject();
    QCOMPARE(channel.value(QStringLiteral("id")).toString(), channelId);
    QCOMPARE(channel.value(QStringLiteral("type")).toString(), QStringLiteral("linkedin"));
    QCOMPARE(channel.value(QStringLiteral("status")).toString(), QStringLiteral("connected"));
    QCOMPARE(channel.value(QStringLiteral("connectedBy")).toString(), QStringLiteral("Morgan Acme"));
    QVERIFY(!QJsonDocument(channel).toJson().contains("access-"));

    // Stored sealed: the column is not the token, and it opens to it with the data dir's key.
    const QByteArray access = seen.issuedAccessTokens.first().toLatin1();
    {
        auto q = store().db().query(
            QStringLiteral("SELECT access_token, refresh_token FROM channels WHERE id = ?"));
        q.bind(channelId);
        QVERIFY(q.exec().ok() && q.next());
        const QByteArray sealed = q.value(0).toByteArray();
        QVERIFY(!sealed.isEmpty());
        QVERIFY(!sealed.contains(access));
        QVERIFY(!q.value(1).toByteArray().contains("refresh-"));
        QCOMPARE(m_server->host().auth().secretBox().open(sealed).value_or(QByteArray()), access);
    } // (the statement ends here: an open read would pin an old snapshot)
    const auto connected = audit(QStringLiteral("channel.connected"));
    QCOMPARE(connected.size(), 1);
    QCOMPARE(connected.first().actorId, m_memberUserId);

    // The same callback again: the state is spent.
    r = m_server->http().get(pathOf(back));
    QCOMPARE(r.status, 400);
    QVERIFY(detailFields(r).contains(QStringLiteral("state/invalid")));
    QCOMPARE(fake.seen().tokenRequests.size(), 1);

    // Disconnect: admins only; revokes both tokens at the provider and forgets them.
    QCOMPARE(call("DELETE", "/dashboard/v1/channels/" + channelId.toLatin1(), m_member).status, 403);
    QCOMPARE(call("DELETE", "/dashboard/v1/channels/" + channelId.toLatin1(), m_admin).status, 204);
    QCOMPARE(fake.seen().revoked, (QStringList {QStringLiteral("refresh-1"), QString::fromLatin1(access)}));
    const QJsonObject after = get("/dashboard/v1/channels", m_admin)
                                  .json()
                                  .value(QStringLiteral("data"))
                                  .toArray()
                                  .first()
                                  .toObject();
    QCOMPARE(after.value(QStringLiteral("status")).toString(), QStringLiteral("disconnected"));
    auto row = store().channels.find(acme(), channelId);
    QVERIFY(row.ok() && row->has_value());
    QVERIFY((*row)->accessTokenSealed.isEmpty() && (*row)->refreshTokenSealed.isEmpty());
    QCOMPARE(audit(QStringLiteral("channel.disconnected")).size(), 1);
    // Again: nothing left to revoke, nothing written.
    QCOMPARE(call("DELETE", "/dashboard/v1/channels/" + channelId.toLatin1(), m_admin).status, 204);
    QCOMPARE(fake.seen().revoked.size(), 2);
    QCOMPARE(audit(QStringLiteral("channel.disconnected")).size(), 1);

    // Connecting again reuses the channel.
    r = post("/dashboard/v1/channels/linkedin/connect", m_admin, R"({"redirectUrl":")" + redirectUrl + "\"}");
    const HttpReply consent2
        = TestHttp(QStringLiteral("127.0.0.1"), fake.port())
              .get(pathOf(r.json().value(QStringLiteral("authUrl")).toString().toLatin1()));
    QCOMPARE(m_server->http().get(pathOf(consent2.headers.value("location"))).status, 302);
    const QJsonArray again
        = get("/dashboard/v1/channels", m_admin).json().value(QStringLiteral("data")).toArray();
    QCOMPARE(again.size(), 1);
    QCOMPARE(
        again.first().toObject().value(QStringLiteral("status")).toString(), QStringLiteral("connected"));
}

void TestIntakeApi::channelConnectRefusals()
{
    FakeOAuthProvider fake;
    writeProviders(*m_server, fake, 60);
    const auto connect = [this](const QByteArray &platform, const QByteArray &body) {
        return post("/dashboard/v1/channels/" + platform + "/connect", m_admin, body);
    };
    QCOMPARE(detailFields(connect("linkedin", R"({"redirectUrl":"https://evil.example/channels"})")),
        QStringList {QStringLiteral("redirectUrl/not_allowed")});
    QCOMPARE(detailFields(connect("linkedin", R"({"redirectUrl":"http://app.example.test/other"})")),
        QStringList {QStringLiteral("redirectUrl/not_allowed")});
    QCOMPARE(detailFields(connect("linkedin", R"({"redirectUrl":"http://app.example.test:8080/channels"})")),
        QStringList {QStringLiteral("redirectUrl/not_allowed")});
    QCOMPARE(detailFields(connect("linkedin", "{}")), QStringList {QStringLiteral("redirectUrl/required")});
    QCOMPARE(connect("myspace", R"({"redirectUrl":"http://app.example.test/channels"})").status, 404);
    const HttpReply unconfigured = connect("tiktok", R"({"redirectUrl":"http://app.example.test/channels"})");
    QCOMPARE(unconfigured.status, 422);
    QCOMPARE(detailFields(unconfigured), QStringList {QStringLiteral("platform/not_configured")});

    // A state expires: a callback after its lifetime is refused and the provider is never asked.
    HttpReply r = connect("linkedin", R"({"redirectUrl":"http://app.example.test/channels"})");
    QCOMPARE(r.status, 200);
    const HttpReply consent
        = TestHttp(QStringLiteral("127.0.0.1"), fake.port())
              .get(pathOf(r.json().value(QStringLiteral("authUrl")).toString().toLatin1()));
    m_server->clock().advanceMs(61 * 1000);
    r = m_server->http().get(pathOf(consent.headers.value("location")));
    QCOMPARE(r.status, 400);
    QCOMPARE(fake.seen().tokenRequests.size(), 0);

    // The user said no at the provider: back to the dashboard with the error, nothing connected.
    r = connect("linkedin", R"({"redirectUrl":"http://app.example.test/channels"})");
    const QString state = r.json().value(QStringLiteral("state")).toString();
    r = m_server->http().get(
        "/dashboard/v1/channels/oauth/callback?error=access_denied&state=" + QUrl::toPercentEncoding(state));
    QCOMPARE(r.status, 302);
    const QUrlQuery denied {QUrl(QString::fromLatin1(r.headers.value("location")))};
    QCOMPARE(denied.queryItemValue(QStringLiteral("status")), QStringLiteral("error"));
    QCOMPARE(denied.queryItemValue(QStringLiteral("error")), QStringLiteral("access_denied"));
    // A code the provider does not know: the exchange fails and the dashboard is told.
    r = connect("linkedin", R"({"redirectUrl":"http://app.example.test/channels"})");
    r = m_server->http().get("/dashboard/v1/channels/oauth/callback?code=made-up&state="
        + QUrl::toPercentEncoding(r.json().value(QStringLiteral("state")).toString()));
    QCOMPARE(r.status, 302);
    QCOMPARE(QUrlQuery(QUrl(QString::fromLatin1(r.headers.value("location"))))
                 .queryItemValue(QStringLiteral("error")),
        QStringLiteral("token_exchange_failed"));
    QCOMPARE(get("/dashboard/v1/channels", m_admin).json().value(QStringLiteral("data")).toArray().size(), 0);
    QCOMPARE(audit(QStringLiteral("channel.connect.started")).size(), 3);
}

void TestIntakeApi::channelHealth()
{
    const qint64 now = m_server->clock().nowMs();
    store::Channel c;
    c.id = Ulid::generate();
    c.tenantId = m_acmeId;
    c.platform = QStringLiteral("facebook");
    c.name = QStringLiteral("Facebook");
    c.connectedBy = m_adminUserId;
    c.connectedAtMs = c.createdAtMs = c.updatedAtMs = now;
    QVERIFY(store().channels.insert(c).ok());
    // Never measured: no score in the list, zeros in the breakdown.
    QJsonObject listed = get("/dashboard/v1/channels", m_member)
                             .json()
                             .value(QStringLiteral("data"))
                             .toArray()
                             .first()
                             .toObject();
    QVERIFY(!listed.contains(QStringLiteral("healthScore")));
    HttpReply r = get("/dashboard/v1/channels/" + c.id.toLatin1() + "/health", m_member);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json().value(QStringLiteral("healthScore")).toInt(), 0);

    // 9 of 10 profile fields (90), 6 of 8 posts (75), 2.5 % engagement of the 5 % that scores 100 (50):
    // 0.3 × 90 + 0.4 × 75 + 0.3 × 50 = 72.
    c.profileFieldsTotal = 10;
    c.profileFieldsFilled = 9;
    c.postsTarget30d = 8;
    c.postsLast30d = 6;
    c.engagementRateBp = 250;
    c.lastPublishedAtMs = now - 3600 * 1000;
    c.metricsUpdatedAtMs = now;
    QVERIFY(store().channels.update(acme(), c).ok());
    r = get("/dashboard/v1/channels/" + c.id.toLatin1() + "/health", m_member);
    const QJsonObject h = r.json();
    QCOMPARE(h.value(QStringLiteral("channelId")).toString(), c.id);
    QCOMPARE(h.value(QStringLiteral("healthScore")).toInt(), 72);
    const QJsonObject b = h.value(QStringLiteral("breakdown")).toObject();
    QCOMPARE(b.value(QStringLiteral("completeness")).toInt(), 90);
    QCOMPARE(b.value(QStringLiteral("activityScore")).toInt(), 75);
    QCOMPARE(b.value(QStringLiteral("engagement")).toInt(), 50);
    QCOMPARE(h.value(QStringLiteral("lastPublishedAt")).toString(), isoTimestamp(now - 3600 * 1000));
    QCOMPARE(h.value(QStringLiteral("computedAt")).toString(), isoTimestamp(now));
    listed = get("/dashboard/v1/channels", m_member)
                 .json()
                 .value(QStringLiteral("data"))
                 .toArray()
                 .first()
                 .toObject();
    QCOMPARE(listed.value(QStringLiteral("healthScore")).toInt(), 72);
    QCOMPARE(listed.value(QStringLiteral("lastCheckedAt")).toString(), isoTimestamp(now));
    // Posting more than the target and viral engagement cap at 100.
    c.postsLast30d = 20;
    c.engagementRateBp = 2000;
    QVERIFY(store().channels.update(acme(), c).ok());
    const QJsonObject capped = get("/dashboard/v1/channels/" + c.id.toLatin1() + "/health", m_member).json();
    QCOMPARE(
        capped.value(QStringLiteral("breakdown")).toObject().value(QStringLiteral("activityScore")).toInt(),
        100);
    QCOMPARE(capped.value(QStringLiteral("healthScore")).toInt(), 97);
    QCOMPARE(get("/dashboard/v1/channels/01J00000000000000000000000/health", m_member).status, 404);
}

} // namespace lm::test
