// SPDX-License-Identifier: GPL-3.0-or-later
#include "httpserver.h"

#include "api/requestframing.h"
#include "events/eventhub.h"
#include "core/logging.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <array>
#include <charconv>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>
#include <unordered_set>
#include <vector>

namespace lm::api {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {
class Session;
}

// A stop ends open streams with their terminating chunk, but waits this long at most per write.
constexpr std::chrono::milliseconds kStopWriteTimeout {1000};
// Ends every chunk of a streamed body.
constexpr std::string_view kCrLf {"\r\n"};
// How often each lane looks for stream writes past their deadline.
constexpr std::chrono::milliseconds kStreamSweepInterval {250};

/// One I/O thread with its own io_context. A connection lives on one lane for its whole life, so
/// its handlers never run concurrently and need no strand; and work for many connections of a lane
/// can be handed over in one post (the stream flushes of an event fanned out to thousands).
struct IoLane
{
    // Declared before the io_context: sessions still queued in it when it is destroyed unregister
    // here, so these must outlive it.

    // Streams with queued bytes, waiting for this lane to write them; filled by any thread.
    std::mutex flushMutex;
    std::vector<std::weak_ptr<Session>> flushPending;
    std::vector<std::weak_ptr<Session>> flushBatch; ///< lane thread only
    // Streams of this lane with an asynchronous write in flight, for the write-deadline sweep
    // (lane thread only). One sweep timer per lane instead of a deadline re-armed on every write of
    // every stream; and only these, as nearly every write completes at once (flushStream).
    std::unordered_set<Session *> writing;
    // Bytes queued on this lane's streams. Per lane, not one counter for the server: every send and
    // every write of a fan-out updates it, and the lanes would fight over one cache line.
    alignas(64) std::atomic<std::size_t> queued {0};

    net::io_context ioc {1};
    net::executor_work_guard<net::io_context::executor_type> work {net::make_work_guard(ioc)};
    net::steady_timer sweepTimer {ioc};
    // Hub subscriptions of this lane's streams deliver here (see events::DeliveryLane); closed
    // before the io_context goes, so no publish posts into a destroyed one.
    const std::shared_ptr<events::DeliveryLane> delivery = std::make_shared<events::DeliveryLane>(
        [this](events::DeliveryLane::Work w) { net::post(ioc, std::move(w)); });

    IoLane() = default;
    IoLane(const IoLane &) = delete;
    IoLane &operator=(const IoLane &) = delete;
    ~IoLane() { delivery->close(); }

    void requestFlush(std::weak_ptr<Session> session);
    void drainFlushes();
    void sweepStreams(HttpServer::Impl &server);
};

struct HttpServer::Impl
{
    Options options;
    HttpDispatcher &dispatcher;

    // Declared before the io_context: sessions still queued in it when it is destroyed unregister
    // here, so this must outlive it.
    mutable std::mutex sessionsMutex;
    std::condition_variable sessionsDrained;
    std::unordered_set<Session *> sessions;
    std::atomic<std::size_t> streams {0};

    // One lane per I/O thread. Each lane's work guard keeps its thread alive while a handler on
    // the blocking pool still owes an answer, even after the acceptor closed and no socket
    // operation is pending (graceful stop).
    std::vector<std::unique_ptr<IoLane>> lanes;
    std::atomic<std::size_t> nextLane {0};
    tcp::acceptor acceptor; // after the lanes: closed before their io_contexts go
    std::vector<std::thread> threads;
    std::atomic<bool> stopping {false};
    quint16 boundPort = 0;

    Impl(Options o, HttpDispatcher &d)
        : options(std::move(o))
        , dispatcher(d)
        , lanes(makeLanes(options.threads))
        , acceptor(lanes.front()->ioc)
    { }

    static std::vector<std::unique_ptr<IoLane>> makeLanes(int count)
    {
        std::vector<std::unique_ptr<IoLane>> lanes;
        for (int i = 0; i < std::max(1, count); ++i)
            lanes.push_back(std::make_unique<IoLane>());
        return lanes;
    }

