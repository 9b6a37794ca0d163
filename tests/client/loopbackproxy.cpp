// SPDX-License-Identifier: GPL-3.0-or-later
#include "loopbackproxy.h"

namespace lm::test {

LoopbackProxy::LoopbackProxy(quint16 targetPort, QObject *parent)
    : QObject(parent)
    , m_target(targetPort)
{
    connect(&m_server, &QTcpServer::newConnection, this, &LoopbackProxy::accept);
}

bool LoopbackProxy::up()
{
    if (m_server.isListening())
        return true;
    if (!m_server.listen(QHostAddress::LocalHost, m_port))
        return false;
    m_port = m_server.serverPort();
    return true;
}

void LoopbackProxy::down()
{
    m_server.close();
    cutConnections();
}

void LoopbackProxy::cutConnections()
{
    for (auto &[client, upstream] : m_pairs) {
        if (client)
            client->abort();
        if (upstream)
            upstream->abort();
    }
    m_pairs.clear();
}

void LoopbackProxy::accept()
{
    while (QTcpSocket *client = m_server.nextPendingConnection()) {
        auto *upstream = new QTcpSocket(client);
        m_pairs.append(qMakePair(QPointer<QTcpSocket>(client), QPointer<QTcpSocket>(upstream)));
        connect(client, &QTcpSocket::readyRead, upstream, [this, client, upstream] {
            const QByteArray bytes = client->readAll();
            m_sent += bytes;
            upstream->write(bytes);
        });
        connect(upstream, &QTcpSocket::connected, client, [client, upstream] {
            const QByteArray early = client->readAll();
            upstream->write(early);
        });
        connect(upstream, &QTcpSocket::readyRead, client,
            [client, upstream] { client->write(upstream->readAll()); });
        connect(upstream, &QTcpSocket::disconnected, client, [client] { client->disconnectFromHost(); });
        connect(client, &QTcpSocket::disconnected, client, [client, upstream] {
            upstream->disconnectFromHost();
            client->deleteLater();
        });
        upstream->connectToHost(QHostAddress::LocalHost, m_target);
    }
}

} // namespace lm::test
