// SPDX-License-Identifier: GPL-3.0-or-later
#include "fakeagentruntime.h"

#include "agents/webhookadapter.h"
#include "testhttp.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTcpSocket>
#include <QUrl>

namespace lm::test {

FakeAgentRuntime::FakeAgentRuntime(QByteArray secret, bool drive)
    : m_secret(std::move(secret))
    , m_drive(drive)
{
    moveToThread(&m_thread);
    m_server.moveToThread(&m_thread);
    m_thread.start();
    QMetaObject::invokeMethod(this, &FakeAgentRuntime::listen, Qt::BlockingQueuedConnection, &m_port);
}

FakeAgentRuntime::~FakeAgentRuntime()
{
    QMetaObject::invokeMethod(
        this, [this] { closeAll(); }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
    for (std::thread &t : m_drivers)
        t.join();
}

QString FakeAgentRuntime::url() const
{
    return QStringLiteral("http://127.0.0.1:%1/dispatch").arg(m_port);
}

QList<QJsonObject> FakeAgentRuntime::dispatches() const
{
    QMutexLocker lock(&m_mutex);
    return m_dispatches;
}

QList<RuntimeStep> FakeAgentRuntime::steps() const
{
    QMutexLocker lock(&m_mutex);
    return m_steps;
}

int FakeAgentRuntime::badSignatures() const
{
    QMutexLocker lock(&m_mutex);
    return m_badSignatures;
}

bool FakeAgentRuntime::stepsDone(int count) const
{
    QMutexLocker lock(&m_mutex);
    return m_steps.size() >= count;
}

quint16 FakeAgentRuntime::listen()
{
    connect(&m_server, &QTcpServer::newConnection, this, &FakeAgentRuntime::accept);
    m_server.listen(QHostAddress::LocalHost, 0);
    return m_server.serverPort();
}

void FakeAgentRuntime::closeAll()
{
    m_server.close();
    for (QTcpSocket *s : findChildren<QTcpSocket *>())
        s->abort();
}

void FakeAgentRuntime::accept()
{
    while (QTcpSocket *socket = m_server.nextPendingConnection()) {
        socket->setParent(this);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { read(socket); });
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    }
}

void FakeAgentRuntime::read(QTcpSocket *socket)
{
    QByteArray &buffer = m_buffers[socket];
    buffer += socket->readAll();
    const qsizetype headerEnd = buffer.indexOf("\r\n\r\n");
    if (headerEnd < 0)
        return;
    QMap<QByteArray, QByteArray> headers;
    const QList<QByteArray> lines = buffer.left(headerEnd).split('\n');
    const QByteArray method = lines.first().trimmed().split(' ').value(0);
    for (const QByteArray &line : lines.mid(1)) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0)
            headers.insert(line.left(colon).trimmed().toLower(), line.mid(colon + 1).trimmed());
    }
    const qsizetype length = headers.value("content-length", "0").toLongLong();
    if (buffer.size() < headerEnd + 4 + length)
        return;
    const QByteArray body = buffer.mid(headerEnd + 4, length);
    m_buffers.remove(socket);

    int status = 202;
    if (method == "POST") {
        const bool signedOk
            = headers.value("x-leadmetrics-signature") == agents::WebhookAdapter::signature(m_secret, body);
        const QJsonObject dispatch = QJsonDocument::fromJson(body).object();
        QMutexLocker lock(&m_mutex);
        if (!signedOk) {
            ++m_badSignatures;
            status = 401;
        } else {
            m_dispatches.append(dispatch);
            // Answer first, then work: the dispatch only hands the run over.
            if (m_drive)
                m_drivers.emplace_back([this, dispatch] { drive(dispatch); });
        }
    }
    socket->write("HTTP/1.1 " + QByteArray::number(status)
        + " X\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");
    socket->disconnectFromHost();
}

// The runtime's loop for one run: context, streamed output, maybe an approval gate, the result.
void FakeAgentRuntime::drive(const QJsonObject &dispatch)
{
    const QUrl base(dispatch.value(QLatin1String("agentApiBaseUrl")).toString());
    TestHttp http(base.host(), quint16(base.port()));
    const QByteArray token = dispatch.value(QLatin1String("runToken")).toString().toLatin1();
    const QByteArray run = "/agent/v1/runs/" + dispatch.value(QLatin1String("runId")).toString().toLatin1();
    const auto record = [this](const QString &name, const HttpReply &reply) {
        QMutexLocker lock(&m_mutex);
        m_steps.append({name, reply.status, reply.json()});
        return reply.json();
    };

    const QJsonObject context = record(QStringLiteral("context"), http.get(run + "/context", token));
    const QJsonObject wake = context.value(QLatin1String("wake")).toObject();
    record(QStringLiteral("health"),
        http.get(
            "/agent/v1/health/" + context.value(QLatin1String("agentRole")).toString().toLatin1(), token));
    if (wake.value(QLatin1String("reason")) == QLatin1String("review_approved")) {
        record(QStringLiteral("stream-2"),
            http.postJson(run + "/stream",
                {{QStringLiteral("events"),
                    QJsonArray {QJsonObject {{QStringLiteral("type"), QStringLiteral("text_delta")},
                        {QStringLiteral("delta"), QStringLiteral("Final, as approved.")}}}}},
                token));
        record(QStringLiteral("result-2"),
            http.postJson(run + "/result",
                {{QStringLiteral("status"), QStringLiteral("completed")},
                    {QStringLiteral("output"), QStringLiteral("# Final post\n\nFinal, as approved.")},
                    {QStringLiteral("usage"),
                        QJsonObject {
                            {QStringLiteral("inputTokens"), 100}, {QStringLiteral("outputTokens"), 50}}}},
                token));
        return;
    }
    QJsonArray events;
    for (const char *delta : {"# Spring smiles\n\n", "Book your ", "check-up today."})
        events.append(QJsonObject {{QStringLiteral("type"), QStringLiteral("text_delta")},
            {QStringLiteral("delta"), QLatin1String(delta)}});
    events.append(QJsonObject {{QStringLiteral("type"), QStringLiteral("tool_call")},
        {QStringLiteral("name"), QStringLiteral("create_approval")},
        {QStringLiteral("callId"), QStringLiteral("c1")},
        {QStringLiteral("input"), QJsonObject {{QStringLiteral("title"), QStringLiteral("Publish?")}}}});
    record(QStringLiteral("stream"),
        http.postJson(run + "/stream", {{QStringLiteral("events"), events}}, token));
    record(QStringLiteral("create-approval"),
        http.postJson(run + "/actions/create-approval",
            {{QStringLiteral("type"), QStringLiteral("content_review")},
                {QStringLiteral("riskLevel"), QStringLiteral("medium")},
                {QStringLiteral("title"), QStringLiteral("Publish the spring post?")},
                {QStringLiteral("description"), QStringLiteral("Check the offer wording.")}},
            token));
    record(QStringLiteral("result"),
        http.postJson(run + "/result",
            {{QStringLiteral("status"), QStringLiteral("completed")},
                {QStringLiteral("output"), QStringLiteral("# Spring smiles\n\nBook your check-up today.")},
                {QStringLiteral("format"), QStringLiteral("markdown")},
                {QStringLiteral("usage"),
                    QJsonObject {
                        {QStringLiteral("inputTokens"), 1200}, {QStringLiteral("outputTokens"), 800}}}},
            token));
}

} // namespace lm::test
