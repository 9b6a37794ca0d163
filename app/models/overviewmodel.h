// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QAbstractListModel>
#include <QJsonObject>
#include <QPointer>
#include <QTimer>
#include <QVariantMap>
#include <QtQml/qqmlregistration.h>

namespace lm::client {
class ApiReply;
}

namespace lm::models {

class Session;

/// The DM overview: a row per tenant (pending, high risk, expiring, activity health, spend vs cap) and
/// totals; re-read (debounced) when events say something changed.
class OverviewModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(bool loading READ loading NOTIFY loadingChanged)
    Q_PROPERTY(QString error READ error NOTIFY errorChanged)
    Q_PROPERTY(QVariantMap totals READ totals NOTIFY totalsChanged)
public:
    enum Role
    {
        TenantIdRole = Qt::UserRole + 1,
        TenantNameRole,
        PendingRole,
        HighRiskRole,
        ExpiringIn24hRole,
        InProgressRole,
        FailedRole,
        BlockedRole,
        SpendUsdRole,
        CapUsdRole,
    };
    Q_ENUM(Role)

    explicit OverviewModel(QObject *parent = nullptr);
    OverviewModel(Session *session, QObject *parent);

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;

    [[nodiscard]] bool loading() const { return m_loading; }
    [[nodiscard]] QString error() const { return m_error; }
    [[nodiscard]] QVariantMap totals() const { return m_totals; }
    /// Debounce of event-driven re-reads (default 1 s).
    void setDebounceMs(int ms) { m_debounce.setInterval(ms); }

    Q_INVOKABLE void reload();

Q_SIGNALS:
    void loadingChanged();
    void errorChanged();
    void totalsChanged();

private:
    void apply(const QJsonObject &answer);

    QPointer<Session> m_session;
    QPointer<client::ApiReply> m_reply;
    QList<QJsonObject> m_rows;
    QVariantMap m_totals;
    QTimer m_debounce;
    bool m_loading = false;
    QString m_error;
};

} // namespace lm::models
