// SPDX-License-Identifier: GPL-3.0-or-later
#include "json.h"

#include <QJsonDocument>
#include <QJsonParseError>

namespace lm::api {

HttpResponse jsonResponse(int status, const QJsonObject &body)
{
    HttpResponse r;
    r.status = status;
    r.setHeader("Content-Type", "application/json");
    r.body = QJsonDocument(body).toJson(QJsonDocument::Compact).toStdString();
    return r;
}

HttpResponse noContent()
{
    HttpResponse r;
    r.status = 204;
    return r;
}

HttpResponse errorResponse(const ApiError &error, const QString &requestId)
{
    QJsonObject inner {{QStringLiteral("code"), error.codeName()}, {QStringLiteral("message"), error.message},
        {QStringLiteral("requestId"), requestId}};
    if (!error.details.isEmpty()) {
        QJsonArray details;
        for (const FieldIssue &d : error.details)
            details.append(
                QJsonObject {{QStringLiteral("field"), d.field}, {QStringLiteral("issue"), d.issue}});
        inner.insert(QStringLiteral("details"), details);
    }
    return jsonResponse(error.httpStatus(), QJsonObject {{QStringLiteral("error"), inner}});
}

Result<QJsonObject> parseJsonObject(const std::string &body)
{
    if (body.empty())
        return ApiError::validation(
            QStringLiteral("body"), QStringLiteral("required"), QStringLiteral("A JSON body is required"));
    QJsonParseError err;
    const QJsonDocument doc
        = QJsonDocument::fromJson(QByteArray::fromRawData(body.data(), qsizetype(body.size())), &err);
    if (err.error != QJsonParseError::NoError)
        return ApiError::validation(QStringLiteral("body"), QStringLiteral("malformed_json"),
            QStringLiteral("Malformed JSON at offset %1: %2").arg(err.offset).arg(err.errorString()));
    if (!doc.isObject())
        return ApiError::validation(QStringLiteral("body"), QStringLiteral("must_be_object"),
            QStringLiteral("The JSON body must be an object"));
    return doc.object();
}

QString JsonFields::requiredString(const QString &name, int maxLength)
{
    const QJsonValue v = m_object.value(name);
    if (v.isUndefined() || v.isNull()) {
        m_issues.append({name, QStringLiteral("required")});
        return {};
    }
    if (!v.isString()) {
        m_issues.append({name, QStringLiteral("must_be_string")});
        return {};
    }
    const QString s = v.toString();
    if (s.trimmed().isEmpty()) {
        m_issues.append({name, QStringLiteral("required")});
        return {};
    }
    if (s.size() > maxLength) {
        m_issues.append({name, QStringLiteral("too_long")});
        return {};
    }
    return s;
}

std::optional<QString> JsonFields::optionalString(const QString &name, int maxLength)
{
    const QJsonValue v = m_object.value(name);
    if (v.isUndefined() || v.isNull())
        return std::nullopt;
    if (!v.isString()) {
        m_issues.append({name, QStringLiteral("must_be_string")});
        return std::nullopt;
    }
    if (v.toString().size() > maxLength) {
        m_issues.append({name, QStringLiteral("too_long")});
        return std::nullopt;
    }
    return v.toString();
}

QJsonArray JsonFields::requiredArray(const QString &name, qsizetype maxItems)
{
    const QJsonValue v = m_object.value(name);
    if (v.isUndefined() || v.isNull()) {
        m_issues.append({name, QStringLiteral("required")});
        return {};
    }
    if (!v.isArray()) {
        m_issues.append({name, QStringLiteral("must_be_array")});
        return {};
    }
    const QJsonArray items = v.toArray();
    if (items.isEmpty()) {
        m_issues.append({name, QStringLiteral("required")});
        return {};
    }
    if (items.size() > maxItems) {
        m_issues.append({name, QStringLiteral("too_many")});
        return {};
    }
    return items;
}

Result<void> JsonFields::result() const
{
    if (m_issues.isEmpty())
        return {};
    ApiError e {ErrorCode::ValidationError, QStringLiteral("The request is not valid"), m_issues};
    return e;
}

} // namespace lm::api
