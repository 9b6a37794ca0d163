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
    const QJsonObject &o = m_rows.at(index.row());
    const QJsonObject tenant = o.value(QLatin1String("tenant")).toObject();
    // /dm/v1/overview groups the figures (approvals, activities, spend); flat keys are read too.
    auto number = [&](const char *key) {
        const QLatin1String name(key);
        if (o.contains(name))
            return o.value(name).toVariant();
        for (const char *group : {"approvals", "activities"}) {
            const QJsonObject g = o.value(QLatin1String(group)).toObject();
            if (g.contains(name))
                return g.value(name).toVariant();
        }
        const QJsonObject spend = o.value(QLatin1String("spend")).toObject();
        if (name == QLatin1String("spendUsd"))
            return spend.value(QLatin1String("monthToDateUsd")).toVariant();
        return spend.value(name).toVariant();
    };
    switch (role) {
    case TenantIdRole:
        return tenant.isEmpty() ? o.value(QLatin1String("tenantId")).toString()
                                : tenant.value(QLatin1String("id")).toString();
    case Qt::DisplayRole:
    case TenantNameRole:
        return tenant.isEmpty() ? o.value(QLatin1String("tenantName")).toString()
                                : tenant.value(QLatin1String("name")).toString();
    case PendingRole:
        return number("pending");
    case HighRiskRole:
        return number("highRisk");
    case ExpiringIn24hRole:
        return number("expiringIn24h");
    case InProgressRole:
        return number("inProgress");
    case FailedRole:
        return number("failed");
    case BlockedRole:
        return number("blocked");
    case SpendUsdRole:
        return number("spendUsd");
    case CapUsdRole:
        return number("capUsd");
    default:
        return {};
    }
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
        sameTenants = data(index(i), TenantIdRole).toString()
            == (rows[i].value(QLatin1String("tenant")).toObject().value(QLatin1String("id")).toString()
                + rows[i].value(QLatin1String("tenantId")).toString());
    if (sameTenants) {
        m_rows = rows;
        if (!rows.isEmpty())
            Q_EMIT dataChanged(index(0), index(int(rows.size()) - 1));
    } else {
        beginResetModel();
        m_rows = rows;
        endResetModel();
    }
    m_totals = answer.value(QLatin1String("totals")).toObject().toVariantMap();
    Q_EMIT totalsChanged();
}

} // namespace lm::models
