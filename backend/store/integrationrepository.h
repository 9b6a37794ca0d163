// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/result.h"
#include "store/database.h"
#include "store/tenantscope.h"

#include <QJsonObject>

#include <optional>

namespace lm::store {

/// An API-key integration of a third-party tool (SEMrush, DataForSEO, …).
struct Integration
{
    QString id;
    QString tenantId;
    QString integrationType; ///< semrush | dataforseo | ahrefs | google_ads_api | meta_ads_api | sendgrid |
                             ///< custom
    QString name;
    QByteArray apiKeySealed; ///< sealed with the data dir's secret key; never returned
    QString apiKeyHint; ///< the key's last characters, shown masked
    QByteArray apiSecretSealed; ///< empty when none
    QJsonObject extraConfig;
    QString status = QStringLiteral("connected"); ///< connected | error | quota_exceeded | expired
    bool isActive = true;
    std::optional<qint64> lastVerifiedAtMs;
    QString errorMessage;
    QString createdBy;
    qint64 createdAtMs = 0;
    qint64 updatedAtMs = 0;
};

/// The tenant's integrations.
class IntegrationRepository
{
public:
    explicit IntegrationRepository(Database &db)
        : m_db(db)
    { }

    Result<void> insert(const Integration &integration);
    /// Saves every changeable field (name, credentials, config, status, verification).
    Result<void> update(const TenantScope &scope, const Integration &integration);
    Result<std::optional<Integration>> find(const TenantScope &scope, const QString &id);
    /// Oldest first.
    Result<QList<Integration>> list(const TenantScope &scope);
    Result<void> remove(const TenantScope &scope, const QString &id);

private:
    Database &m_db;
};

} // namespace lm::store
