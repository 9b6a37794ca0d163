// SPDX-License-Identifier: GPL-3.0-or-later
#include "pipeline.h"

#include "api/json.h"
#include "core/logging.h"
#include "core/ulid.h"

#include <QRunnable>

#include <chrono>
#include <exception>

namespace lm::api {

namespace {
bool isPlainId(std::string_view id)
{
    if (id.empty() || id.size() > 128)
        return false;
    for (char c : id) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
            || c == '_' || c == '.' || c == ':';
        if (!ok)
            return false;
    }
    return true;
}
} // namespace

QString requestIdFor(const HttpRequest &request)
{
    const std::string_view incoming = request.header("x-request-id");
    if (isPlainId(incoming))
        return QString::fromLatin1(incoming.data(), qsizetype(incoming.size()));
    return QStringLiteral("req_") + Ulid::generate();
}

Pipeline::Pipeline(const Router &router, const Authenticator &authenticator, AccessLog &accessLog,
    const Clock &clock, Settings settings)
    : m_router(router)
    , m_authentication(authenticator)
    , m_accessLog(accessLog)
    , m_clock(clock)
    , m_settings(settings)
{
    m_blockingPool.setMaxThreadCount(std::max(1, settings.blockingThreads));
    m_blockingPool.setObjectName(QStringLiteral("lm-blocking"));
}

Pipeline::~Pipeline()
{
    drain();
}

void Pipeline::drain()
{
    m_blockingPool.waitForDone();
}

std::size_t Pipeline::bodyLimitFor(HttpMethod method, std::string_view path) const
{
    const auto lookup = m_router.lookup(method, path);
    if (lookup.route && lookup.route->bodyLimit > 0)
        return lookup.route->bodyLimit;
    return m_settings.defaultBodyLimit;
}

static_assert(int(Stage::Conditional) + 1 == 4, "Pipeline::kStageCount counts every Stage");

void Pipeline::setStage(Stage stage, std::shared_ptr<PipelineStage> implementation)
{
    m_stages[std::size_t(stage)] = std::move(implementation);
}

Result<void> Pipeline::authorize(RequestContext &ctx, const RouteSpec &route) const
{
    if (auto r = m_authentication.authenticate(ctx, route); !r.ok())
        return r;
    if (!ctx.principal)
        return {}; // an open route
    return checkAccess(*ctx.principal, *route.access);
}

HttpResponse Pipeline::runStagesAndHandler(RequestContext &ctx, const RouteSpec &route) const
{
    // Before-steps in Stage order; a stage that answers (or refuses) ends the walk there, and
    // only the stages that ran see the response afterwards, in reverse order.
    int ran = 0;
    std::optional<HttpResponse> answer;
    for (; ran < kStageCount && !answer; ++ran) {
        const auto &stage = m_stages[std::size_t(ran)];
        if (!stage || !route.stages.contains(Stage(ran)))
            continue;
        auto outcome = stage->before(ctx);
        if (!outcome.ok())
            answer = errorResponse(outcome.error(), ctx.requestId);
        else if (outcome->has_value())
            answer = std::move(**outcome);
    }
    HttpResponse response = answer ? std::move(*answer) : runHandler(ctx, route);
    for (int i = ran - 1; i >= 0; --i) {
        const auto &stage = m_stages[std::size_t(i)];
        if (stage && route.stages.contains(Stage(i)))
            stage->after(ctx, response);
    }
    return response;
}

HttpResponse Pipeline::runHandler(RequestContext &ctx, const RouteSpec &route) const
{
    // No exception may cross into the engine's event loop: anything thrown is a 500.
    try {
        auto result = route.handler(ctx);
        if (result.ok())
            return std::move(result).value();
        if (result.error().code == ErrorCode::Internal)
            qCWarning(lmApi) << "internal error" << ctx.requestId << result.error().message;
        return errorResponse(result.error(), ctx.requestId);
    } catch (const std::exception &e) {
        qCCritical(lmApi) << "handler threw" << ctx.requestId << e.what();
    } catch (...) {
        qCCritical(lmApi) << "handler threw" << ctx.requestId;
    }
    return errorResponse(ApiError::internal(), ctx.requestId);
}