    void doAccept();
    void add(Session *s)
    {
        std::lock_guard lock(sessionsMutex);
        sessions.insert(s);
    }
    void remove(Session *s)
    {
        std::lock_guard lock(sessionsMutex);
        sessions.erase(s);
        if (sessions.empty())
            sessionsDrained.notify_all();
    }
};

namespace {

/// What the lane does next on a stream.
enum class StreamStep
{
    Idle,
    Write,
    Finish, ///< write the terminating chunk, then end
    Abort, ///< end now, nothing more written
};

/// The channel handed to a streaming handler. It only queues: the socket belongs to the Session,
/// which is told through its lane. Holds the session weakly, so a handler that keeps a channel
/// after the connection is gone keeps nothing else alive.
class EngineStream final : public StreamChannel
{
public:
    EngineStream(std::weak_ptr<Session> session, IoLane &lane, std::size_t limit)
        : m_session(std::move(session))
        , m_lane(lane)
        , m_limit(limit)
        , m_laneQueued(lane.queued)
    { }

    bool send(std::string bytes) override
    {
        return send(std::make_shared<const std::string>(std::move(bytes)));
    }

    bool send(std::shared_ptr<const std::string> bytes) override
    {
        if (!bytes || bytes->empty())
            return isOpen(); // an empty chunk would end the chunked body
        std::unique_lock lock(m_mutex);
        if (m_closing)
            return false;
        if (m_queued + bytes->size() > m_limit) {
            lock.unlock();
            requestEnd(StreamEnd::SlowConsumer, false);
            return false;
        }
        m_queued += bytes->size();
        m_laneQueued += bytes->size();
        m_queue.push_back(std::move(bytes));
        const bool post = !m_flushPosted;
        m_flushPosted = true;
        lock.unlock();
        if (post)
            postFlush();
        return true;
    }

    void close() override { requestEnd(StreamEnd::Closed, true); }

    [[nodiscard]] bool isOpen() const override { return !m_closing.load(); }

    void onClosed(std::function<void()> callback) override
    {
        std::unique_lock lock(m_mutex);
        if (m_end.load() == StreamEnd::Open) {
            m_onClosed.push_back(std::move(callback));
            return;
        }
        lock.unlock();
        if (callback)
            callback();
    }

    void whenDrained(std::function<void()> callback) override
    {
        std::unique_lock lock(m_mutex);
        if (m_end.load() != StreamEnd::Open)
            return;
        if (m_queued > 0) {
            m_onDrained = std::move(callback);
            return;
        }
        lock.unlock();
        net::post(m_lane.ioc, std::move(callback));
    }

    [[nodiscard]] std::size_t queuedBytes() const override
    {
        std::lock_guard lock(m_mutex);
        return m_queued;
    }
    [[nodiscard]] std::size_t queueLimit() const override { return m_limit; }
    [[nodiscard]] StreamEnd endReason() const override { return m_end.load(); }
    [[nodiscard]] std::shared_ptr<events::DeliveryLane> deliveryLane() const override { return m_lane.delivery; }

    /// Asks the lane to end the stream: gracefully (queued bytes, then the terminating chunk) or
    /// at once.
    void requestEnd(StreamEnd reason, bool graceful)
    {
        {
            std::lock_guard lock(m_mutex);
            if (m_end.load() != StreamEnd::Open)
                return;
            // A graceful end may still turn into an abort (slow consumer while closing); never back.
            if (m_closing && (graceful || m_abort))
                return;
            m_closing = true;
            m_requested = reason;
            m_abort = !graceful;
            m_flushPosted = true;
        }
        postFlush();
    }

    // Lane side.

    /// The reason of a requested abort (as opposed to a graceful end), if any.
    std::optional<StreamEnd> abortRequested() const
    {
        std::lock_guard lock(m_mutex);
        return m_abort ? std::optional<StreamEnd>(m_requested) : std::nullopt;
    }

    /// What to do next; moves the queued chunks into `out` for a write.
    StreamStep take(std::vector<std::shared_ptr<const std::string>> &out, StreamEnd &reason)
    {
        std::lock_guard lock(m_mutex);
        m_flushPosted = false;
        reason = m_requested;
        if (m_abort)
            return StreamStep::Abort;
        if (!m_queue.empty()) {
            out.swap(m_queue);
            return StreamStep::Write;
        }
        return m_closing ? StreamStep::Finish : StreamStep::Idle;
    }

