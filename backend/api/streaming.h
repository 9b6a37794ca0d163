// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace lm::events {
class DeliveryLane;
}

namespace lm::api {

/// Why a stream ended.
enum class StreamEnd : std::uint8_t
{
    Open, ///< not ended yet
    Closed, ///< the server side called close()
    ClientGone, ///< the client disconnected (or the header could not be written)
    WriteTimeout, ///< one write took longer than the stream write timeout
    SlowConsumer, ///< the write queue went over its limit
    ServerStop, ///< the server is stopping
};

/// The write side of a streaming (chunked) response. Thread-safe: any thread may call any member.
/// The engine owns the socket; a channel only queues bytes for it, bounded, and never blocks.
class StreamChannel
{
public:
    virtual ~StreamChannel() = default;

    /// Queues bytes as one chunk. False when the stream is closed or the queue would go over its
    /// limit; in that case the stream ends (a slow consumer is dropped, never buffered without end).
    virtual bool send(std::string bytes) = 0;
    /// The same, sharing the bytes (fan-out of one event to many streams formats it once).
    virtual bool send(std::shared_ptr<const std::string> bytes) = 0;
    /// Ends the response once the queued bytes are written (terminating chunk), then the connection.
    virtual void close() = 0;
    /// False once the stream ended or close() was called.
    [[nodiscard]] virtual bool isOpen() const = 0;
    /// Adds a callback called once when the stream ends for any reason, on an engine thread; at
    /// once (on the caller's thread) if it already ended.
    virtual void onClosed(std::function<void()> callback) = 0;
    /// Called once, on an engine thread, when everything queued so far has been written (soon if
    /// the queue is empty; never if the stream ends first). Lets a producer with much to send (a
    /// replay) pace itself.
    virtual void whenDrained(std::function<void()> callback) = 0;
    /// Bytes queued or being written.
    [[nodiscard]] virtual std::size_t queuedBytes() const = 0;
    /// The queue limit in bytes.
    [[nodiscard]] virtual std::size_t queueLimit() const = 0;
    /// Why the stream ended; StreamEnd::Open while it runs.
    [[nodiscard]] virtual StreamEnd endReason() const = 0;
    /// The thread that writes this stream, for hub subscriptions to deliver on (a fan-out then
    /// queues on each stream from its own thread); none: deliver on the publishing thread.
    [[nodiscard]] virtual std::shared_ptr<events::DeliveryLane> deliveryLane() const { return {}; }
};

/// Starts a streaming response: called once, after the status line and headers were sent, with a
/// channel that may already be closed (the client left meanwhile; onClosed then fires at once).
using StreamStarter = std::function<void(std::shared_ptr<StreamChannel>)>;

} // namespace lm::api
