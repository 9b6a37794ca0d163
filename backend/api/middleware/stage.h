// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "api/http.h"
#include "api/requestcontext.h"
#include "core/result.h"

#include <optional>

namespace lm::api {

/// The cross-cutting steps a route may switch on (RouteSpec::stages). Authentication and the
/// surface/role check run on every route that is not open; these run only where a route asks,
/// in this order before the handler and in the reverse order after it.
enum class Stage : quint8
{
    RateLimit, ///< per token / tenant / IP limits (the gateway issue installs it)
    Audit, ///< the audit row of a cross-tenant read; on for every route of a cross-tenant surface
    Idempotency, ///< `Idempotency-Key`: replay, 409 in flight, 422 on another body
    Conditional, ///< `ETag` / `If-None-Match` → 304 (the mobile issue installs it)
};

/// A set of stages as a bit mask.
class StageSet
{
public:
    constexpr StageSet() = default;
    constexpr StageSet(std::initializer_list<Stage> stages)
    {
        for (Stage s : stages)
            m_bits |= bit(s);
    }
    constexpr void insert(Stage s) { m_bits |= bit(s); }
    [[nodiscard]] constexpr bool contains(Stage s) const { return m_bits & bit(s); }
    [[nodiscard]] constexpr bool isEmpty() const { return m_bits == 0; }

private:
    static constexpr quint8 bit(Stage s) { return quint8(1u << quint8(s)); }
    quint8 m_bits = 0;
};

/// One cross-cutting step around the handler, for the routes that switch it on. Called on the
/// thread that runs the handler; one instance serves every route and thread.
class PipelineStage
{
public:
    virtual ~PipelineStage() = default;
    /// Before the handler. An error answers with its envelope, a response answers as it is (a
    /// replay, a 304) and skips the handler; nullopt lets the request go on.
    virtual Result<std::optional<HttpResponse>> before(RequestContext &ctx) = 0;
    /// After the handler, or after a later stage answered in its stead; may change the response.
    virtual void after(RequestContext &ctx, HttpResponse &response) = 0;
};

} // namespace lm::api
