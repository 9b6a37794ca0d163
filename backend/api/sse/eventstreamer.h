// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "api/streaming.h"
#include "core/result.h"
#include "events/eventhub.h"

#include <QList>
#include <QStringList>

#include <functional>
#include <memory>
#include <optional>

namespace lm::api::sse {

/// "Replay, then live" for one hub topic on one stream. It subscribes to the hub first (live
/// events are buffered), replays stored events after the resume point in pages (paced by the
/// stream's write queue), sends the buffered live events it has not sent yet, then goes live. A
/// seq is never sent twice or out of order. With terminal types, the stream closes after the
/// first such event (activity output streams close after `completed` or `error`).
class EventStreamer
{
public:
    /// Stored events of the topic with seq > afterSeq, ascending, at most `limit`.
    using ReplayFn = std::function<Result<QList<events::Event>>(qint64 afterSeq, int limit)>;

    struct Options
    {
        QString topicKey; ///< EventHub::topicKey(tenantId, topic)
        /// Replay events after this seq; empty: live only (a tenant stream without Last-Event-ID).
        std::optional<qint64> replayAfter;
        ReplayFn replay;
        int pageSize = 200;
        QStringList terminalTypes; ///< e.g. {"completed", "error"}: close after one is sent
        /// Live events buffered while replaying; beyond it the buffer is dropped and the replay
        /// runs again from the last sent seq (the events are stored, so nothing is lost).
        int liveBufferLimit = 2000;
    };

    /// Runs the stream on `channel` until it ends; keeps itself (and `keepAlive`) alive that long.
    static void start(events::EventHub &hub, const std::shared_ptr<StreamChannel> &channel, Options options,
        std::shared_ptr<void> keepAlive = {});

    struct State;
};

} // namespace lm::api::sse
