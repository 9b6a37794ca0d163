// SPDX-License-Identifier: GPL-3.0-or-later
#include "api/handlers/dashboard/campaignbodies.h"

#include "api/handlers/dashboard/dashboardsupport.h"

#include <QRegularExpression>

#include <cmath>

namespace lm::api::dashboard {

namespace {
constexpr int kMaxName = 200;
constexpr int kMaxBrief = 20000;
constexpr int kMaxDeliverables = 20;
constexpr int kMaxQuantity = 100;
constexpr int kMaxRefs = 20; // platformIds, attachments
constexpr int kMaxRefChars = 64;
constexpr double kMaxBudgetUsd = 1e9; // keeps micro-dollars far from overflow
const QStringList kDeliverableTypes {QStringLiteral("blog_post"), QStringLiteral("social_post"),
    QStringLiteral("gbp_post"), QStringLiteral("ad_copy"), QStringLiteral("email_newsletter"),
    QStringLiteral("backlink"), QStringLiteral("website_audit"), QStringLiteral("performance_report")};
/// An optional array of short strings (ids), kept as sent; problems go to `f` under `field`.
QStringList refList(JsonFields &f, const QJsonValue &v, const QString &field)
{
    return stringArray(f, v, field, kMaxRefs, kMaxRefChars, {}, ArrayItems::AsSent);
}

/// An optional ISO 8601 calendar date (YYYY-MM-DD).
QDate isoDate(JsonFields &f, const QJsonObject &o, const QString &field)
{
    static const QRegularExpression form(QStringLiteral("^\\d{4}-\\d{2}-\\d{2}$"));
    const QJsonValue v = o.value(field);
    if (v.isUndefined() || v.isNull())
        return {};
    if (!v.isString()) {
        f.addIssue(field, QStringLiteral("must_be_string"));
        return {};
    }
    const QDate d = QDate::fromString(v.toString(), Qt::ISODate);
    if (!form.match(v.toString()).hasMatch() || !d.isValid()) {
        f.addIssue(field, QStringLiteral("invalid_date"));
        return {};
    }
    return d;
}

QList<services::NewDeliverable> deliverables(JsonFields &f)
{
    const QJsonArray items = f.requiredArray(QStringLiteral("deliverables"), kMaxDeliverables);
    QList<services::NewDeliverable> out;
    for (qsizetype i = 0; i < items.size(); ++i) {
        const QString at = QStringLiteral("deliverables[%1]").arg(i);
        if (!items[i].isObject()) {
            f.addIssue(at, QStringLiteral("must_be_object"));
            continue;
        }
        const QJsonObject d = items[i].toObject();
        services::NewDeliverable nd;
        const QJsonValue type = d.value(QLatin1String("type"));
        if (type.isUndefined() || type.isNull())
            f.addIssue(at + QStringLiteral(".type"), QStringLiteral("required"));
        else if (!type.isString())
            f.addIssue(at + QStringLiteral(".type"), QStringLiteral("must_be_string"));
        else if (!kDeliverableTypes.contains(type.toString()))
            f.addIssue(at + QStringLiteral(".type"), QStringLiteral("invalid"));
        else
            nd.type = type.toString();
        const QJsonValue quantity = d.value(QLatin1String("quantity"));
        if (quantity.isUndefined() || quantity.isNull())
            f.addIssue(at + QStringLiteral(".quantity"), QStringLiteral("required"));
        else if (!quantity.isDouble() || quantity.toDouble() != std::floor(quantity.toDouble()))
            f.addIssue(at + QStringLiteral(".quantity"), QStringLiteral("must_be_integer"));
        else if (quantity.toDouble() < 1 || quantity.toDouble() > kMaxQuantity)
            f.addIssue(at + QStringLiteral(".quantity"), QStringLiteral("out_of_range"));
        else
            nd.quantity = quantity.toInt();
        nd.platformIds
            = refList(f, d.value(QLatin1String("platformIds")), at + QStringLiteral(".platformIds"));
        JsonFields item(d);
        nd.templateId = item.optionalString(QStringLiteral("templateId"), kMaxRefChars).value_or(QString());
        if (const auto checked = item.result(); !checked.ok()) {
            for (const auto &issue : checked.error().details)
                f.addIssue(at + QLatin1Char('.') + issue.field, issue.issue);
        }
        out.append(nd);
    }
    return out;
}
} // namespace

Result<services::NewCampaign> parseBrief(const std::string &body)
{
    auto parsed = parseJsonObject(body);
    if (!parsed.ok())
        return parsed.error();
    const QJsonObject &o = *parsed;
    JsonFields f(o);
    services::NewCampaign brief;
    brief.name = f.requiredString(QStringLiteral("name"), kMaxName).trimmed();
    brief.brief = f.requiredString(QStringLiteral("brief"), kMaxBrief);
    brief.deliverables = deliverables(f);
    const QJsonValue budget = o.value(QLatin1String("budgetCapUsd"));
    if (!budget.isUndefined() && !budget.isNull()) {
        if (!budget.isDouble())
            f.addIssue(QStringLiteral("budgetCapUsd"), QStringLiteral("must_be_number"));
        else if (budget.toDouble() < 0 || budget.toDouble() > kMaxBudgetUsd)
            f.addIssue(QStringLiteral("budgetCapUsd"), QStringLiteral("out_of_range"));
        else
            brief.budgetCapMicros = std::llround(budget.toDouble() * 1e6);
    }
    brief.startDate = isoDate(f, o, QStringLiteral("startDate"));
    brief.endDate = isoDate(f, o, QStringLiteral("endDate"));
    if (brief.startDate.isValid() && brief.endDate.isValid() && brief.endDate < brief.startDate)
        f.addIssue(QStringLiteral("endDate"), QStringLiteral("before_start_date"));
    brief.attachments = refList(f, o.value(QLatin1String("attachments")), QStringLiteral("attachments"));
    if (auto v = f.result(); !v.ok())
        return v.error();
    return brief;
}

Result<services::CampaignPatch> parsePatch(const std::string &body)
{
    auto parsed = parseJsonObject(body);
    if (!parsed.ok())
        return parsed.error();
    const QJsonObject &o = *parsed;
    JsonFields f(o);
    services::CampaignPatch patch;
    if (o.contains(QLatin1String("name")))
        patch.name = f.requiredString(QStringLiteral("name"), kMaxName).trimmed();
    if (o.contains(QLatin1String("brief")))
        patch.brief = f.requiredString(QStringLiteral("brief"), kMaxBrief);
    if (o.contains(QLatin1String("budgetCapUsd"))) {
        const QJsonValue budget = o.value(QLatin1String("budgetCapUsd"));
        if (budget.isNull())
            patch.budgetCapMicros = std::optional<qint64>();
        else if (!budget.isDouble())
            f.addIssue(QStringLiteral("budgetCapUsd"), QStringLiteral("must_be_number"));
        else if (budget.toDouble() < 0 || budget.toDouble() > kMaxBudgetUsd)
            f.addIssue(QStringLiteral("budgetCapUsd"), QStringLiteral("out_of_range"));
        else
            patch.budgetCapMicros = std::optional<qint64>(std::llround(budget.toDouble() * 1e6));
    }
    if (const auto status = f.optionalString(QStringLiteral("status"), 32)) {
        if (*status != QLatin1String("paused") && *status != QLatin1String("active"))
            f.addIssue(QStringLiteral("status"), QStringLiteral("invalid"));
        else
            patch.status = *status;
    }
    if (auto v = f.result(); !v.ok())
        return v.error();
    // Deliverables are fixed once planned; this server does not change them at all.
    if (o.contains(QLatin1String("deliverables")))
        return ApiError {ErrorCode::Unprocessable, QStringLiteral("Deliverables cannot be changed"),
            {{QStringLiteral("deliverables"), QStringLiteral("not_changeable")}}};
    return patch;
}

} // namespace lm::api::dashboard
