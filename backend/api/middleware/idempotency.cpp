// SPDX-License-Identifier: GPL-3.0-or-later
#include "idempotency.h"

#include "api/json.h"
#include "core/clock.h"
#include "store/idempotencyrepository.h"

#include <QCryptographicHash>

#include <algorithm>

namespace lm::api {

namespace {
const QString kField = QStringLiteral("Idempotency-Key");

/// 1–255 visible ASCII characters.
bool validKey(std::string_view key)
{
    if (key.empty() || key.size() > std::size_t(IdempotencyStage::kMaxKeyChars))
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

Result<std::optional<HttpResponse>> IdempotencyStage::before(RequestContext &ctx)
{
    const std::string_view sent = ctx.request.header("idempotency-key");
    const bool present = std::any_of(ctx.request.headers.begin(), ctx.request.headers.end(),
        [](const auto &h) { return h.first == "idempotency-key"; });
    if (!present)
        return std::optional<HttpResponse>();
    if (!validKey(sent))
        return ApiError::validation(kField,
            sent.size() > std::size_t(kMaxKeyChars) ? QStringLiteral("too_long") : QStringLiteral("invalid"),
            QStringLiteral("Idempotency-Key must be 1 to 255 visible ASCII characters"));
    const QString key = QString::fromLatin1(sent.data(), qsizetype(sent.size()));
    store::IdempotencyRepository keys(m_db);
    auto claim = keys.claim(
        ctx.principal->userId, key, fingerprint(ctx.request), m_clock.nowMs(), kLifetimeMs, kStaleRunningMs);
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
        return std::optional<HttpResponse>(std::move(replay));
    }
    case store::IdempotencyClaim::Kind::Acquired:
        break;
    }
    ctx.idempotencyKey = key;
    return std::optional<HttpResponse>();
}

void IdempotencyStage::after(RequestContext &ctx, HttpResponse &response)
{
    if (ctx.idempotencyKey.isEmpty())
        return; // no header, a refused key, or a replay: nothing of ours to settle
    store::IdempotencyRepository keys(m_db);
    // A server fault may pass on retry: forget the key rather than replay the fault.
    auto settled = response.status >= 500
        ? keys.release(ctx.principal->userId, ctx.idempotencyKey)
        : keys.finish(ctx.principal->userId, ctx.idempotencyKey, response.status, response.body);
    if (!settled.ok())
        response = errorResponse(settled.error(), ctx.requestId);
}

} // namespace lm::api
