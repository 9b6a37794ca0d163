// SPDX-License-Identifier: GPL-3.0-or-later
// /dashboard/v1/chat: the tenant's AI assistant, streamed over SSE, and the user's conversations.
#include "agents/adapterregistry.h"
#include "agents/assistantchat.h"
#include "api/handlers/dashboard/insightsupport.h"
#include "api/sse/sseformat.h"
#include "api/sse/ssestreams.h"

namespace lm::api::dashboard {

namespace {
constexpr int kMaxId = 64;
constexpr int kConversations = 50;

Result<agents::AssistantChat::Turn> parseTurn(const RequestContext &ctx)
{
    auto body = parseJsonObject(ctx.request.body);
    if (!body.ok())
        return body.error();
    JsonFields f(*body);
    agents::AssistantChat::Turn turn;
    turn.tenantId = ctx.principal->tenantId;
    turn.userId = ctx.principal->userId;
    turn.message = f.requiredString(QStringLiteral("message"), agents::AssistantChat::kMaxMessage);
    turn.conversationId
        = f.optionalString(QStringLiteral("conversationId"), kMaxId).value_or(QString()).trimmed();
    const QJsonValue context = body->value(QLatin1String("context"));
    if (!context.isUndefined() && !context.isNull()) {
        if (!context.isObject()) {
            f.addIssue(QStringLiteral("context"), QStringLiteral("must_be_object"));
        } else {
            JsonFields c(context.toObject());
            turn.campaignId
                = c.optionalString(QStringLiteral("campaignId"), kMaxId).value_or(QString()).trimmed();
            turn.activityId
                = c.optionalString(QStringLiteral("activityId"), kMaxId).value_or(QString()).trimmed();
            if (auto v = c.result(); !v.ok()) {
                for (const auto &issue : v.error().details)
                    f.addIssue(QStringLiteral("context.") + issue.field, issue.issue);
            }
        }
    }
    if (auto v = f.result(); !v.ok())
        return v.error();
    return turn;
}
} // namespace

void addChatRoutes(std::vector<RouteSpec> &routes, const DashboardDeps &deps)
{
    store::Store &store = deps.store;
    const Clock &clock = deps.engine.clock;
    sse::SseStreams *streams = deps.streams;
    // Owned by the routes: destroyed with the router, it waits for the answers still streaming.
    auto chat = std::make_shared<agents::AssistantChat>(
        store, clock, [](const QString &type) { return agents::makeAdapter(type); }, deps.openSecret);

    routes.push_back({HttpMethod::Post, path("/chat/message"), tenantUsers(),
        [&store, &clock, streams, chat](RequestContext &ctx) -> Result<HttpResponse> {
            auto turn = parseTurn(ctx);
            if (!turn.ok())
                return turn.error();
            turn->audit = auditEntry(ctx, {}, {}, {}, {}, clock.nowMs());
            auto prepared = chat->prepare(*turn);
            if (!prepared.ok())
                return prepared.error();
            StreamStarter start
                = [chat, p = std::move(prepared).value()](
                      std::shared_ptr<StreamChannel> channel) { chat->answer(p, std::move(channel)); };
            if (streams)
                return streams->open(ctx, std::move(start));
            return sse::sseResponse(std::move(start));
        },
        kBodyLimit});

    routes.push_back({HttpMethod::Get, path("/chat/conversations"), tenantUsers(),
        [&store](RequestContext &ctx) -> Result<HttpResponse> {
            auto rows = store.insight.chat.list(scopeOf(ctx), ctx.principal->userId, kConversations);
            if (!rows.ok())
                return rows.error();
            QJsonArray data;
            for (const auto &c : std::as_const(*rows))
                data.append(QJsonObject {{QStringLiteral("id"), c.id}, {QStringLiteral("title"), c.title},
                    {QStringLiteral("lastMessage"), c.lastMessage},
                    {QStringLiteral("createdOn"), isoTimestamp(c.createdAtMs)},
                    {QStringLiteral("updatedOn"), isoTimestamp(c.updatedAtMs)}});
            return jsonResponse(200, {{QStringLiteral("data"), data}});
        }});

    routes.push_back({HttpMethod::Get, path("/chat/conversations/:conversationId"), tenantUsers(),
        [&store](RequestContext &ctx) -> Result<HttpResponse> {
            const auto scope = scopeOf(ctx);
            auto found = store.insight.chat.find(scope, ctx.principal->userId, ctx.param("conversationId"));
            if (!found.ok())
                return found.error();
            if (!found->has_value())
                return ApiError::notFound(QStringLiteral("conversation not found"));
            auto messages = store.insight.chat.messages(scope, (*found)->id);
            if (!messages.ok())
                return messages.error();
            QJsonArray items;
            for (const auto &m : std::as_const(*messages))
                items.append(QJsonObject {{QStringLiteral("id"), m.id}, {QStringLiteral("role"), m.role},
                    {QStringLiteral("content"), m.content},
                    {QStringLiteral("createdOn"), isoTimestamp(m.createdAtMs)}});
            return jsonResponse(200,
                {{QStringLiteral("id"), (*found)->id}, {QStringLiteral("title"), (*found)->title},
                    {QStringLiteral("messages"), items}});
        }});

    routes.push_back({HttpMethod::Delete, path("/chat/conversations/:conversationId"), tenantUsers(),
        [&store, &clock](RequestContext &ctx) -> Result<HttpResponse> {
            const auto scope = scopeOf(ctx);
            store::Transaction tx(store.db());
            if (!tx.isActive())
                return tx.error();
            auto found = store.insight.chat.find(scope, ctx.principal->userId, ctx.param("conversationId"));
            if (!found.ok())
                return found.error();
            if (!found->has_value())
                return ApiError::notFound(QStringLiteral("conversation not found"));
            if (auto r = store.insight.chat.remove(scope, ctx.principal->userId, (*found)->id); !r.ok())
                return r.error();
            if (auto r = store.audit.append(auditEntry(ctx, QStringLiteral("chat_conversation.deleted"),
                    QStringLiteral("chat_conversation"), (*found)->id,
                    {{QStringLiteral("title"), change((*found)->title, QJsonValue::Null)}}, clock.nowMs()));
                !r.ok())
                return r.error();
            if (auto r = tx.commit(); !r.ok())
                return r.error();
            return jsonResponse(200, {{QStringLiteral("deleted"), true}});
        }});
}

} // namespace lm::api::dashboard
