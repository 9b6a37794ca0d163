// SPDX-License-Identifier: GPL-3.0-or-later
#include "approvalqueuemodel.h"

#include "session.h"

#include <QJsonArray>

namespace lm::models {

using client::ApiReply;
using client::DecisionQueue;

namespace {

int riskRank(const QString &risk)
{
    if (risk == QLatin1String("high"))
        return 0;
    if (risk == QLatin1String("medium"))
        return 1;
    return 2;
}

QString outcomeDecision(DecisionQueue::Outcome outcome, const QString &resolution)
{
    switch (outcome) {
    case DecisionQueue::Outcome::Applied:
        return resolution;
    case DecisionQueue::Outcome::ResolvedElsewhere:
        return QStringLiteral("resolvedElsewhere");
    case DecisionQueue::Outcome::Failed:
        break;
    }
    return QStringLiteral("failed");
}

} // namespace

ApprovalQueueModel::ApprovalQueueModel(QObject *parent)
    : ApprovalQueueModel(nullptr, parent)
{ }

ApprovalQueueModel::ApprovalQueueModel(Session *session, QObject *parent)
    : QAbstractListModel(parent)
    , m_session(session ? session : Session::instance())
{
    if (!m_session)
        return;
    connect(m_session, &Session::serverEvent, this, &ApprovalQueueModel::onEvent);
    connect(m_session, &Session::signedIn, this, &ApprovalQueueModel::reload);
    DecisionQueue *queue = m_session->decisions();
    connect(queue, &DecisionQueue::sending, this,
        [this](const QString &id, const QString &) { setDecision(id, QStringLiteral("sending"), {}); });
    connect(queue, &DecisionQueue::requeued, this,
        [this](const QString &id, const QString &, const QString &message) {
            setDecision(id, QStringLiteral("queued"), message);
        });
    connect(queue, &DecisionQueue::decided, this,
        [this](const QString &id, const QString &, DecisionQueue::Outcome outcome, const QString &resolution,
            const QString &message) {
            setDecision(id, outcomeDecision(outcome, resolution), message);
            if (m_bulkWaiting.contains(id))
                finishBulkItem(id, outcome == DecisionQueue::Outcome::Applied, message);
        });
    if (m_session->state() == Session::SignedIn)
        reload();
}

int ApprovalQueueModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant ApprovalQueueModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &r = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case TitleRole:
        return r.title;
    case ApprovalIdRole:
        return r.approvalId;
    case TypeRole:
        return r.type;
    case RiskLevelRole:
        return r.riskLevel;
    case StatusRole:
        return r.status;
    case TenantIdRole:
        return r.tenantId;
    case TenantNameRole:
        return r.tenantName;
    case ExpiresAtRole:
        return r.expiresAt;
    case CreatedAtRole:
        return r.createdAt;
    case OptionsRole:
        return r.options;
    case SelectedRole:
        return r.selected;
    case DecisionRole:
        return r.decision;
    case DecisionMessageRole:
        return r.decisionMessage;
    default:
        return {};
    }
}

QHash<int, QByteArray> ApprovalQueueModel::roleNames() const
{
    return {{ApprovalIdRole, "approvalId"}, {TitleRole, "title"}, {TypeRole, "type"},
        {RiskLevelRole, "riskLevel"}, {StatusRole, "status"}, {TenantIdRole, "tenantId"},
        {TenantNameRole, "tenantName"}, {ExpiresAtRole, "expiresAt"}, {CreatedAtRole, "createdAt"},
        {OptionsRole, "options"}, {SelectedRole, "selected"}, {DecisionRole, "decision"},
        {DecisionMessageRole, "decisionMessage"}};
}

