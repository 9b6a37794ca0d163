// SPDX-License-Identifier: GPL-3.0-or-later
#include "healthroutes.h"

#include "api/json.h"
#include "store/database.h"

namespace lm::api {

Result<void> registerHealthRoutes(Router &router, store::Database &db, QString version)
{
    auto healthz = router.add({HttpMethod::Get, "/healthz", AccessPolicy::open(),
        [version](RequestContext &) -> Result<HttpResponse> {
            return jsonResponse(200,
                {{QStringLiteral("status"), QStringLiteral("ok")}, {QStringLiteral("version"), version}});
        }});
    if (!healthz.ok())
        return healthz;
    return router.add(
        {HttpMethod::Get, "/readyz", AccessPolicy::open(), [&db](RequestContext &) -> Result<HttpResponse> {
             if (auto ping = db.ping(); !ping.ok())
                 return ApiError {ErrorCode::Unavailable, QStringLiteral("The store is not reachable"), {}};
             return jsonResponse(200,
                 {{QStringLiteral("status"), QStringLiteral("ready")},
                     {QStringLiteral("store"), QStringLiteral("ok")}});
         }});
}

} // namespace lm::api
