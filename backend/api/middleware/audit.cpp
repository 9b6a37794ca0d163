// SPDX-License-Identifier: GPL-3.0-or-later
#include "audit.h"

#include "api/json.h"
#include "api/router.h"
#include "core/clock.h"
#include "core/ulid.h"
#include "store/auditrepository.h"

namespace lm::api {

store::TenantScope requestScope(const RequestContext &ctx)
{
    if (ctx.route && ctx.route->access->isCrossTenant())
        return store::TenantScope::allTenants();
    return store::TenantScope::forAccount(ctx.principal ? ctx.principal->tenantId : QString());
}

void AuditStage::after(RequestContext &ctx, HttpResponse &response)
{
    if (response.status < 200 || response.status >= 300 || !ctx.principal)
        return;
    if (!ctx.readAudit && ctx.request.method != HttpMethod::Get)
        return;
    const ReadAudit read = ctx.readAudit.value_or(
        ReadAudit {surfaceName(ctx.route->access->surfaceValue()) + QStringLiteral(".read"), {},
            QStringLiteral("platform"), {},
            {{QStringLiteral("route"), QString::fromStdString(ctx.route->pattern)}}});
    store::AuditEntry entry;
    entry.id = Ulid::generate();
    entry.tenantId = read.tenantId;
    entry.actorId = ctx.principal->userId;
    entry.actorType = QStringLiteral("user");
    entry.impersonatorId = ctx.principal->impersonatorId;
    entry.action = read.action;
    entry.targetType = read.targetType;
    entry.targetId = read.targetId;
    entry.ip = ctx.clientIp();
    entry.requestId = ctx.requestId;
    entry.changes = read.details;
    entry.createdAtMs = m_clock.nowMs();
    if (auto r = m_audit.append(entry); !r.ok())
        response = errorResponse(r.error(), ctx.requestId);
}

} // namespace lm::api
