// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QJsonObject>
#include <QMutex>
#include <QTcpServer>
#include <QThread>

#include <thread>
#include <vector>

class QTcpSocket;

namespace lm::test {

/// One call the fake runtime made to /agent/v1, as it saw the answer.
struct RuntimeStep
{
    QString name;
    int status = 0;
    QJsonObject body;
};

/// A fake external agent runtime: a QTcpServer on loopback in its own thread. Each signed dispatch
/// POST is answered 202 and then, on a thread of its own, driven over /agent/v1 with its run token:
/// context, health, stream, create-approval, result — or, when woken by an approval, context,
/// health, stream, result. A dispatch with a bad signature is refused (401) and counted.
class FakeAgentRuntime : public QObject
{
    Q_OBJECT
public:
    /// `drive` false: the runtime takes runs and never reports (a crashed or lost runtime).
    explicit FakeAgentRuntime(QByteArray secret, bool drive = true);
    ~FakeAgentRuntime() override;

    /// Where dispatches go (the agent's adapterConfig.url).
    [[nodiscard]] QString url() const;
    [[nodiscard]] QList<QJsonObject> dispatches() const;
    [[nodiscard]] QList<RuntimeStep> steps() const;
    [[nodiscard]] int badSignatures() const;
    [[nodiscard]] bool stepsDone(int count) const;

private:
    quint16 listen();
    void closeAll();
    void accept();
    void read(QTcpSocket *socket);
    void drive(const QJsonObject &dispatch);

    QByteArray m_secret;
    bool m_drive = true;
    QThread m_thread;
    QTcpServer m_server;
    quint16 m_port = 0;
    mutable QMutex m_mutex;
    QList<QJsonObject> m_dispatches;
    QList<RuntimeStep> m_steps;
    int m_badSignatures = 0;
    std::vector<std::thread> m_drivers;
    QHash<QTcpSocket *, QByteArray> m_buffers;
};

} // namespace lm::test
