// SPDX-License-Identifier: GPL-3.0-or-later
// SSE fan-out, the client side (a benchmark, not a test): opens --streams SSE streams on one port
// with one token, on a few Asio threads (one io_context each, no locks on the read path); once all
// are open each thread moves its sockets to an epoll set of its own (one recv a delivery, see
// Worker::goRaw), de-chunks and parses each stream, and for every event whose data carries
// benchIndex and benchSentNs records receive time (steady clock, taken when the recv returns) minus
// benchSentNs. Prints per event the latency to the last subscriber (p50/p99 over events), the
// latency of every delivery, and every delivery that did not arrive. Run through
// bench/sse-fanout.sh, against lm-bench-sse-server.
//   lm-bench-sse-client --port P --token T --streams N --events E [--host 127.0.0.1] [--threads 2]
//                       [--window 256] [--path /dashboard/v1/events/stream] [--timeout-s 60]
//                       [--timeline FILE]
#include "cputime.h"

#include <boost/asio.hpp>

#include <fcntl.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

std::int64_t steadyNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
        std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

struct Shared
{
    int streams = 0;
    int events = 0;
    tcp::endpoint endpoint;
    std::string request;
    std::vector<std::int64_t> latencyNs; ///< [event * streams + stream]; -1: not received
    std::atomic<int> open {0};
    std::atomic<int> failed {0};
    std::atomic<int> retries {0};
    std::atomic<int> closed {0}; ///< streams that ended after they were open
    std::atomic<std::int64_t> received {0};
    std::atomic<std::int64_t> duplicates {0};
    std::atomic<std::int64_t> malformed {0};
    std::atomic<std::int64_t> lastReceiveNs {0};
    std::atomic<bool> stopping {false}; ///< ends the workers' epoll loops
};

class Worker;

/// One SSE stream: connect, request, status + headers, then chunked body → SSE events.
class Connection : public std::enable_shared_from_this<Connection>
{
public:
    Connection(Worker &worker, int index);
    void start();
    /// Hands the open socket from Asio to the worker's own epoll set (see Worker::goRaw).
    void goRaw(int epollFd);
    /// The socket is readable (epoll): one recv, parsed.
    void readRaw();

private:
    enum class State : std::uint8_t
    {
        Headers,
        ChunkSize,
        ChunkData,
        ChunkEnd,
        Done
    };

    void fail(const char *why);
    void read();
    void consume(const char *p, std::size_t n, std::int64_t nowNs);
    void sse(const char *p, std::size_t n, std::int64_t nowNs);
    void event(std::string_view block, std::int64_t nowNs);

    Worker &m_worker;
    int m_index;
    tcp::socket m_socket;
    net::steady_timer m_retry;
    int m_attempts = 0;
    bool m_open = false;
    State m_state = State::Headers;
    std::size_t m_chunkLeft = 0;
    std::string m_head; ///< header bytes, then a partial chunk-size line
    std::string m_text; ///< SSE text not yet ending in a blank line
    std::array<char, 4096> m_buffer {};
    int m_fd = -1; ///< the socket once released from Asio
    int m_epollFd = -1;
};

class Worker
{
public:
    Worker(Shared &shared, std::vector<int> indexes, int window)
        : shared(shared)
        , m_pending(indexes.begin(), indexes.end())
        , m_window(std::max(1, window))
    { }

    void run()
    {
        auto guard = net::make_work_guard(ioc);
        for (int i = 0; i < m_window; ++i)
            startNext();
        ioc.run();
        if (!raw)
            return;
        ioc.restart();
        ioc.poll(); // the reads that release() cancelled, and any that had completed with data
        rawLoop();
    }

