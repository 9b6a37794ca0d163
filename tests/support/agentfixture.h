// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "store/store.h"
#include "testserver.h"

namespace lm::test {

/// A run made directly in the store, with the token a runtime would have been handed.
struct MadeRun
{
    QString runId;
    QString activityId;
    QString token;
};

/// The state the /agent/v1 tests build on a demo TestServer: an active campaign of acme, a priced
/// model, simulator agents (acme: copywriter, strategist; globex: analyst), and copywriter skills
/// (a global and an acme `brand-voice`, a global `offers`, a globex `globex-secret`).
class AgentFixture
{
public:
    /// The model every fixture agent uses: $1 per million input tokens, $2 per million output.
    static const QString kModel;

    explicit AgentFixture(TestServer &server)
        : m_server(server)
    { }

    /// Builds the state; false when any write failed.
    [[nodiscard]] bool setUp();

    [[nodiscard]] store::Store &store() { return m_server.host().store(); }
    /// acme's scope.
    [[nodiscard]] store::TenantScope scope() const { return store::TenantScope::tenant(m_tenantId); }
    [[nodiscard]] const QString &tenantId() const { return m_tenantId; }
    [[nodiscard]] const QString &otherTenantId() const { return m_otherTenantId; }
    [[nodiscard]] const QString &campaignId() const { return m_campaignId; }

    [[nodiscard]] bool insertAgent(const QString &tenantId, const QString &role, const QString &adapterType,
        const QJsonObject &adapterConfig);
    [[nodiscard]] bool insertSkill(const QString &tenantId, const QString &name, const QString &content);
    /// An acme copywriter activity of the campaign (not stored).
    [[nodiscard]] store::Activity newActivity(const QString &status) const;
    /// An in-progress activity with a run of the given status and its token, stored directly.
    [[nodiscard]] MadeRun makeRun(const QString &runStatus = QStringLiteral("running"));
    /// Stores a created activity and assigns it as the engine does, so the workers run it.
    [[nodiscard]] bool enqueue(const store::Activity &activity);

private:
    TestServer &m_server;
    QString m_tenantId;
    QString m_otherTenantId;
    QString m_campaignId;
};

} // namespace lm::test
