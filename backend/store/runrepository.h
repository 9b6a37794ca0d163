// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/result.h"
#include "store/database.h"
#include "store/tenantscope.h"

#include <optional>

namespace lm::store {

/// One execution of an activity by its agent.
struct Run
{
    QString id;
    QString tenantId;
    QString activityId;
    QString agentRole;
    QString adapterType;
    QString model;
    QString status = QStringLiteral("running"); ///< running | completed | failed | timeout
    QByteArray tokenHash; ///< SHA-256 of the run token (external runtimes); empty when none
    qint64 inputTokens = 0;
    qint64 outputTokens = 0;
    qint64 costMicros = 0;
    QString error;
    qint64 startedAtMs = 0;
    std::optional<qint64> completedAtMs;
};

/// An output's full text (the activity keeps a 500-character preview).
struct Document
{
    QString id;
    QString tenantId;
    QString activityId;
    QString runId;
    QString format = QStringLiteral("markdown"); ///< markdown | html | plain
    QString body;
    qint64 createdAtMs = 0;
};

/// Spend of one agent role (costByAgent), in micro-dollars.
struct RoleCost
{
    QString agentRole;
    qint64 costMicros = 0;
};

/// Runs and output documents.
class RunRepository
{
public:
    explicit RunRepository(Database &db)
        : m_db(db)
    { }

    Result<void> insert(const Run &run);
    Result<std::optional<Run>> find(const TenantScope &scope, const QString &id);
    /// The running run whose token hashes to `tokenHash`, any tenant (the token is the proof).
    Result<std::optional<Run>> findRunningByTokenHash(const QByteArray &tokenHash);
    /// Updates usage and cost of a running run.
    Result<void> recordUsage(const TenantScope &scope, const QString &id, qint64 inputTokens,
        qint64 outputTokens, qint64 costMicros);
    /// Ends a running run; CONFLICT when it had already ended (a run ends once).
    Result<void> finish(const TenantScope &scope, const QString &id, const QString &status,
        const QString &error, qint64 nowMs);
    /// Newest last.
    Result<QList<Run>> forActivity(const TenantScope &scope, const QString &activityId);
    /// Running runs of one role in a tenant (the agent's concurrency).
    Result<int> runningCount(const QString &tenantId, const QString &agentRole);
    /// Running runs started before `beforeMs` (runs whose worker died are ended by the sweeper).
    Result<QList<Run>> runningStartedBefore(qint64 beforeMs);
    Result<QList<RoleCost>> costByRole(const TenantScope &scope, const QString &campaignId);

    Result<void> insertDocument(const Document &document);
    Result<std::optional<Document>> findDocument(const TenantScope &scope, const QString &id);

private:
    Database &m_db;
};

} // namespace lm::store
