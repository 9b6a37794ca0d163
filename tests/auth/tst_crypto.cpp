// SPDX-License-Identifier: GPL-3.0-or-later
#include "auth/jwt.h"
#include "auth/passwordhasher.h"
#include "auth/secretbox.h"
#include "auth/sodium.h"
#include "auth/totp.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <optional>
#include <sodium.h>
#include <sys/stat.h>
#include <thread>
#include <vector>

using namespace lm;
using namespace lm::auth;

namespace {
const QByteArray kRfcSecret("12345678901234567890");
const QByteArray kKey(32, 'k');
const QString kIssuer = QStringLiteral("leadmetrics");
const QString kAudience = QStringLiteral("leadmetrics-api");
const QString kType = QStringLiteral("at+jwt");
constexpr auto kEnc = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;
constexpr auto kOwnerOnly = QFile::ReadOwner | QFile::WriteOwner;

QByteArray b64(const QByteArray &raw)
{
    return raw.toBase64(kEnc);
}

QByteArray hmac(const QByteArray &key, const QByteArray &input)
{
    QByteArray mac(crypto_auth_hmacsha256_BYTES, Qt::Uninitialized);
    crypto_auth_hmacsha256_state state;
    crypto_auth_hmacsha256_init(
        &state, reinterpret_cast<const unsigned char *>(key.constData()), std::size_t(key.size()));
    crypto_auth_hmacsha256_update(
        &state, reinterpret_cast<const unsigned char *>(input.constData()), quint64(input.size()));
    crypto_auth_hmacsha256_final(&state, reinterpret_cast<unsigned char *>(mac.data()));
    return mac;
}

/// A token built by hand from raw header/payload JSON text, correctly signed with `key`.
QByteArray handSigned(
    const QByteArray &headerJson, const QByteArray &payloadJson, const QByteArray &key = kKey)
{
    const QByteArray input = b64(headerJson) + '.' + b64(payloadJson);
    return input + '.' + b64(hmac(key, input));
}

const QByteArray kHeader = R"({"alg":"HS256","typ":"at+jwt"})";

QByteArray claimsJson(const QByteArray &extra)
{
    return R"({"iss":"leadmetrics","aud":"leadmetrics-api",)" + extra + '}';
}

JwtCodec codec()
{
    return JwtCodec(kKey, kIssuer, kAudience);
}

QList<QByteArray> segments(const QByteArray &token)
{
    return token.split('.');
}

/// The real (POSIX) mode bits of a file.
mode_t modeOf(const QString &path)
{
    struct stat st; // filled by (f)stat, read only on success
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return mode_t(-1);
    return st.st_mode & 07777;
}

/// The argon2id hash of "correct horse", computed once for the data functions.
const QByteArray &sampleHash()
{
    static const QByteArray h = PasswordHasher::hash("correct horse");
    return h;
}

QByteArray weakHash(const QByteArray &password, int alg = crypto_pwhash_ALG_ARGON2ID13)
{
    char out[crypto_pwhash_STRBYTES] = {};
    if (crypto_pwhash_str_alg(out, password.constData(), quint64(password.size()), 1, 8 * 1024 * 1024, alg)
        != 0)
        return {};
    return QByteArray(out);
}
} // namespace