void Pipeline::dispatch(HttpRequest requestIn, Responder respond)
{
    const qint64 startedAtMs = m_clock.nowMs();
    auto request = std::make_shared<HttpRequest>(std::move(requestIn));
    auto ctx = std::make_shared<RequestContext>(
        RequestContext {*request, requestIdFor(*request), {}, {}, startedAtMs, nullptr, {}, {}});

    auto lookup = m_router.lookup(request->method, request->path);
    if (lookup.outcome != Router::Outcome::Found) {
        HttpResponse response;
        if (lookup.outcome == Router::Outcome::MethodNotAllowed) {
            response = errorResponse(
                {ErrorCode::MethodNotAllowed,
                    QStringLiteral("%1 is not allowed here").arg(QString::fromStdString(request->methodText)),
                    {}},
                ctx->requestId);
            response.setHeader("Allow", lookup.allow);
        } else {
            response
                = errorResponse(ApiError::notFound(QStringLiteral("No route for this path")), ctx->requestId);
        }
        finish(*request, ctx->requestId, {}, response, startedAtMs);
        respond(std::move(response));
        return;
    }
    const RouteSpec *route = lookup.route;
    ctx->params = std::move(lookup.params);
    ctx->route = route;

    if (auto allowed = authorize(*ctx, *route); !allowed.ok()) {
        HttpResponse response = errorResponse(allowed.error(), ctx->requestId);
        if (allowed.error().code == ErrorCode::Unauthorized)
            response.setHeader("WWW-Authenticate", "Bearer");
        finish(*request, ctx->requestId, ctx->principal, response, startedAtMs);
        respond(std::move(response));
        return;
    }

    auto run = [this, request, ctx, route, respond = std::move(respond), startedAtMs]() {
        HttpResponse response = runStagesAndHandler(*ctx, *route);
        finish(*request, ctx->requestId, ctx->principal, response, startedAtMs);
        respond(std::move(response));
    };
    if (route->offload)
        m_blockingPool.start(QRunnable::create(std::move(run)));
    else
        run();
}

HttpResponse Pipeline::engineError(const ApiError &error, const HttpRequest &request)
{
    const QString requestId = requestIdFor(request);
    HttpResponse response = errorResponse(error, requestId);
    finish(request, requestId, {}, response, m_clock.nowMs());
    return response;
}

void Pipeline::finish(const HttpRequest &request, const QString &requestId,
    const std::optional<Principal> &principal, HttpResponse &response, qint64 startedAtMs) const
{
    response.setHeader("X-Request-Id", requestId.toStdString());
    if (response.header("cache-control").empty())
        response.setHeader("Cache-Control", "no-store");
    if (!m_accessLog.isEnabled())
        return;
    const qint64 now = m_clock.nowMs();
    std::string line;
    line.reserve(256);
    line += "{\"ts\":\"";
    line += isoTimestamp(now).toStdString();
    line += "\",\"requestId\":\"";
    line += jsonEscape(requestId.toStdString());
    line += "\",\"method\":\"";
    line += jsonEscape(request.methodText);
    line += "\",\"path\":\"";
    line += jsonEscape(request.path);
    line += "\",\"status\":";
    line += std::to_string(response.status);
    line += ",\"durationMs\":";
    line += std::to_string(now - startedAtMs);
    line += ",\"bytes\":";
    line += std::to_string(response.body.size());
    line += ",\"ip\":\"";
    line += jsonEscape(request.remoteIp);
    line += '"';
    if (principal) {
        if (!principal->userId.isEmpty()) {
            line += ",\"userId\":\"";
            line += principal->userId.toStdString();
            line += '"';
        }
        if (!principal->runId.isEmpty()) {
            line += ",\"runId\":\"";
            line += principal->runId.toStdString();
            line += '"';
        }
        if (!principal->tenantId.isEmpty()) {
            line += ",\"tenantId\":\"";
            line += principal->tenantId.toStdString();
            line += '"';
        }
    }
    line += '}';
    m_accessLog.write(line);
}

} // namespace lm::api
