// SPDX-License-Identifier: GPL-3.0-or-later
#include "desktopnotifier.h"

#include <QGuiApplication>
#include <QPainter>
#include <QSystemTrayIcon>

namespace lm::console {

namespace {

constexpr qint64 ExpirySoonSecs = 6 * 3600;

int roleOf(const QAbstractItemModel *model, const char *name)
{
    const auto roles = model->roleNames();
    for (auto it = roles.cbegin(); it != roles.cend(); ++it) {
        if (it.value() == name)
            return it.key();
    }
    return -1;
}

// A badge drawn here: no icon theme is guaranteed on the user's desktop.
QIcon badgeIcon(int count)
{
    QPixmap pixmap(64, 64);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setBrush(count > 0 ? QColor(0xd9, 0x53, 0x4f) : QColor(0x3d, 0x8b, 0x5a));
    painter.setPen(Qt::NoPen);
    painter.drawEllipse(2, 2, 60, 60);
    painter.setPen(Qt::white);
    QFont font = painter.font();
    font.setPixelSize(count > 99 ? 22 : 30);
    font.setBold(true);
    painter.setFont(font);
    painter.drawText(
        pixmap.rect(), Qt::AlignCenter, count > 999 ? QStringLiteral("999+") : QString::number(count));
    return QIcon(pixmap);
}

} // namespace

DesktopNotifier::DesktopNotifier(QObject *parent)
    : QObject(parent)
{
    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        m_tray = std::make_unique<QSystemTrayIcon>();
        connect(m_tray.get(), &QSystemTrayIcon::activated, this, &DesktopNotifier::activated);
        connect(m_tray.get(), &QSystemTrayIcon::messageClicked, this, &DesktopNotifier::activated);
        updateTray();
        m_tray->show();
    }
    m_recheck.setInterval(60 * 1000);
    connect(&m_recheck, &QTimer::timeout, this, &DesktopNotifier::scanAll);
    m_recheck.start();
}

DesktopNotifier::~DesktopNotifier() = default;

QString DesktopNotifier::reasonFor(const QString &riskLevel, const QDateTime &expiresAt, const QDateTime &now)
{
    if (riskLevel.compare(QLatin1String("high"), Qt::CaseInsensitive) == 0
        || riskLevel.compare(QLatin1String("critical"), Qt::CaseInsensitive) == 0)
        return QObject::tr("High-risk approval waiting");
    if (expiresAt.isValid()) {
        const qint64 left = now.secsTo(expiresAt);
        if (left > 0 && left <= ExpirySoonSecs)
            return QObject::tr("Expires in %n hour(s)", nullptr, int((left + 3599) / 3600));
    }
    return {};
}

bool DesktopNotifier::trayAvailable() const
{
    return m_tray != nullptr;
}

void DesktopNotifier::setModel(QAbstractItemModel *model)
{
    if (model == m_model)
        return;
    if (m_model)
        disconnect(m_model, nullptr, this, nullptr);
    m_model = model;
    if (m_model) {
        connect(m_model, &QAbstractItemModel::rowsInserted, this,
            [this](const QModelIndex &, int first, int last) { scan(first, last); });
        connect(m_model, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex &a, const QModelIndex &b) { scan(a.row(), b.row()); });
        connect(m_model, &QAbstractItemModel::modelReset, this, &DesktopNotifier::scanAll);
    }
    Q_EMIT modelChanged();
    scanAll();
}

void DesktopNotifier::setPendingCount(int count)
{
    if (count == m_pendingCount)
        return;
    m_pendingCount = count;
    Q_EMIT pendingCountChanged();
    updateTray();
}

void DesktopNotifier::setEnabled(bool enabled)
{
    if (enabled == m_enabled)
        return;
    m_enabled = enabled;
    Q_EMIT enabledChanged();
    scanAll();
}

void DesktopNotifier::scanAll()
{
    if (m_model && m_model->rowCount() > 0)
        scan(0, m_model->rowCount() - 1);
}

void DesktopNotifier::scan(int first, int last)
{
    if (!m_model || !m_enabled)
        return;
    const int idRole = roleOf(m_model, "approvalId");
    const int titleRole = roleOf(m_model, "title");
    const int riskRole = roleOf(m_model, "riskLevel");
    const int expiresRole = roleOf(m_model, "expiresAt");
    const int tenantRole = roleOf(m_model, "tenantName");
    const int statusRole = roleOf(m_model, "status");
    if (idRole < 0)
        return;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (int row = qMax(0, first); row <= last && row < m_model->rowCount(); ++row) {
        const QModelIndex index = m_model->index(row, 0);
        const QString id = index.data(idRole).toString();
        if (id.isEmpty() || m_notified.contains(id))
            continue;
        if (statusRole >= 0) {
            const QString status = index.data(statusRole).toString();
            if (!status.isEmpty() && status != u"pending")
                continue;
        }
        const QVariant expiresValue = index.data(expiresRole);
        QDateTime expires = expiresValue.toDateTime();
        if (!expires.isValid())
            expires = QDateTime::fromString(expiresValue.toString(), Qt::ISODateWithMs);
        const QString reason = reasonFor(index.data(riskRole).toString(), expires, now);
        if (reason.isEmpty())
            continue;
        m_notified.insert(id);
        const QString title = index.data(titleRole).toString();
        const QString tenant = index.data(tenantRole).toString();
        const QString message = tenant.isEmpty() ? title : QStringLiteral("%1 — %2").arg(tenant, title);
        if (m_tray)
            m_tray->showMessage(reason, message, QSystemTrayIcon::Warning, 10000);
        Q_EMIT notified(id, reason, message);
    }
}

void DesktopNotifier::updateTray()
{
    if (!m_tray)
        return;
    m_tray->setIcon(badgeIcon(m_pendingCount));
    m_tray->setToolTip(tr("Leadmetrics: %n approval(s) pending", nullptr, m_pendingCount));
}

} // namespace lm::console
