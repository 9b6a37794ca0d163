// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "agents/agentadapter.h"
#include "agents/runexecutor.h"
#include "api/streaming.h"
#include "core/clock.h"
#include "store/store.h"

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>

namespace lm::agents {

/// The tenant's AI assistant chat (POST /dashboard/v1/chat/message): answers a user's message
/// through the tenant's assistant agent (its adapter; the simulator in the demo), with the
/// tenant's campaigns, the asked-about campaign or activity and the conversation so far as
/// context, streams the answer and keeps the conversation.
class AssistantChat
{
public:
    using AdapterFactory = std::function<std::unique_ptr<AgentAdapter>(const QString &type)>;

    static constexpr int kMaxMessage = 10000;
    static constexpr int kHistoryMessages = 20;

    AssistantChat(store::Store &store, const Clock &clock, AdapterFactory adapters, SecretOpener secrets);
    /// Stops the answers still streaming and waits for them.
    ~AssistantChat();
    AssistantChat(const AssistantChat &) = delete;
    AssistantChat &operator=(const AssistantChat &) = delete;

    struct Turn
    {
        QString tenantId;
        QString userId;
        QString conversationId; ///< empty: a new conversation
        QString message;
        QString campaignId;
        QString activityId;
        /// The caller's audit row; prepare() names the conversation and the action
        /// (chat_conversation.created or .message_sent) and writes it with the message.
        store::AuditEntry audit;
    };

    /// A turn checked and stored (the user's message), ready to be answered.
    struct Prepared
    {
        QString tenantId;
        QString conversationId;
        RunRequest request;
        std::shared_ptr<AgentAdapter> adapter;
    };

    /// Checks the turn (404 for a conversation, campaign or activity the user cannot see; 422 when
    /// the tenant has no assistant agent), stores the user's message and builds the request.
    Result<Prepared> prepare(const Turn &turn);
    /// Answers on a thread of its own: text_delta events, then completed (the answer stored) or
    /// error; then closes the channel. A client that leaves stops the answer.
    void answer(Prepared prepared, std::shared_ptr<api::StreamChannel> channel);

private:
    void run(Prepared prepared, std::shared_ptr<api::StreamChannel> channel);
    Result<QString> contextText(const Turn &turn, const store::TenantScope &scope);

    store::Store &m_store;
    const Clock &m_clock;
    AdapterFactory m_adapters;
    SecretOpener m_secrets;
    std::atomic<bool> m_stopping {false};
    std::mutex m_mutex;
    std::condition_variable m_idle;
    int m_running = 0; ///< answers on their (detached) threads
};

} // namespace lm::agents
