// SPDX-License-Identifier: GPL-3.0-or-later
#include "ssestreams.h"

#include "api/sse/sseformat.h"

namespace lm::api::sse {

SseStreams::SseStreams(events::EventHub &hub, Settings settings)
    : m_hub(hub)
    , m_settings(settings)
    , m_limiter(settings.maxStreamsPerUser)
    , m_pinger(settings.pingInterval)
{ }

SseStreams::~SseStreams() = default;

Result<HttpResponse> SseStreams::open(const QString &userKey, StreamStarter start)
{
    auto slot = m_limiter.acquire(userKey);
    if (!slot.ok())
        return slot.error();
    std::string retry = m_settings.retryMs > 0 ? formatRetry(m_settings.retryMs) : std::string();
    return sseResponse([this, slot = std::move(slot).value(), retry = std::move(retry),
                           start = std::move(start)](std::shared_ptr<StreamChannel> channel) mutable {
        // The slot goes with the stream: released when it ends, whoever ends it.
        channel->onClosed([slot = std::move(slot)]() mutable { slot.reset(); });
        if (!channel->isOpen())
            return;
        m_pinger.add(channel);
        if (!retry.empty())
            (void)channel->send(std::move(retry));
        if (start)
            start(std::move(channel));
    });
}

Result<HttpResponse> SseStreams::open(const RequestContext &ctx, StreamStarter start)
{
    StreamOwners::Owner owner {ctx.principal->userId, ctx.principal->tenantId, *ctx.route->access};
    return open(ctx.principal->userId,
        [this, owner = std::move(owner), start = std::move(start)](std::shared_ptr<StreamChannel> channel) {
            m_owners.add(owner, channel);
            if (start)
                start(std::move(channel));
        });
}

Result<HttpResponse> SseStreams::events(const RequestContext &ctx, EventStreamer::Options options)
{
    return open(ctx, [this, options = std::move(options)](std::shared_ptr<StreamChannel> channel) mutable {
        startEvents(std::move(channel), std::move(options));
    });
}

void SseStreams::startEvents(std::shared_ptr<StreamChannel> channel, EventStreamer::Options options)
{
    if (options.pageSize <= 0)
        options.pageSize = m_settings.replayPageSize;
    if (options.liveBufferLimit <= 0)
        options.liveBufferLimit = m_settings.liveBufferLimit;
    EventStreamer::start(m_hub, std::move(channel), std::move(options));
}

Result<HttpResponse> SseStreams::events(const QString &userKey, EventStreamer::Options options)
{
    return open(
        userKey, [this, options = std::move(options)](std::shared_ptr<StreamChannel> channel) mutable {
            startEvents(std::move(channel), std::move(options));
        });
}

} // namespace lm::api::sse
