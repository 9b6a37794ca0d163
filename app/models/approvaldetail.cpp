// SPDX-License-Identifier: GPL-3.0-or-later
#include "approvaldetail.h"

#include "outputformat.h"
#include "session.h"

#include <QJsonArray>

namespace lm::models {

using client::ApiReply;
using client::DecisionQueue;

ApprovalDetail::ApprovalDetail(QObject *parent)
    : ApprovalDetail(nullptr, parent)
{ }

ApprovalDetail::ApprovalDetail(Session *session, QObject *parent)
    : QObject(parent)
    , m_session(session ? session : Session::instance())
{
    if (!m_session)
        return;
    DecisionQueue *queue = m_session->decisions();
    connect(queue, &DecisionQueue::sending, this, [this](const QString &id, const QString &) {
        if (id == m_approvalId)
            setDecision(QStringLiteral("sending"), {});
    });
    connect(
        queue, &DecisionQueue::requeued, this, [this](const QString &id, const QString &, const QString &m) {
            if (id == m_approvalId)
                setDecision(QStringLiteral("queued"), m);
        });
    connect(queue, &DecisionQueue::decided, this,
        [this](const QString &id, const QString &, DecisionQueue::Outcome outcome, const QString &resolution,
            const QString &message) {
            if (id != m_approvalId)
                return;
            if (outcome == DecisionQueue::Outcome::Applied)
                setDecision(resolution, {});
            else if (outcome == DecisionQueue::Outcome::ResolvedElsewhere)
                setDecision(QStringLiteral("resolvedElsewhere"), message);
            else
                setDecision(QStringLiteral("failed"), message);
            if (outcome != DecisionQueue::Outcome::Failed)
                reload(); // shows who decided and how
        });
}

void ApprovalDetail::setApprovalId(const QString &id)
{
    if (id == m_approvalId)
        return;
    m_approvalId = id;
    setDecision({}, {});
    Q_EMIT approvalIdChanged();
    reload();
}

void ApprovalDetail::reload()
{
    if (m_reply)
        m_reply->abort();
    m_approval.clear();
    m_activities.clear();
    m_budget = {};
    Q_EMIT approvalChanged();
    if (!m_session || m_approvalId.isEmpty())
        return;
    ApiReply *reply = m_session->api()->approval(m_approvalId);
    m_reply = reply;
    setLoading(true);
    connect(reply, &ApiReply::finished, this, [this, reply] {
        setLoading(false);
        setError({});
        const QJsonObject o = reply->json();
        m_approval = o.toVariantMap();
        m_budget = ApprovalBudget::fromJson(o.value(QLatin1String("budget")));
        m_activities.clear();
        for (const QJsonValue &v : o.value(QLatin1String("linkedActivities")).toArray()) {
            const QJsonObject a = v.toObject();
            const QString output = a.value(QLatin1String("output"))
                                       .toString(a.value(QLatin1String("outputPreview")).toString());
            m_activities.append(QVariantMap {{QStringLiteral("id"), a.value(QLatin1String("id")).toString()},
                {QStringLiteral("title"), a.value(QLatin1String("title")).toString()},
                {QStringLiteral("status"), a.value(QLatin1String("status")).toString()},
                {QStringLiteral("outputFormat"),
                    outputFormatOf(a.value(QLatin1String("outputFormat")).toString(), output)},
                {QStringLiteral("output"), output}});
            if (a.contains(QLatin1String("outputRef")))
                loadFullOutput(a.value(QLatin1String("id")).toString());
        }
        Q_EMIT approvalChanged();
    });
    connect(reply, &ApiReply::failed, this, [this, reply] {
        setLoading(false);
        setError(reply->errorMessage());
    });
    connect(reply, &ApiReply::cancelled, this, [this] { setLoading(false); });
}

void ApprovalDetail::loadFullOutput(const QString &activityId)
{
    // The detail carries a 500-character preview; the tenant surface serves the whole text.
    // (/dm/v1 has no output route: there ActivityDetail's stream replays the whole output.)
    if (m_session->api()->reviewSurface() != QLatin1String("/dashboard/v1"))
        return;
    ApiReply *reply = m_session->api()->get(
        QStringLiteral("/dashboard/v1/activities/%1/output").arg(activityId), client::Subject::Activity);
    const QString forApproval = m_approvalId;
    connect(reply, &ApiReply::finished, this, [this, reply, activityId, forApproval] {
        if (forApproval != m_approvalId)
            return;
        const QJsonObject o = reply->json();
        const QString text = o.value(QLatin1String("text")).toString();
        QString format = o.value(QLatin1String("format")).toString();
        if (format == QLatin1String("plain"))
            format = QStringLiteral("text");
        for (QVariant &v : m_activities) {
            QVariantMap a = v.toMap();
            if (a.value(QStringLiteral("id")).toString() != activityId)
                continue;
            a.insert(QStringLiteral("output"), text);
            a.insert(QStringLiteral("outputFormat"), outputFormatOf(format, text));
            v = a;
        }
        Q_EMIT approvalChanged();
    });
}

void ApprovalDetail::resolve(const QString &resolution, const QString &note, const QString &optionId)
{
    if (!m_session || m_approvalId.isEmpty() || m_decision == QLatin1String("queued")
        || m_decision == QLatin1String("sending"))
        return;
    setDecision(QStringLiteral("queued"), {});
    m_session->decisions()->enqueue(
        m_approvalId, resolution, note, optionId, m_approval.value(QStringLiteral("title")).toString());
}

void ApprovalDetail::setLoading(bool v)
{
    if (m_loading != v) {
        m_loading = v;
        Q_EMIT loadingChanged();
    }
}

void ApprovalDetail::setError(const QString &e)
{
    if (m_error != e) {
        m_error = e;
        Q_EMIT errorChanged();
    }
}

void ApprovalDetail::setDecision(const QString &d, const QString &message)
{
    if (m_decision == d && m_decisionMessage == message)
        return;
    m_decision = d;
    m_decisionMessage = message;
    Q_EMIT decisionChanged();
}

} // namespace lm::models
