// SPDX-License-Identifier: GPL-3.0-or-later
#include "eventstreamer.h"

#include "core/logging.h"

#include <algorithm>
#include <mutex>
#include <vector>

namespace lm::api::sse {

struct EventStreamer::State : std::enable_shared_from_this<EventStreamer::State>
{
    std::shared_ptr<StreamChannel> channel;
    Options options;
    std::shared_ptr<void> keepAlive;

    // Guards everything below. Held while queueing on the channel (cheap, never blocking), never
    // while reading the store or dropping the subscription.
    std::mutex mutex;
    events::EventHub::Subscription subscription;
    bool done = false;
    bool live = false;
    qint64 lastSent = -1;
    std::vector<events::PublishedEventPtr> buffer;
    bool overflowed = false;
    QList<events::Event> page;
    qsizetype index = 0;
    bool morePages = true;

    /// Queues one event unless already sent; closes after a terminal one. False: stop sending.
    bool deliverLocked(const events::PublishedEventPtr &event)
    {
        if (done)
            return false;
        if (event->event.seq <= lastSent)
            return true;
        lastSent = event->event.seq;
        if (!channel->send(event->sse)) {
            done = true;
            return false;
        }
        if (options.terminalTypes.contains(event->event.type)) {
            done = true;
            channel->close();
            return false;
        }
        return true;
    }

    void onLive(const events::PublishedEventPtr &event)
    {
        std::lock_guard lock(mutex);
        if (done)
            return;
        if (live) {
            deliverLocked(event);
            return;
        }
        if (qsizetype(buffer.size()) >= options.liveBufferLimit) {
            overflowed = true;
            buffer.clear();
        }
        buffer.push_back(event);
    }

    /// Replays until the stream's queue is half full, then resumes when it drained.
    void pump()
    {
        std::unique_lock lock(mutex);
        while (!done) {
            if (index >= page.size()) {
                if (!morePages) {
                    if (overflowed) {
                        overflowed = false;
                        morePages = true;
                        continue;
                    }
                    goLiveLocked();
                    return;
                }
                const qint64 after = lastSent;
                lock.unlock();
                auto result = options.replay(after, options.pageSize);
                lock.lock();
                if (done)
                    return;
                if (!result.ok()) {
                    qCWarning(lmApi) << "event replay failed" << options.topicKey << result.error().message;
                    done = true;
                    channel->close(); // the client reconnects with its Last-Event-ID
                    return;
                }
                page = std::move(result).value();
                index = 0;
                morePages = page.size() >= options.pageSize;
                continue;
            }
            const events::Event &event = page.at(index++);
            if (event.seq <= lastSent)
                continue;
            if (!deliverLocked(events::EventHub::prepare(event)))
                return;
            if (channel->queuedBytes() > channel->queueLimit() / 2) {
                lock.unlock();
                channel->whenDrained([self = shared_from_this()] { self->pump(); });
                return;
            }
        }
    }

    void goLiveLocked()
    {
        page.clear();
        // Publishers on several threads may have buffered out of order.
        std::stable_sort(buffer.begin(), buffer.end(),
            [](const auto &a, const auto &b) { return a->event.seq < b->event.seq; });
        for (const auto &event : buffer) {
            if (!deliverLocked(event))
                break;
        }
        buffer.clear();
        buffer.shrink_to_fit();
        live = true;
    }

    void shutdown()
    {
        events::EventHub::Subscription dropped;
        std::shared_ptr<void> released;
        {
            std::lock_guard lock(mutex);
            done = true;
            dropped = std::move(subscription);
            released = std::move(keepAlive);
            buffer.clear();
            page.clear();
        }
        // Outside our lock: unsubscribing waits for a listener call in flight, which takes it.
        dropped.reset();
    }
};

void EventStreamer::start(events::EventHub &hub, const std::shared_ptr<StreamChannel> &channel,
    Options options, std::shared_ptr<void> keepAlive)
{
    auto state = std::make_shared<State>();
    state->channel = channel;
    state->options = std::move(options);
    state->options.pageSize = std::max(1, state->options.pageSize);
    state->options.liveBufferLimit = std::max(1, state->options.liveBufferLimit);
    state->keepAlive = std::move(keepAlive);
    state->lastSent = state->options.replayAfter.value_or(-1);
    state->morePages = state->options.replayAfter.has_value() && state->options.replay;

    // The channel keeps the state alive until the stream ends; the hub only holds it weakly.
    channel->onClosed([state] { state->shutdown(); });
    if (!channel->isOpen())
        return;
    // Subscribe before replaying: an event committed during the replay is then either in the
    // store when the page is read or in the buffer, never in neither.
    auto subscription = hub.subscribe(state->options.topicKey,
        [weak = std::weak_ptr<State>(state)](const events::PublishedEventPtr &event) {
            if (auto s = weak.lock())
                s->onLive(event);
        },
        channel->deliveryLane());
    {
        std::lock_guard lock(state->mutex);
        if (state->done)
            return; // ended meanwhile: `subscription` goes with this scope
        state->subscription = std::move(subscription);
    }
    state->pump();
}

} // namespace lm::api::sse
