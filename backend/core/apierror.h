// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>

namespace lm {

/// Error codes of the API envelope; each maps to exactly one HTTP status.
enum class ErrorCode
{
    ValidationError, // 400
    Unauthorized, // 401
    Forbidden, // 403
    NotFound, // 404 (also another tenant's object)
    MethodNotAllowed, // 405
    RequestTimeout, // 408
    Conflict, // 409
    PayloadTooLarge, // 413
    Unprocessable, // 422
    RateLimited, // 429
    HeadersTooLarge, // 431
    Internal, // 500
    Unavailable, // 503
};

/// One field-level problem inside a VALIDATION_ERROR.
struct FieldIssue
{
    QString field;
    QString issue;
};

/// An error as the API reports it: a code, a developer-facing message and optional field details.
/// The backend never puts translated sentences here; clients translate codes.
struct ApiError
{
    ErrorCode code = ErrorCode::Internal;
    QString message;
    QList<FieldIssue> details;

    [[nodiscard]] int httpStatus() const;
    [[nodiscard]] QString codeName() const;

    static ApiError validation(const QString &field, const QString &issue,
        const QString &message = QStringLiteral("The request is not valid"));
    static ApiError unauthorized(const QString &message = QStringLiteral("Authentication required"));
    static ApiError forbidden(const QString &message = QStringLiteral("Not allowed"));
    static ApiError notFound(const QString &message = QStringLiteral("Not found"));
    static ApiError conflict(const QString &message);
    static ApiError internal(const QString &message = QStringLiteral("Internal error"));
};

/// The HTTP status for an error code.
[[nodiscard]] int httpStatusFor(ErrorCode code);
/// The SCREAMING_SNAKE name used in the envelope.
[[nodiscard]] QString errorCodeName(ErrorCode code);

} // namespace lm
