// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "approvalbudget.h"

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
    // The campaign's budget (DM surface only; hasBudget false while loading and without a campaign).
    Q_PROPERTY(bool hasBudget READ hasBudget NOTIFY approvalChanged)
    Q_PROPERTY(QString budgetCampaignName READ budgetCampaignName NOTIFY approvalChanged)
    Q_PROPERTY(bool hasBudgetCap READ hasBudgetCap NOTIFY approvalChanged)
    Q_PROPERTY(double budgetCapUsd READ budgetCapUsd NOTIFY approvalChanged)
    Q_PROPERTY(double budgetSpentUsd READ budgetSpentUsd NOTIFY approvalChanged)
    Q_PROPERTY(double budgetLinkedSpentUsd READ budgetLinkedSpentUsd NOTIFY approvalChanged)
    Q_PROPERTY(bool hasProjection READ hasProjection NOTIFY approvalChanged)
    Q_PROPERTY(double budgetProjectedUsd READ budgetProjectedUsd NOTIFY approvalChanged)
    Q_PROPERTY(QString budgetProjectedBasis READ budgetProjectedBasis NOTIFY approvalChanged)
    Q_PROPERTY(int budgetOpenActivities READ budgetOpenActivities NOTIFY approvalChanged)
    Q_PROPERTY(int budgetCompletedActivities READ budgetCompletedActivities NOTIFY approvalChanged)
    Q_PROPERTY(bool budgetOverCap READ budgetOverCap NOTIFY approvalChanged)
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
    [[nodiscard]] bool hasBudget() const { return m_budget.present; }
    [[nodiscard]] QString budgetCampaignName() const { return m_budget.campaignName; }
    [[nodiscard]] bool hasBudgetCap() const { return m_budget.capUsd.has_value(); }
    /// 0 without a cap.
    [[nodiscard]] double budgetCapUsd() const { return m_budget.capUsd.value_or(0); }
    [[nodiscard]] double budgetSpentUsd() const { return m_budget.spentUsd; }
    /// What this approval's own activities have cost.
    [[nodiscard]] double budgetLinkedSpentUsd() const { return m_budget.linkedSpentUsd; }
    [[nodiscard]] bool hasProjection() const { return m_budget.projectedUsd.has_value(); }
    /// 0 without a projection.
    [[nodiscard]] double budgetProjectedUsd() const { return m_budget.projectedUsd.value_or(0); }
    /// completed_mean | agent_max_cost | nothing_open | no_estimate
    [[nodiscard]] QString budgetProjectedBasis() const { return m_budget.projectedBasis; }
    [[nodiscard]] int budgetOpenActivities() const { return m_budget.openActivities; }
    [[nodiscard]] int budgetCompletedActivities() const { return m_budget.completedActivities; }
    /// The projection (or the spend, without one) passes the cap.
    [[nodiscard]] bool budgetOverCap() const { return m_budget.overCap(); }

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
    void loadFullOutput(const QString &activityId);
    void setLoading(bool v);
    void setError(const QString &e);
    void setDecision(const QString &d, const QString &message);

    QPointer<Session> m_session;
    QPointer<client::ApiReply> m_reply;
    QString m_approvalId;
    QVariantMap m_approval;
    QVariantList m_activities;
    ApprovalBudget m_budget;
    QString m_decision;
    QString m_decisionMessage;
    bool m_loading = false;
    QString m_error;
};

} // namespace lm::models
