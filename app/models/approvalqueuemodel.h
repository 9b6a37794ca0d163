// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QAbstractListModel>
#include <QDateTime>
#include <QJsonObject>
#include <QPointer>
#include <QSet>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>

namespace lm::client {
class ApiReply;
}

namespace lm::models {

class Session;

/// The pending approvals a reviewer works through: high risk first, then soonest expiry; cursor-paged,
/// kept live from the session's event stream (rows inserted and removed in place, never a reset).
class ApprovalQueueModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(bool loading READ loading NOTIFY loadingChanged)
    Q_PROPERTY(QString error READ error NOTIFY errorChanged)
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    Q_PROPERTY(bool hasMore READ hasMore NOTIFY hasMoreChanged)
    Q_PROPERTY(QString filterTenantId READ filterTenantId WRITE setFilterTenantId NOTIFY filtersChanged)
    Q_PROPERTY(QString filterType READ filterType WRITE setFilterType NOTIFY filtersChanged)
    Q_PROPERTY(QString filterRisk READ filterRisk WRITE setFilterRisk NOTIFY filtersChanged)
    Q_PROPERTY(QString search READ search WRITE setSearch NOTIFY filtersChanged)
    Q_PROPERTY(int selectedCount READ selectedCount NOTIFY selectedCountChanged)
    Q_PROPERTY(int pageSize READ pageSize WRITE setPageSize)
public:
    enum Role
    {
        ApprovalIdRole = Qt::UserRole + 1,
        TitleRole,
        TypeRole,
        RiskLevelRole,
        StatusRole,
        TenantIdRole,
        TenantNameRole,
        ExpiresAtRole,
        CreatedAtRole,
        OptionsRole,
        SelectedRole,
        DecisionRole,
        DecisionMessageRole,
    };
    Q_ENUM(Role)

    /// Uses `session`, or Session::instance() when null (QML).
    explicit ApprovalQueueModel(QObject *parent = nullptr);
    ApprovalQueueModel(Session *session, QObject *parent);

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QHash<int, QByteArray> roleNames() const override;
    [[nodiscard]] bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

    [[nodiscard]] bool loading() const { return m_loading; }
    [[nodiscard]] QString error() const { return m_error; }
    [[nodiscard]] int count() const { return int(m_rows.size()); }
    [[nodiscard]] bool hasMore() const { return m_hasMore; }
    [[nodiscard]] QString filterTenantId() const { return m_filterTenantId; }
    void setFilterTenantId(const QString &v);
    [[nodiscard]] QString filterType() const { return m_filterType; }
    void setFilterType(const QString &v);
    [[nodiscard]] QString filterRisk() const { return m_filterRisk; }
    void setFilterRisk(const QString &v);
    [[nodiscard]] QString search() const { return m_search; }
    void setSearch(const QString &v);
    [[nodiscard]] int selectedCount() const;
    /// Rows per page (default 25, the API's maximum 100).
    void setPageSize(int rows) { m_pageSize = std::clamp(rows, 1, 100); }
    [[nodiscard]] int pageSize() const { return m_pageSize; }

    /// Drops what is loaded and loads the first page.
    Q_INVOKABLE void reload();
    Q_INVOKABLE void approve(int row, const QString &optionId = {});
    Q_INVOKABLE void reject(int row, const QString &note);
    Q_INVOKABLE void requestRevision(int row, const QString &note);
    Q_INVOKABLE void toggleSelected(int row);
    /// Approves every selected row (one bulk call when online); bulkFinished() reports each.
    Q_INVOKABLE void approveSelected();
    /// The row of an approval, or -1.
    Q_INVOKABLE int rowOf(const QString &approvalId) const;

Q_SIGNALS:
    void loadingChanged();
    void errorChanged();
    void countChanged();
    void hasMoreChanged();
    void filtersChanged();
    void selectedCountChanged();
    /// Results of approveSelected(): [{approvalId, title, ok, message}].
    void bulkFinished(const QVariantList &results);

private:
    struct Row
    {
        QString approvalId;
        QString title;
        QString type;
        QString riskLevel;
        QString status;
        QString tenantId;
        QString tenantName;
        QDateTime expiresAt;
        QDateTime createdAt;
        QVariantList options;
        bool selected = false;
        QString decision;
        QString decisionMessage;
    };
    [[nodiscard]] Row rowFrom(const QJsonObject &o) const;
    static bool before(const Row &a, const Row &b);
    [[nodiscard]] bool matches(const Row &r) const;
    void loadPage(const QString &cursor);
    void clear();
    void insertSorted(const Row &r);
    void removeRow(int row);
    void decide(int row, const QString &resolution, const QString &note, const QString &optionId);
    void setDecision(const QString &approvalId, const QString &decision, const QString &message);
    void onEvent(const QString &type, const QJsonObject &data);
    void setLoading(bool v);
    void setError(const QString &e);
    void filterChanged();
    void finishBulkItem(const QString &approvalId, bool ok, const QString &message);

    QPointer<Session> m_session;
    QList<Row> m_rows;
    QPointer<client::ApiReply> m_pageReply;
    QString m_nextCursor;
    bool m_hasMore = false;
    int m_pageSize = 25;
    bool m_loading = false;
    QString m_error;
    QString m_filterTenantId;
    QString m_filterType;
    QString m_filterRisk;
    QString m_search;
    QSet<QString> m_fetchingLive; ///< approvals of approval_created events being read
    QHash<QString, QString> m_bulkWaiting; ///< approvalId → title, for a bulk sent through the queue
    QVariantList m_bulkResults;
};

} // namespace lm::models
