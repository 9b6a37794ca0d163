// SPDX-License-Identifier: GPL-3.0-or-later
#include "decisionqueue.h"

#include "apiclient.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QUuid>

namespace lm::client {

DecisionQueue::DecisionQueue(ApiClient *api, QString filePath, QObject *parent)
    : QObject(parent)
    , m_api(api)
    , m_filePath(std::move(filePath))
{
    load();
    m_retryTimer.setSingleShot(true);
    m_retryTimer.setInterval(5000);
    connect(&m_retryTimer, &QTimer::timeout, this, &DecisionQueue::flush);
    connect(m_api, &ApiClient::connectionChanged, this, [this](ApiClient::Connection c) {
        if (c == ApiClient::Connection::Online)
            flush();
    });
    connect(m_api, &ApiClient::signedIn, this, &DecisionQueue::flush);
}

QString DecisionQueue::enqueue(const QString &approvalId, const QString &resolution, const QString &note,
    const QString &optionId, const QString &title)
{
    Decision d;
    d.key = QUuid::createUuid().toString(QUuid::WithoutBraces);
    d.approvalId = approvalId;
    d.title = title;
    d.resolution = resolution;
    d.note = note;
    d.optionId = optionId;
    d.takenAt = QDateTime::currentDateTimeUtc();
    d.userId = m_api->user().value(QLatin1String("id")).toString();
    m_items.append(d);
    save(); // on disk before anything is sent: a crash now still sends it, with this key
    Q_EMIT countChanged(count());
    flush();
    return d.key;
}

int DecisionQueue::countForCurrentUser() const
{
    const QString me = m_api->user().value(QLatin1String("id")).toString();
    return int(
        std::count_if(m_items.cbegin(), m_items.cend(), [&](const Decision &x) { return x.userId == me; }));
}

void DecisionQueue::flush()
{
    if (m_inFlight || m_items.isEmpty() || !m_api->hasSession()
        || m_api->connection() == ApiClient::Connection::Offline)
        return;
    // Only the signed-in reviewer's own decisions go out, in the order taken: another account signing in
    // on this machine must not send them in its name.
    const QString me = m_api->user().value(QLatin1String("id")).toString();
    const auto it
        = std::find_if(m_items.begin(), m_items.end(), [&](const Decision &x) { return x.userId == me; });
    if (it == m_items.end())
        return;
    m_inFlight = true;
    Decision &head = *it;
    head.sending = true;
    const Decision d = head;
    Q_EMIT sending(d.approvalId, d.key);
    ApiReply *reply = m_api->resolveApproval(d.approvalId, d.resolution, d.note, d.optionId, d.key);
    connect(reply, &ApiReply::finished, this, [this, d] {
        m_inFlight = false;
        finish(d, Outcome::Applied, {});
        flush();
    });
    connect(reply, &ApiReply::failed, this, [this, d, reply] {
        m_inFlight = false;
        if (reply->isNetworkError() || reply->status() == 401 || reply->status() == 429
            || reply->status() >= 500) {
            // Not decided by the server: it stays queued, in place, and goes again when we are back
            // (or, when the server answered busy, a little later).
            requeueHead(d, reply->errorMessage());
            if (!reply->isNetworkError())
                m_retryTimer.start();
            return;
        }
        if (reply->status() == 409) {
            checkConflict(d, reply->errorMessage());
            return;
        }
        finish(d, Outcome::Failed, reply->errorMessage());
        flush();
    });
    connect(reply, &ApiReply::cancelled, this, [this] { m_inFlight = false; });
}

void DecisionQueue::checkConflict(const Decision &d, const QString &message)
{
    // 409 is "not pending any more" — or "this key's first request is still running" (after a crash).
    // The approval tells them apart: still pending means ours is not decided yet.
    m_inFlight = true;
    ApiReply *check = m_api->approval(d.approvalId);
    connect(check, &ApiReply::finished, this, [this, d, message, check] {
        m_inFlight = false;
        if (check->json().value(QLatin1String("status")).toString() == QLatin1String("pending")) {
            requeueHead(d, tr("The server is still working on this decision; it is sent again shortly."));
            m_retryTimer.start();
            return;
        }
        finish(d, Outcome::ResolvedElsewhere, message);
        flush();
    });
    connect(check, &ApiReply::failed, this, [this, d, check] {
        m_inFlight = false;
        if (check->isNetworkError()) {
            requeueHead(d, check->errorMessage());
            return;
        }
        finish(d, Outcome::Failed, check->errorMessage());
        flush();
    });
}

void DecisionQueue::requeueHead(const Decision &d, const QString &message)
{
    for (Decision &x : m_items) {
        if (x.key == d.key)
            x.sending = false;
    }
    Q_EMIT requeued(d.approvalId, d.key, message);
}

void DecisionQueue::finish(const Decision &d, Outcome outcome, const QString &message)
{
    m_items.removeIf([&](const Decision &x) { return x.key == d.key; });
    save();
    Q_EMIT countChanged(count());
    Q_EMIT decided(d.approvalId, d.key, outcome, d.resolution, message);
}

void DecisionQueue::load()
{
    QFile f(m_filePath);
    if (!f.open(QIODevice::ReadOnly))
        return;
    const QJsonArray items
        = QJsonDocument::fromJson(f.readAll()).object().value(QLatin1String("decisions")).toArray();
    for (const QJsonValue &v : items) {
        const QJsonObject o = v.toObject();
        Decision d;
        d.key = o.value(QLatin1String("idempotencyKey")).toString();
        d.approvalId = o.value(QLatin1String("approvalId")).toString();
        d.title = o.value(QLatin1String("title")).toString();
        d.resolution = o.value(QLatin1String("resolution")).toString();
        d.note = o.value(QLatin1String("note")).toString();
        d.optionId = o.value(QLatin1String("optionId")).toString();
        d.takenAt = QDateTime::fromString(o.value(QLatin1String("takenAt")).toString(), Qt::ISODateWithMs);
        d.userId = o.value(QLatin1String("userId")).toString();
        if (!d.key.isEmpty() && !d.approvalId.isEmpty() && !d.resolution.isEmpty())
            m_items.append(d);
    }
}

void DecisionQueue::save()
{
    QJsonArray items;
    for (const Decision &d : std::as_const(m_items)) {
        items.append(QJsonObject {{QStringLiteral("idempotencyKey"), d.key},
            {QStringLiteral("approvalId"), d.approvalId}, {QStringLiteral("title"), d.title},
            {QStringLiteral("resolution"), d.resolution}, {QStringLiteral("note"), d.note},
            {QStringLiteral("optionId"), d.optionId},
            {QStringLiteral("takenAt"), d.takenAt.toString(Qt::ISODateWithMs)},
            {QStringLiteral("userId"), d.userId}});
    }
    QDir().mkpath(QFileInfo(m_filePath).absolutePath());
    QSaveFile f(m_filePath);
    if (!f.open(QIODevice::WriteOnly)) {
        m_saveError = f.errorString();
        return;
    }
    f.write(QJsonDocument(QJsonObject {{QStringLiteral("version"), 1}, {QStringLiteral("decisions"), items}})
                .toJson(QJsonDocument::Indented));
    m_saveError = f.commit() ? QString() : f.errorString();
}

} // namespace lm::client
