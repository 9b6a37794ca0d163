// SPDX-License-Identifier: GPL-3.0-or-later
#include "agentfixture.h"

#include "agents/runexecutor.h"
#include "core/ulid.h"
#include "services/activityflow.h"

namespace lm::test {

const QString AgentFixture::kModel = QStringLiteral("runtime-test-model");

bool AgentFixture::setUp()
{
    auto tenants = store().tenants.list(store::TenantScope::allTenants());
    if (!tenants.ok())
        return false;
    for (const auto &t : std::as_const(*tenants))
        (t.slug == QLatin1String("acme") ? m_tenantId : m_otherTenantId) = t.id;
    store::Campaign c;
    c.id = Ulid::generate();
    c.tenantId = m_tenantId;
    c.name = QStringLiteral("Spring smiles");
    c.brief = QStringLiteral("Fill the spring check-up calendar.");
    c.status = QStringLiteral("active");
    c.createdBy = QStringLiteral("test");
    c.createdAtMs = c.updatedAtMs = m_server.clock().nowMs();
    m_campaignId = c.id;
    const QJsonObject simulator {
        {QStringLiteral("tokensPerSecond"), 0}, {QStringLiteral("forceAction"), QStringLiteral("none")}};
    return store().campaigns.insert(c).ok()
        && store().agents.upsertPrice({kModel, 1'000'000, 2'000'000}, m_server.clock().nowMs()).ok()
        && insertAgent(m_tenantId, QStringLiteral("copywriter"), QStringLiteral("simulator"), simulator)
        && insertAgent(m_tenantId, QStringLiteral("strategist"), QStringLiteral("simulator"), simulator)
        && insertAgent(m_otherTenantId, QStringLiteral("analyst"), QStringLiteral("simulator"), simulator)
        && insertSkill({}, QStringLiteral("brand-voice"), QStringLiteral("Global voice."))
        && insertSkill(m_tenantId, QStringLiteral("brand-voice"), QStringLiteral("Acme's own voice."))
        && insertSkill({}, QStringLiteral("offers"), QStringLiteral("Never promise prices."))
        && insertSkill(m_otherTenantId, QStringLiteral("globex-secret"), QStringLiteral("Not for Acme."));
}

bool AgentFixture::insertAgent(const QString &tenantId, const QString &role, const QString &adapterType,
    const QJsonObject &adapterConfig)
{
    store::AgentConfig a;
    a.id = Ulid::generate();
    a.tenantId = tenantId;
    a.role = role;
    a.name = QStringLiteral("Agent ") + role;
    a.model = kModel;
    a.adapterType = adapterType;
    a.adapterConfig = adapterConfig;
    a.createdAtMs = a.updatedAtMs = m_server.clock().nowMs();
    return store().agents.insert(a).ok();
}

bool AgentFixture::insertSkill(const QString &tenantId, const QString &name, const QString &content)
{
    store::Skill s;
    s.id = Ulid::generate();
    s.tenantId = tenantId;
    s.name = name;
    s.description = QStringLiteral("About ") + name;
    s.agentRoles = {QStringLiteral("copywriter")};
    s.content = content;
    s.createdBy = QStringLiteral("test");
    s.createdAtMs = s.updatedAtMs = m_server.clock().nowMs();
    return store().agents.insertSkill(s).ok();
}

store::Activity AgentFixture::newActivity(const QString &status) const
{
    store::Activity a;
    a.id = Ulid::generate();
    a.tenantId = m_tenantId;
    a.campaignId = m_campaignId;
    a.title = QStringLiteral("Spring check-up post");
    a.type = QStringLiteral("social_post");
    a.status = status;
    a.agentRole = QStringLiteral("copywriter");
    a.inputPrompt = QStringLiteral("Write a post about spring check-ups.");
    a.createdAtMs = a.updatedAtMs = m_server.clock().nowMs();
    return a;
}

MadeRun AgentFixture::makeRun(const QString &runStatus)
{
    const store::Activity a = newActivity(QStringLiteral("in_progress"));
    if (!store().activities.insert(a).ok())
        return {};
    store::Run r;
    r.id = Ulid::generate();
    r.tenantId = m_tenantId;
    r.activityId = a.id;
    r.agentRole = a.agentRole;
    r.adapterType = QStringLiteral("webhook");
    r.model = kModel;
    r.status = runStatus;
    const QString token = agents::RunToken::generate();
    r.tokenHash = agents::RunToken::hash(token);
    r.startedAtMs = m_server.clock().nowMs();
    if (runStatus != QLatin1String("running"))
        r.completedAtMs = r.startedAtMs;
    if (!store().runs.insert(r).ok())
        return {};
    return {r.id, a.id, token};
}

bool AgentFixture::enqueue(const store::Activity &activity)
{
    if (!store().activities.insert(activity).ok())
        return false;
    services::UnitOfWork work(m_server.host().engine());
    if (!work.isActive())
        return false;
    services::ActivityFlow flow(m_server.host().engine());
    return flow.apply(work, activity, workflow::ActivityEvent::Assign).ok() && work.commit().ok();
}

} // namespace lm::test
