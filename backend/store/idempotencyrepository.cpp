// SPDX-License-Identifier: GPL-3.0-or-later
#include "idempotencyrepository.h"

namespace lm::store {

Result<IdempotencyClaim> IdempotencyRepository::claim(const QString &userId, const QString &key,
    const QString &hash, qint64 nowMs, qint64 lifetimeMs, qint64 staleRunningMs)
{
    // Lazy purge: expired keys of everyone (an index range), and this key if its request died.
    auto purge = m_db.query(QStringLiteral("DELETE FROM idempotency_keys WHERE expires_at <= ?"));
    purge.bind(nowMs);
    if (auto r = purge.exec(); !r.ok())
        return r.error();
    auto stale = m_db.query(QStringLiteral("DELETE FROM idempotency_keys WHERE user_id = ? AND idem_key = ?"
                                           " AND state = 'running' AND created_at <= ?"));
    stale.bind(userId).bind(key).bind(nowMs - staleRunningMs);
    if (auto r = stale.exec(); !r.ok())
        return r.error();

    // The primary key decides between concurrent first uses, on one instance or several.
    auto insert = m_db.query(
        QStringLiteral("INSERT INTO idempotency_keys (user_id, idem_key, request_hash, state, created_at, "
                       "expires_at) VALUES (?, ?, ?, 'running', ?, ?) ON CONFLICT DO NOTHING"));
    insert.bind(userId).bind(key).bind(hash).bind(nowMs).bind(nowMs + lifetimeMs);
    if (auto r = insert.exec(); !r.ok())
        return r.error();
    if (insert.rowsAffected() == 1)
        return IdempotencyClaim {};

    auto q = m_db.query(QStringLiteral("SELECT request_hash, state, response_status, response_body"
                                       " FROM idempotency_keys WHERE user_id = ? AND idem_key = ?"));
    q.bind(userId).bind(key);
    if (auto r = q.exec(); !r.ok())
        return r.error();
    IdempotencyClaim claim;
    if (!q.next()) {
        // Released or purged between the insert and this read: someone else holds it right now.
        claim.kind = IdempotencyClaim::Kind::InFlight;
        return claim;
    }
    if (q.string(0) != hash)
        claim.kind = IdempotencyClaim::Kind::Mismatch;
    else if (q.string(1) != QLatin1String("done"))
        claim.kind = IdempotencyClaim::Kind::InFlight;
    else {
        claim.kind = IdempotencyClaim::Kind::Replay;
        claim.status = int(q.int64(2));
        claim.body = q.value(3).toByteArray().toStdString();
    }
    return claim;
}

Result<void> IdempotencyRepository::finish(
    const QString &userId, const QString &key, int status, const std::string &body)
{
    auto q = m_db.query(
        QStringLiteral("UPDATE idempotency_keys SET state = 'done', response_status = ?, response_body = ?"
                       " WHERE user_id = ? AND idem_key = ?"));
    q.bind(status).bind(QString::fromStdString(body)).bind(userId).bind(key);
    return q.exec();
}

Result<void> IdempotencyRepository::release(const QString &userId, const QString &key)
{
    auto q = m_db.query(QStringLiteral("DELETE FROM idempotency_keys WHERE user_id = ? AND idem_key = ?"));
    q.bind(userId).bind(key);
    return q.exec();
}

} // namespace lm::store
