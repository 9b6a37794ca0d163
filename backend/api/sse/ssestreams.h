// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "api/http.h"
#include "api/sse/eventstreamer.h"
#include "api/sse/sselimiter.h"
#include "api/sse/ssepinger.h"
#include "api/sse/streamowners.h"
#include "core/result.h"
#include "events/eventhub.h"

#include <chrono>

namespace lm::api::sse {

/// What SSE routes build their responses with: the per-user cap, the shared pinger, the `retry:`
/// hint and the replay-then-live streamer. Must outlive the HttpServer whose streams use it.
class SseStreams
{
public:
    struct Settings
    {
        int maxStreamsPerUser = 10; ///< beyond → 429 RATE_LIMITED
        std::chrono::milliseconds pingInterval {15000};
        qint64 retryMs = 3000; ///< sent as `retry:` first; ≤ 0: none
        int replayPageSize = 200;
        int liveBufferLimit = 2000; ///< see EventStreamer::Options
    };

    SseStreams(events::EventHub &hub, Settings settings);
    ~SseStreams();
    SseStreams(const SseStreams &) = delete;
    SseStreams &operator=(const SseStreams &) = delete;

    /// An SSE response for the user, or 429 RATE_LIMITED (through the normal error path, before
    /// anything is streamed). The slot is held until the stream ends; `start` gets the channel
    /// after the `retry:` line.
    Result<HttpResponse> open(const QString &userKey, StreamStarter start);
    /// An SSE response that replays and then follows a hub topic (EventStreamer), or 429.
    /// Options::pageSize and liveBufferLimit of 0 take the settings' values.
    Result<HttpResponse> events(const QString &userKey, EventStreamer::Options options);
    /// The same for the request's principal, whose stream is closed once they may no longer call
    /// the route (StreamOwners). What SSE routes use.
    Result<HttpResponse> open(const RequestContext &ctx, StreamStarter start);
    Result<HttpResponse> events(const RequestContext &ctx, EventStreamer::Options options);

    [[nodiscard]] SseLimiter &limiter() { return m_limiter; }
    [[nodiscard]] SsePinger &pinger() { return m_pinger; }
    [[nodiscard]] StreamOwners &owners() { return m_owners; }
    [[nodiscard]] events::EventHub &hub() { return m_hub; }
    [[nodiscard]] const Settings &settings() const { return m_settings; }

private:
    void startEvents(std::shared_ptr<StreamChannel> channel, EventStreamer::Options options);

    events::EventHub &m_hub;
    Settings m_settings;
    SseLimiter m_limiter;
    SsePinger m_pinger;
    StreamOwners m_owners;
};

} // namespace lm::api::sse