    /// `bytes` were written.
    void written(std::size_t bytes)
    {
        std::function<void()> drained;
        {
            std::lock_guard lock(m_mutex);
            bytes = std::min(bytes, m_queued);
            m_queued -= bytes;
            m_laneQueued -= bytes;
            if (m_queued == 0)
                drained = std::move(m_onDrained);
        }
        if (drained)
            drained();
    }

    /// The stream is over: drop the queue and tell the handler, once.
    void ended(StreamEnd reason)
    {
        std::vector<std::function<void()>> callbacks;
        std::vector<std::shared_ptr<const std::string>> dropped;
        {
            std::lock_guard lock(m_mutex);
            if (m_end.load() != StreamEnd::Open)
                return;
            m_end = reason;
            m_closing = true;
            m_laneQueued -= m_queued;
            m_queued = 0;
            dropped.swap(m_queue);
            callbacks.swap(m_onClosed);
            m_onDrained = nullptr;
        }
        for (auto &callback : callbacks) {
            if (callback)
                callback();
        }
    }

private:
    void postFlush() { m_lane.requestFlush(m_session); }

    std::weak_ptr<Session> m_session;
    IoLane &m_lane;
    const std::size_t m_limit;
    std::atomic<std::size_t> &m_laneQueued; ///< the lane's count of queued bytes

    mutable std::mutex m_mutex;
    std::vector<std::shared_ptr<const std::string>> m_queue;
    std::size_t m_queued = 0; ///< queued plus being written
    bool m_flushPosted = false;
    bool m_abort = false;
    StreamEnd m_requested = StreamEnd::Closed;
    std::atomic<bool> m_closing {false};
    std::atomic<StreamEnd> m_end {StreamEnd::Open};
    std::vector<std::function<void()>> m_onClosed;
    std::function<void()> m_onDrained;
};

} // namespace

namespace {

/// One connection: read a header, route-dependent body limit, read the body, dispatch, write,
/// repeat while keep-alive. All of it runs on the connection's lane (one thread).
class Session : public std::enable_shared_from_this<Session>
{
public:
    Session(tcp::socket &&socket, HttpServer::Impl &server, IoLane &lane)
        : m_stream(std::move(socket))
        , m_server(server)
        , m_lane(lane)
        , m_timer(m_stream.get_executor())
    {
        beast::error_code ec;
        const auto endpoint = m_stream.socket().remote_endpoint(ec);
        if (!ec)
            m_remoteIp = endpoint.address().to_string();
        m_server.add(this);
    }
    ~Session()
    {
        if (m_channel && !m_streamEnded) {
            // Destroyed with the io_context (stop gave up waiting): the handler still hears of it.
            --m_server.streams;
            m_lane.writing.erase(this); // the lane's thread has ended
            m_channel->ended(StreamEnd::ServerStop);
        }
        m_server.remove(this);
    }

    void start()
    {
        net::dispatch(
            m_stream.get_executor(), beast::bind_front_handler(&Session::readHeader, shared_from_this()));
    }

    /// Shutdown: close now if between requests; end a stream; otherwise the response in flight
    /// closes it.
    void closeIfIdle()
    {
        net::post(m_stream.get_executor(), [self = shared_from_this()] {
            if (self->m_channel) {
                self->m_channel->requestEnd(StreamEnd::ServerStop, true);
                return;
            }
            if (self->m_idle) {
                beast::error_code ec;
                self->m_stream.socket().shutdown(tcp::socket::shutdown_both, ec);
                self->m_stream.socket().close(ec);
            }
        });
    }

private:
    void readHeader()
    {
        resetParser(m_parser, m_server.options.headerLimit);
        m_timedOut = false;
        if (m_buffer.size() > 0) {
            // The next request is already here (pipelined): no idle phase.
            startHeaderRead();
            return;
        }
        // Idle phase: wait for the first byte under the long idle timeout; only then does the
        // request timeout start.
        m_idle = true;
        armTimer(m_server.options.idleTimeout);
        m_stream.socket().async_wait(
            tcp::socket::wait_read, [self = shared_from_this()](beast::error_code ec) {
                self->m_idle = false;
                if (ec || self->m_timedOut)
                    return self->close();
                self->startHeaderRead();
            });
    }

