// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// /dashboard/v1 audit log, logs, analytics, org chart, reports, paid ads, recurring tasks and chat
// against a real server on port 0, once per dialect. Rows are named <resource>-<case>-NN. The
// engine's history (runs with costs, reports, ads data) is written through the host's repositories.
#include "core/ulid.h"
#include "store/store.h"
#include "testserver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

namespace lm::test {

inline QByteArray json(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

/// The ids a test works on (acme).
struct InsightFixture
{
    QString campaignId; ///< active, $100 cap, $40 spent
    QString otherCampaignId; ///< paused, no cap
    QString reportId; ///< ready monthly_performance of campaignId
    QString adCampaignId;
    QString termId; ///< watch
    QString taskId; ///< monthly analyst performance report, active
    QString conversationId; ///< the admin's
};

class TestInsightApi : public QObject
{
    Q_OBJECT

    std::unique_ptr<TestServer> m_server;
    QByteArray m_admin;
    QByteArray m_member;
    QByteArray m_reviewer;
    QByteArray m_globex;
    QString m_acmeId;
    QString m_globexId;
    QString m_adminUserId;
    int m_auditBaseline = 0;

    store::Store &store() { return m_server->host().store(); }
    store::TenantScope acme() const { return store::TenantScope::tenant(m_acmeId); }
    qint64 now() { return m_server->clock().nowMs(); }

    HttpReply call(const QByteArray &method, const QByteArray &path, const QByteArray &token,
        const QByteArray &body = {})
    {
        TestHttp::Headers headers;
        if (!token.isEmpty())
            headers.append({"Authorization", "Bearer " + token});
        return m_server->http().request(method, path, body, headers);
    }
    HttpReply get(const QByteArray &path, const QByteArray &token) { return call("GET", path, token); }

    QByteArray tokenFor(const QString &who) const;
    void addAgents(const QString &tenantId);
    QString addCampaign(
        const QString &name, const QString &status, std::optional<qint64> capMicros, qint64 spentMicros);
    /// A done activity of `type` with one completed run costing `costMicros`, started at `startedAtMs`.
    QString addRun(const QString &campaignId, const QString &role, const QString &model, const QString &type,
        qint64 costMicros, qint64 startedAtMs);
    InsightFixture makeFixture();
    QByteArray expand(QByteArray path, const InsightFixture &f) const;
    static QStringList detailFields(const HttpReply &r);
    /// The newest audit row of the tenant.
    store::AuditEntry lastAudit();
    /// The tenant's audit rows (sign-ins included).
    int auditCount();

private Q_SLOTS:
    void init();
    void cleanup();
    void access_data();
    void access();
    void queryValidation_data();
    void queryValidation();
    void auditLog();
    void engineLogs();
    void engineApprovalAndBillingLogs();
    void logsFilters();
    void spend();
    void spendWindow();
    void performance();
    void orgChart();
    void reports();
    void paidAds();
    void classify_data();
    void classify();
    void recurringList();
    void recurringPatch_data();
    void recurringPatch();
    void recurringToggle();
    void recurringRunNow();
    void schedulerRunsOnce();
    void schedulerThroughQueue();
    void chatStream();
    void chatContinues();
    void chatValidation_data();
    void chatValidation();
    void chatIsolation();
    void chatThroughProvider();
};

} // namespace lm::test
