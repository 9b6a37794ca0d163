// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QPointer>
#include <QVariantList>
#include <QVariantMap>
#include <QtQml/qqmlregistration.h>

namespace lm::client {
class ApiReply;
}

namespace lm::models {

class Session;

/// One approval as the reviewer reads it before deciding: every field of the API's detail, and its
/// activities.
class ApprovalDetail : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QString approvalId READ approvalId WRITE setApprovalId NOTIFY approvalIdChanged)
    Q_PROPERTY(bool loading READ loading NOTIFY loadingChanged)
    Q_PROPERTY(QString error READ error NOTIFY errorChanged)
    Q_PROPERTY(QVariantMap approval READ approval NOTIFY approvalChanged)
    Q_PROPERTY(QVariantList activities READ activities NOTIFY approvalChanged)
    Q_PROPERTY(QString decision READ decision NOTIFY decisionChanged)
    Q_PROPERTY(QString decisionMessage READ decisionMessage NOTIFY decisionChanged)
public:
    explicit ApprovalDetail(QObject *parent = nullptr);
    ApprovalDetail(Session *session, QObject *parent);

    [[nodiscard]] QString approvalId() const { return m_approvalId; }
    /// Setting it loads the detail.
    void setApprovalId(const QString &id);
    [[nodiscard]] bool loading() const { return m_loading; }
    [[nodiscard]] QString error() const { return m_error; }
    [[nodiscard]] QVariantMap approval() const { return m_approval; }
    /// [{id, title, status, outputFormat (markdown|html|text), output}]
    [[nodiscard]] QVariantList activities() const { return m_activities; }
    /// As ApprovalQueueModel's decision role: "", queued, sending, approved, rejected, … , failed.
    [[nodiscard]] QString decision() const { return m_decision; }
    [[nodiscard]] QString decisionMessage() const { return m_decisionMessage; }

    Q_INVOKABLE void reload();
    /// Decides through the session's decision queue (sent at once when online).
    Q_INVOKABLE void resolve(
        const QString &resolution, const QString &note = {}, const QString &optionId = {});

Q_SIGNALS:
    void approvalIdChanged();
    void loadingChanged();
    void errorChanged();
    void approvalChanged();
    void decisionChanged();

private:
    void setLoading(bool v);
    void setError(const QString &e);
    void setDecision(const QString &d, const QString &message);

    QPointer<Session> m_session;
    QPointer<client::ApiReply> m_reply;
    QString m_approvalId;
    QVariantMap m_approval;
    QVariantList m_activities;
    QString m_decision;
    QString m_decisionMessage;
    bool m_loading = false;
    QString m_error;
};

} // namespace lm::models
