// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "api/dispatcher.h"
#include "core/result.h"

#include <chrono>
#include <memory>

namespace lm::api {

/// The HTTP/1.1 engine: Boost.Beast on a pool of I/O threads. It frames requests, enforces the
/// limits and timeouts (DESIGN.md: Beast has none by default) and hands complete requests to a
/// dispatcher. Beast's types stay inside httpserver.cpp.
class HttpServer
{
public:
    struct Options
    {
        std::string host = "127.0.0.1";
        quint16 port = 8787; ///< 0 picks a free port
        int threads = 2;
        std::size_t headerLimit = 16 * 1024; ///< request line + headers; beyond → 431
        std::chrono::milliseconds requestTimeout {30000}; ///< to receive a whole request once it began → 408
        std::chrono::milliseconds idleTimeout {60000}; ///< keep-alive connection with no request → closed
        std::chrono::milliseconds writeTimeout {30000};
        int backlog = 4096;
        /// Streaming responses: bytes queued per stream (not yet written) beyond which the client is
        /// a slow consumer and is dropped.
        std::size_t streamQueueLimitBytes = 256 * 1024;
        /// Streaming responses: the socket's kernel send buffer (SO_SNDBUF; Linux doubles it). Fixed
        /// so a client that stops reading fills it soon: left to autotuning it grows to 4 MiB a
        /// stream, which the queue limit above never sees.
        int streamSocketSendBuffer = 64 * 1024; ///< 0: left to the kernel
        /// Streaming responses: one write (a batch of queued chunks) must finish within this.
        std::chrono::milliseconds streamWriteTimeout {10000};
    };

    HttpServer(Options options, HttpDispatcher &dispatcher);
    ~HttpServer();
    HttpServer(const HttpServer &) = delete;
    HttpServer &operator=(const HttpServer &) = delete;

    /// Binds, listens and starts the I/O threads; returns the bound port.
    Result<quint16> start();
    /// Graceful stop: no new connections, idle ones closed, open streams ended (terminating chunk,
    /// briefly), in-flight requests finish (up to `grace`), then the threads end.
    void stop(std::chrono::milliseconds grace = std::chrono::milliseconds(10000));
    [[nodiscard]] quint16 port() const;
    /// Open connections right now (for health and tests).
    [[nodiscard]] std::size_t connectionCount() const;
    /// Open streaming responses right now.
    [[nodiscard]] std::size_t streamCount() const;
    /// Bytes queued on all open streams, not yet written (tests and metrics).
    [[nodiscard]] std::size_t streamQueuedBytes() const;

    /// Engine internals (public only so the connection code in httpserver.cpp can name it).
    struct Impl;

private:
    std::unique_ptr<Impl> d;
};

} // namespace lm::api