    void startHeaderRead()
    {
        m_idle = false;
        armTimer(m_server.options.requestTimeout);
        http::async_read_header(
            m_stream, m_buffer, *m_parser, beast::bind_front_handler(&Session::onHeader, shared_from_this()));
    }

    // Our own timer rather than tcp_stream's expiry: that one closes the socket, and a client whose
    // request stalled is owed a 408 before we hang up.
    void armTimer(std::chrono::milliseconds timeout)
    {
        const quint64 generation = ++m_timerGeneration;
        m_timer.expires_after(timeout);
        m_timer.async_wait([self = shared_from_this(), generation](beast::error_code ec) {
            if (ec || generation != self->m_timerGeneration)
                return;
            self->m_timedOut = true;
            beast::error_code ignored;
            self->m_stream.socket().cancel(ignored);
        });
    }

    void disarmTimer()
    {
        ++m_timerGeneration;
        m_timer.cancel();
    }

    void onHeader(beast::error_code ec, std::size_t)
    {
        if (m_timedOut) {
            // A connection that sent nothing is just idle; one that began a request gets a 408.
            if (!m_parser->got_some())
                return close();
            return sendEngineError(
                {ErrorCode::RequestTimeout, QStringLiteral("The request was not received in time"), {}});
        }
        if (ec == http::error::end_of_stream || ec == net::error::eof || ec == net::error::connection_reset
            || ec == net::error::operation_aborted || ec == net::error::bad_descriptor) {
            return close();
        }
        if (ec == http::error::header_limit || ec == http::error::buffer_overflow)
            return sendEngineError(
                {ErrorCode::HeadersTooLarge, QStringLiteral("The request header is too large"), {}});
        if (ec)
            return sendEngineError(ApiError::validation(QStringLiteral("request"),
                QStringLiteral("malformed_http"), QStringLiteral("Malformed HTTP request")));

        fillRequestHead();
        m_bodyLimit = m_server.dispatcher.bodyLimitFor(m_request.method, m_request.path);
        if (!applyBodyLimit(*m_parser, m_bodyLimit))
            return sendEngineError(payloadTooLarge());
        if (m_parser->is_done())
            return onBody({}, 0);
        http::async_read(
            m_stream, m_buffer, *m_parser, beast::bind_front_handler(&Session::onBody, shared_from_this()));
    }

    ApiError payloadTooLarge() const
    {
        return {ErrorCode::PayloadTooLarge,
            QStringLiteral("The request body exceeds %1 bytes").arg(m_bodyLimit), {}};
    }

    void onBody(beast::error_code ec, std::size_t)
    {
        if (m_timedOut)
            return sendEngineError(
                {ErrorCode::RequestTimeout, QStringLiteral("The request was not received in time"), {}});
        if (ec == http::error::body_limit)
            return sendEngineError(payloadTooLarge());
        if (ec == http::error::end_of_stream || ec == net::error::eof || ec == net::error::connection_reset
            || ec == net::error::operation_aborted) {
            return close();
        }
        if (ec)
            return sendEngineError(ApiError::validation(QStringLiteral("request"),
                QStringLiteral("malformed_http"), QStringLiteral("Malformed HTTP request")));

        disarmTimer();
        auto &message = m_parser->get();
        m_request.body = std::move(message.body());
        m_keepAlive = message.keep_alive();
        m_isHead = m_request.method == HttpMethod::Head;
        // The dispatcher may answer from another thread; the write always happens on our lane.
        m_server.dispatcher.dispatch(
            std::move(m_request), [self = shared_from_this()](HttpResponse response) {
                net::post(self->m_stream.get_executor(), [self, response = std::move(response)]() mutable {
                    self->write(std::move(response), self->m_keepAlive);
                });
            });
    }

    void fillRequestHead() { m_request = requestHead(m_parser->get(), m_remoteIp); }

