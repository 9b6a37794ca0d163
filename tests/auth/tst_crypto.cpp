// SPDX-License-Identifier: GPL-3.0-or-later
#include "auth/jwt.h"
#include "auth/passwordhasher.h"
#include "auth/secretbox.h"
#include "auth/sodium.h"
#include "auth/totp.h"

#include <QFile>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

#include <sodium.h>

using namespace lm;
using namespace lm::auth;

namespace {
const QByteArray kRfcSecret("12345678901234567890");
const QByteArray kKey(32, 'k');
constexpr auto kEnc = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;

QByteArray b64(const QByteArray &raw)
{
    return raw.toBase64(kEnc);
}
} // namespace

class TestCrypto : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QVERIFY(ensureSodium()); }

    void totpMatchesRfc6238_data()
    {
        QTest::addColumn<qint64>("time");
        QTest::addColumn<QString>("code");
        // RFC 6238 Appendix B (SHA-1), last six digits.
        QTest::newRow("totp-rfc-59-01") << qint64(59) << "287082";
        QTest::newRow("totp-rfc-1111111109-02") << qint64(1111111109) << "081804";
        QTest::newRow("totp-rfc-1111111111-03") << qint64(1111111111) << "050471";
        QTest::newRow("totp-rfc-1234567890-04") << qint64(1234567890) << "005924";
        QTest::newRow("totp-rfc-2000000000-05") << qint64(2000000000) << "279037";
        QTest::newRow("totp-rfc-20000000000-06") << qint64(20000000000) << "353130";
    }
    void totpMatchesRfc6238()
    {
        QFETCH(qint64, time);
        QFETCH(QString, code);
        QCOMPARE(Totp::codeAt(kRfcSecret, time), code);
        QCOMPARE(Totp::verify(kRfcSecret, code, time), std::optional<quint64>(quint64(time / 30)));
    }

    void totpWindowAndShape()
    {
        const qint64 now = 1700000000;
        const QString before = Totp::codeAt(kRfcSecret, now - 30);
        const QString after = Totp::codeAt(kRfcSecret, now + 30);
        QVERIFY(Totp::verify(kRfcSecret, before, now).has_value());
        QVERIFY(Totp::verify(kRfcSecret, after, now).has_value());
        QVERIFY(!Totp::verify(kRfcSecret, Totp::codeAt(kRfcSecret, now - 60), now).has_value());
        QVERIFY(!Totp::verify(kRfcSecret, Totp::codeAt(kRfcSecret, now + 90), now).has_value());
        for (const char *bad : {"12345", "1234567", "abcdef", "", "12 456"})
            QVERIFY2(!Totp::verify(kRfcSecret, QString::fromLatin1(bad), now).has_value(), bad);
        QCOMPARE(Totp::toBase32(kRfcSecret), QStringLiteral("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"));
        const QString url
            = Totp::otpauthUrl(QStringLiteral("Lead metrics"), QStringLiteral("a@b.demo"), kRfcSecret);
        QVERIFY(url.startsWith(QLatin1String("otpauth://totp/Lead%20metrics:a%40b.demo?")));
        QVERIFY(url.contains(QLatin1String("secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")));
        QCOMPARE(Totp::generateSecret().size(), 20);
        QVERIFY(Totp::generateSecret() != Totp::generateSecret());
    }

    void passwordHashing()
    {
        const QByteArray h = PasswordHasher::hash("correct horse");
        QVERIFY(h.startsWith("$argon2id$"));
        QVERIFY2(h.contains("m=19456,t=2,p=1"), h.constData());
        QVERIFY(PasswordHasher::verify(h, "correct horse"));
        QVERIFY(!PasswordHasher::verify(h, "correct horsf"));
        QVERIFY(!PasswordHasher::verify(h, ""));
        QVERIFY(!PasswordHasher::verify("garbage", "correct horse"));
        QVERIFY(!PasswordHasher::verify({}, "correct horse"));
        QVERIFY(PasswordHasher::hash("correct horse") != h);
        QVERIFY(!PasswordHasher::needsRehash(h));
        char weak[crypto_pwhash_STRBYTES];
        QCOMPARE(crypto_pwhash_str_alg(weak, "pw", 2, 1, 8 * 1024 * 1024, crypto_pwhash_ALG_ARGON2ID13), 0);
        QVERIFY(PasswordHasher::needsRehash(QByteArray(weak)));
        QVERIFY(PasswordHasher::verify(QByteArray(weak), "pw"));
    }

    void jwtRoundTrip()
    {
        JwtCodec codec(kKey, QStringLiteral("iss"), QStringLiteral("aud"));
        const QByteArray t
            = codec.sign({{QStringLiteral("sub"), QStringLiteral("u1")}, {QStringLiteral("exp"), 2000}},
                QStringLiteral("at+jwt"));
        const auto claims = codec.verify(t, QStringLiteral("at+jwt"), 1999);
        QVERIFY(claims.ok());
        QCOMPARE(claims->value(QStringLiteral("sub")).toString(), QStringLiteral("u1"));
        QCOMPARE(claims->value(QStringLiteral("aud")).toString(), QStringLiteral("aud"));
        // An audience array containing ours is accepted.
        JwtCodec other(kKey, QStringLiteral("iss"), QStringLiteral("other"));
        QJsonObject multi {{QStringLiteral("exp"), 2000}};
        QByteArray header = b64(R"({"alg":"HS256","typ":"at+jwt"})");
        QByteArray payload = b64(R"({"iss":"iss","aud":["x","aud"],"exp":2000})");
        QByteArray mac(crypto_auth_hmacsha256_BYTES, 0);
        const QByteArray input = header + '.' + payload;
        crypto_auth_hmacsha256(reinterpret_cast<unsigned char *>(mac.data()),
            reinterpret_cast<const unsigned char *>(input.constData()), quint64(input.size()),
            reinterpret_cast<const unsigned char *>(kKey.constData()));
        QVERIFY(codec.verify(input + '.' + b64(mac), QStringLiteral("at+jwt"), 1000).ok());
        QVERIFY(!other.verify(input + '.' + b64(mac), QStringLiteral("at+jwt"), 1000).ok());
    }

    void jwtRefusals_data()
    {
        QTest::addColumn<QByteArray>("token");
        QTest::addColumn<qint64>("now");
        JwtCodec codec(kKey, QStringLiteral("iss"), QStringLiteral("aud"));
        const QByteArray good = codec.sign({{QStringLiteral("sub"), QStringLiteral("u1")},
                                               {QStringLiteral("exp"), 2000}, {QStringLiteral("iat"), 1000}},
            QStringLiteral("at+jwt"));
        const QList<QByteArray> p = good.split('.');
        QByteArray sig = QByteArray::fromBase64(p[2], QByteArray::Base64UrlEncoding);
        sig[5] = char(sig[5] ^ 0x40);
        QTest::newRow("jwt-tampered-signature-01")
            << QByteArray(p[0] + '.' + p[1] + '.' + b64(sig)) << qint64(1500);
        QTest::newRow("jwt-tampered-payload-02") << QByteArray(
            p[0] + '.' + b64(R"({"iss":"iss","aud":"aud","sub":"admin","exp":2000})") + '.' + p[2])
                                                 << qint64(1500);
        QTest::newRow("jwt-alg-none-03")
            << QByteArray(b64(R"({"alg":"none","typ":"at+jwt"})") + '.' + p[1] + '.') << qint64(1500);
        QTest::newRow("jwt-alg-none-signed-04")
            << QByteArray(b64(R"({"alg":"none","typ":"at+jwt"})") + '.' + p[1] + '.' + p[2]) << qint64(1500);
        QTest::newRow("jwt-alg-hs512-05")
            << QByteArray(b64(R"({"alg":"HS512","typ":"at+jwt"})") + '.' + p[1] + '.' + p[2]) << qint64(1500);
        QTest::newRow("jwt-alg-missing-06")
            << QByteArray(b64(R"({"typ":"at+jwt"})") + '.' + p[1] + '.' + p[2]) << qint64(1500);
        QTest::newRow("jwt-wrong-type-07")
            << codec.sign({{QStringLiteral("exp"), 2000}}, QStringLiteral("mfa-challenge+jwt"))
            << qint64(1500);
        QTest::newRow("jwt-wrong-issuer-08")
            << JwtCodec(kKey, QStringLiteral("evil"), QStringLiteral("aud"))
                   .sign({{QStringLiteral("exp"), 2000}}, QStringLiteral("at+jwt"))
            << qint64(1500);
        QTest::newRow("jwt-wrong-audience-09")
            << JwtCodec(kKey, QStringLiteral("iss"), QStringLiteral("evil"))
                   .sign({{QStringLiteral("exp"), 2000}}, QStringLiteral("at+jwt"))
            << qint64(1500);
        QTest::newRow("jwt-expired-at-exp-10") << good << qint64(2000);
        QTest::newRow("jwt-iat-future-11") << good << qint64(900);
        QTest::newRow("jwt-no-exp-12") << codec.sign({{QStringLiteral("sub"), QStringLiteral("u")}},
            QStringLiteral("at+jwt")) << qint64(1500);
        QTest::newRow("jwt-two-segments-13") << QByteArray(p[0] + '.' + p[1]) << qint64(1500);
        QTest::newRow("jwt-four-segments-14") << QByteArray(good + ".x") << qint64(1500);
        QTest::newRow("jwt-bad-chars-15") << QByteArray(p[0] + '.' + p[1] + "+/=." + p[2]) << qint64(1500);
        QTest::newRow("jwt-oversized-16")
            << QByteArray(p[0] + '.' + QByteArray(9000, 'a') + '.' + p[2]) << qint64(1500);
        QTest::newRow("jwt-other-key-17")
            << JwtCodec(QByteArray(32, 'z'), QStringLiteral("iss"), QStringLiteral("aud"))
                   .sign({{QStringLiteral("exp"), 2000}}, QStringLiteral("at+jwt"))
            << qint64(1500);
        QTest::newRow("jwt-empty-18") << QByteArray() << qint64(1500);
    }
    void jwtRefusals()
    {
        QFETCH(QByteArray, token);
        QFETCH(qint64, now);
        JwtCodec codec(kKey, QStringLiteral("iss"), QStringLiteral("aud"));
        const auto r = codec.verify(token, QStringLiteral("at+jwt"), now);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, ErrorCode::Unauthorized);
    }

    void jwtAcceptsOneSecondBeforeExpiry()
    {
        JwtCodec codec(kKey, QStringLiteral("iss"), QStringLiteral("aud"));
        QVERIFY(codec
                    .verify(codec.sign({{QStringLiteral("exp"), 2000}}, QStringLiteral("at+jwt")),
                        QStringLiteral("at+jwt"), 1999)
                    .ok());
    }

    void secretBox()
    {
        SecretBox box(QByteArray(32, 'b'));
        const QByteArray sealed = box.seal("totp-secret");
        QVERIFY(!sealed.contains("totp-secret"));
        QCOMPARE(box.open(sealed), std::optional<QByteArray>("totp-secret"));
        QVERIFY(box.seal("totp-secret") != sealed);
        QByteArray flipped = sealed;
        flipped[flipped.size() - 1] = char(flipped[flipped.size() - 1] ^ 1);
        QVERIFY(!box.open(flipped));
        QVERIFY(!box.open(sealed.left(10)));
        QVERIFY(!SecretBox(QByteArray(32, 'c')).open(sealed));
    }

    void keyFiles()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("keys/k.key"));
        const auto first = KeyFile::loadOrCreate(path);
        QVERIFY(first.ok());
        QCOMPARE(first->size(), 32);
        QCOMPARE(QFile::permissions(path) & ~(QFile::ReadUser | QFile::WriteUser),
            QFile::ReadOwner | QFile::WriteOwner);
        QCOMPARE(*KeyFile::loadOrCreate(path), *first);

        QFile::setPermissions(
            path, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup | QFile::ReadOther);
        QCOMPARE(*KeyFile::loadOrCreate(path), *first);
        QCOMPARE(
            QFile::permissions(path) & (QFile::ReadGroup | QFile::ReadOther), QFileDevice::Permissions());

        const QString shortPath = dir.filePath(QStringLiteral("short.key"));
        QFile f(shortPath);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("too short");
        f.close();
        const auto wrong = KeyFile::loadOrCreate(shortPath);
        QVERIFY(!wrong.ok());
        QVERIFY(wrong.error().message.contains(shortPath));
    }
};

QTEST_GUILESS_MAIN(TestCrypto)
#include "tst_crypto.moc"
