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
    m_items.append(d);
    save(); // on disk before anything is sent: a crash now still sends it, with this key
    Q_EMIT countChanged(count());
    flush();
    return d.key;
}

void DecisionQueue::flush()
{
    if (m_inFlight || m_items.isEmpty() || !m_api->hasSession()
        || m_api->connection() == ApiClient::Connection::Offline)
        return;
    m_inFlight = true;
    Decision &head = m_items.first();
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
            // Not decided by the server: it stays queued, in place, and goes again when we are back.
            if (!m_items.isEmpty() && m_items.first().key == d.key)
                m_items.first().sending = false;
            Q_EMIT requeued(d.approvalId, d.key, reply->errorMessage());
            return;
        }
        if (reply->status() == 409)
            finish(d, Outcome::ResolvedElsewhere, reply->errorMessage());
        else
            finish(d, Outcome::Failed, reply->errorMessage());
        flush();
    });
    connect(reply, &ApiReply::cancelled, this, [this] { m_inFlight = false; });
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
            {QStringLiteral("takenAt"), d.takenAt.toString(Qt::ISODateWithMs)}});
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
