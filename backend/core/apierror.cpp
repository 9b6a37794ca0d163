// SPDX-License-Identifier: GPL-3.0-or-later
#include "apierror.h"

namespace lm {

int httpStatusFor(ErrorCode code)
{
    switch (code) {
    case ErrorCode::ValidationError:
        return 400;
    case ErrorCode::Unauthorized:
        return 401;
    case ErrorCode::Forbidden:
        return 403;
    case ErrorCode::NotFound:
        return 404;
    case ErrorCode::MethodNotAllowed:
        return 405;
    case ErrorCode::RequestTimeout:
        return 408;
    case ErrorCode::Conflict:
        return 409;
    case ErrorCode::PayloadTooLarge:
        return 413;
    case ErrorCode::Unprocessable:
        return 422;
    case ErrorCode::RateLimited:
        return 429;
    case ErrorCode::HeadersTooLarge:
        return 431;
    case ErrorCode::Internal:
        return 500;
    case ErrorCode::Unavailable:
        return 503;
    }
    return 500;
}

QString errorCodeName(ErrorCode code)
{
    switch (code) {
    case ErrorCode::ValidationError:
        return QStringLiteral("VALIDATION_ERROR");
    case ErrorCode::Unauthorized:
        return QStringLiteral("UNAUTHORIZED");
    case ErrorCode::Forbidden:
        return QStringLiteral("FORBIDDEN");
    case ErrorCode::NotFound:
        return QStringLiteral("NOT_FOUND");
    case ErrorCode::MethodNotAllowed:
        return QStringLiteral("METHOD_NOT_ALLOWED");
    case ErrorCode::RequestTimeout:
        return QStringLiteral("REQUEST_TIMEOUT");
    case ErrorCode::Conflict:
        return QStringLiteral("CONFLICT");
    case ErrorCode::PayloadTooLarge:
        return QStringLiteral("PAYLOAD_TOO_LARGE");
    case ErrorCode::Unprocessable:
        return QStringLiteral("UNPROCESSABLE");
    case ErrorCode::RateLimited:
        return QStringLiteral("RATE_LIMITED");
    case ErrorCode::HeadersTooLarge:
        return QStringLiteral("HEADERS_TOO_LARGE");
    case ErrorCode::Internal:
        return QStringLiteral("INTERNAL");
    case ErrorCode::Unavailable:
        return QStringLiteral("UNAVAILABLE");
    }
    return QStringLiteral("INTERNAL");
}

int ApiError::httpStatus() const
{
    return httpStatusFor(code);
}
QString ApiError::codeName() const
{
    return errorCodeName(code);
}

ApiError ApiError::validation(const QString &field, const QString &issue, const QString &message)
{
    return {ErrorCode::ValidationError, message, {{field, issue}}};
}
ApiError ApiError::unauthorized(const QString &message)
{
    return {ErrorCode::Unauthorized, message, {}};
}
ApiError ApiError::forbidden(const QString &message)
{
    return {ErrorCode::Forbidden, message, {}};
}
ApiError ApiError::notFound(const QString &message)
{
    return {ErrorCode::NotFound, message, {}};
}
ApiError ApiError::conflict(const QString &message)
{
    return {ErrorCode::Conflict, message, {}};
}
ApiError ApiError::internal(const QString &message)
{
    return {ErrorCode::Internal, message, {}};
}

} // namespace lm