class TestCrypto : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QVERIFY(ensureSodium()); }

    // --- TOTP -----------------------------------------------------------------------------------

    void totpRfc6238_data()
    {
        QTest::addColumn<qint64>("time");
        QTest::addColumn<QString>("code");
        // RFC 6238 Appendix B, SHA-1 column, truncated to six digits.
        QTest::newRow("totp-rfc6238-59-01") << qint64(59) << QStringLiteral("287082");
        QTest::newRow("totp-rfc6238-1111111109-02") << qint64(1111111109) << QStringLiteral("081804");
        QTest::newRow("totp-rfc6238-1111111111-03") << qint64(1111111111) << QStringLiteral("050471");
        QTest::newRow("totp-rfc6238-1234567890-04") << qint64(1234567890) << QStringLiteral("005924");
        QTest::newRow("totp-rfc6238-2000000000-05") << qint64(2000000000) << QStringLiteral("279037");
        QTest::newRow("totp-rfc6238-20000000000-06") << qint64(20000000000) << QStringLiteral("353130");
    }
    void totpRfc6238()
    {
        QFETCH(qint64, time);
        QFETCH(QString, code);
        QCOMPARE(Totp::codeAt(kRfcSecret, time), code);
        QCOMPARE(Totp::verify(kRfcSecret, code, time), std::optional<quint64>(quint64(time / 30)));
    }

    void totpWindow_data()
    {
        QTest::addColumn<int>("offsetSteps");
        QTest::addColumn<int>("window");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("totp-window-two-before-01") << -2 << 1 << false;
        QTest::newRow("totp-window-one-before-02") << -1 << 1 << true;
        QTest::newRow("totp-window-current-03") << 0 << 1 << true;
        QTest::newRow("totp-window-one-after-04") << 1 << 1 << true;
        QTest::newRow("totp-window-two-after-05") << 2 << 1 << false;
        QTest::newRow("totp-window0-current-06") << 0 << 0 << true;
        QTest::newRow("totp-window0-one-before-07") << -1 << 0 << false;
        QTest::newRow("totp-window0-one-after-08") << 1 << 0 << false;
        QTest::newRow("totp-window2-two-before-09") << -2 << 2 << true;
        QTest::newRow("totp-negative-window-10") << 0 << -3 << true;
    }
    void totpWindow()
    {
        QFETCH(int, offsetSteps);
        QFETCH(int, window);
        QFETCH(bool, accepted);
        const qint64 now = 1700000015; // in the middle of a step
        const qint64 codeTime = now + qint64(offsetSteps) * 30;
        const auto counter = Totp::verify(kRfcSecret, Totp::codeAt(kRfcSecret, codeTime), now, window);
        QCOMPARE(counter.has_value(), accepted);
        if (accepted)
            QCOMPARE(*counter, quint64(codeTime / 30));
    }

    void totpRefusesMalformedCodes_data()
    {
        QTest::addColumn<QString>("code");
        // At t=1111111109 the valid code is 081804; every row is a malformed variation of it.
        QTest::newRow("totp-five-digits-01") << QStringLiteral("12345");
        QTest::newRow("totp-seven-digits-02") << QStringLiteral("1234567");
        QTest::newRow("totp-letters-03") << QStringLiteral("abcdef");
        QTest::newRow("totp-empty-04") << QString();
        QTest::newRow("totp-valid-plus-digit-05") << QStringLiteral("0818040");
        QTest::newRow("totp-valid-without-zero-06") << QStringLiteral("81804");
        QTest::newRow("totp-inner-space-07") << QStringLiteral("081 04");
        QTest::newRow("totp-leading-space-08") << QStringLiteral(" 81804");
        QTest::newRow("totp-arabic-indic-digits-09") << QStringLiteral("٠٨١٨٠٤");
        QTest::newRow("totp-fullwidth-digit-10") << QStringLiteral("08180４");
        QTest::newRow("totp-sign-11") << QStringLiteral("-81804");
    }
    void totpRefusesMalformedCodes()
    {
        QFETCH(QString, code);
        QVERIFY(Totp::verify(kRfcSecret, QStringLiteral("081804"), 1111111109).has_value());
        QVERIFY(!Totp::verify(kRfcSecret, code, 1111111109).has_value());
    }

    void totpRefusesWrongSecret()
    {
        const QString code = Totp::codeAt(kRfcSecret, 1111111109);
        QVERIFY(!Totp::verify(QByteArray("another secret of 20"), code, 1111111109).has_value());
        QVERIFY(!Totp::verify(QByteArray(), code, 1111111109).has_value());
        QVERIFY(Totp::codeAt(QByteArray(), 1111111109).isEmpty());
    }

    void totpBase32_data()
    {
        QTest::addColumn<QByteArray>("raw");
        QTest::addColumn<QString>("encoded");
        QTest::newRow("totp-base32-rfc-secret-01")
            << kRfcSecret << QStringLiteral("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        // RFC 4648 §10 vectors, padding removed.
        QTest::newRow("totp-base32-f-02") << QByteArray("f") << QStringLiteral("MY");
        QTest::newRow("totp-base32-fo-03") << QByteArray("fo") << QStringLiteral("MZXQ");
        QTest::newRow("totp-base32-foo-04") << QByteArray("foo") << QStringLiteral("MZXW6");
        QTest::newRow("totp-base32-foob-05") << QByteArray("foob") << QStringLiteral("MZXW6YQ");
        QTest::newRow("totp-base32-fooba-06") << QByteArray("fooba") << QStringLiteral("MZXW6YTB");
        QTest::newRow("totp-base32-foobar-07") << QByteArray("foobar") << QStringLiteral("MZXW6YTBOI");
    }
    void totpBase32()
    {
        QFETCH(QByteArray, raw);
        QFETCH(QString, encoded);
        QCOMPARE(Totp::toBase32(raw), encoded);
    }

    void totpOtpauthUrl_data()
    {
        QTest::addColumn<QString>("issuer");
        QTest::addColumn<QString>("account");
        QTest::addColumn<QString>("expected");
        const QString query = QStringLiteral("secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=%1"
                                             "&algorithm=SHA1&digits=6&period=30");
        QTest::newRow("totp-url-plain-01")
            << QStringLiteral("Leadmetrics") << QStringLiteral("ana")
            << QStringLiteral("otpauth://totp/Leadmetrics:ana?") + query.arg(QStringLiteral("Leadmetrics"));
        QTest::newRow("totp-url-space-at-02") << QStringLiteral("Lead metrics") << QStringLiteral("a@b.demo")
                                              << QStringLiteral("otpauth://totp/Lead%20metrics:a%40b.demo?")
                + query.arg(QStringLiteral("Lead%20metrics"));
        QTest::newRow("totp-url-reserved-03")
            << QStringLiteral("A&B:C") << QStringLiteral("x?y#z")
            << QStringLiteral("otpauth://totp/A%26B%3AC:x%3Fy%23z?") + query.arg(QStringLiteral("A%26B%3AC"));
        QTest::newRow("totp-url-non-ascii-04") << QStringLiteral("Métrica") << QStringLiteral("zoë")
                                               << QStringLiteral("otpauth://totp/M%C3%A9trica:zo%C3%AB?")
                + query.arg(QStringLiteral("M%C3%A9trica"));
    }
    void totpOtpauthUrl()
    {
        QFETCH(QString, issuer);
        QFETCH(QString, account);
        QFETCH(QString, expected);
        QCOMPARE(Totp::otpauthUrl(issuer, account, kRfcSecret), expected);
    }

    void totpGenerateSecret()
    {
        const QByteArray a = Totp::generateSecret();
        QCOMPARE(a.size(), 20);
        QVERIFY(a != Totp::generateSecret());
        QCOMPARE(Totp::toBase32(a).size(), 32);
    }

    // --- Passwords ------------------------------------------------------------------------------

    void passwordHashFormat()
    {
        const QByteArray h = sampleHash();
        QVERIFY2(h.startsWith("$argon2id$v=19$"), h.constData());
        QVERIFY2(h.contains("$m=19456,t=2,p=1$"), h.constData());
        QCOMPARE(PasswordHasher::kOpsLimit, 2ull);
        QCOMPARE(PasswordHasher::kMemLimitBytes, std::size_t(19 * 1024 * 1024));
        // A fresh random salt each time.
        const QByteArray again = PasswordHasher::hash("correct horse");
        QVERIFY(again != h);
        QVERIFY(PasswordHasher::verify(again, "correct horse"));
    }

    void passwordVerify_data()
    {
        QTest::addColumn<QByteArray>("encoded");
        QTest::addColumn<QByteArray>("password");
        QTest::addColumn<bool>("expected");
        const QByteArray h = sampleHash();
        QByteArray flipped = h;
        flipped[flipped.size() - 2] = flipped[flipped.size() - 2] == 'A' ? 'B' : 'A';
        QTest::newRow("password-right-01") << h << QByteArray("correct horse") << true;
        QTest::newRow("password-wrong-02") << h << QByteArray("correct horsf") << false;
        QTest::newRow("password-empty-03") << h << QByteArray() << false;
        QTest::newRow("password-case-04") << h << QByteArray("Correct horse") << false;
        QTest::newRow("password-prefix-05") << h << QByteArray("correct hors") << false;
        QTest::newRow("password-suffix-06") << h << QByteArray("correct horse ") << false;
        QTest::newRow("password-embedded-nul-07") << h << QByteArray("correct horse\0x", 15) << false;
        QTest::newRow("password-garbage-encoded-08")
            << QByteArray("garbage") << QByteArray("correct horse") << false;
        QTest::newRow("password-empty-encoded-09") << QByteArray() << QByteArray("correct horse") << false;
        QTest::newRow("password-truncated-encoded-10") << h.left(30) << QByteArray("correct horse") << false;
        QTest::newRow("password-tampered-digest-11") << flipped << QByteArray("correct horse") << false;
        QTest::newRow("password-overlong-encoded-12")
            << QByteArray(h + QByteArray(200, 'A')) << QByteArray("correct horse") << false;
        QTest::newRow("password-nul-in-encoded-13")
            << QByteArray(h.left(20) + '\0' + h.mid(20)) << QByteArray("correct horse") << false;
        QTest::newRow("password-weak-hash-still-verifies-14") << weakHash("pw") << QByteArray("pw") << true;
    }
    void passwordVerify()
    {
        QFETCH(QByteArray, encoded);
        QFETCH(QByteArray, password);
        QFETCH(bool, expected);
        QCOMPARE(PasswordHasher::verify(encoded, password), expected);
    }

    void passwordNeedsRehash_data()
    {
        QTest::addColumn<QByteArray>("encoded");
        QTest::addColumn<bool>("expected");
        QTest::newRow("rehash-fresh-01") << sampleHash() << false;
        QTest::newRow("rehash-weaker-params-02") << weakHash("pw") << true;
        QTest::newRow("rehash-argon2i-03") << weakHash("pw", crypto_pwhash_ALG_ARGON2I13) << true;
        QTest::newRow("rehash-garbage-04") << QByteArray("garbage") << true;
        QTest::newRow("rehash-empty-05") << QByteArray() << true;
    }
    void passwordNeedsRehash()
    {
        QFETCH(QByteArray, encoded);
        QFETCH(bool, expected);
        QCOMPARE(PasswordHasher::needsRehash(encoded), expected);
    }

    void passwordEqualizeTiming()
    {
        PasswordHasher::equalizeTiming("warm-up"); // computes the dummy hash once
        QElapsedTimer timer;
        timer.start();
        PasswordHasher::equalizeTiming("unknown user's password");
        // A real argon2id verification at 19 MiB cannot take less than a millisecond.
        QVERIFY2(timer.nsecsElapsed() > 1'000'000, QByteArray::number(timer.nsecsElapsed()).constData());
    }

    // --- JWT ------------------------------------------------------------------------------------

    void jwtRoundTrip()
    {
        const QByteArray token
            = codec().sign({{QStringLiteral("sub"), QStringLiteral("u1")}, {QStringLiteral("exp"), 2000},
                               {QStringLiteral("iss"), QStringLiteral("forged")},
                               {QStringLiteral("aud"), QStringLiteral("forged")}},
                kType);
        QVERIFY(!token.contains('='));
        QVERIFY(!token.contains('+') && !token.contains('/'));
        const QList<QByteArray> p = segments(token);
        QCOMPARE(p.size(), 3);
        QCOMPARE(QByteArray::fromBase64(p[0], QByteArray::Base64UrlEncoding), kHeader);
        QCOMPARE(QByteArray::fromBase64(p[1], QByteArray::Base64UrlEncoding),
            QByteArray(R"({"aud":"leadmetrics-api","exp":2000,"iss":"leadmetrics","sub":"u1"})"));
        QCOMPARE(p[2], b64(hmac(kKey, p[0] + '.' + p[1])));

        const auto claims = codec().verify(token, kType, 1999);
        QVERIFY2(claims.ok(), qPrintable(claims.error().message));
        QCOMPARE(claims->value(QStringLiteral("sub")).toString(), QStringLiteral("u1"));
        QCOMPARE(claims->value(QStringLiteral("iss")).toString(), kIssuer);
        QCOMPARE(claims->value(QStringLiteral("aud")).toString(), kAudience);
    }

    void jwtAccepted_data()
    {
        QTest::addColumn<QByteArray>("token");
        QTest::addColumn<qint64>("now");
        QTest::addColumn<QByteArray>("key");
        QTest::newRow("jwt-ok-signed-01")
            << codec().sign({{QStringLiteral("exp"), 2000}}, kType) << qint64(1500) << kKey;
        QTest::newRow("jwt-ok-one-second-before-exp-02")
            << codec().sign({{QStringLiteral("exp"), 2000}}, kType) << qint64(1999) << kKey;
        QTest::newRow("jwt-ok-aud-array-03")
            << handSigned(kHeader, R"({"iss":"leadmetrics","aud":["x","leadmetrics-api"],"exp":2000})")
            << qint64(1500) << kKey;
        QTest::newRow("jwt-ok-iat-within-skew-04")
            << handSigned(kHeader, claimsJson(R"("exp":2000,"iat":1560)")) << qint64(1500) << kKey;
        QTest::newRow("jwt-ok-nbf-within-skew-05")
            << handSigned(kHeader, claimsJson(R"("exp":2000,"nbf":1560)")) << qint64(1500) << kKey;
        QTest::newRow("jwt-ok-nbf-past-06")
            << handSigned(kHeader, claimsJson(R"("exp":2000,"nbf":1000)")) << qint64(1500) << kKey;
        QTest::newRow("jwt-ok-fractional-exp-07")
            << handSigned(kHeader, claimsJson(R"("exp":1500.5)")) << qint64(1500) << kKey;
        QTest::newRow("jwt-ok-kid-header-08")
            << handSigned(R"({"alg":"HS256","kid":"1","typ":"at+jwt"})", claimsJson(R"("exp":2000)"))
            << qint64(1500) << kKey;
        QTest::newRow("jwt-ok-long-key-09")
            << handSigned(kHeader, claimsJson(R"("exp":2000)"), QByteArray(100, 'L')) << qint64(1500)
            << QByteArray(100, 'L');
    }
    void jwtAccepted()
    {
        QFETCH(QByteArray, token);
        QFETCH(qint64, now);
        QFETCH(QByteArray, key);
        const auto r = JwtCodec(key, kIssuer, kAudience).verify(token, kType, now);
        QVERIFY2(r.ok(), qPrintable(r.error().message));
    }

    void jwtRefused_data()
    {
        QTest::addColumn<QByteArray>("token");
        QTest::addColumn<qint64>("now");
        QTest::addColumn<QString>("message");
        const QString invalid = QStringLiteral("invalid token");
        const QByteArray good
            = codec().sign({{QStringLiteral("sub"), QStringLiteral("u1")}, {QStringLiteral("exp"), 2000},
                               {QStringLiteral("iat"), 1000}},
                kType);
        const QList<QByteArray> p = segments(good);
        QByteArray sig = QByteArray::fromBase64(p[2], QByteArray::Base64UrlEncoding);
        sig[5] = char(sig[5] ^ 0x40);
        const QByteArray noneHeader = b64(R"({"alg":"none","typ":"at+jwt"})");
        // The same signature bytes spelled with non-zero spare bits in the last character.
        const QByteArray alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        QByteArray nonCanonical = p[2];
        nonCanonical.back() = alphabet.at(alphabet.indexOf(nonCanonical.back()) | 1);

        QTest::newRow("jwt-tampered-signature-01")
            << QByteArray(p[0] + '.' + p[1] + '.' + b64(sig)) << qint64(1500) << invalid;
        QTest::newRow("jwt-tampered-payload-02")
            << QByteArray(p[0] + '.' + b64(claimsJson(R"("sub":"admin","exp":2000,"iat":1000)")) + '.' + p[2])
            << qint64(1500) << invalid;
        QTest::newRow("jwt-alg-none-empty-signature-03")
            << QByteArray(noneHeader + '.' + p[1] + '.') << qint64(1500) << invalid;
        QTest::newRow("jwt-alg-none-with-signature-04")
            << QByteArray(noneHeader + '.' + p[1] + '.' + p[2]) << qint64(1500) << invalid;
        QTest::newRow("jwt-alg-none-self-signed-05")
            << handSigned(R"({"alg":"none","typ":"at+jwt"})", claimsJson(R"("exp":2000)")) << qint64(1500)
            << invalid;
        QTest::newRow("jwt-alg-hs512-06")
            << handSigned(R"({"alg":"HS512","typ":"at+jwt"})", claimsJson(R"("exp":2000)")) << qint64(1500)
            << invalid;
        QTest::newRow("jwt-alg-rs256-07")
            << handSigned(R"({"alg":"RS256","typ":"at+jwt"})", claimsJson(R"("exp":2000)")) << qint64(1500)
            << invalid;
        QTest::newRow("jwt-alg-missing-08")
            << handSigned(R"({"typ":"at+jwt"})", claimsJson(R"("exp":2000)")) << qint64(1500) << invalid;
        QTest::newRow("jwt-alg-lowercase-09")
            << handSigned(R"({"alg":"hs256","typ":"at+jwt"})", claimsJson(R"("exp":2000)")) << qint64(1500)
            << invalid;
        QTest::newRow("jwt-alg-not-string-10")
            << handSigned(R"({"alg":["HS256"],"typ":"at+jwt"})", claimsJson(R"("exp":2000)")) << qint64(1500)
            << invalid;
        QTest::newRow("jwt-wrong-typ-11")
            << codec().sign({{QStringLiteral("exp"), 2000}}, QStringLiteral("mfa-challenge+jwt"))
            << qint64(1500) << invalid;
        QTest::newRow("jwt-typ-missing-12")
            << handSigned(R"({"alg":"HS256"})", claimsJson(R"("exp":2000)")) << qint64(1500) << invalid;
        QTest::newRow("jwt-crit-header-13")
            << handSigned(R"({"alg":"HS256","crit":["x"],"typ":"at+jwt","x":1})", claimsJson(R"("exp":2000)"))
            << qint64(1500) << invalid;
        QTest::newRow("jwt-wrong-issuer-14")
            << JwtCodec(kKey, QStringLiteral("evil"), kAudience).sign({{QStringLiteral("exp"), 2000}}, kType)
            << qint64(1500) << invalid;
        QTest::newRow("jwt-issuer-missing-15")
            << handSigned(kHeader, R"({"aud":"leadmetrics-api","exp":2000})") << qint64(1500) << invalid;
        QTest::newRow("jwt-wrong-audience-16")
            << JwtCodec(kKey, kIssuer, QStringLiteral("evil")).sign({{QStringLiteral("exp"), 2000}}, kType)
            << qint64(1500) << invalid;
        QTest::newRow("jwt-aud-array-without-ours-17")
            << handSigned(kHeader, R"({"iss":"leadmetrics","aud":["x","y"],"exp":2000})") << qint64(1500)
            << invalid;
        QTest::newRow("jwt-aud-number-18")
            << handSigned(kHeader, R"({"iss":"leadmetrics","aud":7,"exp":2000})") << qint64(1500) << invalid;
        QTest::newRow("jwt-expired-at-exp-19") << good << qint64(2000) << QStringLiteral("token expired");
        QTest::newRow("jwt-expired-after-exp-20") << good << qint64(5000) << QStringLiteral("token expired");
        QTest::newRow("jwt-exp-missing-21")
            << codec().sign({{QStringLiteral("sub"), QStringLiteral("u")}}, kType) << qint64(1500) << invalid;
        QTest::newRow("jwt-exp-string-22")
            << handSigned(kHeader, claimsJson(R"("exp":"2000")")) << qint64(1500) << invalid;
        QTest::newRow("jwt-iat-future-23")
            << good << qint64(939) << QStringLiteral("token issued in the future");
        QTest::newRow("jwt-iat-string-24")
            << handSigned(kHeader, claimsJson(R"("exp":2000,"iat":"1000")")) << qint64(1500) << invalid;
        QTest::newRow("jwt-nbf-future-25") << handSigned(kHeader, claimsJson(R"("exp":2000,"nbf":1561)"))
                                           << qint64(1500) << QStringLiteral("token not yet valid");
        QTest::newRow("jwt-two-segments-26") << QByteArray(p[0] + '.' + p[1]) << qint64(1500) << invalid;
        QTest::newRow("jwt-four-segments-27") << QByteArray(good + '.' + p[2]) << qint64(1500) << invalid;
        QTest::newRow("jwt-empty-header-segment-28")
            << QByteArray('.' + p[1] + '.' + p[2]) << qint64(1500) << invalid;
        QTest::newRow("jwt-non-base64-chars-29")
            << QByteArray(p[0] + '.' + p[1] + "+/." + p[2]) << qint64(1500) << invalid;
        QTest::newRow("jwt-padding-30")
            << QByteArray(p[0] + "=." + p[1] + '.' + p[2]) << qint64(1500) << invalid;
        QTest::newRow("jwt-whitespace-31") << QByteArray(good + ' ') << qint64(1500) << invalid;
        QTest::newRow("jwt-non-canonical-signature-32")
            << QByteArray(p[0] + '.' + p[1] + '.' + nonCanonical) << qint64(1500) << invalid;
        QTest::newRow("jwt-truncated-signature-33")
            << QByteArray(p[0] + '.' + p[1] + '.' + p[2].chopped(2)) << qint64(1500) << invalid;
        // Correctly signed and otherwise valid: only the size refuses it.
        QTest::newRow("jwt-over-8kib-34") << codec().sign(
            {{QStringLiteral("exp"), 2000}, {QStringLiteral("pad"), QString(6500, QLatin1Char('x'))}}, kType)
                                          << qint64(1500) << invalid;
        QTest::newRow("jwt-other-key-35")
            << JwtCodec(QByteArray(32, 'z'), kIssuer, kAudience).sign({{QStringLiteral("exp"), 2000}}, kType)
            << qint64(1500) << invalid;
        QTest::newRow("jwt-header-not-json-36")
            << handSigned("not json", claimsJson(R"("exp":2000)")) << qint64(1500) << invalid;
        QTest::newRow("jwt-header-array-37")
            << handSigned(R"(["HS256"])", claimsJson(R"("exp":2000)")) << qint64(1500) << invalid;
        QTest::newRow("jwt-payload-not-json-38")
            << handSigned(kHeader, "{exp:2000}") << qint64(1500) << invalid;
        QTest::newRow("jwt-payload-array-39") << handSigned(kHeader, "[1,2]") << qint64(1500) << invalid;
        QTest::newRow("jwt-empty-40") << QByteArray() << qint64(1500) << invalid;
        QTest::newRow("jwt-dots-only-41") << QByteArray("..") << qint64(1500) << invalid;
    }
    void jwtRefused()
    {
        QFETCH(QByteArray, token);
        QFETCH(qint64, now);
        QFETCH(QString, message);
        const auto r = codec().verify(token, kType, now);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, ErrorCode::Unauthorized);
        QCOMPARE(r.error().message, message);
    }

    void jwtSizeLimitIsInclusive()
    {
        // Pad a valid token to exactly the limit (accepted), then one byte more (refused).
        auto sized = [](int pad) {
            return codec().sign(
                {{QStringLiteral("exp"), 2000}, {QStringLiteral("pad"), QString(pad, QLatin1Char('x'))}},
                kType);
        };
        int pad = 5000;
        while (sized(pad).size() < JwtCodec::kMaxTokenBytes)
            ++pad;
        QByteArray atLimit = sized(pad);
        // base64 grows in steps; shrink until we land on the limit exactly or just below it.
        while (atLimit.size() > JwtCodec::kMaxTokenBytes)
            atLimit = sized(--pad);
        QVERIFY(atLimit.size() <= JwtCodec::kMaxTokenBytes && atLimit.size() > JwtCodec::kMaxTokenBytes - 4);
        QVERIFY(codec().verify(atLimit, kType, 1500).ok());
        QVERIFY(!codec().verify(sized(pad + 3), kType, 1500).ok());
    }

    void jwtShortKeyRefusesEverything()
    {
        QTest::ignoreMessage(QtCriticalMsg, QRegularExpression(QStringLiteral("too short")));
        const JwtCodec weak(QByteArray(16, 'k'), kIssuer, kAudience);
        QVERIFY(weak.sign({{QStringLiteral("exp"), 2000}}, kType).isEmpty());
        const QByteArray token = handSigned(kHeader, claimsJson(R"("exp":2000)"), QByteArray(16, 'k'));
        const auto r = weak.verify(token, kType, 1500);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, ErrorCode::Unauthorized);
    }

    // --- SecretBox ------------------------------------------------------------------------------

    void secretBoxRoundTrip_data()
    {
        QTest::addColumn<QByteArray>("plaintext");
        QByteArray binary(1024, Qt::Uninitialized);
        for (int i = 0; i < binary.size(); ++i)
            binary[i] = char(i * 7);
        QTest::newRow("secretbox-empty-01") << QByteArray("");
        QTest::newRow("secretbox-short-02") << QByteArray("totp-secret");
        QTest::newRow("secretbox-binary-1kib-03") << binary;
    }
    void secretBoxRoundTrip()
    {
        QFETCH(QByteArray, plaintext);
        const SecretBox box(QByteArray(32, 'b'));
        const QByteArray sealed = box.seal(plaintext);
        QCOMPARE(sealed.size(), plaintext.size() + 24 + 16);
        if (!plaintext.isEmpty())
            QVERIFY(!sealed.contains(plaintext));
        QCOMPARE(box.open(sealed), std::optional<QByteArray>(plaintext));
        // A fresh nonce each time.
        QVERIFY(box.seal(plaintext) != sealed);
    }

    void secretBoxRefuses_data()
    {
        QTest::addColumn<QByteArray>("sealed");
        QTest::addColumn<QByteArray>("key");
        const QByteArray key(32, 'b');
        const QByteArray sealed = SecretBox(key).seal("totp-secret");
        auto flip = [&](qsizetype at) {
            QByteArray s = sealed;
            s[at] = char(s[at] ^ 1);
            return s;
        };
        QTest::newRow("secretbox-flipped-nonce-01") << flip(0) << key;
        QTest::newRow("secretbox-flipped-mac-02") << flip(24) << key;
        QTest::newRow("secretbox-flipped-last-03") << flip(sealed.size() - 1) << key;
        QTest::newRow("secretbox-truncated-by-one-04") << sealed.chopped(1) << key;
        QTest::newRow("secretbox-appended-byte-05") << QByteArray(sealed + 'x') << key;
        QTest::newRow("secretbox-too-short-06") << sealed.left(39) << key;
        QTest::newRow("secretbox-tiny-07") << sealed.left(10) << key;
        QTest::newRow("secretbox-empty-08") << QByteArray() << key;
        QTest::newRow("secretbox-wrong-key-09") << sealed << QByteArray(32, 'c');
    }
    void secretBoxRefuses()
    {
        QFETCH(QByteArray, sealed);
        QFETCH(QByteArray, key);
        QVERIFY(!SecretBox(key).open(sealed).has_value());
    }

    void secretBoxBadKeySize()
    {
        QTest::ignoreMessage(QtCriticalMsg, QRegularExpression(QStringLiteral("secret box key")));
        const SecretBox bad(QByteArray(16, 'b'));
        QVERIFY(bad.seal("x").isEmpty());
        QVERIFY(!bad.open(QByteArray(64, 'x')).has_value());
    }

    // --- KeyFile --------------------------------------------------------------------------------

    void keyFileCreates()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("keys/nested/k.key"));
        const auto first = KeyFile::loadOrCreate(path);
        QVERIFY2(first.ok(), qPrintable(first.error().message));
        QCOMPARE(first->size(), 32);
        QVERIFY(*first != QByteArray(32, '\0'));
        QCOMPARE(
            QFile::permissions(path) & ~(QFile::ReadUser | QFile::WriteUser | QFile::ExeUser), kOwnerOnly);
        QCOMPARE(modeOf(path), mode_t(0600));
        // Folders it created are owner-only; the one that already existed is untouched.
        QCOMPARE(modeOf(dir.filePath(QStringLiteral("keys"))), mode_t(0700));
        QCOMPARE(modeOf(dir.filePath(QStringLiteral("keys/nested"))), mode_t(0700));
        // No temporary file left behind.
        QCOMPARE(QDir(dir.filePath(QStringLiteral("keys/nested"))).entryList(QDir::Files | QDir::Hidden),
            QStringList {QStringLiteral("k.key")});

        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), *first);
        const auto second = KeyFile::loadOrCreate(path);
        QVERIFY(second.ok());
        QCOMPARE(*second, *first);

        const auto other = KeyFile::loadOrCreate(dir.filePath(QStringLiteral("keys/other.key")), 64);
        QVERIFY(other.ok());
        QCOMPARE(other->size(), 64);
        QVERIFY(!other->startsWith(*first));
    }

    void keyFileWrongSize_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("problem");
        QTest::newRow("keyfile-short-01") << QByteArray("too short") << QStringLiteral("has 9 bytes");
        QTest::newRow("keyfile-empty-02") << QByteArray("") << QStringLiteral("has 0 bytes");
        QTest::newRow("keyfile-one-short-03") << QByteArray(31, 'x') << QStringLiteral("has 31 bytes");
        QTest::newRow("keyfile-one-long-04") << QByteArray(33, 'x') << QStringLiteral("more than 32 bytes");
        QTest::newRow("keyfile-huge-05") << QByteArray(100000, 'x') << QStringLiteral("more than 32 bytes");
    }
    void keyFileWrongSize()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, problem);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("bad.key"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(content);
        f.close();
        QVERIFY(QFile::setPermissions(path, kOwnerOnly));
        const auto r = KeyFile::loadOrCreate(path);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, ErrorCode::Internal);
        QVERIFY2(r.error().message.contains(path), qPrintable(r.error().message));
        QVERIFY2(r.error().message.contains(problem), qPrintable(r.error().message));
        // Never replaced.
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), content);
    }

    void keyFileTightensPermissions_data()
    {
        QTest::addColumn<int>("mode");
        QTest::newRow("keyfile-0644-01") << 0644;
        QTest::newRow("keyfile-0666-02") << 0666;
        QTest::newRow("keyfile-0640-03") << 0640;
        QTest::newRow("keyfile-0700-04") << 0700;
        QTest::newRow("keyfile-0400-05") << 0400;
    }
    void keyFileTightensPermissions()
    {
        QFETCH(int, mode);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("k.key"));
        const auto first = KeyFile::loadOrCreate(path);
        QVERIFY(first.ok());
        QVERIFY(::chmod(QFile::encodeName(path).constData(), mode_t(mode)) == 0);
        QCOMPARE(modeOf(path), mode_t(mode));
        if (mode & 0177)
            QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("tightening it to 0600")));
        const auto again = KeyFile::loadOrCreate(path);
        QVERIFY2(again.ok(), qPrintable(again.error().message));
        QCOMPARE(*again, *first);
        // Broader than 0600 is tightened; narrower (0400) is left as it is.
        QCOMPARE(modeOf(path), (mode & 0177) ? mode_t(0600) : mode_t(mode));
        if (mode & 0177)
            QCOMPARE(QFile::permissions(path) & ~(QFile::ReadUser | QFile::WriteUser | QFile::ExeUser),
                kOwnerOnly);
    }

    void keyFileRefusesDirectory()
    {
        QTemporaryDir dir;
        const auto r = KeyFile::loadOrCreate(dir.path());
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, ErrorCode::Internal);
        QVERIFY(r.error().message.contains(dir.path()));
    }

    void keyFileConcurrentCreation()
    {
        // Racing creators (threads here, processes in production: the file system is the only
        // shared state) must all end up with the one key that is on disk.
        QTemporaryDir dir;
        for (int round = 0; round < 20; ++round) {
            const QString path = dir.filePath(QStringLiteral("race/%1.key").arg(round));
            constexpr int kRacers = 6;
            std::vector<std::optional<QByteArray>> results(kRacers);
            std::vector<std::thread> threads;
            for (int i = 0; i < kRacers; ++i) {
                threads.emplace_back([&results, &path, i] {
                    auto r = KeyFile::loadOrCreate(path);
                    if (r.ok())
                        results[std::size_t(i)] = *r;
                });
            }
            for (auto &t : threads)
                t.join();
            QFile f(path);
            QVERIFY(f.open(QIODevice::ReadOnly));
            const QByteArray onDisk = f.readAll();
            QCOMPARE(onDisk.size(), 32);
            for (const auto &r : results) {
                QVERIFY(r.has_value());
                QCOMPARE(*r, onDisk);
            }
        }
        QCOMPARE(QDir(dir.filePath(QStringLiteral("race"))).entryList(QDir::Files | QDir::Hidden).size(), 20);
    }
};

QTEST_GUILESS_MAIN(TestCrypto)
#include "tst_crypto.moc"
