// SPDX-License-Identifier: GPL-3.0-or-later
#include "chatrepository.h"

namespace lm::store {

namespace {
/// '' rather than NULL for the NOT NULL text columns.
QString text(const QString &s)
{
    return s.isNull() ? QStringLiteral("") : s;
}

const QString kColumns
    = QStringLiteral("id, tenant_id, user_id, title, last_message, created_at, updated_at");

ChatConversation readConversation(SqlQuery &q)
{
    return {q.string(0), q.string(1), q.string(2), q.string(3), q.string(4), q.int64(5), q.int64(6)};
}
} // namespace

Result<void> ChatRepository::insertConversation(const ChatConversation &c)
{
    auto q = m_db.query(QStringLiteral("INSERT INTO chat_conversations (") + kColumns
        + QStringLiteral(") VALUES (?, ?, ?, ?, ?, ?, ?)"));
    q.bind(c.id)
        .bind(c.tenantId)
        .bind(c.userId)
        .bind(text(c.title))
        .bind(text(c.lastMessage))
        .bind(c.createdAtMs)
        .bind(c.updatedAtMs);
    return q.exec();
}

Result<std::optional<ChatConversation>> ChatRepository::find(
    const TenantScope &scope, const QString &userId, const QString &id)
{
    auto q
        = m_db.query(QStringLiteral("SELECT ") + kColumns + QStringLiteral(" FROM chat_conversations WHERE ")
            + scope.condition(QStringLiteral("tenant_id")) + QStringLiteral(" AND user_id = ? AND id = ?"));
    scope.bind(q);
    q.bind(userId).bind(id);
    if (auto r = q.exec(); !r.ok())
        return r.error();
    if (!q.next())
        return std::optional<ChatConversation>();
    return std::optional<ChatConversation>(readConversation(q));
}

Result<QList<ChatConversation>> ChatRepository::list(
    const TenantScope &scope, const QString &userId, int limit)
{
    auto q = m_db.query(QStringLiteral("SELECT ") + kColumns
        + QStringLiteral(" FROM chat_conversations WHERE ") + scope.condition(QStringLiteral("tenant_id"))
        + QStringLiteral(" AND user_id = ? ORDER BY updated_at DESC, id DESC LIMIT ?"));
    scope.bind(q);
    q.bind(userId).bind(limit);
    if (auto r = q.exec(); !r.ok())
        return r.error();
    QList<ChatConversation> out;
    while (q.next())
        out.append(readConversation(q));
    return out;
}

Result<void> ChatRepository::appendMessage(const ChatMessageRow &m, const QString &preview)
{
    auto q = m_db.query(
        QStringLiteral("INSERT INTO chat_messages (id, tenant_id, conversation_id, role, content,"
                       " input_tokens, output_tokens, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
    q.bind(m.id)
        .bind(m.tenantId)
        .bind(m.conversationId)
        .bind(m.role)
        .bind(text(m.content))
        .bind(m.inputTokens)
        .bind(m.outputTokens)
        .bind(m.createdAtMs);
    if (auto r = q.exec(); !r.ok())
        return r;
    auto touch = m_db.query(QStringLiteral(
        "UPDATE chat_conversations SET last_message = ?, updated_at = ? WHERE tenant_id = ? AND id = ?"));
    touch.bind(text(preview)).bind(m.createdAtMs).bind(m.tenantId).bind(m.conversationId);
    return touch.exec();
}

Result<QList<ChatMessageRow>> ChatRepository::messages(
    const TenantScope &scope, const QString &conversationId, int limit)
{
    QString sql = QStringLiteral("SELECT id, tenant_id, conversation_id, role, content, input_tokens,"
                                 " output_tokens, created_at FROM chat_messages WHERE ")
        + scope.condition(QStringLiteral("tenant_id"))
        + QStringLiteral(" AND conversation_id = ? ORDER BY id DESC");
    if (limit > 0)
        sql += QStringLiteral(" LIMIT ") + QString::number(limit);
    auto q = m_db.query(sql);
    scope.bind(q);
    q.bind(conversationId);
    if (auto r = q.exec(); !r.ok())
        return r.error();
    QList<ChatMessageRow> out;
    while (q.next())
        out.prepend({q.string(0), q.string(1), q.string(2), q.string(3), q.string(4), q.int64(5), q.int64(6),
            q.int64(7)});
    return out;
}

Result<void> ChatRepository::remove(const TenantScope &scope, const QString &userId, const QString &id)
{
    auto found = find(scope, userId, id);
    if (!found.ok())
        return found.error();
    if (!found->has_value())
        return ApiError::notFound(QStringLiteral("conversation not found"));
    auto messages = m_db.query(QStringLiteral("DELETE FROM chat_messages WHERE ")
        + scope.condition(QStringLiteral("tenant_id")) + QStringLiteral(" AND conversation_id = ?"));
    scope.bind(messages);
    messages.bind(id);
    if (auto r = messages.exec(); !r.ok())
        return r;
    auto q = m_db.query(QStringLiteral("DELETE FROM chat_conversations WHERE ")
        + scope.condition(QStringLiteral("tenant_id")) + QStringLiteral(" AND user_id = ? AND id = ?"));
    scope.bind(q);
    q.bind(userId).bind(id);
    return q.exec();
}

} // namespace lm::store
