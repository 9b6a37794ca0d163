// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/result.h"
#include "store/database.h"
#include "store/page.h"
#include "store/tenantscope.h"

#include <QJsonObject>

namespace lm::store {

/// One operational record: what the engine did (runs, tool calls, approvals, budgets, jobs).
struct LogEntry
{
    QString tenantId; ///< empty: a platform record no tenant sees
    QString level = QStringLiteral("info"); ///< debug | info | warn | error
    QString category = QStringLiteral("system"); ///< agent | tool | approval | system | billing
    QString message;
    QJsonObject context;
    QString activityId;
    QString agentRole;
    qint64 createdAtMs = 0;
};

/// A stored record.
struct LogRow : LogEntry
{
    QString id;
};

/// GET /logs filters; empty fields do not filter. Times are inclusive bounds in ms.
struct LogFilter
{
    QString level;
    QString category;
    QString agentRole;
    QString activityId;
    std::optional<qint64> fromMs;
    std::optional<qint64> toMs;
};

/// The operational log (ops_logs).
class LogRepository
{
public:
    explicit LogRepository(Database &db)
        : m_db(db)
    { }

    /// Appends a record; `id` is generated when empty (seeds pass ids of past times).
    Result<void> append(const LogEntry &entry, const QString &id = {});
    Result<Page<LogRow>> list(const TenantScope &scope, const LogFilter &filter, const PageRequest &page);

private:
    Database &m_db;
};

/// Writes one operational record on this thread's connection (inside the caller's transaction when
/// one is open). Never fails the caller: a failed write is a warning in the server log.
void opsLog(Database &db, const LogEntry &entry);

} // namespace lm::store
