// SPDX-License-Identifier: GPL-3.0-or-later
#include "consoletestbackend.h"

#include "core/ulid.h"
#include "store/database.h"
#include "store/store.h"
#include "testserver.h"

namespace lm::test {

ConsoleTestBackend::ConsoleTestBackend(TestServer *server, QObject *parent)
    : QObject(parent)
    , m_server(server)
{ }

QString ConsoleTestBackend::serverUrl() const
{
    return m_server->error().isEmpty() ? m_server->host().baseUrl() : QString();
}

QString ConsoleTestBackend::error() const
{
    return m_server->error();
}

QVariantMap ConsoleTestBackend::approval(const QString &approvalId) const
{
    auto q = m_server->host().store().db().query(
        QStringLiteral("SELECT status, resolution, resolution_note, selected_option, resolved_by_name FROM "
                       "approvals WHERE id = ?"));
    q.bind(approvalId);
    if (!q.exec().ok() || !q.next())
        return {};
    return {{QStringLiteral("status"), q.string(0)}, {QStringLiteral("resolution"), q.string(1)},
        {QStringLiteral("note"), q.string(2)}, {QStringLiteral("selectedOption"), q.string(3)},
        {QStringLiteral("resolvedBy"), q.string(4)}};
}

int ConsoleTestBackend::pendingCount() const
{
    auto q = m_server->host().store().db().query(
        QStringLiteral("SELECT COUNT(*) FROM approvals WHERE status = 'pending'"));
    if (!q.exec().ok() || !q.next())
        return -1;
    return int(q.int64(0));
}

QString ConsoleTestBackend::pendingCampaignApproval() const
{
    auto q = m_server->host().store().db().query(QStringLiteral(
        "SELECT id FROM approvals WHERE status = 'pending' AND campaign_id IS NOT NULL ORDER BY id LIMIT 1"));
    if (!q.exec().ok() || !q.next())
        return {};
    return q.string(0);
}

bool ConsoleTestBackend::setCampaignCap(const QString &approvalId, double capUsd)
{
    auto q = m_server->host().store().db().query(
        QStringLiteral("UPDATE campaigns SET budget_cap_micros = ? WHERE id = (SELECT campaign_id FROM "
                       "approvals WHERE id = ?)"));
    q.bindNullableInt(capUsd < 0 ? std::nullopt : std::optional<qint64>(qRound64(capUsd * 1e6)))
        .bind(approvalId);
    return q.exec().ok();
}

QString ConsoleTestBackend::addApprovalWithoutCampaign()
{
    store::Store &store = m_server->host().store();
    auto tenant = store.db().query(QStringLiteral("SELECT tenant_id FROM approvals ORDER BY id LIMIT 1"));
    if (!tenant.exec().ok() || !tenant.next())
        return {};
    store::Approval a;
    a.id = Ulid::generate();
    a.tenantId = tenant.string(0);
    a.title = QStringLiteral("Approve the spring newsletter list");
    a.type = QStringLiteral("channel_action");
    a.riskLevel = QStringLiteral("low");
    a.createdById = QStringLiteral("copywriter");
    a.createdByName = QStringLiteral("Cora Copywriter");
    a.createdAtMs = a.updatedAtMs = m_server->clock().nowMs();
    a.expiresAtMs = a.createdAtMs + 24LL * 3600 * 1000;
    return store.approvals.insert(a, {}).ok() ? a.id : QString();
}

} // namespace lm::test
