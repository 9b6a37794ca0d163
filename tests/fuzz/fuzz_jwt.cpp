// SPDX-License-Identifier: GPL-3.0-or-later
// JWT parsing and verification (JwtCodec::verify, what every bearer token goes through).
#include "auth/jwt.h"
#include "fuzzcheck.h"

#include <QJsonDocument>

#include <cstddef>
#include <cstdint>

using namespace lm;

namespace {
constexpr qint64 kNow = 1'800'000'000;

const auth::JwtCodec &codec()
{
    static const auth::JwtCodec c(
        QByteArray(32, 'k'), QStringLiteral("leadmetrics"), QStringLiteral("console"));
    return c;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArrayView bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    // As a token: nobody without the key can make one, so whatever the bytes, it is refused.
    const auto verified = codec().verify(bytes, QStringLiteral("access"), kNow);
    LM_FUZZ_CHECK(!verified.ok());
    LM_FUZZ_CHECK(verified.error().code == ErrorCode::Unauthorized);

    // As claims: what we sign verifies, and carries the claims back (a parser/signer asymmetry would
    // lock users out or let a token mean something else).
    const QJsonDocument doc = QJsonDocument::fromJson(bytes.toByteArray());
    if (!doc.isObject())
        return 0;
    QJsonObject claims = doc.object();
    claims.remove(QStringLiteral("exp"));
    claims.remove(QStringLiteral("nbf"));
    claims.remove(QStringLiteral("iat"));
    claims.insert(QStringLiteral("exp"), double(kNow + 600));
    // Claims JSON itself cannot carry unchanged (lone surrogates in strings) are not a JWT matter.
    const bool carriesExactly = QJsonDocument::fromJson(QJsonDocument(claims).toJson()).object() == claims;
    const QByteArray token = codec().sign(claims, QStringLiteral("access"));
    if (token.isEmpty() || token.size() > auth::JwtCodec::kMaxTokenBytes)
        return 0;
    const auto back = codec().verify(token, QStringLiteral("access"), kNow);
    if (back.ok() && carriesExactly) {
        for (auto it = claims.begin(); it != claims.end(); ++it)
            LM_FUZZ_CHECK(back->value(it.key()) == it.value() || it.key() == QLatin1String("iss")
                || it.key() == QLatin1String("aud"));
    }
    // Any change to the signature part is refused.
    QByteArray forged = token;
    forged[forged.size() - 1] = forged.back() == 'A' ? 'B' : 'A';
    LM_FUZZ_CHECK(!codec().verify(forged, QStringLiteral("access"), kNow).ok());
    return 0;
}