    void sendEngineError(const ApiError &error)
    {
        disarmTimer();
        if (m_parser && m_request.methodText.empty() && m_parser->is_header_done())
            fillRequestHead();
        HttpResponse response = m_server.dispatcher.engineError(error, m_request);
        // After a framing error the rest of the stream cannot be trusted: answer and close.
        write(std::move(response), false);
    }

public:
    /// Sends queued chunks, the terminating chunk, or nothing (lane).
    void flushStream()
    {
        if (m_streamEnded || !m_channel)
            return;
        if (m_streamWriting) {
            // A slow consumer's write may hang until the write timeout: drop it now instead.
            if (const auto abort = m_channel->abortRequested())
                endStream(*abort);
            return;
        }
        StreamEnd reason = StreamEnd::Closed;
        switch (m_channel->take(m_inflight, reason)) {
        case StreamStep::Idle:
            return;
        case StreamStep::Abort:
            return endStream(reason);
        case StreamStep::Finish:
            beginStreamWrite();
            net::async_write(m_stream.socket(), http::make_chunk_last(),
                [self = shared_from_this(), reason](beast::error_code, std::size_t) {
                    self->endStreamWrite();
                    self->endStream(reason);
                });
            return;
        case StreamStep::Write:
            break;
        }
        // Everything queued goes out as one chunk: one write per batch, not per event. Framed here
        // (size line, data, CRLF) into buffers the session keeps: http::make_chunk allocates twice
        // a write, and a fan-out writes every stream.
        std::size_t size = 0;
        for (const auto &bytes : m_inflight)
            size += bytes->size();
        const auto sizeEnd = std::to_chars(m_chunkHead.data(), m_chunkHead.data() + 16, size, 16).ptr;
        sizeEnd[0] = '\r';
        sizeEnd[1] = '\n';
        const auto headSize = std::size_t(sizeEnd + 2 - m_chunkHead.data());
        m_writeBuffers.clear();
        m_writeBuffers.emplace_back(m_chunkHead.data(), headSize);
        for (const auto &bytes : m_inflight)
            m_writeBuffers.emplace_back(net::buffer(*bytes));
        m_writeBuffers.emplace_back(kCrLf.data(), kCrLf.size());
        const std::size_t total = headSize + size + kCrLf.size();
        // Nearly always the socket takes the whole chunk at once: write it now (the socket is
        // non-blocking) and skip the asynchronous operation, its completion and a second flush,
        // which at 10,000 streams an event was most of the user-space cost. What does not fit
        // waits for the socket.
        beast::error_code ec;
        std::size_t written = m_writeAtOnce ? m_stream.socket().write_some(m_writeBuffers, ec) : 0;
        if (ec == net::error::would_block || ec == net::error::try_again) {
            ec = {};
            written = 0;
        }
        if (ec || written == total)
            return onStreamWrite(ec, false);
        // Drop what went out; the rest is written asynchronously (the operation copies the list).
        auto first = m_writeBuffers.begin();
        while (written >= first->size()) {
            written -= first->size();
            ++first;
        }
        *first += written;
        m_writeBuffers.erase(m_writeBuffers.begin(), first);
        beginStreamWrite();
        net::async_write(m_stream.socket(), m_writeBuffers,
            [self = shared_from_this()](beast::error_code ec, std::size_t) { self->onStreamWrite(ec, true); });
    }

    /// A stream write has been in flight longer than `timeout` (the lane's sweep asks).
    [[nodiscard]] bool writeOverdue(
        std::chrono::steady_clock::time_point now, std::chrono::milliseconds timeout) const
    {
        return m_streamWriting && !m_streamEnded && now - m_writeStartedAt > timeout;
    }

    void endStream(StreamEnd reason)
    {
        if (m_streamEnded)
            return;
        m_streamEnded = true;
        m_lane.writing.erase(this);
        if (!m_streamWriting)
            m_inflight.clear(); // else the write in flight still uses them; its handler clears

        beast::error_code ec;
        m_stream.socket().shutdown(tcp::socket::shutdown_both, ec);
        m_stream.socket().close(ec);
        --m_server.streams;
        m_channel->ended(reason);
    }

private:
    // Chunks go to the raw socket: the tcp_stream's deadline would be re-armed (a timer cancelled
    // and queued again) on every write of every stream. The lane's sweep enforces the deadline.
    void beginStreamWrite()
    {
        m_streamWriting = true;
        m_writeStartedAt = std::chrono::steady_clock::now();
        m_lane.writing.insert(this);
    }
    void endStreamWrite()
    {
        m_streamWriting = false;
        m_lane.writing.erase(this);
    }

