// SPDX-License-Identifier: GPL-3.0-or-later
#include "idempotency.h"

#include "api/json.h"
#include "core/clock.h"
#include "store/idempotencyrepository.h"

#include <QCryptographicHash>

namespace lm::api {

namespace {
const QString kField = QStringLiteral("Idempotency-Key");

/// 1–255 visible ASCII characters.
bool validKey(std::string_view key)
{
    if (key.empty() || key.size() > std::size_t(Idempotency::kMaxKeyChars))
        return false;
    return std::all_of(key.begin(), key.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

QString fingerprint(const HttpRequest &request)
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(QByteArrayView(request.methodText.data(), qsizetype(request.methodText.size())));
    hash.addData(QByteArrayView("\n"));
    hash.addData(QByteArrayView(request.path.data(), qsizetype(request.path.size())));
    hash.addData(QByteArrayView("\n"));
    hash.addData(QByteArrayView(request.body.data(), qsizetype(request.body.size())));
    return QString::fromLatin1(hash.result().toHex());
}
} // namespace

RouteHandler Idempotency::wrap(RouteHandler handler) const
{
    // The database and clock outlive the routes; this object need not.
    return [&db = m_db, &clock = m_clock, handler = std::move(handler)](
               RequestContext &ctx) -> Result<HttpResponse> {
        const std::string_view sent = ctx.request.header("idempotency-key");
        const bool present = std::any_of(ctx.request.headers.begin(), ctx.request.headers.end(),
            [](const auto &h) { return h.first == "idempotency-key"; });
        if (!present)
            return handler(ctx);
        if (!validKey(sent))
            return ApiError::validation(kField,
                sent.size() > std::size_t(Idempotency::kMaxKeyChars) ? QStringLiteral("too_long")
                                                                     : QStringLiteral("invalid"),
                QStringLiteral("Idempotency-Key must be 1 to 255 visible ASCII characters"));
        const QString key = QString::fromLatin1(sent.data(), qsizetype(sent.size()));
        const QString userId = ctx.principal->userId;
        store::IdempotencyRepository keys(db);
        auto claim = keys.claim(userId, key, fingerprint(ctx.request), clock.nowMs(),
            Idempotency::kLifetimeMs, Idempotency::kStaleRunningMs);
        if (!claim.ok())
            return claim.error();
        switch (claim->kind) {
        case store::IdempotencyClaim::Kind::Mismatch:
            return ApiError {ErrorCode::Unprocessable,
                QStringLiteral("This Idempotency-Key was used with another request"),
                {{kField, QStringLiteral("reused_with_another_request")}}};
        case store::IdempotencyClaim::Kind::InFlight:
            return ApiError::conflict(QStringLiteral("A request with this Idempotency-Key is still running"));
        case store::IdempotencyClaim::Kind::Replay: {
            HttpResponse replay;
            replay.status = claim->status;
            replay.setHeader("Content-Type", "application/json");
            replay.setHeader("Idempotent-Replayed", "true");
            replay.body = std::move(claim->body);
            return replay;
        }
        case store::IdempotencyClaim::Kind::Acquired:
            break;
        }

        auto answer = handler(ctx);
        // A server fault may pass on retry: forget the key rather than replay the fault.
        if (!answer.ok() && answer.error().httpStatus() >= 500) {
            if (auto r = keys.release(userId, key); !r.ok())
                return r.error();
            return answer;
        }
        HttpResponse response
            = answer.ok() ? std::move(*answer) : errorResponse(answer.error(), ctx.requestId);
        if (response.status >= 500) {
            if (auto r = keys.release(userId, key); !r.ok())
                return r.error();
            return response;
        }
        if (auto r = keys.finish(userId, key, response.status, response.body); !r.ok())
            return r.error();
        return response;
    };
}

} // namespace lm::api
