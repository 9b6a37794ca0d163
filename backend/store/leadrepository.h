// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/result.h"
#include "store/database.h"
#include "store/page.h"
#include "store/tenantscope.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSet>
#include <QStringList>

#include <optional>

namespace lm::store {

struct Lead
{
    QString id;
    QString tenantId;
    QString firstName;
    QString lastName;
    QString email; ///< empty when none
    QString phone;
    QString company;
    QString status = QStringLiteral("new"); ///< new | contacted | qualified | unqualified | converted
    QString source = QStringLiteral("manual");
    QString sourceRef;
    std::optional<qint64> score; ///< 0–100
    QString assignedTo; ///< user id, empty when nobody
    QStringList tags;
    QString importId;
    QString createdBy;
    qint64 createdAtMs = 0;
    qint64 updatedAtMs = 0;

    /// The key duplicates are found by: the e-mail, trimmed and lower-cased; empty when none.
    [[nodiscard]] static QString emailKey(const QString &email) { return email.trimmed().toLower(); }
};

struct LeadFilter
{
    QString status;
    QString source;
    QString search; ///< part of the name ("first last") or the e-mail, case-insensitive
};

/// One entry of a lead's timeline: created, status_change, field_change, note, enrichment, imported.
struct LeadEvent
{
    QString id;
    QString tenantId;
    QString leadId;
    QString type;
    QString actorType = QStringLiteral("user"); ///< user | system
    QString actorId;
    QString actorName;
    QJsonObject data;
    qint64 createdAtMs = 0;
};

struct LeadImport
{
    QString id;
    QString tenantId;
    QString source;
    QString fileName;
    QString status = QStringLiteral("processing"); ///< processing | completed | failed
    int total = 0;
    int imported = 0;
    int skipped = 0;
    QJsonArray errors; ///< [{row, reason}]
    QByteArray content; ///< the CSV, until the job has read it
    QString createdBy;
    qint64 createdAtMs = 0;
    std::optional<qint64> completedAtMs;
};

/// Leads, their timelines and their CSV imports.
class LeadRepository
{
public:
    explicit LeadRepository(Database &db)
        : m_db(db)
    { }

    /// CONFLICT when the tenant has a lead with that e-mail already.
    Result<void> insert(const Lead &lead);
    Result<std::optional<Lead>> find(const TenantScope &scope, const QString &id);
    Result<Page<Lead>> list(const TenantScope &scope, const LeadFilter &filter, const PageRequest &page);
    /// Saves every field; CONFLICT when the new e-mail belongs to another lead of the tenant.
    Result<void> update(const TenantScope &scope, const Lead &lead);
    /// The id of the tenant's lead with that e-mail key, if any.
    Result<std::optional<QString>> findByEmail(const TenantScope &scope, const QString &emailKey);
    /// Every e-mail key the tenant's leads use (an import's duplicate check).
    Result<QSet<QString>> emailKeys(const TenantScope &scope);

    Result<void> addEvent(const LeadEvent &event);
    /// Oldest first.
    Result<QList<LeadEvent>> events(const TenantScope &scope, const QString &leadId);

    Result<void> insertImport(const LeadImport &import);
    /// `withContent` false leaves the CSV out (status polls).
    Result<std::optional<LeadImport>> findImport(
        const TenantScope &scope, const QString &id, bool withContent = false);
    /// Records the outcome and drops the stored CSV.
    Result<void> finishImport(const TenantScope &scope, const LeadImport &import);

private:
    Database &m_db;
};

} // namespace lm::store