    /// Once every stream is open: the worker leaves Asio for an epoll set of its own,
    /// level-triggered, and reads each ready socket once. Asio reads again at once after every
    /// read (a recv that gets EAGAIN, one a delivery); on the 2 cores the server shares, that
    /// wasted CPU is the server's too.
    void goRaw()
    {
        net::post(ioc, [this] {
            raw = true;
            epollFd = epoll_create1(EPOLL_CLOEXEC);
            if (epollFd < 0) {
                std::perror("client: epoll_create1");
                std::exit(1);
            }
            for (auto &connection : m_connections)
                connection->goRaw(epollFd);
            ioc.stop();
        });
    }

    void rawLoop()
    {
        std::array<epoll_event, 256> ready {};
        while (!shared.stopping.load(std::memory_order_relaxed)) {
            const int n = epoll_wait(epollFd, ready.data(), int(ready.size()), 50);
            for (int i = 0; i < n; ++i)
                static_cast<Connection *>(ready[std::size_t(i)].data.ptr)->readRaw();
        }
        ::close(epollFd);
    }

    /// A connection is open (or gave up): start the next one.
    void startNext()
    {
        if (m_pending.empty())
            return;
        const int index = m_pending.front();
        m_pending.pop_front();
        auto connection = std::make_shared<Connection>(*this, index);
        m_connections.push_back(connection);
        connection->start();
    }

    Shared &shared;
    net::io_context ioc {1};
    bool raw = false; ///< worker thread only
    int epollFd = -1;

private:
    std::deque<int> m_pending;
    int m_window;
    std::vector<std::shared_ptr<Connection>> m_connections;
};

Connection::Connection(Worker &worker, int index)
    : m_worker(worker)
    , m_index(index)
    , m_socket(worker.ioc)
    , m_retry(worker.ioc)
{ }

void Connection::start()
{
    ++m_attempts;
    m_state = State::Headers;
    m_head.clear();
    m_socket.async_connect(m_worker.shared.endpoint, [self = shared_from_this()](boost::system::error_code ec) {
        if (ec)
            return self->fail("connect");
        net::async_write(self->m_socket, net::buffer(self->m_worker.shared.request),
            [self](boost::system::error_code wec, std::size_t) {
                if (wec)
                    return self->fail("write");
                self->read();
            });
    });
}

void Connection::fail(const char *why)
{
    boost::system::error_code ignored;
    m_socket.close(ignored);
    if (m_open) {
        m_open = false;
        m_state = State::Done;
        ++m_worker.shared.closed;
        return;
    }
    if (m_attempts >= 5) {
        std::fprintf(stderr, "client: stream %d: %s failed %d times, giving up\n", m_index, why, m_attempts);
        ++m_worker.shared.failed;
        m_worker.startNext();
        return;
    }
    ++m_worker.shared.retries;
    m_socket = tcp::socket(m_worker.ioc);
    m_retry.expires_after(std::chrono::milliseconds(200 * m_attempts));
    m_retry.async_wait([self = shared_from_this()](boost::system::error_code) { self->start(); });
}

void Connection::read()
{
    m_socket.async_read_some(
        net::buffer(m_buffer), [self = shared_from_this()](boost::system::error_code ec, std::size_t n) {
            const std::int64_t now = steadyNs();
            if (self->m_worker.raw) {
                // Released to the worker's epoll: a read that had completed still counts; the
                // epoll loop reads the rest.
                if (!ec)
                    self->consume(self->m_buffer.data(), n, now);
                return;
            }
            if (ec)
                return self->fail("read");
            self->consume(self->m_buffer.data(), n, now);
            if (self->m_state == State::Done)
                return self->fail("stream ended");
            self->read();
        });
}

void Connection::goRaw(int epollFd)
{
    if (!m_open || !m_socket.is_open() || m_state == State::Done)
        return;
    boost::system::error_code ec;
    const int fd = m_socket.release(ec);
    if (ec || fd < 0) {
        std::fprintf(stderr, "client: stream %d: release: %s\n", m_index, ec.message().c_str());
        std::exit(1);
    }
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
    epoll_event ev {};
    ev.events = EPOLLIN;
    ev.data.ptr = this;
    if (epoll_ctl(epollFd, EPOLL_CTL_ADD, fd, &ev) != 0) {
        std::perror("client: epoll_ctl");
        std::exit(1);
    }
    m_fd = fd;
    m_epollFd = epollFd;
}