    void armStreamWrite()
    {
        auto timeout = m_server.options.streamWriteTimeout;
        if (m_server.stopping.load())
            timeout = std::min(timeout, kStopWriteTimeout);
        m_stream.expires_after(timeout);
    }

    void startStream(HttpResponse response)
    {
        // An open stream should cost little memory: drop what the request phase held.
        m_parser.reset();
        m_request = HttpRequest();
        m_buffer.clear();
        m_buffer.shrink_to_fit();
        m_starter = std::move(response.stream);
        m_streamHead = std::make_unique<StreamHead>();
        auto &head = m_streamHead->message;
        head.result(http::status(response.status));
        head.version(11);
        for (auto &[name, value] : response.headers)
            head.set(name, value);
        head.set(http::field::server, "leadmetrics");
        head.chunked(true);
        m_streamHead->serializer.emplace(head);
        beast::error_code nonBlocking;
        m_stream.socket().non_blocking(true, nonBlocking);
        m_writeAtOnce = !nonBlocking; // a blocking socket would stall the lane: asynchronous writes only
        if (m_server.options.streamSocketSendBuffer > 0) {
            beast::error_code ignored; // a socket that refuses keeps its default: the queue limit still holds
            m_stream.socket().set_option(
                net::socket_base::send_buffer_size(m_server.options.streamSocketSendBuffer), ignored);
        }
        m_channel = std::make_shared<EngineStream>(
            weak_from_this(), m_lane, m_server.options.streamQueueLimitBytes);
        ++m_server.streams;
        armStreamWrite(); // the head goes through the tcp_stream and its deadline
        http::async_write_header(m_stream, *m_streamHead->serializer,
            [self = shared_from_this()](beast::error_code ec, std::size_t) { self->onStreamHeader(ec); });
    }

    void onStreamHeader(beast::error_code ec)
    {
        m_streamHead.reset();
        m_stream.expires_never();
        if (ec) {
            endStream(ec == beast::error::timeout ? StreamEnd::WriteTimeout : StreamEnd::ClientGone);
        } else {
            watchForDisconnect();
            if (m_server.stopping.load())
                m_channel->requestEnd(StreamEnd::ServerStop, true);
        }
        auto starter = std::move(m_starter);
        m_starter = nullptr;
        // No exception may cross into the engine's event loop.
        try {
            if (starter)
                starter(m_channel);
        } catch (const std::exception &e) {
            qCCritical(lmApi) << "stream starter threw" << e.what();
            m_channel->requestEnd(StreamEnd::Closed, false);
        } catch (...) {
            qCCritical(lmApi) << "stream starter threw";
            m_channel->requestEnd(StreamEnd::Closed, false);
        }
    }

    // A read stays pending on the raw socket (not the tcp_stream: its timer would apply) so a
    // client that goes away is noticed at once, not at the next write.
    void watchForDisconnect()
    {
        m_stream.socket().async_read_some(
            net::buffer(m_probe), [self = shared_from_this()](beast::error_code ec, std::size_t) {
                if (self->m_streamEnded)
                    return;
                if (ec)
                    return self->endStream(StreamEnd::ClientGone);
                self->watchForDisconnect(); // whatever a client sends on a stream is ignored
            });
    }

    /// The chunk of m_inflight went out (or failed). After an asynchronous write, sends what was
    /// queued meanwhile; after one that completed at once, that has its own flush request already.
    void onStreamWrite(beast::error_code ec, bool wasAsync)
    {
        if (wasAsync)
            endStreamWrite();
        std::size_t bytes = 0;
        for (const auto &chunk : m_inflight)
            bytes += chunk->size();
        m_inflight.clear();
        m_channel->written(bytes);
        if (ec)
            return endStream(ec == beast::error::timeout ? StreamEnd::WriteTimeout : StreamEnd::ClientGone);
        if (wasAsync)
            flushStream();
    }

