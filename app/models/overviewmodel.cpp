// SPDX-License-Identifier: GPL-3.0-or-later
#include "overviewmodel.h"

#include "session.h"

#include <QJsonArray>

namespace lm::models {

using client::ApiReply;

OverviewModel::OverviewModel(QObject *parent)
    : OverviewModel(nullptr, parent)
{ }

OverviewModel::OverviewModel(Session *session, QObject *parent)
    : QAbstractListModel(parent)
    , m_session(session ? session : Session::instance())
{
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(1000);
    connect(&m_debounce, &QTimer::timeout, this, &OverviewModel::reload);
    if (!m_session)
        return;
    connect(m_session, &Session::signedIn, this, &OverviewModel::reload);
    connect(m_session, &Session::resyncNeeded, this, &OverviewModel::reload);
    connect(m_session, &Session::stateChanged, this, [this] {
        if (m_session->state() != Session::SignedOut || m_rows.isEmpty())
            return;
        beginResetModel(); // the next account must not see this one's figures
        m_rows.clear();
        endResetModel();
        m_totals.clear();
        Q_EMIT totalsChanged();
    });
    connect(m_session, &Session::serverEvent, this, [this](const QString &type, const QJsonObject &) {
        // Counts change with approvals, activities and spend; a burst of events is one re-read.
        if (type.startsWith(QLatin1String("approval_")) || type.startsWith(QLatin1String("activity_"))
            || type.startsWith(QLatin1String("budget_")))
            m_debounce.start();
    });
    if (m_session->state() == Session::SignedIn)
        reload();
}

int OverviewModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant OverviewModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    return flatten(m_rows.at(index.row()))
        .value(QString::fromLatin1(roleNames().value(role == Qt::DisplayRole ? TenantNameRole : role)));
}

QVariantMap OverviewModel::flatten(const QJsonObject &o)
{
    // dm.md nests the counts ({tenant, approvals, activities, spend}); QML gets one flat map per row.
    const QJsonObject tenant = o.value(QLatin1String("tenant")).toObject();
    const QJsonObject approvals = o.value(QLatin1String("approvals")).toObject();
    const QJsonObject activities = o.value(QLatin1String("activities")).toObject();
    const QJsonObject spend = o.value(QLatin1String("spend")).toObject();
    QVariantMap m {{QStringLiteral("pending"), approvals.value(QLatin1String("pending")).toInt()},
        {QStringLiteral("highRisk"), approvals.value(QLatin1String("highRisk")).toInt()},
        {QStringLiteral("expiringIn24h"), approvals.value(QLatin1String("expiringIn24h")).toInt()},
        {QStringLiteral("inProgress"), activities.value(QLatin1String("inProgress")).toInt()},
        {QStringLiteral("failed"), activities.value(QLatin1String("failed")).toInt()},
        {QStringLiteral("blocked"), activities.value(QLatin1String("blocked")).toInt()},
        {QStringLiteral("spendUsd"), spend.value(QLatin1String("monthToDateUsd")).toDouble()},
        // null when no active campaign has a cap
        {QStringLiteral("capUsd"), spend.value(QLatin1String("capUsd")).toVariant()}};
    if (!tenant.isEmpty()) {
        m.insert(QStringLiteral("tenantId"), tenant.value(QLatin1String("id")).toString());
        m.insert(QStringLiteral("tenantName"), tenant.value(QLatin1String("name")).toString());
    }
    return m;
}

QHash<int, QByteArray> OverviewModel::roleNames() const
{
    return {{TenantIdRole, "tenantId"}, {TenantNameRole, "tenantName"}, {PendingRole, "pending"},
        {HighRiskRole, "highRisk"}, {ExpiringIn24hRole, "expiringIn24h"}, {InProgressRole, "inProgress"},
        {FailedRole, "failed"}, {BlockedRole, "blocked"}, {SpendUsdRole, "spendUsd"}, {CapUsdRole, "capUsd"}};
}

void OverviewModel::reload()
{
    if (!m_session || m_reply)
        return;
    ApiReply *reply = m_session->api()->overview();
    m_reply = reply;
    if (!m_loading) {
        m_loading = true;
        Q_EMIT loadingChanged();
    }
    auto done = [this] {
        m_loading = false;
        Q_EMIT loadingChanged();
    };
    connect(reply, &ApiReply::finished, this, [this, reply, done] {
        done();
        if (!m_error.isEmpty()) {
            m_error.clear();
            Q_EMIT errorChanged();
        }
        apply(reply->json());
    });
    connect(reply, &ApiReply::failed, this, [this, reply, done] {
        done();
        m_error = reply->errorMessage();
        Q_EMIT errorChanged();
    });
    connect(reply, &ApiReply::cancelled, this, done);
}

void OverviewModel::apply(const QJsonObject &answer)
{
    QList<QJsonObject> rows;
    const QJsonValue tenants = answer.contains(QLatin1String("tenants"))
        ? answer.value(QLatin1String("tenants"))
        : answer.value(QLatin1String("data"));
    for (const QJsonValue &v : tenants.toArray())
        rows.append(v.toObject());
    // The same tenants in the same order (the usual re-read) update in place: views keep their state.
    bool sameTenants = rows.size() == m_rows.size();
    for (int i = 0; sameTenants && i < rows.size(); ++i)
        sameTenants = flatten(rows[i]).value(QStringLiteral("tenantId"))
            == flatten(m_rows[i]).value(QStringLiteral("tenantId"));
    if (sameTenants) {
        m_rows = rows;
        if (!rows.isEmpty())
            Q_EMIT dataChanged(index(0), index(int(rows.size()) - 1));
    } else {
        beginResetModel();
        m_rows = rows;
        endResetModel();
    }
    const QJsonObject totals = answer.value(QLatin1String("totals")).toObject();
    m_totals = flatten(totals);
    m_totals.insert(QStringLiteral("tenants"), totals.value(QLatin1String("tenants")).toInt());
    Q_EMIT totalsChanged();
}

} // namespace lm::models