void Connection::readRaw()
{
    const ssize_t n = ::recv(m_fd, m_buffer.data(), m_buffer.size(), 0);
    const std::int64_t now = steadyNs();
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
        return;
    if (n > 0) {
        consume(m_buffer.data(), std::size_t(n), now);
        if (m_state != State::Done)
            return;
    }
    // The server ended the stream (or the connection broke).
    epoll_ctl(m_epollFd, EPOLL_CTL_DEL, m_fd, nullptr);
    ::close(m_fd);
    m_fd = -1;
    if (m_open) {
        m_open = false;
        m_state = State::Done;
        ++m_worker.shared.closed;
    }
}

void Connection::consume(const char *p, std::size_t n, std::int64_t nowNs)
{
    while (n > 0) {
        switch (m_state) {
        case State::Headers: {
            const std::size_t before = m_head.size();
            m_head.append(p, n);
            const std::size_t end = m_head.find("\r\n\r\n");
            if (end == std::string::npos)
                return;
            if (m_head.compare(0, 12, "HTTP/1.1 200") != 0) {
                std::fprintf(stderr, "client: stream %d: %.*s\n", m_index,
                    int(std::min<std::size_t>(m_head.find('\r'), 80)), m_head.c_str());
                m_state = State::Done;
                return;
            }
            const std::size_t used = end + 4 - before;
            p += used;
            n -= used;
            m_head.clear();
            m_state = State::ChunkSize;
            m_open = true;
            ++m_worker.shared.open;
            m_worker.startNext();
            break;
        }
        case State::ChunkSize: {
            const char *lf = static_cast<const char *>(std::memchr(p, '\n', n));
            if (!lf) {
                m_head.append(p, n);
                return;
            }
            m_head.append(p, std::size_t(lf - p));
            n -= std::size_t(lf - p) + 1;
            p = lf + 1;
            m_chunkLeft = std::strtoull(m_head.c_str(), nullptr, 16);
            m_head.clear();
            if (m_chunkLeft == 0) {
                m_state = State::Done;
                return;
            }
            m_state = State::ChunkData;
            break;
        }
        case State::ChunkData: {
            const std::size_t take = std::min(n, m_chunkLeft);
            sse(p, take, nowNs);
            p += take;
            n -= take;
            m_chunkLeft -= take;
            if (m_chunkLeft == 0)
                m_state = State::ChunkEnd;
            break;
        }
        case State::ChunkEnd: {
            // The CRLF after a chunk's data.
            if (*p == '\n')
                m_state = State::ChunkSize;
            ++p;
            --n;
            break;
        }
        case State::Done:
            return;
        }
    }
}

void Connection::sse(const char *p, std::size_t n, std::int64_t nowNs)
{
    m_text.append(p, n);
    std::size_t start = 0;
    while (true) {
        const std::size_t end = m_text.find("\n\n", start);
        if (end == std::string::npos)
            break;
        event(std::string_view(m_text).substr(start, end - start), nowNs);
        start = end + 2;
    }
    m_text.erase(0, start);
}

void Connection::event(std::string_view block, std::int64_t nowNs)
{
    const auto number = [&block](std::string_view key) -> std::int64_t {
        const std::size_t at = block.find(key);
        if (at == std::string_view::npos)
            return -1;
        return std::strtoll(block.data() + at + key.size(), nullptr, 10);
    };
    if (block.find("\"benchSentNs\"") == std::string_view::npos)
        return; // retry:, pings, other events
    Shared &shared = m_worker.shared;
    const std::int64_t index = number("\"benchIndex\":");
    const std::int64_t sent = number("\"benchSentNs\":");
    if (index < 0 || index >= shared.events || sent <= 0 || nowNs < sent) {
        ++shared.malformed;
        return;
    }
    std::int64_t &slot = shared.latencyNs[std::size_t(index) * std::size_t(shared.streams) + std::size_t(m_index)];
    if (slot >= 0) {
        ++shared.duplicates;
        return;
    }
    slot = nowNs - sent;
    ++shared.received;
    shared.lastReceiveNs.store(nowNs, std::memory_order_relaxed);
}