    void write(HttpResponse response, bool keepAlive)
    {
        if (response.stream && !m_isHead)
            return startStream(std::move(response));
        keepAlive = keepAlive && !m_server.stopping.load();
        m_response.emplace();
        m_response->result(http::status(response.status));
        m_response->version(11);
        for (auto &[name, value] : response.headers)
            m_response->set(name, value);
        m_response->set(http::field::server, "leadmetrics");
        const std::size_t bodySize = response.body.size();
        if (!m_isHead)
            m_response->body() = std::move(response.body);
        m_response->keep_alive(keepAlive);
        m_response->prepare_payload();
        if (m_isHead)
            m_response->content_length(bodySize);
        m_stream.expires_after(m_server.options.writeTimeout);
        http::async_write(m_stream, *m_response,
            beast::bind_front_handler(&Session::onWrite, shared_from_this(), keepAlive));
    }

    void onWrite(bool keepAlive, beast::error_code ec, std::size_t)
    {
        m_response.reset();
        m_request = HttpRequest();
        m_isHead = false;
        if (ec || !keepAlive)
            return close();
        readHeader();
    }

    void close()
    {
        disarmTimer();
        beast::error_code ec;
        m_stream.socket().shutdown(tcp::socket::shutdown_send, ec);
        m_stream.socket().close(ec);
    }

    beast::tcp_stream m_stream;
    HttpServer::Impl &m_server;
    IoLane &m_lane;
    beast::flat_buffer m_buffer;
    std::optional<RequestParser> m_parser;
    std::optional<http::response<http::string_body>> m_response;
    HttpRequest m_request;
    std::string m_remoteIp;
    bool m_keepAlive = true;
    bool m_isHead = false;
    bool m_idle = true;
    bool m_timedOut = false;
    quint64 m_timerGeneration = 0;
    std::size_t m_bodyLimit = 0;
    net::steady_timer m_timer;

