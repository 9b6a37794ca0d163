// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// /dashboard/v1 leads, content requests and channels against a real server on port 0, once per
// dialect; channel connections against a fake OAuth2 provider on loopback. Rows are named
// <resource>-<case>-NN.
#include "core/ulid.h"
#include "store/store.h"
#include "testserver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

namespace lm::test {

inline QByteArray intakeJson(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

class TestIntakeApi : public QObject
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
    QString m_globexUserId;

    store::Store &store() { return m_server->host().store(); }
    store::TenantScope acme() const { return store::TenantScope::tenant(m_acmeId); }

    HttpReply call(const QByteArray &method, const QByteArray &path, const QByteArray &token,
        const QByteArray &body = {}, TestHttp::Headers headers = {})
    {
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
        return m_globex;
    }
    static QStringList detailFields(const HttpReply &r)
    {
        QStringList out;
        for (const QJsonValue &d :
            r.json().value(QStringLiteral("error")).toObject().value(QStringLiteral("details")).toArray())
            out.append(d.toObject().value(QStringLiteral("field")).toString() + QLatin1Char('/')
                + d.toObject().value(QStringLiteral("issue")).toString());
        return out;
    }
    /// POST /leads/import with a CSV file and a source label.
    HttpReply importCsv(
        const QByteArray &csv, const QByteArray &source = "Trade show", const QByteArray &token = {})
    {
        const QByteArray boundary = "----lmBoundary7MA4YWxkTrZu0gW";
        QByteArray body;
        if (!source.isNull())
            body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"source\"\r\n\r\n" + source
                + "\r\n";
        if (!csv.isNull())
            body += "--" + boundary
                + "\r\nContent-Disposition: form-data; name=\"file\"; "
                  "filename=\"leads.csv\"\r\nContent-Type: text/csv\r\n\r\n"
                + csv + "\r\n";
        body += "--" + boundary + "--\r\n";
        return call("POST", "/dashboard/v1/leads/import", token.isEmpty() ? m_admin : token, body,
            {{"Content-Type", "multipart/form-data; boundary=" + boundary}});
    }
    /// Polls the import until it is no longer processing (20 s at most).
    QJsonObject waitForImport(const QString &importId)
    {
        QJsonObject status;
        for (int i = 0; i < 400; ++i) {
            status = get("/dashboard/v1/leads/imports/" + importId.toLatin1(), m_member).json();
            if (status.value(QStringLiteral("status")).toString() != QLatin1String("processing"))
                break;
            QTest::qWait(50);
        }
        return status;
    }
    QString createLead(const QJsonObject &body)
    {
        const HttpReply r = post("/dashboard/v1/leads", m_admin, intakeJson(body));
        if (r.status != 201)
            qWarning() << r.status << r.body;
        return r.json().value(QStringLiteral("id")).toString();
    }
    /// An active campaign with one deliverable of `type` and a period around today.
    QString insertActiveCampaign(const QString &type, const QStringList &platformIds = {});
    QList<store::AuditEntry> audit(const QString &action)
    {
        auto rows = store().audit.list(acme(), action);
        return rows.ok() ? *rows : QList<store::AuditEntry>();
    }

private Q_SLOTS:
    void init();
    void cleanup();
    // leads
    void leadValidation_data();
    void leadValidation();
    void leadLifecycle();
    void leadListing();
    void leadImport();
    void leadImportValidation_data();
    void leadImportValidation();
    void csvParser();
    // roles and tenants
    void access_data();
    void access();
    // content requests
    void requestValidation_data();
    void requestValidation();
    void blogRequestPipeline();
    void socialRequests();
    // channels
    void channelConnectFlow();
    void channelConnectRefusals();
    void channelHealth();
};

} // namespace lm::test