double percentileMs(std::vector<std::int64_t> &values, double p)
{
    if (values.empty())
        return 0;
    const auto rank = std::size_t(std::max(1.0, std::ceil(p / 100.0 * double(values.size()))));
    const auto nth = values.begin() + std::ptrdiff_t(std::min(rank, values.size()) - 1);
    std::nth_element(values.begin(), nth, values.end());
    return double(*nth) / 1e6;
}

} // namespace

int main(int argc, char *argv[])
{
    std::string host = "127.0.0.1", token, path = "/dashboard/v1/events/stream";
    int port = 0, streams = 0, events = 0, threads = 2, window = 256, timeoutS = 60;
    std::string timeline; ///< per event: index and its last subscriber's latency (ms)
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string_view name = argv[i];
        const char *value = argv[i + 1];
        if (name == "--host")
            host = value;
        else if (name == "--port")
            port = std::atoi(value);
        else if (name == "--token")
            token = value;
        else if (name == "--path")
            path = value;
        else if (name == "--streams")
            streams = std::atoi(value);
        else if (name == "--events")
            events = std::atoi(value);
        else if (name == "--threads")
            threads = std::atoi(value);
        else if (name == "--window")
            window = std::atoi(value);
        else if (name == "--timeout-s")
            timeoutS = std::atoi(value);
        else if (name == "--timeline")
            timeline = value;
    }
    if (port <= 0 || token.empty() || streams <= 0 || events <= 0 || threads <= 0) {
        std::fprintf(stderr,
            "usage: lm-bench-sse-client --port P --token T --streams N --events E [--host 127.0.0.1]\n"
            "                           [--threads 2] [--window 256] [--path PATH] [--timeout-s 60]\n"
            "                           [--timeline FILE]\n");
        return 2;
    }

    Shared shared;
    shared.streams = streams;
    shared.events = events;
    shared.endpoint = tcp::endpoint(net::ip::make_address(host), static_cast<unsigned short>(port));
    shared.request = "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nAccept: text/event-stream\r\n"
        + "Authorization: Bearer " + token + "\r\n\r\n";
    shared.latencyNs.assign(std::size_t(streams) * std::size_t(events), -1);

    std::vector<std::unique_ptr<Worker>> workers;
    for (int t = 0; t < threads; ++t) {
        std::vector<int> indexes;
        for (int i = t; i < streams; i += threads)
            indexes.push_back(i);
        workers.push_back(std::make_unique<Worker>(shared, std::move(indexes), window / threads));
    }
    const std::int64_t t0 = steadyNs();
    std::vector<std::thread> running;
    for (auto &w : workers)
        running.emplace_back([&w] { w->run(); });

    const auto sleep = [] { std::this_thread::sleep_for(std::chrono::milliseconds(20)); };
    while (shared.open.load() + shared.failed.load() + shared.closed.load() < streams) {
        if (steadyNs() - t0 > std::int64_t(timeoutS) * 1000000000)
            break;
        sleep();
    }
    const std::int64_t openedNs = steadyNs();
    for (auto &w : workers)
        w->goRaw();
    const double cpuOpenedMs = lm::bench::processCpuMs().total();
    std::printf("client: %d of %d streams open in %.2f s (%d retries, %d failed, %d threads)\n",
        shared.open.load(), streams, double(openedNs - t0) / 1e9, shared.retries.load(), shared.failed.load(),
        threads);
    std::fflush(stdout);

    // Wait for every delivery; give up --timeout-s after the streams opened if nothing came, or
    // 10 s after the last delivery.
    const std::int64_t expected = std::int64_t(streams) * events;
    while (shared.received.load() < expected) {
        const std::int64_t now = steadyNs();
        const std::int64_t last = shared.lastReceiveNs.load();
        if (last == 0 ? now - openedNs > std::int64_t(timeoutS) * 1000000000 : now - last > 10'000'000'000LL)
            break;
        if (shared.open.load() - shared.closed.load() <= 0)
            break;
        sleep();
    }
    const double cpuEvents = lm::bench::processCpuMs().total() - cpuOpenedMs;
    shared.stopping = true;
    for (auto &w : workers)
        w->ioc.stop();
    for (auto &t : running)
        t.join();

    std::vector<std::int64_t> all, lastPerEvent;
    all.reserve(shared.latencyNs.size());
    std::vector<std::pair<std::int64_t, int>> worstByEvent; ///< (last subscriber, event index)
    std::int64_t missing = 0;
    int eventsMissing = 0;
    for (int e = 0; e < events; ++e) {
        std::int64_t worst = -1;
        int missed = 0;
        for (int s = 0; s < streams; ++s) {
            const std::int64_t v = shared.latencyNs[std::size_t(e) * std::size_t(streams) + std::size_t(s)];
            if (v < 0) {
                ++missed;
                continue;
            }
            all.push_back(v);
            worst = std::max(worst, v);
        }
        missing += missed;
        if (missed > 0)
            ++eventsMissing;
        if (worst >= 0)
            lastPerEvent.push_back(worst);
        worstByEvent.emplace_back(worst, e);
    }
    std::printf("client: %lld of %lld deliveries received; %lld missing (in %d of %d events); %lld duplicates; "
                "%lld malformed; %d streams closed early\n",
        static_cast<long long>(shared.received.load()), static_cast<long long>(expected),
        static_cast<long long>(missing), eventsMissing, events, static_cast<long long>(shared.duplicates.load()),
        static_cast<long long>(shared.malformed.load()), shared.closed.load());
    auto maxOf = [](const std::vector<std::int64_t> &v) {
        return v.empty() ? 0.0 : double(*std::max_element(v.begin(), v.end())) / 1e6;
    };
    const double lastMax = maxOf(lastPerEvent), allMax = maxOf(all);
    const double last50 = percentileMs(lastPerEvent, 50), last99 = percentileMs(lastPerEvent, 99);
    const double all50 = percentileMs(all, 50), all99 = percentileMs(all, 99);
    std::printf("client: publish -> last subscriber (max over %d streams, per event; %zu events): "
                "p50 %.1f ms p99 %.1f ms max %.1f ms\n",
        streams, lastPerEvent.size(), last50, last99, lastMax);
    if (!timeline.empty()) {
        if (FILE *out = std::fopen(timeline.c_str(), "w")) {
            for (const auto &[worst, index] : worstByEvent) {
                if (worst >= 0)
                    std::fprintf(out, "%d %.3f\n", index, double(worst) / 1e6);
            }
            std::fclose(out);
        }
    }
    // Which events were slow, in order: a slow one every k events points at something periodic.
    std::sort(worstByEvent.begin(), worstByEvent.end(), std::greater<>());
    std::printf("client: slowest events (index: last subscriber):");
    for (std::size_t i = 0; i < std::min<std::size_t>(5, worstByEvent.size()); ++i)
        std::printf(" #%d %.1f ms", worstByEvent[i].second, double(worstByEvent[i].first) / 1e6);
    std::printf("\n");
    std::printf("client: publish -> each subscriber (all %zu deliveries): p50 %.1f ms p99 %.1f ms max %.1f ms\n",
        all.size(), all50, all99, allMax);
    std::printf("client: CPU while the events came: %.1f ms an event\n", cpuEvents / events);
    std::fflush(stdout);
    return missing == 0 && shared.failed.load() == 0 ? 0 : 1;
}
