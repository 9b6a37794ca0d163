// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// /dashboard/v1 Team, Agents, Skills and Integrations against a real server on port 0, once per
// dialect. Rows are named <resource>-<case>-NN. Providers are faked on loopback in their own protocol.
#include "auth/authservice.h"
#include "core/ulid.h"
#include "store/store.h"
#include "testserver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

namespace lm::test {

class TestConfigApi : public QObject
{
    Q_OBJECT

    std::unique_ptr<TestServer> m_server;
    QByteArray m_admin;
    QByteArray m_member;
    QByteArray m_reviewer;
    QByteArray m_globex;
    QString m_memberRefresh;
    QString m_acmeId;
    QString m_globexId;
    QString m_adminUserId;
    QString m_memberUserId;
    QString m_reviewerUserId;

    store::Store &store() { return m_server->host().store(); }
    store::TenantScope acme() const { return store::TenantScope::tenant(m_acmeId); }

    static QByteArray json(const QJsonObject &o) { return QJsonDocument(o).toJson(QJsonDocument::Compact); }

    HttpReply call(const QByteArray &method, const QByteArray &path, const QByteArray &token,
        const QByteArray &body = {}, TestHttp::Headers headers = {})
    {
        if (!token.isEmpty())
            headers.append({"Authorization", "Bearer " + token});
        return m_server->http().request(method, path, body, headers);
    }
    QByteArray tokenFor(const QString &who) const;

    /// Simulator agents for the seven demo roles of a tenant.
    void addAgents(const QString &tenantId);
    /// An agent of another adapter (openai at `baseUrl` with a sealed key).
    void addOpenAiAgent(const QString &role, const QString &baseUrl, const QByteArray &apiKey);
    /// A skill row; empty tenant → global.
    QString addSkill(const QString &tenantId, const QString &name, const QStringList &roles,
        const QString &content = QStringLiteral("# Skill\n\nDo it well."));
    /// A multipart/form-data body and its Content-Type.
    struct Form
    {
        QByteArray body;
        QByteArray contentType;
    };
    struct FormPart
    {
        QByteArray name;
        QByteArray data;
        QByteArray filename; ///< empty: a text field
        QByteArray contentType;
    };
    static Form form(const QList<FormPart> &parts);
    HttpReply postForm(
        const QByteArray &path, const QByteArray &token, const Form &f, const QByteArray &method = "POST")
    {
        return call(method, path, token, f.body, {{"Content-Type", f.contentType}});
    }
    /// Creates an integration through the API; returns its id.
    QString createIntegration(const QJsonObject &body);
    static QStringList detailFields(const HttpReply &r);
    static bool hasIssue(const HttpReply &r, const QString &field, const QString &issue);
    /// Every text stored in a table, rows joined (tests look for secrets in clear).
    QString tableText(const QString &table);

private Q_SLOTS:
    void init();
    void cleanup();
    void access_data();
    void access();
    // Team
    void teamList();
    void inviteValidation_data();
    void inviteValidation();
    void invite();
    void inviteConflicts();
    void roleChange();
    void removeUser();
    // Agents
    void agentsList();
    void agentDetailRedacts();
    void agentPatchValidation_data();
    void agentPatchValidation();
    void agentPatch();
    void agentTest();
    // Skills
    void skillsList();
    void skillUploadValidation_data();
    void skillUploadValidation();
    void skillUpload();
    void skillChangeAndDelete();
    // Integrations
    void integrationValidation_data();
    void integrationValidation();
    void integrationKeysStayHidden();
    void integrationTest_data();
    void integrationTest();
    void integrationUpdateAndDelete();
};

} // namespace lm::test
