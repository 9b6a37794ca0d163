// SPDX-License-Identifier: GPL-3.0-or-later
#include "apireply.h"

#include <QNetworkReply>

namespace lm::client {

ApiReply::ApiReply(Subject subject, QObject *parent)
    : QObject(parent)
    , m_subject(subject)
{ }

void ApiReply::attach(QNetworkReply *reply)
{
    m_network = reply;
}

void ApiReply::abort()
{
    if (m_done)
        return;
    m_done = true;
    if (m_network) {
        QNetworkReply *n = m_network;
        m_network = nullptr;
        n->disconnect(this);
        n->abort();
        n->deleteLater();
    }
    Q_EMIT cancelled();
    deleteLater();
}

void ApiReply::succeed(int status, const QJsonObject &json)
{
    if (m_done)
        return;
    m_done = true;
    m_network = nullptr;
    m_status = status;
    m_json = json;
    Q_EMIT finished();
    deleteLater();
}

void ApiReply::fail(int status, const QString &code, const QString &message, const QJsonObject &json)
{
    if (m_done)
        return;
    m_done = true;
    m_network = nullptr;
    m_status = status;
    m_errorCode = code;
    m_errorMessage = message;
    m_json = json;
    Q_EMIT failed();
    deleteLater();
}

} // namespace lm::client
