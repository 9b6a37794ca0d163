// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "api/middleware/stage.h"
#include "store/tenantscope.h"

namespace lm {
class Clock;
}
namespace lm::store {
class AuditRepository;
}

namespace lm::api {

/// The scope a request reads in, from its route's policy: every tenant on the cross-tenant
/// surfaces (DM, admin, CLI), the caller's own tenant (or the platform) everywhere else.
[[nodiscard]] store::TenantScope requestScope(const RequestContext &ctx);

/// Stage::Audit: the audit row of every successful read on a cross-tenant surface — what the
/// handler recorded with RequestContext::auditRead (the object's tenant, its id), or the route's
/// default platform row `<surface>.read` when a GET recorded nothing, so no cross-tenant read goes
/// unaudited. Writes (POST, PATCH, DELETE) are audited by the services that make them. A row that
/// cannot be written turns the answer into a 500: nothing is read across tenants unaudited.
class AuditStage final : public PipelineStage
{
public:
    AuditStage(store::AuditRepository &audit, const Clock &clock)
        : m_audit(audit)
        , m_clock(clock)
    { }

    Result<std::optional<HttpResponse>> before(RequestContext &) override
    {
        return std::optional<HttpResponse>();
    }
    void after(RequestContext &ctx, HttpResponse &response) override;

private:
    store::AuditRepository &m_audit;
    const Clock &m_clock;
};

} // namespace lm::api