ApprovalQueueModel::Row ApprovalQueueModel::rowFrom(const QJsonObject &o) const
{
    Row r;
    r.approvalId = o.value(QLatin1String("id")).toString();
    r.title = o.value(QLatin1String("title")).toString();
    r.type = o.value(QLatin1String("type")).toString();
    r.riskLevel = o.value(QLatin1String("riskLevel")).toString();
    r.status = o.value(QLatin1String("status")).toString();
    const QJsonObject tenant = o.value(QLatin1String("tenant")).toObject();
    if (!tenant.isEmpty()) {
        r.tenantId = tenant.value(QLatin1String("id")).toString();
        r.tenantName = tenant.value(QLatin1String("name")).toString();
    } else if (m_session) { // the tenant surface lists only the caller's own tenant
        const QJsonObject user = m_session->api()->user();
        r.tenantId = user.value(QLatin1String("tenantId")).toString();
        r.tenantName = user.value(QLatin1String("tenantName")).toString();
    }
    r.expiresAt = QDateTime::fromString(o.value(QLatin1String("expiresAt")).toString(), Qt::ISODateWithMs);
    r.createdAt = QDateTime::fromString(o.value(QLatin1String("createdOn")).toString(), Qt::ISODateWithMs);
    for (const QJsonValue &v : o.value(QLatin1String("options")).toArray()) {
        if (v.isObject()) {
            const QJsonObject opt = v.toObject();
            r.options.append(QVariantMap {{QStringLiteral("id"), opt.value(QLatin1String("id")).toString()},
                {QStringLiteral("label"), opt.value(QLatin1String("label")).toString()}});
        } else { // the API's options are plain strings: the string is both id and label
            r.options.append(
                QVariantMap {{QStringLiteral("id"), v.toString()}, {QStringLiteral("label"), v.toString()}});
        }
    }
    return r;
}

bool ApprovalQueueModel::before(const Row &a, const Row &b)
{
    if (riskRank(a.riskLevel) != riskRank(b.riskLevel))
        return riskRank(a.riskLevel) < riskRank(b.riskLevel);
    if (a.expiresAt != b.expiresAt)
        return a.expiresAt < b.expiresAt;
    return a.approvalId < b.approvalId;
}

bool ApprovalQueueModel::matches(const Row &r) const
{
    if (r.status != QLatin1String("pending"))
        return false;
    if (!m_filterTenantId.isEmpty() && r.tenantId != m_filterTenantId)
        return false;
    if (!m_filterType.isEmpty() && r.type != m_filterType)
        return false;
    if (!m_filterRisk.isEmpty() && r.riskLevel != m_filterRisk)
        return false;
    if (!m_search.isEmpty() && !r.title.contains(m_search, Qt::CaseInsensitive)
        && !r.tenantName.contains(m_search, Qt::CaseInsensitive))
        return false;
    return true;
}

// --- loading ------------------------------------------------------------------------------------

void ApprovalQueueModel::reload()
{
    if (m_pageReply)
        m_pageReply->abort();
    if (!m_rows.isEmpty()) {
        beginResetModel();
        m_rows.clear();
        endResetModel();
        Q_EMIT countChanged();
        Q_EMIT selectedCountChanged();
    }
    m_nextCursor.clear();
    loadPage({});
}

bool ApprovalQueueModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && m_hasMore && !m_loading;
}

void ApprovalQueueModel::fetchMore(const QModelIndex &parent)
{
    if (canFetchMore(parent))
        loadPage(m_nextCursor);
}

void ApprovalQueueModel::loadPage(const QString &cursor)
{
    if (!m_session)
        return;
    const QVariantMap filters {{QStringLiteral("status"), QStringLiteral("pending")},
        {QStringLiteral("tenantId"), m_filterTenantId}, {QStringLiteral("type"), m_filterType},
        {QStringLiteral("riskLevel"), m_filterRisk}};
    ApiReply *reply = m_session->api()->approvals(filters, cursor, m_pageSize);
    m_pageReply = reply;
    setLoading(true);
    connect(reply, &ApiReply::finished, this, [this, reply] {
        setLoading(false);
        setError({});
        const QJsonObject answer = reply->json();
        for (const QJsonValue &v : answer.value(QLatin1String("data")).toArray()) {
            const Row r = rowFrom(v.toObject());
            if (matches(r) && rowOf(r.approvalId) < 0)
                insertSorted(r);
        }
        const QJsonObject pagination = answer.value(QLatin1String("pagination")).toObject();
        m_nextCursor = pagination.value(QLatin1String("nextCursor")).toString();
        const bool more = pagination.value(QLatin1String("hasMore")).toBool() && !m_nextCursor.isEmpty();
        if (more != m_hasMore) {
            m_hasMore = more;
            Q_EMIT hasMoreChanged();
        }
    });
    connect(reply, &ApiReply::failed, this, [this, reply] {
        setLoading(false);
        setError(reply->errorMessage());
    });
    connect(reply, &ApiReply::cancelled, this, [this] { setLoading(false); });
}

