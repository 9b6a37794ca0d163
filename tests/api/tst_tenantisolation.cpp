// SPDX-License-Identifier: GPL-3.0-or-later
// Tenant isolation, route by route: every /dashboard/v1 route with an id, called by another
// tenant's admin with an id of the first tenant, answers 404 and changes nothing.
//
// Nothing here names a route. The routes come from the router; each `:xxxId` is filled with a row
// of the first tenant from the table that holds that resource (found by name: `campaignId` →
// campaigns, `termId` → …_terms, `userId` → users); the first tenant's rows in every tenant table
// are compared before and after. A route added later is covered as it is; one whose resource cannot
// be found by that rule fails here with a message that says why.
#include "api/router.h"
#include "store/store.h"
#include "testserver.h"

#include <QCryptographicHash>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTest>

using namespace lm;
using namespace lm::test;

namespace {

const QString kTenantColumn = QStringLiteral("tenant_id");

/// `campaign_id`, `recurring-tasks`, `searchTerm` → `campaignid`, `recurringtasks`, `searchterm`.
QString normalized(QString name)
{
    return name.remove(QLatin1Char('_')).remove(QLatin1Char('-')).toLower();
}

/// The plural a table would be named with: `activity` → `activities`, `campaign` → `campaigns`.
QString plural(const QString &singular)
{
    if (singular.endsWith(QLatin1Char('y')))
        return singular.chopped(1) + QStringLiteral("ies");
    if (singular.endsWith(QLatin1Char('s')))
        return singular + QStringLiteral("es");
    return singular + QLatin1Char('s');
}

} // namespace

class TestTenantIsolation : public QObject
{
    Q_OBJECT

    std::unique_ptr<TestServer> m_server;
    QByteArray m_owner; ///< acme's admin
    QByteArray m_intruder; ///< globex's admin
    QString m_ownerTenant;
    QStringList m_tenantTables;

    store::Database &db() { return m_server->host().store().db(); }

    /// The tables with a tenant_id column.
    QStringList tenantTables()
    {
        QSqlDatabase connection = db().connection();
        QStringList out;
        for (const QString &table : connection.tables(QSql::Tables)) {
            if (connection.record(table).contains(kTenantColumn))
                out.append(table);
        }
        out.sort();
        return out;
    }

    /// A digest of every row of the tenant, table by table.
    QMap<QString, QByteArray> snapshot(const QString &tenantId)
    {
        QMap<QString, QByteArray> out;
        QSqlDatabase connection = db().connection();
        for (const QString &table : std::as_const(m_tenantTables)) {
            QSqlQuery q(connection);
            q.prepare(QStringLiteral("SELECT * FROM %1 WHERE tenant_id = ?").arg(table));
            q.addBindValue(tenantId);
            if (!q.exec()) {
                out.insert(table, "error: " + q.lastError().text().toUtf8());
                continue;
            }
            // Row order is not part of the state: sort the rows' serialisations.
            QList<QByteArray> rows;
            while (q.next()) {
                QByteArray row;
                for (int i = 0; i < q.record().count(); ++i)
                    row += q.record().fieldName(i).toUtf8() + '=' + q.value(i).toString().toUtf8() + '\x1f';
                rows.append(row);
            }
            std::sort(rows.begin(), rows.end());
            QCryptographicHash hash(QCryptographicHash::Sha256);
            for (const QByteArray &row : std::as_const(rows))
                hash.addData(row);
            out.insert(table, QByteArray::number(rows.size()) + ':' + hash.result().toHex());
        }
        return out;
    }

    /// The table holding the resource a path parameter names, or empty.
    QString tableFor(const QString &param) const
    {
        const QString singular = normalized(param.chopped(2)); // minus "Id"
        const QString wanted = plural(singular);
        // An exact name first (`campaigns`), then the shortest one ending with it (`leadimports`,
        // `paidadssearchterms`).
        QString best;
        for (const QString &table : m_tenantTables) {
            const QString name = normalized(table);
            if (name == wanted)
                return table;
            if (name.endsWith(wanted) && (best.isEmpty() || table.size() < best.size()))
                best = table;
        }
        return best;
    }

    /// Ids of the owner's rows in `table`, most recent first.
    QStringList ownerRows(const QString &table, int limit)
    {
        QSqlQuery q(db().connection());
        q.prepare(QStringLiteral("SELECT id FROM %1 WHERE tenant_id = ? ORDER BY id DESC").arg(table));
        q.addBindValue(m_ownerTenant);
        QStringList out;
        if (!q.exec())
            return out;
        while (out.size() < limit && q.next())
            out.append(q.value(0).toString());
        return out;
    }

