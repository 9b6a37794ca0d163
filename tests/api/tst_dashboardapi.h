// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// /dashboard/v1 campaigns, activities and approvals against a real server on port 0, once per
// dialect. Rows are named <resource>-<case>-NN. States the API cannot reach yet (failed activities,
// approvals, outputs) are written through the host's repositories.
#include "core/ulid.h"
#include "store/store.h"
#include "testserver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QMap>
#include <QSet>
#include <QTest>

namespace lm::test {

inline QByteArray json(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

inline const QStringList kRoles {QStringLiteral("activity_planner"), QStringLiteral("strategist"),
    QStringLiteral("copywriter"), QStringLiteral("seo_specialist"), QStringLiteral("social_media_manager"),
    QStringLiteral("designer"), QStringLiteral("analyst")};

inline QByteArray validBrief(const QString &name = QStringLiteral("Spring whitening"))
{
    return json({{QStringLiteral("name"), name},
        {QStringLiteral("brief"), QStringLiteral("Grow bookings for whitening in spring.")},
        {QStringLiteral("deliverables"),
            QJsonArray {QJsonObject {{QStringLiteral("type"), QStringLiteral("blog_post")},
                            {QStringLiteral("quantity"), 2}},
                QJsonObject {{QStringLiteral("type"), QStringLiteral("social_post")},
                    {QStringLiteral("quantity"), 3},
                    {QStringLiteral("platformIds"), QJsonArray {QStringLiteral("ig")}}}}},
        {QStringLiteral("budgetCapUsd"), 250.5}});
}

/// The ids a test works on.
struct Fixture
{
    QString campaignId;
    QString failedActivityId;
    QString doneActivityId;
    QString gatedActivityId; ///< awaiting_approval, held by approvalId
    QString approvalId;
    QString optionsActivityId;
    QString optionsApprovalId; ///< has options
    QString deliverableId; ///< the campaign's first deliverable
};

} // namespace lm::test

namespace lm::test {

class TestDashboardApi : public QObject
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
    QString m_memberUserId;

    store::Store &store() { return m_server->host().store(); }
    store::TenantScope acme() const { return store::TenantScope::tenant(m_acmeId); }

    HttpReply call(const QByteArray &method, const QByteArray &path, const QByteArray &token,
        const QByteArray &body = {})
    {
        TestHttp::Headers headers;
        if (!token.isEmpty())
            headers.append({"Authorization", "Bearer " + token});
        return m_server->http().request(method, path, body, headers);
    }
    HttpReply get(const QByteArray &path, const QByteArray &token) { return call("GET", path, token); }
    HttpReply post(const QByteArray &path, const QByteArray &token, const QByteArray &body)
    {
        return call("POST", path, token, body);
    }

    QByteArray tokenFor(const QString &who) const
    {
        if (who == QLatin1String("admin"))
            return m_admin;
        if (who == QLatin1String("member"))
            return m_member;
        if (who == QLatin1String("reviewer"))
            return m_reviewer;
        if (who == QLatin1String("globex"))
            return m_globex;
        return {};
    }

    /// Simulator agents for every role of the tenant, streaming at once and taking no side actions.
    void addAgents(const QString &tenantId)
    {
        const qint64 now = m_server->clock().nowMs();
        for (const QString &role : kRoles) {
            store::AgentConfig a;
            a.id = Ulid::generate();
            a.tenantId = tenantId;
            a.role = role;
            a.name = QStringLiteral("Sim ") + role;
            a.model = QStringLiteral("simulator-1");
            a.adapterType = QStringLiteral("simulator");
            a.adapterConfig = {{QStringLiteral("tokensPerSecond"), 0},
                {QStringLiteral("forceAction"), QStringLiteral("none")}};
            a.concurrency = 4;
            a.createdAtMs = now;
            a.updatedAtMs = now;
            QVERIFY2(store().agents.insert(a).ok(), qPrintable(role));
        }
    }

    QString createCampaign(const QByteArray &body = validBrief())
    {
        const HttpReply r = post("/dashboard/v1/campaigns", m_admin, body);
        if (r.status != 201)
            qWarning() << r.status << r.body;
        return r.json().value(QStringLiteral("id")).toString();
    }

    store::Activity insertActivity(const QString &campaignId, const QString &status,
        const QString &role = QStringLiteral("copywriter"),
        const QString &title = QStringLiteral("Hand-made"))
    {
        const qint64 now = m_server->clock().nowMs();
        store::Activity a;
        a.id = Ulid::generate();
        a.tenantId = m_acmeId;
        a.campaignId = campaignId;
        a.title = title;
        a.type = QStringLiteral("blog_post");
        a.status = status;
        a.agentRole = role;
        a.inputPrompt = QStringLiteral("Write it.");
        a.retryCount = status == QLatin1String("failed") ? 3 : 0;
        a.createdAtMs = now;
        a.updatedAtMs = now;
        if (auto r = store().activities.insert(a); !r.ok())
            qWarning() << r.error().message;
        return a;
    }

