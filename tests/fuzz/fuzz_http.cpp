// SPDX-License-Identifier: GPL-3.0-or-later
// HTTP request framing and routing: the engine's Beast parser under the server's limits
// (frameRequest: header limit, the route's body limit) and the lookup in the server's real route
// table (a ServerHost on SQLite, started once; no request is dispatched to a handler).
#include "api/httpserver.h"
#include "api/pipeline.h"
#include "api/requestframing.h"
#include "fuzzcheck.h"
#include "server/serverhost.h"
#include "testserver.h"

#include <QCoreApplication>

#include <cstddef>
#include <cstdint>

using namespace lm;

namespace {

/// Never asked: the fuzzer frames and routes, it does not dispatch.
class NoAuthenticator final : public api::Authenticator
{
public:
    Result<Principal> authenticate(std::string_view) const override
    {
        return ApiError::unauthorized(QStringLiteral("fuzzing"));
    }
};

struct Harness
{
    test::TestServer server {test::TestServer::Settings {false, false, std::chrono::milliseconds(30000), 0}};
    NoAuthenticator authenticator;
    api::AccessLog accessLog {QString()};
    SystemClock clock;
    // The server's own settings: 1 MiB default body limit, route overrides from the table.
    api::Pipeline pipeline {server.host().router(), authenticator, accessLog, clock, {1024 * 1024, 1}};
    std::size_t headerLimit = api::HttpServer::Options {}.headerLimit;
};

Harness *harness = nullptr;

} // namespace

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    static QCoreApplication app(*argc, *argv);
    harness = new Harness; // lives as long as the process
    if (!harness->server.error().isEmpty()) {
        std::fprintf(stderr, "the server did not start: %s\n", qPrintable(harness->server.error()));
        std::abort();
    }
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    using Status = api::FramedRequest::Status;
    const std::string_view bytes(reinterpret_cast<const char *>(data), size);
    const api::FramedRequest framed = api::frameRequest(bytes, harness->headerLimit, harness->pipeline);
    if (framed.status != Status::Complete) {
        // Only a complete header can be too large in its body.
        if (framed.status == Status::PayloadTooLarge)
            LM_FUZZ_CHECK(!framed.request.methodText.empty());
        return 0;
    }
    const api::HttpRequest &request = framed.request;
    LM_FUZZ_CHECK(request.path.find('?') == std::string::npos);
    LM_FUZZ_CHECK(request.target.size() <= harness->headerLimit);
    LM_FUZZ_CHECK(request.body.size() <= harness->pipeline.bodyLimitFor(request.method, request.path));
    for (const auto &[name, value] : request.headers) {
        for (const char c : name)
            LM_FUZZ_CHECK(!(c >= 'A' && c <= 'Z'));
    }
    (void)request.header("content-type");
    (void)request.queryParameter(QStringLiteral("cursor"));
    const api::Router::Lookup lookup = harness->server.host().router().lookup(request.method, request.path);
    switch (lookup.outcome) {
    case api::Router::Outcome::Found:
        // HEAD is answered by the GET route (the engine sends its head without the body).
        LM_FUZZ_CHECK(lookup.route != nullptr
            && lookup.route->method
                == (request.method == api::HttpMethod::Head ? api::HttpMethod::Get : request.method));
        for (const auto &[name, value] : lookup.params)
            LM_FUZZ_CHECK(!value.empty() && value.find('/') == std::string::npos);
        break;
    case api::Router::Outcome::MethodNotAllowed:
        LM_FUZZ_CHECK(!lookup.allow.empty());
        break;
    case api::Router::Outcome::NotFound:
        LM_FUZZ_CHECK(lookup.route == nullptr);
        break;
    }
    return 0;
}
