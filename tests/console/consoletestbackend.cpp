// SPDX-License-Identifier: GPL-3.0-or-later
#include "consoletestbackend.h"

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

} // namespace lm::test
