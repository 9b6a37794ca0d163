// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "services/activityflow.h"

namespace lm::services {

/// Blog and social post requests (spec: Content Requests). An approved request starts its activity
/// pipeline at once when the tenant has an eligible campaign period (docs/api/dashboard-intake.md):
/// an active campaign with a deliverable of the request's type (blog_post, social_post) whose
/// targets allow it (no platforms, or the request's channel or platform among them) and a period
/// that contains today (UTC). The activity joins that period, is assigned to the deliverable's agent
/// role and queued; the request becomes in_production. Without one the request stays approved.
class ContentRequestPipeline
{
public:
    explicit ContentRequestPipeline(EngineContext &engine)
        : m_flow(engine)
    { }

    /// Inside the unit of work that stores the request: starts production when a period is
    /// eligible. Returns the request as it is afterwards.
    Result<store::ContentRequest> start(UnitOfWork &work, store::ContentRequest request);

    /// The deliverable type a request kind produces.
    [[nodiscard]] static QString deliverableType(const QString &kind);

private:
    ActivityFlow m_flow;
};

} // namespace lm::services
