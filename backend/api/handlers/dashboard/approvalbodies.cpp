// SPDX-License-Identifier: GPL-3.0-or-later
#include "api/handlers/dashboard/approvalbodies.h"

#include "api/json.h"

#include <QStringList>

namespace lm::api::dashboard {

namespace {
constexpr int kMaxOption = 500;

const QStringList kResolutions {
    QStringLiteral("approved"), QStringLiteral("rejected"), QStringLiteral("revision_requested")};
} // namespace

Result<services::ApprovalDecision> parseResolveBody(const std::string &body)
{
    auto parsed = parseJsonObject(body);
    if (!parsed.ok())
        return parsed.error();
    JsonFields f(*parsed);
    const QString resolution = f.requiredString(QStringLiteral("resolution"), 64);
    if (!resolution.isEmpty() && !kResolutions.contains(resolution))
        f.addIssue(QStringLiteral("resolution"), QStringLiteral("invalid"));
    const QString option = f.optionalString(QStringLiteral("selectedOption"), kMaxOption).value_or(QString());
    const QString note
        = f.optionalString(QStringLiteral("note"), services::ApprovalService::kMaxNote).value_or(QString());
    if (auto v = f.result(); !v.ok())
        return v.error();
    return services::ApprovalDecision {resolution, option.trimmed(), note};
}

} // namespace lm::api::dashboard
