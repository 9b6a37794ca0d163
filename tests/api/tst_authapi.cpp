// SPDX-License-Identifier: GPL-3.0-or-later
// /auth/v1 against a real server on port 0, once per dialect. Rows are named <resource>-<case>-NN.
#include "auth/authservice.h"
#include "auth/jwt.h"
#include "auth/totp.h"
#include "store/store.h"
#include "testserver.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace lm;
using namespace lm::test;

namespace {

QByteArray json(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QByteArray base32Decode(const QString &text)
{
    static const QByteArray alphabet("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567");
    QByteArray out;
    quint32 buffer = 0;
    int bits = 0;
    for (QChar c : text) {
        const int v = alphabet.indexOf(char(c.toUpper().toLatin1()));
        if (v < 0)
            continue;
        buffer = (buffer << 5) | quint32(v);
        bits += 5;
        if (bits >= 8) {
            out.append(char((buffer >> (bits - 8)) & 0xff));
            bits -= 8;
        }
    }
    return out;
}

QByteArray b64url(const QByteArray &raw)
{
    return raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

const QString kPassword = QStringLiteral("demo-pass-2026");

} // namespace

class TestAuthApi : public QObject
{
    Q_OBJECT

    std::unique_ptr<TestServer> m_server;

    QByteArray signingKey() const
    {
        QFile f(m_server->dataDir() + QStringLiteral("/keys/jwt-signing.key"));
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

    // A token built by hand, for the forgery rows.
    QByteArray tokenVariant(const QString &variant)
    {
        const QByteArray good = m_server->login(QStringLiteral("admin@acme.demo"));
        const QList<QByteArray> parts = good.split('.');
        if (variant == QLatin1String("valid"))
            return good;
        if (variant == QLatin1String("tampered-signature")) {
            QByteArray sig = QByteArray::fromBase64(parts[2], QByteArray::Base64UrlEncoding);
            sig[0] = char(sig[0] ^ 0x01);
            return parts[0] + '.' + parts[1] + '.' + b64url(sig);
        }
        if (variant == QLatin1String("tampered-claims")) {
            QJsonObject claims
                = QJsonDocument::fromJson(QByteArray::fromBase64(parts[1], QByteArray::Base64UrlEncoding))
                      .object();
            claims.insert(QStringLiteral("role"), QStringLiteral("super_admin"));
            return parts[0] + '.' + b64url(json(claims)) + '.' + parts[2];
        }
        if (variant == QLatin1String("alg-none")) {
            const QByteArray header = b64url(R"({"alg":"none","typ":"at+jwt"})");
            return header + '.' + parts[1] + '.';
        }
        if (variant == QLatin1String("alg-none-signed")) {
            const QByteArray header = b64url(R"({"alg":"none","typ":"at+jwt"})");
            return header + '.' + parts[1] + '.' + parts[2];
        }
        if (variant == QLatin1String("wrong-audience")) {
            auth::JwtCodec other(
                signingKey(), QStringLiteral("leadmetrics"), QStringLiteral("some-other-api"));
            QJsonObject claims
                = QJsonDocument::fromJson(QByteArray::fromBase64(parts[1], QByteArray::Base64UrlEncoding))
                      .object();
            return other.sign(claims, QStringLiteral("at+jwt"));
        }
        if (variant == QLatin1String("wrong-key")) {
            auth::JwtCodec other(
                QByteArray(32, 'k'), QStringLiteral("leadmetrics"), QStringLiteral("leadmetrics-api"));
            QJsonObject claims
                = QJsonDocument::fromJson(QByteArray::fromBase64(parts[1], QByteArray::Base64UrlEncoding))
                      .object();
            return other.sign(claims, QStringLiteral("at+jwt"));
        }
        if (variant == QLatin1String("challenge-as-access")) {
            auth::JwtCodec same(
                signingKey(), QStringLiteral("leadmetrics"), QStringLiteral("leadmetrics-api"));
            QJsonObject claims
                = QJsonDocument::fromJson(QByteArray::fromBase64(parts[1], QByteArray::Base64UrlEncoding))
                      .object();
            return same.sign(claims, QStringLiteral("mfa-challenge+jwt"));
        }
        if (variant == QLatin1String("garbage"))
            return "not-a-token";
        return {};
    }

    QList<store::AuditEntry> auditFor(const QString &action)
    {
        auto rows = m_server->host().store().audit.list(store::TenantScope::allTenants(), action, 1000);
        return rows.ok() ? *rows : QList<store::AuditEntry>();
    }

    QString currentCode(const QByteArray &secret, qint64 offsetSteps = 0)
    {
        return auth::Totp::codeAt(secret, m_server->clock().nowSeconds() + offsetSteps * 30);
    }

private Q_SLOTS:
    void init()
    {
        m_server = std::make_unique<TestServer>();
        QVERIFY2(m_server->error().isEmpty(), qPrintable(m_server->error()));
    }
    void cleanup() { m_server.reset(); }

    void requests_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("token"); // "" none, or a tokenVariant
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("errorCode");
        QTest::addColumn<QString>("detailField");

        const auto login = [](const char *email, const QString &password) {
            return json({{QStringLiteral("email"), QString::fromLatin1(email)},
                {QStringLiteral("password"), password}});
        };
        QTest::newRow("auth-login-ok-01") << QByteArray("POST") << QByteArray("/auth/v1/login")
                                          << login("admin@acme.demo", kPassword) << "" << 200 << ""
                                          << "";
        QTest::newRow("auth-login-email-case-02") << QByteArray("POST") << QByteArray("/auth/v1/login")
                                                  << login("ADMIN@Acme.Demo", kPassword) << "" << 200 << ""
                                                  << "";
        QTest::newRow("auth-login-wrong-password-03")
            << QByteArray("POST") << QByteArray("/auth/v1/login")
            << login("admin@acme.demo", QStringLiteral("nope")) << "" << 401 << "UNAUTHORIZED"
            << "";
        QTest::newRow("auth-login-unknown-email-04")
            << QByteArray("POST") << QByteArray("/auth/v1/login") << login("nobody@acme.demo", kPassword)
            << "" << 401 << "UNAUTHORIZED"
            << "";
        QTest::newRow("auth-login-missing-password-05")
            << QByteArray("POST") << QByteArray("/auth/v1/login")
            << QByteArray(R"({"email":"admin@acme.demo"})") << "" << 400 << "VALIDATION_ERROR"
            << "password";
        QTest::newRow("auth-login-malformed-json-06")
            << QByteArray("POST") << QByteArray("/auth/v1/login")
            << QByteArray(R"({"email":"admin@acme.demo",)") << "" << 400 << "VALIDATION_ERROR"
            << "body";
        QTest::newRow("auth-login-not-object-07")
            << QByteArray("POST") << QByteArray("/auth/v1/login") << QByteArray(R"(["admin@acme.demo"])")
            << "" << 400 << "VALIDATION_ERROR"
            << "body";
        QTest::newRow("auth-login-wrong-type-08")
            << QByteArray("POST") << QByteArray("/auth/v1/login")
            << QByteArray(R"({"email":5,"password":"x"})") << "" << 400 << "VALIDATION_ERROR"
            << "email";
        QTest::newRow("auth-login-email-too-long-09")
            << QByteArray("POST") << QByteArray("/auth/v1/login")
            << login(QByteArray(300, 'a').append("@x.demo").constData(), kPassword) << "" << 400
            << "VALIDATION_ERROR"
            << "email";
        QTest::newRow("auth-login-empty-body-10") << QByteArray("POST") << QByteArray("/auth/v1/login")
                                                  << QByteArray() << "" << 400 << "VALIDATION_ERROR"
                                                  << "body";
        QTest::newRow("auth-login-get-405-11") << QByteArray("GET") << QByteArray("/auth/v1/login")
                                               << QByteArray() << "" << 405 << "METHOD_NOT_ALLOWED"
                                               << "";
        QTest::newRow("auth-me-ok-12")
            << QByteArray("GET") << QByteArray("/auth/v1/me") << QByteArray() << "valid" << 200 << ""
            << "";
        QTest::newRow("auth-me-no-token-13")
            << QByteArray("GET") << QByteArray("/auth/v1/me") << QByteArray() << "" << 401 << "UNAUTHORIZED"
            << "";
        QTest::newRow("auth-me-tampered-signature-14")
            << QByteArray("GET") << QByteArray("/auth/v1/me") << QByteArray() << "tampered-signature" << 401
            << "UNAUTHORIZED"
            << "";
        QTest::newRow("auth-me-tampered-claims-15")
            << QByteArray("GET") << QByteArray("/auth/v1/me") << QByteArray() << "tampered-claims" << 401
            << "UNAUTHORIZED"
            << "";
        QTest::newRow("auth-me-alg-none-16") << QByteArray("GET") << QByteArray("/auth/v1/me") << QByteArray()
                                             << "alg-none" << 401 << "UNAUTHORIZED"
                                             << "";
        QTest::newRow("auth-me-alg-none-signed-17")
            << QByteArray("GET") << QByteArray("/auth/v1/me") << QByteArray() << "alg-none-signed" << 401
            << "UNAUTHORIZED"
            << "";
        QTest::newRow("auth-me-wrong-audience-18")
            << QByteArray("GET") << QByteArray("/auth/v1/me") << QByteArray() << "wrong-audience" << 401
            << "UNAUTHORIZED"
            << "";
        QTest::newRow("auth-me-wrong-key-19") << QByteArray("GET") << QByteArray("/auth/v1/me")
                                              << QByteArray() << "wrong-key" << 401 << "UNAUTHORIZED"
                                              << "";
        QTest::newRow("auth-me-challenge-token-20")
            << QByteArray("GET") << QByteArray("/auth/v1/me") << QByteArray() << "challenge-as-access" << 401
            << "UNAUTHORIZED"
            << "";
        QTest::newRow("auth-me-garbage-21") << QByteArray("GET") << QByteArray("/auth/v1/me") << QByteArray()
                                            << "garbage" << 401 << "UNAUTHORIZED"
                                            << "";
        QTest::newRow("auth-refresh-unknown-22")
            << QByteArray("POST") << QByteArray("/auth/v1/refresh")
            << QByteArray(R"({"refreshToken":"lmr_unknown"})") << "" << 401 << "UNAUTHORIZED"
            << "";
        QTest::newRow("auth-refresh-missing-23") << QByteArray("POST") << QByteArray("/auth/v1/refresh")
                                                 << QByteArray("{}") << "" << 400 << "VALIDATION_ERROR"
                                                 << "refreshToken";
        QTest::newRow("auth-logout-unknown-24")
            << QByteArray("POST") << QByteArray("/auth/v1/logout")
            << QByteArray(R"({"refreshToken":"lmr_unknown"})") << "" << 204 << ""
            << "";
        QTest::newRow("auth-mfa-enroll-no-token-25")
            << QByteArray("POST") << QByteArray("/auth/v1/mfa/enroll") << QByteArray("{}") << "" << 401
            << "UNAUTHORIZED"
            << "";
        QTest::newRow("auth-mfa-activate-not-enrolled-26")
            << QByteArray("POST") << QByteArray("/auth/v1/mfa/activate") << QByteArray(R"({"code":"123456"})")
            << "valid" << 409 << "CONFLICT"
            << "";
        QTest::newRow("auth-mfa-disable-not-enabled-27")
            << QByteArray("DELETE") << QByteArray("/auth/v1/mfa") << QByteArray(R"({"code":"123456"})")
            << "valid" << 409 << "CONFLICT"
            << "";
        QTest::newRow("auth-mfa-verify-bad-challenge-28")
            << QByteArray("POST") << QByteArray("/auth/v1/mfa/verify")
            << QByteArray(R"({"challengeToken":"x.y.z","code":"123456"})") << "" << 401 << "UNAUTHORIZED"
            << "";
        QTest::newRow("auth-unknown-route-29")
            << QByteArray("GET") << QByteArray("/auth/v1/nothing") << QByteArray() << "" << 404 << "NOT_FOUND"
            << "";
    }

    void requests()
    {
        QFETCH(QByteArray, method);
        QFETCH(QByteArray, path);
        QFETCH(QByteArray, body);
        QFETCH(QString, token);
        QFETCH(int, status);
        QFETCH(QString, errorCode);
        QFETCH(QString, detailField);

        TestHttp::Headers headers;
        if (!token.isEmpty())
            headers.append({"Authorization", "Bearer " + tokenVariant(token)});
        const HttpReply reply = m_server->http().request(method, path, body, headers);
        QCOMPARE(reply.status, status);
        QVERIFY(!reply.headers.value("x-request-id").isEmpty());
        if (!errorCode.isEmpty()) {
            const QJsonObject error = reply.json().value(QStringLiteral("error")).toObject();
            QCOMPARE(error.value(QStringLiteral("code")).toString(), errorCode);
            QVERIFY(!error.value(QStringLiteral("message")).toString().isEmpty());
            QCOMPARE(error.value(QStringLiteral("requestId")).toString().toLatin1(),
                reply.headers.value("x-request-id"));
            if (!detailField.isEmpty())
                QCOMPARE(error.value(QStringLiteral("details"))
                             .toArray()
                             .at(0)
                             .toObject()
                             .value(QStringLiteral("field"))
                             .toString(),
                    detailField);
        }
        if (status == 401 && path == "/auth/v1/me")
            QCOMPARE(reply.headers.value("www-authenticate"), QByteArray("Bearer"));
    }

    void unknownEmailAndWrongPasswordLookTheSame()
    {
        const HttpReply wrong = m_server->http().postJson("/auth/v1/login",
            {{QStringLiteral("email"), QStringLiteral("admin@acme.demo")},
                {QStringLiteral("password"), QStringLiteral("bad")}});
        const HttpReply unknown = m_server->http().postJson("/auth/v1/login",
            {{QStringLiteral("email"), QStringLiteral("ghost@acme.demo")},
                {QStringLiteral("password"), QStringLiteral("bad")}});
        QCOMPARE(wrong.status, 401);
        QCOMPARE(unknown.status, 401);
        const auto strip = [](QJsonObject o) {
            QJsonObject e = o.value(QStringLiteral("error")).toObject();
            e.remove(QStringLiteral("requestId"));
            return e;
        };
        QCOMPARE(strip(wrong.json()), strip(unknown.json()));
    }

    void everyDemoAccountLogsInWithItsProfile_data()
    {
        QTest::addColumn<QString>("email");
        QTest::addColumn<QString>("role");
        QTest::addColumn<QString>("tenantName");
        QTest::addColumn<QStringList>("appAccess");
        QTest::newRow("demo-root-01") << "root@leadmetrics.demo"
                                      << "super_admin"
                                      << "" << QStringList {"manage", "dm", "cli"};
        QTest::newRow("demo-dm-02") << "dm@leadmetrics.demo"
                                    << "dm_reviewer"
                                    << "" << QStringList {"dm", "cli"};
        QTest::newRow("demo-acme-admin-03") << "admin@acme.demo"
                                            << "admin"
                                            << "Acme Dental" << QStringList {"dashboard"};
        QTest::newRow("demo-acme-member-04") << "member@acme.demo"
                                             << "member"
                                             << "Acme Dental" << QStringList {"dashboard"};
        QTest::newRow("demo-acme-reviewer-05") << "reviewer@acme.demo"
                                               << "reviewer"
                                               << "Acme Dental" << QStringList {"dashboard"};
        QTest::newRow("demo-globex-admin-06") << "admin@globex.demo"
                                              << "admin"
                                              << "Globex Bakery" << QStringList {"dashboard"};
    }
    void everyDemoAccountLogsInWithItsProfile()
    {
        QFETCH(QString, email);
        QFETCH(QString, role);
        QFETCH(QString, tenantName);
        QFETCH(QStringList, appAccess);
        QJsonObject answer;
        const QByteArray token = m_server->login(email, &answer);
        QVERIFY2(!token.isEmpty(), QJsonDocument(answer).toJson().constData());
        QCOMPARE(answer.value(QStringLiteral("expiresIn")).toInt(), 900);
        QVERIFY(answer.value(QStringLiteral("refreshToken")).toString().startsWith(QLatin1String("lmr_")));
        const HttpReply me = m_server->http().get("/auth/v1/me", token);
        QCOMPARE(me.status, 200);
        const QJsonObject user = me.json();
        QCOMPARE(user.value(QStringLiteral("email")).toString(), email);
        QCOMPARE(user.value(QStringLiteral("role")).toString(), role);
        QCOMPARE(user.value(QStringLiteral("mfaEnabled")).toBool(), false);
        QCOMPARE(user, answer.value(QStringLiteral("user")).toObject());
        if (tenantName.isEmpty()) {
            QVERIFY(user.value(QStringLiteral("tenantId")).isNull());
            QVERIFY(user.value(QStringLiteral("tenantName")).isNull());
        } else {
            QCOMPARE(user.value(QStringLiteral("tenantName")).toString(), tenantName);
        }
        QStringList got;
        for (const auto &v : user.value(QStringLiteral("appAccess")).toArray())
            got.append(v.toString());
        got.sort();
        appAccess.sort();
        QCOMPARE(got, appAccess);

        // The token carries the claims of the contract.
        const QJsonObject claims = QJsonDocument::fromJson(
            QByteArray::fromBase64(token.split('.')[1], QByteArray::Base64UrlEncoding))
                                       .object();
        for (const char *claim : {"iss", "aud", "sub", "exp", "iat", "jti", "tenant", "role", "appAccess"})
            QVERIFY2(claims.contains(QLatin1String(claim)), claim);
        QCOMPARE(
            claims.value(QStringLiteral("exp")).toInteger() - claims.value(QStringLiteral("iat")).toInteger(),
            900);
        const QJsonObject header = QJsonDocument::fromJson(
            QByteArray::fromBase64(token.split('.')[0], QByteArray::Base64UrlEncoding))
                                       .object();
        QCOMPARE(header.value(QStringLiteral("alg")).toString(), QStringLiteral("HS256"));
        QCOMPARE(header.value(QStringLiteral("typ")).toString(), QStringLiteral("at+jwt"));
    }

    void accessTokenExpiresAfterFifteenMinutes()
    {
        const QByteArray token = m_server->login(QStringLiteral("member@acme.demo"));
        m_server->clock().advanceMs(15 * 60 * 1000 - 1000);
        QCOMPARE(m_server->http().get("/auth/v1/me", token).status, 200);
        m_server->clock().advanceMs(1000);
        const HttpReply expired = m_server->http().get("/auth/v1/me", token);
        QCOMPARE(expired.status, 401);
        QCOMPARE(expired.errorCode(), QStringLiteral("UNAUTHORIZED"));
    }

    void refreshRotatesAndReuseRevokesTheFamily()
    {
        QJsonObject first;
        m_server->login(QStringLiteral("admin@globex.demo"), &first);
        const QString r1 = first.value(QStringLiteral("refreshToken")).toString();

        const HttpReply second
            = m_server->http().postJson("/auth/v1/refresh", {{QStringLiteral("refreshToken"), r1}});
        QCOMPARE(second.status, 200);
        const QString r2 = second.json().value(QStringLiteral("refreshToken")).toString();
        const QByteArray a2 = second.json().value(QStringLiteral("accessToken")).toString().toLatin1();
        QVERIFY(!r2.isEmpty() && r2 != r1);
        QCOMPARE(m_server->http().get("/auth/v1/me", a2).status, 200);

        // The spent r1 comes back (a thief's copy): refused, and the whole family dies — r2 too.
        const HttpReply reused
            = m_server->http().postJson("/auth/v1/refresh", {{QStringLiteral("refreshToken"), r1}});
        QCOMPARE(reused.status, 401);
        const HttpReply afterRevoke
            = m_server->http().postJson("/auth/v1/refresh", {{QStringLiteral("refreshToken"), r2}});
        QCOMPARE(afterRevoke.status, 401);
        QCOMPARE(auditFor(QStringLiteral("auth.refresh_token.reused")).size(), 1);

        // Another session of the same user (another family) is untouched.
        QJsonObject other;
        m_server->login(QStringLiteral("admin@globex.demo"), &other);
        QCOMPARE(m_server->http()
                     .postJson("/auth/v1/refresh",
                         {{QStringLiteral("refreshToken"), other.value(QStringLiteral("refreshToken"))}})
                     .status,
            200);
    }

    void refreshTokenExpires()
    {
        QJsonObject first;
        m_server->login(QStringLiteral("member@acme.demo"), &first);
        m_server->clock().advanceMs(31LL * 24 * 3600 * 1000);
        QCOMPARE(m_server->http()
                     .postJson("/auth/v1/refresh",
                         {{QStringLiteral("refreshToken"), first.value(QStringLiteral("refreshToken"))}})
                     .status,
            401);
    }

    void logoutEndsTheSession()
    {
        QJsonObject first;
        m_server->login(QStringLiteral("reviewer@acme.demo"), &first);
        const QJsonObject body {
            {QStringLiteral("refreshToken"), first.value(QStringLiteral("refreshToken"))}};
        QCOMPARE(m_server->http().postJson("/auth/v1/logout", body).status, 204);
        QCOMPARE(m_server->http().postJson("/auth/v1/refresh", body).status, 401);
        QCOMPARE(auditFor(QStringLiteral("auth.logout")).size(), 1);
    }

    void loginIsRateLimitedPerEmailAndIp()
    {
        const QJsonObject bad {{QStringLiteral("email"), QStringLiteral("member@acme.demo")},
            {QStringLiteral("password"), QStringLiteral("bad")}};
        for (int i = 0; i < 5; ++i)
            QCOMPARE(m_server->http().postJson("/auth/v1/login", bad).status, 401);
        const HttpReply limited = m_server->http().postJson("/auth/v1/login", bad);
        QCOMPARE(limited.status, 429);
        QCOMPARE(limited.errorCode(), QStringLiteral("RATE_LIMITED"));
        const int retryAfter = limited.headers.value("retry-after").toInt();
        QVERIFY2(retryAfter >= 1 && retryAfter <= 60, limited.headers.value("retry-after").constData());
        // Even the right password waits now: the limit is on attempts, not on failures alone.
        QCOMPARE(m_server->http()
                     .postJson("/auth/v1/login",
                         {{QStringLiteral("email"), QStringLiteral("member@acme.demo")},
                             {QStringLiteral("password"), kPassword}})
                     .status,
            429);
        // Another account from the same address is not affected.
        QVERIFY(!m_server->login(QStringLiteral("admin@acme.demo")).isEmpty());
        // After the window, it works again.
        m_server->clock().advanceMs(61 * 1000);
        QVERIFY(!m_server->login(QStringLiteral("member@acme.demo")).isEmpty());
        QVERIFY(auditFor(QStringLiteral("auth.login.failed")).size() >= 5);
        QVERIFY(auditFor(QStringLiteral("auth.login.throttled")).size() >= 1);
    }

    void mfaEnrolActivateVerifyAndDisable()
    {
        QJsonObject loginAnswer;
        const QByteArray token = m_server->login(QStringLiteral("dm@leadmetrics.demo"), &loginAnswer);
        QVERIFY(!token.isEmpty());

        const HttpReply enroll = m_server->http().postJson("/auth/v1/mfa/enroll", {}, token);
        QCOMPARE(enroll.status, 200);
        const QString secretText = enroll.json().value(QStringLiteral("secret")).toString();
        QVERIFY(enroll.json()
                    .value(QStringLiteral("otpauthUrl"))
                    .toString()
                    .startsWith(QLatin1String("otpauth://totp/")));
        QVERIFY(enroll.json().value(QStringLiteral("otpauthUrl")).toString().contains(secretText));
        const QByteArray secret = base32Decode(secretText);
        QCOMPARE(secret.size(), 20);

        // The secret is not stored in clear.
        const auto stored = m_server->host().store().mfa.find(
            loginAnswer.value(QStringLiteral("user")).toObject().value(QStringLiteral("id")).toString());
        QVERIFY(stored.ok() && stored->has_value());
        QVERIFY(!(*stored)->secretSealed.contains(secret));

        QCOMPARE(
            m_server->http()
                .postJson("/auth/v1/mfa/activate", {{QStringLiteral("code"), currentCode(secret, 5)}}, token)
                .status,
            401);
        const HttpReply activated = m_server->http().postJson(
            "/auth/v1/mfa/activate", {{QStringLiteral("code"), currentCode(secret)}}, token);
        QCOMPARE(activated.status, 200);
        QCOMPARE(activated.json()
                     .value(QStringLiteral("user"))
                     .toObject()
                     .value(QStringLiteral("mfaEnabled"))
                     .toBool(),
            true);
        QCOMPARE(
            m_server->http().get("/auth/v1/me", token).json().value(QStringLiteral("mfaEnabled")).toBool(),
            true);

        // Login now stops at the challenge.
        m_server->clock().advanceMs(30 * 1000);
        const QJsonObject creds {{QStringLiteral("email"), QStringLiteral("dm@leadmetrics.demo")},
            {QStringLiteral("password"), kPassword}};
        HttpReply challenged = m_server->http().postJson("/auth/v1/login", creds);
        QCOMPARE(challenged.status, 200);
        QCOMPARE(challenged.json().value(QStringLiteral("mfaRequired")).toBool(), true);
        QVERIFY(!challenged.json().contains(QStringLiteral("accessToken")));
        const QString challenge = challenged.json().value(QStringLiteral("challengeToken")).toString();

        // The challenge is no access token.
        QCOMPARE(m_server->http().get("/auth/v1/me", challenge.toLatin1()).status, 401);

        const HttpReply wrong = m_server->http().postJson("/auth/v1/mfa/verify",
            {{QStringLiteral("challengeToken"), challenge},
                {QStringLiteral("code"), currentCode(secret, 3)}});
        QCOMPARE(wrong.status, 401);
        const QString code = currentCode(secret);
        const HttpReply verified = m_server->http().postJson("/auth/v1/mfa/verify",
            {{QStringLiteral("challengeToken"), challenge}, {QStringLiteral("code"), code}});
        QCOMPARE(verified.status, 200);
        QVERIFY(!verified.json().value(QStringLiteral("accessToken")).toString().isEmpty());
        QCOMPARE(
            verified.json().value(QStringLiteral("user")).toObject().value(QStringLiteral("role")).toString(),
            QStringLiteral("dm_reviewer"));

        // The same code again (a replay, with a fresh challenge) is refused.
        challenged = m_server->http().postJson("/auth/v1/login", creds);
        const QString challenge2 = challenged.json().value(QStringLiteral("challengeToken")).toString();
        QCOMPARE(m_server->http()
                     .postJson("/auth/v1/mfa/verify",
                         {{QStringLiteral("challengeToken"), challenge2}, {QStringLiteral("code"), code}})
                     .status,
            401);
        // The challenge expires after five minutes.
        m_server->clock().advanceMs(5 * 60 * 1000 + 1000);
        QCOMPARE(m_server->http()
                     .postJson("/auth/v1/mfa/verify",
                         {{QStringLiteral("challengeToken"), challenge2},
                             {QStringLiteral("code"), currentCode(secret)}})
                     .status,
            401);

        // Disabling needs a fresh, valid code.
        // Disabling needs a fresh, valid code (the access token from verify is still within its 15 minutes).
        const QByteArray dmToken = verified.json().value(QStringLiteral("accessToken")).toString().toLatin1();
        TestHttp::Headers auth {{"Authorization", "Bearer " + dmToken}};
        QCOMPARE(m_server->http().request("DELETE", "/auth/v1/mfa", "{}", auth).status, 400);
        QCOMPARE(m_server->http()
                     .request("DELETE", "/auth/v1/mfa",
                         json({{QStringLiteral("code"), QStringLiteral("000000")}}), auth)
                     .status,
            401);
        m_server->clock().advanceMs(30 * 1000);
        QCOMPARE(m_server->http()
                     .request("DELETE", "/auth/v1/mfa", json({{QStringLiteral("code"), currentCode(secret)}}),
                         auth)
                     .status,
            204);
        QCOMPARE(
            m_server->http().get("/auth/v1/me", dmToken).json().value(QStringLiteral("mfaEnabled")).toBool(),
            false);
        QVERIFY(!m_server->login(QStringLiteral("dm@leadmetrics.demo")).isEmpty());

        for (const char *action :
            {"auth.mfa.enrolled", "auth.mfa.activated", "auth.mfa.disabled", "auth.mfa.failed"})
            QVERIFY2(!auditFor(QString::fromLatin1(action)).isEmpty(), action);
        const auto activatedRow = auditFor(QStringLiteral("auth.mfa.activated")).first();
        QCOMPARE(activatedRow.changes.value(QStringLiteral("mfaEnabled"))
                     .toObject()
                     .value(QStringLiteral("to"))
                     .toBool(),
            true);
    }

    void loginsAreAudited()
    {
        m_server->login(QStringLiteral("admin@acme.demo"));
        m_server->http().postJson("/auth/v1/login",
            {{QStringLiteral("email"), QStringLiteral("admin@acme.demo")},
                {QStringLiteral("password"), QStringLiteral("x")}});
        const auto ok = auditFor(QStringLiteral("auth.login.succeeded"));
        QCOMPARE(ok.size(), 1);
        QCOMPARE(ok.first().ip, QStringLiteral("127.0.0.1"));
        QVERIFY(ok.first().requestId.startsWith(QLatin1String("req_")));
        QVERIFY(!ok.first().tenantId.isEmpty());
        const auto failed = auditFor(QStringLiteral("auth.login.failed"));
        QCOMPARE(failed.size(), 1);
        QCOMPARE(failed.first().changes.value(QStringLiteral("reason")).toString(),
            QStringLiteral("wrong_password"));
    }

    void passwordsAreStoredAsArgon2id()
    {
        auto user = m_server->host().store().users.findActiveForLogin(QStringLiteral("admin@acme.demo"));
        QVERIFY(user.ok() && user->has_value());
        QVERIFY((*user)->passwordHash.startsWith("$argon2id$"));
        QVERIFY((*user)->passwordHash.contains("m=19456,t=2"));
        QVERIFY(!(*user)->passwordHash.contains(kPassword.toLatin1()));
    }

    void readinessReflectsTheStore()
    {
        QCOMPARE(m_server->http().get("/healthz").status, 200);
        const HttpReply ready = m_server->http().get("/readyz");
        QCOMPARE(ready.status, 200);
        QCOMPARE(ready.json().value(QStringLiteral("store")).toString(), QStringLiteral("ok"));
    }
};

QTEST_GUILESS_MAIN(TestAuthApi)
#include "tst_authapi.moc"