    HttpReply call(const QByteArray &method, const QByteArray &path, const QByteArray &token)
    {
        TestHttp::Headers headers {{"Authorization", "Bearer " + token}};
        QByteArray body;
        if (method == "POST" || method == "PATCH" || method == "PUT") {
            // An empty object: a route must find the id before it judges the body.
            headers.append(qMakePair(QByteArray("Content-Type"), QByteArray("application/json")));
            body = "{}";
        }
        return m_server->http().request(method, path, body, headers);
    }

private Q_SLOTS:
    void initTestCase()
    {
        // No job workers: the store changes only through the API, so "nothing changed" is exact.
        TestServer::Settings settings;
        settings.demoEngineData = true;
        settings.workers = 0;
        m_server = std::make_unique<TestServer>(settings);
        QVERIFY2(m_server->error().isEmpty(), qPrintable(m_server->error()));
        QJsonObject answer;
        m_owner = m_server->login(QStringLiteral("admin@acme.demo"), &answer);
        m_intruder = m_server->login(QStringLiteral("admin@globex.demo"));
        QVERIFY(!m_owner.isEmpty() && !m_intruder.isEmpty());
        auto user = m_server->host().store().users.findActiveForLogin(QStringLiteral("admin@acme.demo"));
        QVERIFY(user.ok() && user->has_value());
        m_ownerTenant = (*user)->tenantId;
        m_tenantTables = tenantTables();
        QVERIFY(m_tenantTables.contains(QStringLiteral("campaigns")));
    }

    void everyRouteWithAnIdIsClosedToOtherTenants()
    {
        const QMap<QString, QByteArray> before = snapshot(m_ownerTenant);
        static const QRegularExpression idParam(QStringLiteral(":([A-Za-z]+Id)\\b"));
        QStringList failures;
        int covered = 0;
        for (const api::RouteSpec *route : m_server->host().router().routes()) {
            QString path = QString::fromStdString(route->pattern);
            if (!path.startsWith(QLatin1String("/dashboard/v1/")) || !path.contains(idParam))
                continue;
            const QByteArray method = QByteArray::fromStdString(std::string(api::methodName(route->method)));
            // Each :xxxId gets rows of the owner; a GET tries a few until the owner itself is
            // answered (an activity without output is a 404 for everyone).
            QString missing;
            QList<QPair<QString, QStringList>> ids;
            auto matches = idParam.globalMatch(path);
            while (matches.hasNext()) {
                const QString param = matches.next().captured(1);
                const QString table = tableFor(param);
                const QStringList rows
                    = table.isEmpty() ? QStringList() : ownerRows(table, method == "GET" ? 200 : 1);
                if (rows.isEmpty()) {
                    missing = table.isEmpty()
                        ? QStringLiteral(":%1 names no tenant table (expected one named like %2)")
                              .arg(param, plural(normalized(param.chopped(2))))
                        : QStringLiteral("the demo seeds no %1 row for the owner tenant").arg(table);
                    break;
                }
                ids.append({param, rows});
            }
            const QString label
                = QString::fromLatin1(method) + QLatin1Char(' ') + QString::fromStdString(route->pattern);
            if (!missing.isEmpty()) {
                failures.append(label + QStringLiteral(": ") + missing);
                continue;
            }
            const QString pattern = path;
            const auto fill = [&](int attempt) {
                QString filled = pattern;
                for (const auto &[param, rows] : std::as_const(ids))
                    filled.replace(
                        QLatin1Char(':') + param, rows.value(std::min<qsizetype>(attempt, rows.size() - 1)));
                // Other params (an agent role, a platform) keep a plausible value.
                filled.replace(
                    QRegularExpression(QStringLiteral(":agentRole\\b")), QStringLiteral("copywriter"));
                filled.replace(
                    QRegularExpression(QStringLiteral(":platform\\b")), QStringLiteral("linkedin"));
                filled.replace(QRegularExpression(QStringLiteral(":[A-Za-z]+")), QStringLiteral("x"));
                return filled;
            };
            path = fill(0);
            if (method == "GET") {
                // The ids must be real: the owner is answered.
                int attempts = 1;
                for (const auto &entry : std::as_const(ids))
                    attempts = std::max(attempts, int(entry.second.size()));
                bool seen = false;
                for (int attempt = 0; attempt < attempts && !seen; ++attempt) {
                    path = fill(attempt);
                    const HttpReply own = call(method, path.toUtf8(), m_owner);
                    seen = own.status != 404;
                }
                if (!seen) {
                    failures.append(label + QStringLiteral(": the owner gets 404 on every id tried"));
                    continue;
                }
            }
            ++covered;
            const QByteArray target = path.toUtf8();
            const HttpReply reply = call(method, target, m_intruder);
            if (reply.status != 404) {
                failures.append(label
                    + QStringLiteral(": another tenant got %1 on %2: %3")
                          .arg(reply.status)
                          .arg(path, QString::fromUtf8(reply.body.left(200))));
            } else if (reply.errorCode() != QLatin1String("NOT_FOUND")) {
                failures.append(label + QStringLiteral(": 404 without the NOT_FOUND envelope"));
            }
        }
        qInfo() << "routes with an id, called across tenants:" << covered;
        QVERIFY2(failures.isEmpty(), qPrintable(failures.join(QLatin1Char('\n'))));
        QVERIFY(covered >= 10);

        const QMap<QString, QByteArray> after = snapshot(m_ownerTenant);
        for (auto it = before.cbegin(); it != before.cend(); ++it)
            QVERIFY2(
                after.value(it.key()) == it.value(), qPrintable(QStringLiteral("%1 changed").arg(it.key())));
    }

    void cleanupTestCase() { m_server.reset(); }
};

QTEST_GUILESS_MAIN(TestTenantIsolation)
#include "tst_tenantisolation.moc"
