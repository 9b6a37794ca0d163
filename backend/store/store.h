// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "store/activityrepository.h"
#include "store/agentrepository.h"
#include "store/approvalrepository.h"
#include "store/auditrepository.h"
#include "store/campaignrepository.h"
#include "store/channelrepository.h"
#include "store/credentialrepository.h"
#include "store/database.h"
#include "store/eventrepository.h"
#include "store/integrationrepository.h"
#include "store/leadrepository.h"
#include "store/requestrepository.h"
#include "store/insightstore.h"
#include "store/runrepository.h"
#include "store/teamrepository.h"
#include "store/tenantrepository.h"
#include "store/userrepository.h"

namespace lm::store {

/// The database and one repository per aggregate, as the services use them.
class Store
{
public:
    explicit Store(DatabaseConfig config)
        : m_db(std::move(config))
        , tenants(m_db)
        , users(m_db)
        , mfa(m_db)
        , refreshTokens(m_db)
        , audit(m_db)
        , agents(m_db)
        , campaigns(m_db)
        , activities(m_db)
        , runs(m_db)
        , approvals(m_db)
        , events(m_db)
        , team(m_db)
        , integrations(m_db)
        , leads(m_db)
        , contentRequests(m_db)
        , channels(m_db)
        , insight(m_db)
    { }

    [[nodiscard]] Database &db() { return m_db; }
    /// Applies pending migrations; refuses a schema newer than this binary.
    Result<void> migrate();

private:
    Database m_db;

public:
    TenantRepository tenants;
    UserRepository users;
    MfaRepository mfa;
    RefreshTokenRepository refreshTokens;
    AuditRepository audit;
    AgentRepository agents;
    CampaignRepository campaigns;
    ActivityRepository activities;
    RunRepository runs;
    ApprovalRepository approvals;
    EventRepository events;
    TeamRepository team;
    IntegrationRepository integrations;
    LeadRepository leads;
    ContentRequestRepository contentRequests;
    ChannelRepository channels;
    InsightStore insight;
};

} // namespace lm::store
