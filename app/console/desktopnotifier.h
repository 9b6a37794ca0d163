// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QAbstractItemModel>
#include <QDateTime>
#include <QObject>
#include <QPointer>
#include <QQmlEngine>
#include <QSet>
#include <QTimer>

#include <memory>

class QSystemTrayIcon;

namespace lm::console {

/// Tray icon with the pending count, and one desktop notification per approval that is high risk
/// or expires within 6 hours. Watches any list model with the queue's roles (approvalId, title,
/// riskLevel, expiresAt, tenantName).
class DesktopNotifier : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QAbstractItemModel *model READ model WRITE setModel NOTIFY modelChanged)
    Q_PROPERTY(int pendingCount READ pendingCount WRITE setPendingCount NOTIFY pendingCountChanged)
    Q_PROPERTY(bool enabled READ enabled WRITE setEnabled NOTIFY enabledChanged)
    Q_PROPERTY(bool trayAvailable READ trayAvailable CONSTANT)

public:
    explicit DesktopNotifier(QObject *parent = nullptr);
    ~DesktopNotifier() override;

    /// Why an approval deserves a notification; empty when it does not.
    [[nodiscard]] static QString reasonFor(
        const QString &riskLevel, const QDateTime &expiresAt, const QDateTime &now);

    [[nodiscard]] QAbstractItemModel *model() const { return m_model; }
    void setModel(QAbstractItemModel *model);
    [[nodiscard]] int pendingCount() const { return m_pendingCount; }
    void setPendingCount(int count);
    [[nodiscard]] bool enabled() const { return m_enabled; }
    void setEnabled(bool enabled);
    [[nodiscard]] bool trayAvailable() const;
    /// Approvals already notified (each one once per run).
    [[nodiscard]] int notifiedCount() const { return int(m_notified.size()); }

Q_SIGNALS:
    void modelChanged();
    void pendingCountChanged();
    void enabledChanged();
    /// Emitted for every notification shown (and when no tray exists, instead of showing one).
    void notified(const QString &approvalId, const QString &title, const QString &message);
    /// The user clicked the tray icon or a notification.
    void activated();

private:
    void scan(int first, int last);
    void scanAll();
    void updateTray();

    QPointer<QAbstractItemModel> m_model;
    std::unique_ptr<QSystemTrayIcon> m_tray;
    QSet<QString> m_notified;
    QTimer m_recheck; ///< approvals come within 6 hours of expiry while listed
    int m_pendingCount = 0;
    bool m_enabled = true;
};

} // namespace lm::console