    // Streaming responses. The head (message and serializer) lives only until it is written.
    struct StreamHead
    {
        http::response<http::empty_body> message;
        std::optional<http::response_serializer<http::empty_body>> serializer;
    };
    std::unique_ptr<StreamHead> m_streamHead;
    StreamStarter m_starter;
    std::shared_ptr<EngineStream> m_channel;
    std::vector<std::shared_ptr<const std::string>> m_inflight;
    std::array<char, 18> m_chunkHead {}; ///< the chunk's size line (hex, CRLF) while it is written
    std::vector<net::const_buffer> m_writeBuffers; ///< kept: its capacity serves every write
    std::array<char, 16> m_probe {};
    bool m_streamWriting = false;
    bool m_streamEnded = false;
    bool m_writeAtOnce = false; ///< the socket is non-blocking: flushStream may write at once
    std::chrono::steady_clock::time_point m_writeStartedAt;
};

} // namespace

void IoLane::requestFlush(std::weak_ptr<Session> session)
{
    bool first = false;
    {
        std::lock_guard lock(flushMutex);
        first = flushPending.empty();
        flushPending.push_back(std::move(session));
    }
    // One post per lane per batch, however many streams an event reached.
    if (first)
        net::post(ioc, [this] { drainFlushes(); });
}

void IoLane::drainFlushes()
{
    {
        std::lock_guard lock(flushMutex);
        flushBatch.swap(flushPending);
    }
    for (const auto &weak : flushBatch) {
        if (auto session = weak.lock())
            session->flushStream();
    }
    flushBatch.clear();
}

void IoLane::sweepStreams(HttpServer::Impl &server)
{
    sweepTimer.expires_after(kStreamSweepInterval);
    sweepTimer.async_wait([this, &server](beast::error_code ec) {
        if (ec)
            return;
        auto timeout = server.options.streamWriteTimeout;
        if (server.stopping.load())
            timeout = std::min(timeout, kStopWriteTimeout);
        const auto now = std::chrono::steady_clock::now();
        // endStream() erases from the set: collect first.
        std::vector<Session *> late;
        for (Session *session : writing) {
            if (session->writeOverdue(now, timeout))
                late.push_back(session);
        }
        for (Session *session : late)
            session->endStream(StreamEnd::WriteTimeout);
        sweepStreams(server);
    });
}

void HttpServer::Impl::doAccept()
{
    // Connections are spread over the lanes in turn.
    IoLane &lane = *lanes[nextLane.fetch_add(1) % lanes.size()];
    acceptor.async_accept(lane.ioc, [this, &lane](beast::error_code ec, tcp::socket socket) {
        if (ec) {
            if (ec == net::error::operation_aborted || !acceptor.is_open())
                return;
            // Out of descriptors and the like: keep accepting rather than going deaf.
            qCWarning(lmApi) << "accept failed:" << QString::fromStdString(ec.message());
        } else {
            socket.set_option(tcp::no_delay(true), ec);
            std::make_shared<Session>(std::move(socket), *this, lane)->start();
        }
        if (!stopping)
            doAccept();
    });
}

HttpServer::HttpServer(Options options, HttpDispatcher &dispatcher)
    : d(std::make_unique<Impl>(std::move(options), dispatcher))
{ }

HttpServer::~HttpServer()
{
    stop(std::chrono::milliseconds(2000));
}

Result<quint16> HttpServer::start()
{
    beast::error_code ec;
    const auto address = net::ip::make_address(d->options.host, ec);
    if (ec)
        return ApiError::validation(QStringLiteral("listen"), QStringLiteral("invalid"),
            QStringLiteral("not an IP address: %1").arg(QString::fromStdString(d->options.host)));
    const tcp::endpoint endpoint(address, d->options.port);
    d->acceptor.open(endpoint.protocol(), ec);
    if (!ec)
        d->acceptor.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec)
        d->acceptor.bind(endpoint, ec);
    if (!ec)
        d->acceptor.listen(d->options.backlog, ec);
    if (ec)
        return ApiError {ErrorCode::Unavailable,
            QStringLiteral("cannot listen on %1:%2: %3")
                .arg(QString::fromStdString(d->options.host))
                .arg(d->options.port)
                .arg(QString::fromStdString(ec.message())),
            {}};
    d->boundPort = d->acceptor.local_endpoint().port();
    d->doAccept();
    for (auto &lane : d->lanes) {
        IoLane *l = lane.get();
        net::post(l->ioc, [this, l] { l->sweepStreams(*d); });
        d->threads.emplace_back([l] { l->ioc.run(); });
    }
    return d->boundPort;
}

void HttpServer::stop(std::chrono::milliseconds grace)
{
    if (d->threads.empty() || d->stopping.exchange(true))
        return;
    net::post(d->acceptor.get_executor(), [this] {
        beast::error_code ec;
        d->acceptor.close(ec);
    });
    // Take references under the lock but use and drop them outside it: the last reference to a
    // session may be ours, and its destructor takes the same lock to unregister.
    std::vector<std::shared_ptr<Session>> live;
    {
        std::lock_guard lock(d->sessionsMutex);
        live.reserve(d->sessions.size());
        for (Session *s : d->sessions) {
            if (auto alive = s->weak_from_this().lock())
                live.push_back(std::move(alive));
        }
    }
    for (const auto &session : live)
        session->closeIfIdle();
    live.clear();
    {
        std::unique_lock lock(d->sessionsMutex);
        d->sessionsDrained.wait_for(lock, grace, [this] { return d->sessions.empty(); });
    }
    for (auto &lane : d->lanes) {
        lane->work.reset();
        lane->ioc.stop();
    }
    for (auto &t : d->threads)
        t.join();
    d->threads.clear();
}

quint16 HttpServer::port() const
{
    return d->boundPort;
}

std::size_t HttpServer::connectionCount() const
{
    std::lock_guard lock(d->sessionsMutex);
    return d->sessions.size();
}

std::size_t HttpServer::streamCount() const
{
    return d->streams.load();
}

std::size_t HttpServer::streamQueuedBytes() const
{
    std::size_t queued = 0;
    for (const auto &lane : d->lanes)
        queued += lane->queued.load();
    return queued;
}

} // namespace lm::api