    QString insertApproval(const QString &campaignId, const QString &activityId,
        const QStringList &options = {}, const QString &risk = QStringLiteral("medium"))
    {
        const qint64 now = m_server->clock().nowMs();
        store::Approval a;
        a.id = Ulid::generate();
        a.tenantId = m_acmeId;
        a.campaignId = campaignId;
        a.title = QStringLiteral("Review the draft");
        a.type = options.isEmpty() ? QStringLiteral("content_review") : QStringLiteral("content_direction");
        a.riskLevel = risk;
        a.options = options;
        a.createdByType = QStringLiteral("agent");
        a.createdById = QStringLiteral("copywriter");
        a.createdByName = QStringLiteral("Sim copywriter");
        a.expiresAtMs = now + 48LL * 3600 * 1000;
        a.createdAtMs = now;
        a.updatedAtMs = now;
        if (auto r = store().approvals.insert(a, {activityId}); !r.ok())
            qWarning() << r.error().message;
        // The activity points at its gate, as ActivityFlow leaves it.
        auto act = store().activities.find(acme(), activityId);
        if (act.ok() && act->has_value()) {
            store::Activity held = **act;
            held.approvalId = a.id;
            if (auto r = store().activities.saveTransition(acme(), held, held.status); !r.ok())
                qWarning() << r.error().message;
        }
        return a.id;
    }

    Fixture makeFixture()
    {
        Fixture f;
        f.campaignId = createCampaign();
        auto deliverables = store().campaigns.deliverables(acme(), f.campaignId);
        if (deliverables.ok() && !deliverables->isEmpty())
            f.deliverableId = deliverables->first().id;
        f.failedActivityId = insertActivity(f.campaignId, QStringLiteral("failed")).id;
        store::Activity done = insertActivity(f.campaignId, QStringLiteral("done"));
        store::Document doc;
        doc.id = Ulid::generate();
        doc.tenantId = m_acmeId;
        doc.activityId = done.id;
        doc.format = QStringLiteral("markdown");
        doc.body = QStringLiteral("# Whiter smiles\n\nBook now.");
        doc.createdAtMs = m_server->clock().nowMs();
        if (auto r = store().runs.insertDocument(doc); !r.ok())
            qWarning() << r.error().message;
        done.outputDocumentId = doc.id;
        done.outputPreview = doc.body;
        if (auto r = store().activities.saveTransition(acme(), done, done.status); !r.ok())
            qWarning() << r.error().message;
        f.doneActivityId = done.id;
        f.gatedActivityId = insertActivity(f.campaignId, QStringLiteral("awaiting_approval")).id;
        f.approvalId = insertApproval(f.campaignId, f.gatedActivityId);
        f.optionsActivityId = insertActivity(f.campaignId, QStringLiteral("awaiting_approval")).id;
        f.optionsApprovalId = insertApproval(f.campaignId, f.optionsActivityId,
            {QStringLiteral("Friendly"), QStringLiteral("Clinical")}, QStringLiteral("high"));
        return f;
    }

    QByteArray expand(QByteArray path, const Fixture &f) const
    {
        path.replace("{campaign}", f.campaignId.toLatin1());
        path.replace("{deliverable}", f.deliverableId.toLatin1());
        path.replace("{failed}", f.failedActivityId.toLatin1());
        path.replace("{done}", f.doneActivityId.toLatin1());
        path.replace("{gated}", f.gatedActivityId.toLatin1());
        path.replace("{approval}", f.approvalId.toLatin1());
        path.replace("{optionsApproval}", f.optionsApprovalId.toLatin1());
        return path;
    }

    QString adminName()
    {
        auto user = store().users.find(acme(), m_adminUserId);
        return user.ok() && user->has_value() ? (*user)->name : QString();
    }

    static QStringList detailFields(const HttpReply &r)
    {
        QStringList out;
        for (const QJsonValue &d :
            r.json().value(QStringLiteral("error")).toObject().value(QStringLiteral("details")).toArray())
            out.append(d.toObject().value(QStringLiteral("field")).toString());
        return out;
    }

private Q_SLOTS:
    void init();
    void cleanup();
    void campaignValidation_data();
    void campaignValidation();
    void queryValidation_data();
    void queryValidation();
    void access_data();
    void access();
    void cursorCodec();
    void auditTrail();
    void campaignPlanned();
    void campaignCreateAnswer();
    void periodStatus_data();
    void periodStatus();
    void activityPaging_data();
    void activityPaging();
    void campaignPaging();
    void deliverables();
    void campaignUpdate_data();
    void campaignUpdate();
    void campaignPauseResumeArchive();
    void approvalsRead();
    void approvalsListMatchesSerialiser();
    void campaignDetailMatchesSerialiser();
    void resolve_data();
    void resolve();
    void retry_data();
    void retry();
    void comments();
    void activityDetail();
};

} // namespace lm::test
