// SPDX-License-Identifier: GPL-3.0-or-later
#include "agents/assistantchat.h"

#include "api/sse/sseformat.h"
#include "core/logging.h"
#include "core/ulid.h"
#include "workflow/budget.h"

#include <QJsonDocument>

#include <thread>

namespace lm::agents {

namespace {
constexpr int kTitleChars = 80;
constexpr int kPreviewChars = 140;
constexpr int kContextCampaigns = 10;

QString preview(const QString &text, int chars)
{
    const QString flat = text.simplified();
    return flat.size() <= chars ? flat : flat.left(chars - 1) + QChar(0x2026);
}

std::string event(const char *type, const QJsonObject &data)
{
    return api::sse::formatEvent(-1, type, QJsonDocument(data).toJson(QJsonDocument::Compact).toStdString());
}

/// The spec's error names for the stream's `error` event.
QString errorName(const ApiError &e)
{
    switch (e.code) {
    case ErrorCode::RateLimited:
        return QStringLiteral("rate_limit_exceeded");
    case ErrorCode::RequestTimeout:
        return QStringLiteral("timeout");
    case ErrorCode::Unavailable:
        return QStringLiteral("assistant_unavailable");
    default:
        return QStringLiteral("internal_error");
    }
}

QString usd(qint64 micros)
{
    return QStringLiteral("$%1").arg(workflow::Budget::toUsd(micros), 0, 'f', 2);
}

/// Streams the adapter's text to the channel; stops when the client leaves or the server stops.
class ChatSink final : public RunSink
{
public:
    ChatSink(std::shared_ptr<api::StreamChannel> channel, const std::atomic<bool> &stopping)
        : m_channel(std::move(channel))
        , m_stopping(stopping)
    { }
    void textDelta(const QString &delta) override
    {
        (void)m_channel->send(event("text_delta", {{QStringLiteral("delta"), delta}}));
    }
    QJsonObject callTool(const QString &, const QString &, const QJsonObject &) override
    {
        return {{QStringLiteral("error"),
            QJsonObject {{QStringLiteral("code"), QStringLiteral("NOT_FOUND")},
                {QStringLiteral("message"), QStringLiteral("The assistant has no tools")}}}};
    }
    bool reportUsage(qint64, qint64) override { return !stopRequested(); }
    [[nodiscard]] bool stopRequested() const override { return m_stopping.load() || !m_channel->isOpen(); }

private:
    std::shared_ptr<api::StreamChannel> m_channel;
    const std::atomic<bool> &m_stopping;
};
} // namespace

AssistantChat::AssistantChat(
    store::Store &store, const Clock &clock, AdapterFactory adapters, SecretOpener secrets)
    : m_store(store)
    , m_clock(clock)
    , m_adapters(std::move(adapters))
    , m_secrets(std::move(secrets))
{ }

AssistantChat::~AssistantChat()
{
    m_stopping = true;
    std::unique_lock lock(m_mutex);
    m_idle.wait(lock, [this] { return m_running == 0; });
}

Result<QString> AssistantChat::contextText(const Turn &turn, const store::TenantScope &scope)
{
    QStringList lines {QStringLiteral("Context:")};
    auto campaigns = m_store.campaigns.list(scope, {}, {{}, kContextCampaigns, true});
    if (!campaigns.ok())
        return campaigns.error();
    for (const auto &c : std::as_const(campaigns->items)) {
        QString line = QStringLiteral("- Campaign \"%1\" is %2 and has spent %3")
                           .arg(c.name, c.status, usd(c.spentMicros));
        if (c.budgetCapMicros)
            line += QStringLiteral(" of its %1 budget cap").arg(usd(*c.budgetCapMicros));
        lines.append(line + QLatin1Char('.'));
    }
    auto stats = m_store.approvals.stats(scope, m_clock.nowMs());
    if (stats.ok())
        lines.append(QStringLiteral("- %1 approvals are waiting for a decision, %2 of them high risk.")
                         .arg(stats->pending)
                         .arg(stats->highRisk));
    auto reports = m_store.insight.reports.list(scope, {}, {{}, 3, true});
    if (reports.ok()) {
        for (const auto &r : std::as_const(reports->items))
            lines.append(QStringLiteral("- Report \"%1\" is %2.").arg(r.title, r.status));
    }
    if (!turn.campaignId.isEmpty()) {
        auto c = m_store.campaigns.find(scope, turn.campaignId);
        if (!c.ok())
            return c.error();
        if (!c->has_value())
            return ApiError::notFound(QStringLiteral("campaign not found"));
        lines.append(QStringLiteral("The user asks about campaign \"%1\". Its brief: %2")
                         .arg((*c)->name, preview((*c)->brief, 1000)));
        store::ActivityFilter filter;
        filter.campaignId = turn.campaignId;
        auto recent = m_store.activities.list(scope, filter, {{}, 10, true});
        if (!recent.ok())
            return recent.error();
        for (const auto &a : std::as_const(recent->items))
            lines.append(QStringLiteral("- Activity \"%1\" (%2) is %3.").arg(a.title, a.agentRole, a.status));
    }
    if (!turn.activityId.isEmpty()) {
        auto a = m_store.activities.find(scope, turn.activityId);
        if (!a.ok())
            return a.error();
        if (!a->has_value())
            return ApiError::notFound(QStringLiteral("activity not found"));
        lines.append(QStringLiteral("- The user asks about activity \"%1\" by the %2; it is %3.")
                         .arg((*a)->title, (*a)->agentRole, (*a)->status));
        if (!(*a)->outputPreview.isEmpty())
            lines.append(QStringLiteral("Its output begins: %1").arg(preview((*a)->outputPreview, 500)));
    }
    return lines.join(QLatin1Char('\n'));
}

Result<AssistantChat::Prepared> AssistantChat::prepare(const Turn &turn)
{
    const auto scope = store::TenantScope::tenant(turn.tenantId);
    std::optional<store::ChatConversation> conversation;
    if (!turn.conversationId.isEmpty()) {
        auto found = m_store.insight.chat.find(scope, turn.userId, turn.conversationId);
        if (!found.ok())
            return found.error();
        if (!found->has_value())
            return ApiError::notFound(QStringLiteral("conversation not found"));
        conversation = **found;
    }
    auto context = contextText(turn, scope);
    if (!context.ok())
        return context.error();
    // The tenant's assistant: its `assistant` agent, else the strategist (who knows the campaigns).
    std::optional<store::AgentConfig> agent;
    for (const QString &role : {QStringLiteral("assistant"), QStringLiteral("strategist")}) {
        auto found = m_store.agents.findByRole(scope, role);
        if (!found.ok())
            return found.error();
        if (found->has_value() && (*found)->status != QLatin1String("terminated")) {
            agent = **found;
            break;
        }
    }
    if (!agent)
        return ApiError {ErrorCode::Unprocessable, QStringLiteral("The tenant has no assistant agent"),
            {{QStringLiteral("assistant"), QStringLiteral("not_configured")}}};
    std::shared_ptr<AgentAdapter> adapter(m_adapters(agent->adapterType));
    if (!adapter)
        return ApiError {ErrorCode::Unprocessable, QStringLiteral("The assistant's adapter is unknown"),
            {{QStringLiteral("assistant"), QStringLiteral("unknown_adapter")}}};

    Prepared p;
    p.tenantId = turn.tenantId;
    RunRequest &r = p.request;
    r.runId = Ulid::generate();
    r.tenantId = turn.tenantId;
    r.agentRole = agent->role;
    r.activityType = QStringLiteral("chat");
    r.title = preview(turn.message, kTitleChars);
    r.config.type = agent->adapterType;
    r.config.model = agent->model;
    r.config.baseUrl = agent->adapterConfig.value(QLatin1String("baseUrl")).toString();
    r.config.timeoutSec = agent->adapterConfig.value(QLatin1String("timeoutSec")).toInt(120);
    r.config.maxTurnsPerRun = 1;
    r.config.maxOutputTokens = 2048;
    r.config.extra = agent->adapterConfig;
    if (!agent->adapterSecretSealed.isEmpty()) {
        const auto key = m_secrets ? m_secrets(agent->adapterSecretSealed) : std::nullopt;
        if (!key)
            return ApiError {ErrorCode::Unprocessable,
                QStringLiteral("The assistant's API key cannot be opened"),
                {{QStringLiteral("assistant"), QStringLiteral("key_unavailable")}}};
        r.config.apiKey = *key;
    }
    r.messages.append({QStringLiteral("system"),
        QStringLiteral(
            "You are %1, the marketing assistant of this workspace. Answer the user's questions "
            "about their campaigns, activities, approvals and reports briefly, from the facts below; "
            "say so when the facts do not answer a question.\n\n%2")
            .arg(agent->name, *context)});

    const qint64 now = m_clock.nowMs();
    store::Transaction tx(m_store.db());
    if (!tx.isActive())
        return tx.error();
    if (!conversation) {
        store::ChatConversation c;
        c.id = Ulid::generate();
        c.tenantId = turn.tenantId;
        c.userId = turn.userId;
        c.title = preview(turn.message, kTitleChars);
        c.createdAtMs = now;
        c.updatedAtMs = now;
        if (auto ins = m_store.insight.chat.insertConversation(c); !ins.ok())
            return ins.error();
        conversation = c;
    } else {
        auto history = m_store.insight.chat.messages(scope, conversation->id, kHistoryMessages);
        if (!history.ok())
            return history.error();
        for (const auto &m : std::as_const(*history))
            r.messages.append({m.role, m.content});
    }
    r.messages.append({QStringLiteral("user"), turn.message});
    p.conversationId = conversation->id;
    r.activityId = conversation->id;
    store::ChatMessageRow message {
        Ulid::generate(), turn.tenantId, conversation->id, QStringLiteral("user"), turn.message, 0, 0, now};
    if (auto ins = m_store.insight.chat.appendMessage(message, preview(turn.message, kPreviewChars));
        !ins.ok())
        return ins.error();
    store::AuditEntry audit = turn.audit;
    audit.action = turn.conversationId.isEmpty() ? QStringLiteral("chat_conversation.created")
                                                 : QStringLiteral("chat_conversation.message_sent");
    audit.targetType = QStringLiteral("chat_conversation");
    audit.targetId = conversation->id;
    audit.changes = {{QStringLiteral("lastMessage"),
        QJsonObject {{QStringLiteral("from"),
                         turn.conversationId.isEmpty() ? QJsonValue(QJsonValue::Null)
                                                       : QJsonValue(conversation->lastMessage)},
            {QStringLiteral("to"), preview(turn.message, kPreviewChars)}}}};
    audit.createdAtMs = now;
    if (auto a = m_store.audit.append(audit); !a.ok())
        return a.error();
    if (auto c = tx.commit(); !c.ok())
        return c.error();
    p.adapter = std::move(adapter);
    return p;
}

void AssistantChat::answer(Prepared prepared, std::shared_ptr<api::StreamChannel> channel)
{
    {
        std::lock_guard lock(m_mutex);
        if (m_stopping) {
            channel->close();
            return;
        }
        ++m_running;
    }
    std::thread([this, prepared = std::move(prepared), channel = std::move(channel)]() mutable {
        run(std::move(prepared), std::move(channel));
        m_store.db().closeThreadConnection();
        std::lock_guard lock(m_mutex);
        --m_running;
        m_idle.notify_all();
    }).detach();
}

void AssistantChat::run(Prepared p, std::shared_ptr<api::StreamChannel> channel)
{
    ChatSink sink(channel, m_stopping);
    auto outcome = p.adapter->run(p.request, sink);
    if (!outcome.ok()) {
        qCInfo(lmAgents) << "assistant chat" << p.conversationId << "failed:" << outcome.error().message;
        (void)channel->send(event("error", {{QStringLiteral("error"), errorName(outcome.error())}}));
        channel->close();
        return;
    }
    if (outcome->end != RunOutcome::End::Completed) {
        // The client left or the server stops: the unfinished answer is not kept.
        channel->close();
        return;
    }
    store::ChatMessageRow message {Ulid::generate(), p.tenantId, p.conversationId,
        QStringLiteral("assistant"), outcome->text, outcome->inputTokens, outcome->outputTokens,
        m_clock.nowMs()};
    if (auto r = m_store.insight.chat.appendMessage(message, preview(outcome->text, kPreviewChars));
        !r.ok()) {
        (void)channel->send(event("error", {{QStringLiteral("error"), QStringLiteral("internal_error")}}));
        channel->close();
        return;
    }
    (void)channel->send(event("completed",
        {{QStringLiteral("conversationId"), p.conversationId}, {QStringLiteral("messageId"), message.id},
            {QStringLiteral("inputTokens"), outcome->inputTokens},
            {QStringLiteral("outputTokens"), outcome->outputTokens}}));
    channel->close();
}

} // namespace lm::agents
