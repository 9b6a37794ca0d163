// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>

namespace lm::test {

/// A TCP relay on 127.0.0.1 in front of a real server, so a test can take "the network" away and give
/// it back (same port), cut live connections, and read what the client sent.
class LoopbackProxy : public QObject
{
    Q_OBJECT
public:
    explicit LoopbackProxy(quint16 targetPort, QObject *parent = nullptr);

    /// Listens on a free port (the first time) or the same port again.
    bool up();
    /// Stops listening and cuts every connection: the server is unreachable.
    void down();
    /// Cuts the open connections but keeps listening (a dropped stream).
    void cutConnections();
    [[nodiscard]] quint16 port() const { return m_port; }
    [[nodiscard]] QString url() const { return QStringLiteral("http://127.0.0.1:%1").arg(m_port); }
    /// Everything clients sent through the relay so far.
    [[nodiscard]] QByteArray sent() const { return m_sent; }

private:
    void accept();

    QTcpServer m_server;
    quint16 m_target;
    quint16 m_port = 0;
    QByteArray m_sent;
    QList<QPair<QPointer<QTcpSocket>, QPointer<QTcpSocket>>> m_pairs;
};

} // namespace lm::test
