// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "api/http.h"
#include "core/result.h"

#include <QJsonArray>
#include <QJsonObject>

#include <optional>

namespace lm::api {

/// 200/201… with a compact JSON body.
[[nodiscard]] HttpResponse jsonResponse(int status, const QJsonObject &body);
/// 204 with no body.
[[nodiscard]] HttpResponse noContent();
/// The error envelope of DESIGN.md: {"error":{code,message,requestId,details?}}.
[[nodiscard]] HttpResponse errorResponse(const ApiError &error, const QString &requestId);

/// Parses a request body that must be a JSON object. Malformed JSON, an empty body or another
/// JSON type is a 400 VALIDATION_ERROR naming `body`.
Result<QJsonObject> parseJsonObject(const std::string &body);

/// Reads declared fields of a JSON object and collects every problem, so a client learns all of
/// them at once. Unknown fields are ignored (clients may be newer than the server).
class JsonFields
{
public:
    explicit JsonFields(const QJsonObject &object)
        : m_object(object)
    { }

    /// A string that must be present and non-empty after trimming, at most maxLength characters.
    QString requiredString(const QString &name, int maxLength);
    /// A string that may be absent or null; when present it obeys maxLength.
    std::optional<QString> optionalString(const QString &name, int maxLength);
    /// An array that must be present and non-empty, with at most maxItems items; empty after an
    /// issue. Its items are the caller's to check.
    QJsonArray requiredArray(const QString &name, qsizetype maxItems);
    /// Records a problem found by the caller's own checks (arrays, numbers, cross-field rules).
    void addIssue(const QString &field, const QString &issue) { m_issues.append({field, issue}); }
    /// The collected problems, or success.
    [[nodiscard]] Result<void> result() const;

private:
    QJsonObject m_object;
    QList<FieldIssue> m_issues;
};

} // namespace lm::api
