// SPDX-License-Identifier: GPL-3.0-or-later
// Shared by the Team, Agents, Skills and Integrations routes: who may change configuration, and
// how settings that may hold secrets are shown.
#pragma once

#include "api/handlers/dashboard/dashboardsupport.h"

#include <QRegularExpression>

namespace lm::api::dashboard {

/// The marker that replaces a secret value in every answer.
inline const QString kRedacted = QStringLiteral("[redacted]");

/// Changing skills and integrations: the spec's Dashboard roles (admin, member); reviewers read.
[[nodiscard]] inline AccessPolicy editors()
{
    return AccessPolicy::surface(Surface::Dashboard, {Role::Admin, Role::Member});
}

/// Names of settings whose values are secrets (apiKey, clientSecret, token, password, …).
[[nodiscard]] inline bool isSecretName(const QString &name)
{
    static const QRegularExpression secret(
        QStringLiteral("key|secret|token|password|passwd|auth|credential|cookie"),
        QRegularExpression::CaseInsensitiveOption);
    return secret.match(name).hasMatch();
}

/// Settings with secret values replaced; under `env` and `headers` every value is replaced.
[[nodiscard]] inline QJsonObject redacted(const QJsonObject &config, bool allValues = false)
{
    QJsonObject out;
    for (auto it = config.begin(); it != config.end(); ++it) {
        const QString &name = it.key();
        const bool valuesSecret = name.compare(QLatin1String("env"), Qt::CaseInsensitive) == 0
            || name.compare(QLatin1String("headers"), Qt::CaseInsensitive) == 0;
        if (it->isObject())
            out.insert(name, redacted(it->toObject(), allValues || valuesSecret));
        else if (allValues || isSecretName(name))
            out.insert(name, it->isNull() ? QJsonValue(QJsonValue::Null) : QJsonValue(kRedacted));
        else
            out.insert(name, *it);
    }
    return out;
}

} // namespace lm::api::dashboard