void ApprovalQueueModel::insertSorted(const Row &r)
{
    const auto it = std::lower_bound(m_rows.cbegin(), m_rows.cend(), r, &ApprovalQueueModel::before);
    const int row = int(it - m_rows.cbegin());
    beginInsertRows({}, row, row);
    m_rows.insert(row, r);
    endInsertRows();
    Q_EMIT countChanged();
}

void ApprovalQueueModel::removeRow(int row)
{
    const bool wasSelected = m_rows.at(row).selected;
    beginRemoveRows({}, row, row);
    m_rows.removeAt(row);
    endRemoveRows();
    Q_EMIT countChanged();
    if (wasSelected)
        Q_EMIT selectedCountChanged();
}

int ApprovalQueueModel::rowOf(const QString &approvalId) const
{
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).approvalId == approvalId)
            return i;
    }
    return -1;
}

void ApprovalQueueModel::onEvent(const QString &type, const QJsonObject &data)
{
    const QString id = data.value(QLatin1String("approvalId")).toString();
    if (id.isEmpty())
        return;
    if (type == QLatin1String("approval_created")) {
        if (rowOf(id) >= 0 || m_fetchingLive.contains(id))
            return;
        // The event is a summary; the list item (tenant, options, dates) comes from the detail.
        m_fetchingLive.insert(id);
        ApiReply *reply = m_session->api()->approval(id);
        connect(reply, &ApiReply::finished, this, [this, reply, id] {
            m_fetchingLive.remove(id);
            const Row r = rowFrom(reply->json());
            if (matches(r) && rowOf(id) < 0)
                insertSorted(r);
        });
        connect(reply, &ApiReply::failed, this, [this, id] { m_fetchingLive.remove(id); });
    } else if (type == QLatin1String("approval_resolved") || type == QLatin1String("approval_expired")) {
        const int row = rowOf(id);
        // A row this reviewer decided stays to show its outcome; someone else's decision removes it.
        if (row >= 0 && m_rows.at(row).decision.isEmpty())
            removeRow(row);
    }
}

// --- decisions ----------------------------------------------------------------------------------

void ApprovalQueueModel::approve(int row, const QString &optionId)
{
    decide(row, QStringLiteral("approved"), {}, optionId);
}

void ApprovalQueueModel::reject(int row, const QString &note)
{
    decide(row, QStringLiteral("rejected"), note, {});
}

void ApprovalQueueModel::requestRevision(int row, const QString &note)
{
    decide(row, QStringLiteral("revision_requested"), note, {});
}

void ApprovalQueueModel::decide(
    int row, const QString &resolution, const QString &note, const QString &optionId)
{
    if (!m_session || row < 0 || row >= m_rows.size())
        return;
    const Row &r = m_rows.at(row);
    if (r.decision == QLatin1String("queued") || r.decision == QLatin1String("sending"))
        return; // one decision at a time per approval
    setDecision(r.approvalId, QStringLiteral("queued"), {});
    m_session->decisions()->enqueue(r.approvalId, resolution, note, optionId, r.title);
}

void ApprovalQueueModel::setDecision(
    const QString &approvalId, const QString &decision, const QString &message)
{
    const int row = rowOf(approvalId);
    if (row < 0)
        return;
    Row &r = m_rows[row];
    r.decision = decision;
    r.decisionMessage = message;
    const bool wasSelected = r.selected;
    if (!decision.isEmpty() && decision != QLatin1String("failed"))
        r.selected = false;
    const QModelIndex i = index(row);
    Q_EMIT dataChanged(i, i, {DecisionRole, DecisionMessageRole, SelectedRole});
    if (wasSelected != r.selected)
        Q_EMIT selectedCountChanged();
}

void ApprovalQueueModel::toggleSelected(int row)
{
    if (row < 0 || row >= m_rows.size())
        return;
    m_rows[row].selected = !m_rows[row].selected;
    const QModelIndex i = index(row);
    Q_EMIT dataChanged(i, i, {SelectedRole});
    Q_EMIT selectedCountChanged();
}

int ApprovalQueueModel::selectedCount() const
{
    return int(std::count_if(m_rows.cbegin(), m_rows.cend(), [](const Row &r) { return r.selected; }));
}

