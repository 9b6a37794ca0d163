// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/result.h"
#include "store/database.h"
#include "store/tenantscope.h"

#include <optional>

namespace lm::store {

/// A user's conversation with the tenant's assistant. Only its owner sees it.
struct ChatConversation
{
    QString id;
    QString tenantId;
    QString userId;
    QString title;
    QString lastMessage; ///< a truncated preview
    qint64 createdAtMs = 0;
    qint64 updatedAtMs = 0;
};

struct ChatMessageRow
{
    QString id;
    QString tenantId;
    QString conversationId;
    QString role; ///< user | assistant
    QString content;
    qint64 inputTokens = 0;
    qint64 outputTokens = 0;
    qint64 createdAtMs = 0;
};

class ChatRepository
{
public:
    explicit ChatRepository(Database &db)
        : m_db(db)
    { }

    Result<void> insertConversation(const ChatConversation &conversation);
    /// The user's conversation; another user's (or tenant's) is not found.
    Result<std::optional<ChatConversation>> find(
        const TenantScope &scope, const QString &userId, const QString &id);
    /// The user's conversations, most recently updated first.
    Result<QList<ChatConversation>> list(const TenantScope &scope, const QString &userId, int limit);
    /// Appends a message and updates the conversation's preview and time.
    Result<void> appendMessage(const ChatMessageRow &message, const QString &preview);
    /// Oldest first; the last `limit` when limit > 0.
    Result<QList<ChatMessageRow>> messages(
        const TenantScope &scope, const QString &conversationId, int limit = 0);
    /// Deletes the conversation and its messages; NOT_FOUND when it is not the user's.
    Result<void> remove(const TenantScope &scope, const QString &userId, const QString &id);

private:
    Database &m_db;
};

} // namespace lm::store
