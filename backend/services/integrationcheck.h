// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace lm::services {

/// What an integration's credentials and settings are, opened for one check. Never logged.
struct IntegrationCredentials
{
    QString integrationType;
    QByteArray apiKey;
    QByteArray apiSecret; ///< empty when none
    QJsonObject extraConfig; ///< `baseUrl` replaces the provider's address (proxies, tests)
};

/// The outcome of a check, in the integration's own status words.
struct IntegrationCheckResult
{
    bool ok = false;
    QString status; ///< connected | error | quota_exceeded | expired
    QString message; ///< for people; never contains the key
};

/// Health checks of API-key integrations: one cheap, read-only request per provider, in the
/// provider's own protocol (SendGrid scopes, SEMrush API units, DataForSEO user data, Ahrefs limits,
/// the Graph API's /me, Google Ads' accessible customers, or a custom endpoint).
namespace IntegrationCheck {
/// The integration types of the spec.
[[nodiscard]] const QStringList &types();
/// The provider's default address (empty for `custom`).
[[nodiscard]] QString defaultBaseUrl(const QString &integrationType);
/// Runs the check; blocks the calling thread (it runs its own event loop) for at most `timeoutMs`.
[[nodiscard]] IntegrationCheckResult run(const IntegrationCredentials &credentials, int timeoutMs = 10000);
} // namespace IntegrationCheck

} // namespace lm::services