void ApprovalQueueModel::approveSelected()
{
    if (!m_session)
        return;
    QStringList ids;
    QHash<QString, QString> titles;
    for (const Row &r : std::as_const(m_rows)) {
        if (r.selected) {
            ids.append(r.approvalId);
            titles.insert(r.approvalId, r.title);
        }
    }
    if (ids.isEmpty())
        return;
    client::ApiClient *api = m_session->api();
    const bool bulk = api->reviewSurface() == QLatin1String("/dm/v1")
        && api->connection() == client::ApiClient::Connection::Online && ids.size() <= 100;
    if (!bulk) {
        // Offline, or the tenant surface (no bulk route): each goes through the queue; results when all
        // ended.
        m_bulkResults.clear();
        m_bulkWaiting = titles;
        for (const QString &id : std::as_const(ids))
            decide(rowOf(id), QStringLiteral("approved"), {}, {});
        return;
    }
    for (const QString &id : std::as_const(ids))
        setDecision(id, QStringLiteral("sending"), {});
    ApiReply *reply = api->bulkResolve(ids, QStringLiteral("approved"), {});
    connect(reply, &ApiReply::finished, this, [this, reply, titles] {
        QVariantList results;
        for (const QJsonValue &v : reply->json().value(QLatin1String("results")).toArray()) {
            const QJsonObject o = v.toObject();
            const QString id = o.value(QLatin1String("approvalId")).toString();
            const bool ok = o.value(QLatin1String("ok")).toBool();
            const QJsonObject error = o.value(QLatin1String("error")).toObject();
            const bool elsewhere = error.value(QLatin1String("code")).toString() == QLatin1String("CONFLICT");
            QString message;
            if (elsewhere)
                message = tr("This approval was already resolved by someone else.");
            else if (!ok)
                message = error.value(QLatin1String("message")).toString();
            setDecision(id,
                ok              ? QStringLiteral("approved")
                    : elsewhere ? QStringLiteral("resolvedElsewhere")
                                : QStringLiteral("failed"),
                message);
            results.append(
                QVariantMap {{QStringLiteral("approvalId"), id}, {QStringLiteral("title"), titles.value(id)},
                    {QStringLiteral("ok"), ok}, {QStringLiteral("message"), message}});
        }
        Q_EMIT bulkFinished(results);
    });
    connect(reply, &ApiReply::failed, this, [this, reply, titles] {
        QVariantList results;
        for (auto it = titles.cbegin(); it != titles.cend(); ++it) {
            setDecision(it.key(), QStringLiteral("failed"), reply->errorMessage());
            results.append(
                QVariantMap {{QStringLiteral("approvalId"), it.key()}, {QStringLiteral("title"), it.value()},
                    {QStringLiteral("ok"), false}, {QStringLiteral("message"), reply->errorMessage()}});
        }
        Q_EMIT bulkFinished(results);
    });
}

void ApprovalQueueModel::finishBulkItem(const QString &approvalId, bool ok, const QString &message)
{
    m_bulkResults.append(QVariantMap {{QStringLiteral("approvalId"), approvalId},
        {QStringLiteral("title"), m_bulkWaiting.take(approvalId)}, {QStringLiteral("ok"), ok},
        {QStringLiteral("message"), message}});
    if (m_bulkWaiting.isEmpty())
        Q_EMIT bulkFinished(std::exchange(m_bulkResults, {}));
}

// --- properties ---------------------------------------------------------------------------------

void ApprovalQueueModel::setLoading(bool v)
{
    if (m_loading == v)
        return;
    m_loading = v;
    Q_EMIT loadingChanged();
}

void ApprovalQueueModel::setError(const QString &e)
{
    if (m_error == e)
        return;
    m_error = e;
    Q_EMIT errorChanged();
}

void ApprovalQueueModel::filterChanged()
{
    Q_EMIT filtersChanged();
    if (m_session && m_session->state() == Session::SignedIn)
        reload();
}

void ApprovalQueueModel::setFilterTenantId(const QString &v)
{
    if (v != m_filterTenantId) {
        m_filterTenantId = v;
        filterChanged();
    }
}

void ApprovalQueueModel::setFilterType(const QString &v)
{
    if (v != m_filterType) {
        m_filterType = v;
        filterChanged();
    }
}

void ApprovalQueueModel::setFilterRisk(const QString &v)
{
    if (v != m_filterRisk) {
        m_filterRisk = v;
        filterChanged();
    }
}

void ApprovalQueueModel::setSearch(const QString &v)
{
    if (v != m_search) {
        m_search = v;
        filterChanged();
    }
}

} // namespace lm::models
