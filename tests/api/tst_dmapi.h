// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// /dm/v1 against a real server on port 0, once per dialect, with the demo's two tenants (Acme,
// Globex) and its platform accounts (dm@, root@). No job workers: activities stay where the API
// leaves them. Rows are named <resource>-<case>-NN.
#include "core/ulid.h"
#include "store/store.h"
#include "testserver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

namespace lm::test {

class TestDmApi : public QObject
{
    Q_OBJECT

public:
    std::unique_ptr<TestServer> m_server;
    QByteArray m_dm;
    QByteArray m_root;
    QByteArray m_acmeAdmin;
    QByteArray m_acmeReviewer;
    QByteArray m_globexAdmin;
    QString m_dmUserId;
    QString m_acmeId;
    QString m_globexId;
    QString m_acmeCampaign;
    QString m_globexCampaign;

    store::Store &store() { return m_server->host().store(); }
    [[nodiscard]] qint64 now() { return m_server->clock().nowMs(); }

    HttpReply call(const QByteArray &method, const QByteArray &path, const QByteArray &token,
        const QByteArray &body = {}, TestHttp::Headers headers = {})
    {
        if (!token.isEmpty())
            headers.append({"Authorization", "Bearer " + token});
        return m_server->http().request(method, path, body, headers);
    }
    HttpReply get(const QByteArray &path, const QByteArray &token) { return call("GET", path, token); }
    HttpReply post(const QByteArray &path, const QByteArray &token, const QByteArray &body,
        const TestHttp::Headers &headers = {})
    {
        return call("POST", path, token, body, headers);
    }
    QByteArray tokenFor(const QString &who) const;

    /// A campaign of the tenant, made through the Dashboard API by its admin.
    QString createCampaign(const QByteArray &adminToken);
    store::Activity insertActivity(const QString &tenantId, const QString &status);
    /// A pending approval holding a new awaiting_approval activity (written through the store).
    QString insertApproval(const QString &tenantId, const QString &risk, qint64 expiresInMs,
        const QString &title = QStringLiteral("Review the draft"), QString *activityId = nullptr);
    [[nodiscard]] QString statusOf(const QString &activityId);
    [[nodiscard]] QString approvalStatus(const QString &approvalId);
    /// The ids of a list page, and its next cursor.
    QStringList pageIds(const QByteArray &path, QString *nextCursor = nullptr);
    /// Audit rows of the DM user with that action.
    QList<store::AuditEntry> auditOf(const QString &action);

private Q_SLOTS:
    void init();
    void cleanup();
    // tst_dmapi.cpp
    void access_data();
    void access();
    void overview();
    void queueOrderAndFilters();
    void queueQueryValidation_data();
    void queueQueryValidation();
    void queuePagingWhileInserting();
    void detailAndResolve();
    void bulkResolve();
    void bulkValidation_data();
    void bulkValidation();
    // tst_dmapi_live.cpp
    void idempotentResolve();
    void idempotencyRules();
    void pauseResume();
    void activityDetailAndStream();
    void eventsStream();
};

} // namespace lm::test
