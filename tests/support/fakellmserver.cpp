// SPDX-License-Identifier: GPL-3.0-or-later
#include "fakellmserver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QMutexLocker>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#include <algorithm>
#include <memory>

namespace lm::test {

QJsonObject FakeRequest::json() const
{
    return QJsonDocument::fromJson(body).object();
}

// Lives on the server thread: accepts, parses one request per connection, plays the reply.
class FakeLlmWorker : public QObject
{
public:
    explicit FakeLlmWorker(FakeLlmServer &owner)
        : m_owner(owner)
    { }

    quint16 listen()
    {
        m_server = new QTcpServer(this);
        if (!m_server->listen(QHostAddress::LocalHost, 0))
            return 0;
        QObject::connect(m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server->nextPendingConnection())
                accept(socket);
        });
        return m_server->serverPort();
    }

private:
    struct Connection
    {
        QByteArray buffer;
        bool answered = false;
    };

    void accept(QTcpSocket *socket)
    {
        auto state = std::make_shared<Connection>();
        QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        QObject::connect(socket, &QTcpSocket::readyRead, socket, [this, socket, state] {
            state->buffer.append(socket->readAll());
            if (state->answered)
                return;
            const qsizetype headerEnd = state->buffer.indexOf("\r\n\r\n");
            if (headerEnd < 0)
                return;
            FakeRequest request;
            const QList<QByteArray> lines = state->buffer.left(headerEnd).split('\n');
            const QList<QByteArray> first = lines.value(0).trimmed().split(' ');
            request.method = first.value(0);
            request.path = first.value(1);
            for (qsizetype i = 1; i < lines.size(); ++i) {
                const qsizetype colon = lines[i].indexOf(':');
                if (colon > 0)
                    request.headers.insert(
                        lines[i].left(colon).trimmed().toLower(), lines[i].mid(colon + 1).trimmed());
            }
            const qsizetype length = request.headers.value("content-length", "0").toLongLong();
            if (state->buffer.size() < headerEnd + 4 + length)
                return;
            request.body = state->buffer.mid(headerEnd + 4, length);
            state->answered = true;
            play(socket, m_owner.takeReply(request));
        });
    }

    static QByteArray reasonFor(int status)
    {
        switch (status) {
        case 200:
            return "OK";
        case 400:
            return "Bad Request";
        case 401:
            return "Unauthorized";
        case 429:
            return "Too Many Requests";
        case 500:
            return "Internal Server Error";
        default:
            return "Status";
        }
    }

    void play(QTcpSocket *socket, const FakeReply &reply)
    {
        if (reply.stall)
            return;
        QByteArray head
            = "HTTP/1.1 " + QByteArray::number(reply.status) + ' ' + reasonFor(reply.status) + "\r\n";
        for (const auto &[name, value] : reply.headers)
            head += name + ": " + value + "\r\n";
        head += "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
        socket->write(head);
        socket->flush();
        sendPiece(socket, std::make_shared<FakeReply>(reply), 0);
    }

    void sendPiece(QTcpSocket *socket, std::shared_ptr<FakeReply> reply, qsizetype index)
    {
        if (index >= reply->pieces.size()) {
            if (!reply->cutOff)
                socket->write("0\r\n\r\n");
            // Closes once the written bytes are out: without the last chunk, the body is cut off.
            socket->disconnectFromHost();
            return;
        }
        QTimer::singleShot(reply->delayMs, socket, [this, socket, reply, index] {
            const QByteArray &piece = reply->pieces[index];
            if (!piece.isEmpty()) {
                socket->write(QByteArray::number(piece.size(), 16) + "\r\n" + piece + "\r\n");
                socket->flush();
            }
            sendPiece(socket, reply, index + 1);
        });
    }

    FakeLlmServer &m_owner;
    QTcpServer *m_server = nullptr;
};

FakeLlmServer::FakeLlmServer()
{
    m_thread.setObjectName(QStringLiteral("fake-llm-server"));
    m_thread.start();
    m_worker = new FakeLlmWorker(*this);
    m_worker->moveToThread(&m_thread);
    QMetaObject::invokeMethod(
        m_worker, [this] { m_port = m_worker->listen(); }, Qt::BlockingQueuedConnection);
}

FakeLlmServer::~FakeLlmServer()
{
    // The listener and sockets are the worker's children; a finishing thread runs deleteLater.
    m_worker->deleteLater();
    m_thread.quit();
    m_thread.wait();
}

QString FakeLlmServer::baseUrl() const
{
    return QStringLiteral("http://127.0.0.1:%1").arg(m_port);
}

void FakeLlmServer::enqueue(const FakeReply &reply)
{
    QMutexLocker lock(&m_mutex);
    m_script.push_back(reply);
}

QList<FakeRequest> FakeLlmServer::requests() const
{
    QMutexLocker lock(&m_mutex);
    return m_requests;
}

void FakeLlmServer::reset()
{
    QMutexLocker lock(&m_mutex);
    m_script.clear();
    m_requests.clear();
}

FakeReply FakeLlmServer::takeReply(const FakeRequest &request)
{
    QMutexLocker lock(&m_mutex);
    m_requests.append(request);
    if (m_script.empty())
        return fakellm::error(FakeProtocol::OpenAi, 500, QStringLiteral("fake: no scripted reply"));
    FakeReply reply = m_script.front();
    m_script.pop_front();
    return reply;
}

namespace fakellm {

namespace {

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QByteArray sse(const QJsonObject &data)
{
    return "data: " + compact(data) + "\n\n";
}

QByteArray anthropicEvent(const QJsonObject &data)
{
    return "event: " + data.value(QStringLiteral("type")).toString().toUtf8() + "\n" + sse(data);
}

QByteArray ndjson(const QJsonObject &data)
{
    return compact(data) + "\n";
}

QJsonObject openAiDelta(const QJsonObject &delta, const QJsonValue &finish = QJsonValue::Null)
{
    return {{QStringLiteral("id"), QStringLiteral("chatcmpl-1")},
        {QStringLiteral("object"), QStringLiteral("chat.completion.chunk")},
        {QStringLiteral("choices"),
            QJsonArray {QJsonObject {{QStringLiteral("index"), 0}, {QStringLiteral("delta"), delta},
                {QStringLiteral("finish_reason"), finish}}}}};
}

QByteArray openAiUsage(qint64 in, qint64 out)
{
    return sse({{QStringLiteral("choices"), QJsonArray()},
        {QStringLiteral("usage"),
            QJsonObject {{QStringLiteral("prompt_tokens"), in}, {QStringLiteral("completion_tokens"), out},
                {QStringLiteral("total_tokens"), in + out}}}});
}

QByteArray anthropicStart(qint64 in)
{
    return anthropicEvent({{QStringLiteral("type"), QStringLiteral("message_start")},
        {QStringLiteral("message"),
            QJsonObject {{QStringLiteral("id"), QStringLiteral("msg_1")},
                {QStringLiteral("role"), QStringLiteral("assistant")},
                {QStringLiteral("content"), QJsonArray()},
                {QStringLiteral("usage"),
                    QJsonObject {
                        {QStringLiteral("input_tokens"), in}, {QStringLiteral("output_tokens"), 1}}}}}});
}

QByteArray anthropicBlockStart(int index, const QJsonObject &block)
{
    return anthropicEvent({{QStringLiteral("type"), QStringLiteral("content_block_start")},
        {QStringLiteral("index"), index}, {QStringLiteral("content_block"), block}});
}

QByteArray anthropicDelta(int index, const QJsonObject &delta)
{
    return anthropicEvent({{QStringLiteral("type"), QStringLiteral("content_block_delta")},
        {QStringLiteral("index"), index}, {QStringLiteral("delta"), delta}});
}

QByteArray anthropicTextDelta(int index, const QString &text)
{
    return anthropicDelta(
        index, {{QStringLiteral("type"), QStringLiteral("text_delta")}, {QStringLiteral("text"), text}});
}

QByteArray anthropicBlockStop(int index)
{
    return anthropicEvent(
        {{QStringLiteral("type"), QStringLiteral("content_block_stop")}, {QStringLiteral("index"), index}});
}

QList<QByteArray> anthropicEnd(const QString &stopReason, qint64 out)
{
    return {anthropicEvent({{QStringLiteral("type"), QStringLiteral("message_delta")},
                {QStringLiteral("delta"), QJsonObject {{QStringLiteral("stop_reason"), stopReason}}},
                {QStringLiteral("usage"), QJsonObject {{QStringLiteral("output_tokens"), out}}}}),
        anthropicEvent({{QStringLiteral("type"), QStringLiteral("message_stop")}})};
}

QByteArray ollamaChunk(const QJsonObject &message)
{
    QJsonObject full = message;
    full.insert(QStringLiteral("role"), QStringLiteral("assistant"));
    return ndjson({{QStringLiteral("model"), QStringLiteral("fake")},
        {QStringLiteral("created_at"), QStringLiteral("2024-01-01T00:00:00Z")},
        {QStringLiteral("message"), full}, {QStringLiteral("done"), false}});
}

QByteArray ollamaDone(qint64 in, qint64 out)
{
    return ndjson({{QStringLiteral("model"), QStringLiteral("fake")},
        {QStringLiteral("message"),
            QJsonObject {{QStringLiteral("role"), QStringLiteral("assistant")},
                {QStringLiteral("content"), QString()}}},
        {QStringLiteral("done"), true}, {QStringLiteral("done_reason"), QStringLiteral("stop")},
        {QStringLiteral("prompt_eval_count"), in}, {QStringLiteral("eval_count"), out}});
}

// The stream's opening and its text pieces, without the end.
QList<QByteArray> textBody(FakeProtocol protocol, const QStringList &pieces, qint64 in)
{
    QList<QByteArray> body;
    switch (protocol) {
    case FakeProtocol::OpenAi:
        body.append(sse(openAiDelta({{QStringLiteral("role"), QStringLiteral("assistant")},
            {QStringLiteral("content"), QString()}})));
        for (const QString &piece : pieces)
            body.append(sse(openAiDelta({{QStringLiteral("content"), piece}})));
        break;
    case FakeProtocol::Anthropic:
        body.append(anthropicStart(in));
        body.append(anthropicBlockStart(
            0, {{QStringLiteral("type"), QStringLiteral("text")}, {QStringLiteral("text"), QString()}}));
        body.append(anthropicEvent({{QStringLiteral("type"), QStringLiteral("ping")}}));
        for (const QString &piece : pieces)
            body.append(anthropicTextDelta(0, piece));
        break;
    case FakeProtocol::Ollama:
        for (const QString &piece : pieces)
            body.append(ollamaChunk({{QStringLiteral("content"), piece}}));
        break;
    }
    return body;
}

QList<QPair<QByteArray, QByteArray>> streamHeaders(FakeProtocol protocol)
{
    return {
        {"Content-Type", protocol == FakeProtocol::Ollama ? "application/x-ndjson" : "text/event-stream"}};
}

// Splits one piece in two TCP writes, so a line arrives in halves.
void splitMiddle(QList<QByteArray> &pieces)
{
    if (pieces.size() < 3)
        return;
    const qsizetype at = pieces.size() / 2;
    const QByteArray whole = pieces[at];
    pieces[at] = whole.left(whole.size() / 2);
    pieces.insert(at + 1, whole.mid(whole.size() / 2));
}

} // namespace

FakeReply text(FakeProtocol protocol, const QStringList &pieces, qint64 inputTokens, qint64 outputTokens)
{
    FakeReply reply;
    reply.headers = streamHeaders(protocol);
    reply.pieces = textBody(protocol, pieces, inputTokens);
    switch (protocol) {
    case FakeProtocol::OpenAi:
        reply.pieces.append(sse(openAiDelta({}, QStringLiteral("stop"))));
        reply.pieces.append(openAiUsage(inputTokens, outputTokens));
        reply.pieces.append("data: [DONE]\n\n");
        break;
    case FakeProtocol::Anthropic:
        reply.pieces.append(anthropicBlockStop(0));
        reply.pieces.append(anthropicEnd(QStringLiteral("end_turn"), outputTokens));
        break;
    case FakeProtocol::Ollama:
        reply.pieces.append(ollamaDone(inputTokens, outputTokens));
        break;
    }
    splitMiddle(reply.pieces);
    return reply;
}

FakeReply toolCall(FakeProtocol protocol, const QString &lead, const QString &id, const QString &name,
    const QStringList &argumentPieces, qint64 inputTokens, qint64 outputTokens)
{
    return toolCalls(protocol, lead, {{id, name, argumentPieces}}, inputTokens, outputTokens);
}

FakeReply toolCalls(FakeProtocol protocol, const QString &lead, const QList<FakeToolCall> &calls,
    qint64 inputTokens, qint64 outputTokens)
{
    FakeReply reply;
    reply.headers = streamHeaders(protocol);
    reply.pieces = textBody(protocol, lead.isEmpty() ? QStringList() : QStringList {lead}, inputTokens);
    switch (protocol) {
    case FakeProtocol::OpenAi: {
        // Every call opens first, then argument fragments interleave: only the index tells them apart.
        qsizetype most = 0;
        for (qsizetype i = 0; i < calls.size(); ++i) {
            most = std::max(most, calls[i].argumentPieces.size());
            reply.pieces.append(sse(openAiDelta({{QStringLiteral("tool_calls"),
                QJsonArray {QJsonObject {{QStringLiteral("index"), int(i)},
                    {QStringLiteral("id"), calls[i].id}, {QStringLiteral("type"), QStringLiteral("function")},
                    {QStringLiteral("function"),
                        QJsonObject {{QStringLiteral("name"), calls[i].name},
                            {QStringLiteral("arguments"), QString()}}}}}}})));
        }
        for (qsizetype piece = 0; piece < most; ++piece) {
            for (qsizetype i = 0; i < calls.size(); ++i) {
                if (piece >= calls[i].argumentPieces.size())
                    continue;
                reply.pieces.append(sse(openAiDelta({{QStringLiteral("tool_calls"),
                    QJsonArray {QJsonObject {{QStringLiteral("index"), int(i)},
                        {QStringLiteral("function"),
                            QJsonObject {
                                {QStringLiteral("arguments"), calls[i].argumentPieces[piece]}}}}}}})));
            }
        }
        reply.pieces.append(sse(openAiDelta({}, QStringLiteral("tool_calls"))));
        reply.pieces.append(openAiUsage(inputTokens, outputTokens));
        reply.pieces.append("data: [DONE]\n\n");
        break;
    }
    case FakeProtocol::Anthropic:
        reply.pieces.append(anthropicBlockStop(0));
        for (qsizetype i = 0; i < calls.size(); ++i) {
            const int block = int(i) + 1;
            reply.pieces.append(anthropicBlockStart(block,
                {{QStringLiteral("type"), QStringLiteral("tool_use")}, {QStringLiteral("id"), calls[i].id},
                    {QStringLiteral("name"), calls[i].name}, {QStringLiteral("input"), QJsonObject()}}));
            for (const QString &piece : calls[i].argumentPieces) {
                reply.pieces.append(anthropicDelta(block,
                    {{QStringLiteral("type"), QStringLiteral("input_json_delta")},
                        {QStringLiteral("partial_json"), piece}}));
            }
            reply.pieces.append(anthropicBlockStop(block));
        }
        reply.pieces.append(anthropicEnd(QStringLiteral("tool_use"), outputTokens));
        break;
    case FakeProtocol::Ollama: {
        QJsonArray list;
        for (const FakeToolCall &call : calls) {
            const QJsonObject arguments
                = QJsonDocument::fromJson(call.argumentPieces.join(QString()).toUtf8()).object();
            list.append(QJsonObject {{QStringLiteral("function"),
                QJsonObject {
                    {QStringLiteral("name"), call.name}, {QStringLiteral("arguments"), arguments}}}});
        }
        reply.pieces.append(
            ollamaChunk({{QStringLiteral("content"), QString()}, {QStringLiteral("tool_calls"), list}}));
        reply.pieces.append(ollamaDone(inputTokens, outputTokens));
        break;
    }
    }
    return reply;
}

FakeReply broken(FakeProtocol protocol, const QStringList &pieces)
{
    FakeReply reply;
    reply.headers = streamHeaders(protocol);
    reply.pieces = textBody(protocol, pieces, 10);
    reply.cutOff = true;
    return reply;
}

FakeReply malformed(FakeProtocol protocol)
{
    FakeReply reply;
    reply.headers = streamHeaders(protocol);
    reply.pieces = textBody(protocol, {QStringLiteral("Fine so far. ")}, 10);
    switch (protocol) {
    case FakeProtocol::OpenAi:
        reply.pieces.append("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"\n\n");
        reply.pieces.append("data: [DONE]\n\n");
        break;
    case FakeProtocol::Anthropic:
        reply.pieces.append(
            "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\n\n");
        reply.pieces.append(anthropicEnd(QStringLiteral("end_turn"), 5));
        break;
    case FakeProtocol::Ollama:
        reply.pieces.append("{\"message\":{\"content\":\"x\"\n");
        reply.pieces.append(ollamaDone(10, 5));
        break;
    }
    return reply;
}

FakeReply streamError(FakeProtocol protocol)
{
    FakeReply reply;
    reply.headers = streamHeaders(protocol);
    reply.pieces = textBody(protocol, {QStringLiteral("Fine so far. ")}, 10);
    switch (protocol) {
    case FakeProtocol::OpenAi:
        reply.pieces.append(sse({{QStringLiteral("error"),
            QJsonObject {{QStringLiteral("message"), QStringLiteral("The server is overloaded")},
                {QStringLiteral("type"), QStringLiteral("server_error")}}}}));
        break;
    case FakeProtocol::Anthropic:
        reply.pieces.append(anthropicEvent({{QStringLiteral("type"), QStringLiteral("error")},
            {QStringLiteral("error"),
                QJsonObject {{QStringLiteral("type"), QStringLiteral("overloaded_error")},
                    {QStringLiteral("message"), QStringLiteral("Overloaded")}}}}));
        break;
    case FakeProtocol::Ollama:
        reply.pieces.append(ndjson({{QStringLiteral("error"), QStringLiteral("model runner crashed")}}));
        break;
    }
    return reply;
}

FakeReply error(FakeProtocol protocol, int status, const QString &message,
    const QList<QPair<QByteArray, QByteArray>> &headers)
{
    FakeReply reply;
    reply.status = status;
    reply.headers = headers;
    reply.headers.append(qMakePair(QByteArray("Content-Type"), QByteArray("application/json")));
    reply.delayMs = 0;
    QJsonObject body;
    switch (protocol) {
    case FakeProtocol::OpenAi:
        body = {{QStringLiteral("error"),
            QJsonObject {
                {QStringLiteral("message"), message}, {QStringLiteral("type"), QStringLiteral("error")}}}};
        break;
    case FakeProtocol::Anthropic:
        body = {{QStringLiteral("type"), QStringLiteral("error")},
            {QStringLiteral("error"),
                QJsonObject {{QStringLiteral("type"), QStringLiteral("error")},
                    {QStringLiteral("message"), message}}}};
        break;
    case FakeProtocol::Ollama:
        body = {{QStringLiteral("error"), message}};
        break;
    }
    reply.pieces = {compact(body)};
    return reply;
}

FakeReply models(FakeProtocol protocol, const QStringList &names)
{
    QJsonArray list;
    for (const QString &name : names) {
        if (protocol == FakeProtocol::Ollama)
            list.append(QJsonObject {{QStringLiteral("name"), name}, {QStringLiteral("model"), name}});
        else
            list.append(QJsonObject {
                {QStringLiteral("id"), name}, {QStringLiteral("object"), QStringLiteral("model")}});
    }
    FakeReply reply;
    reply.headers = {{"Content-Type", "application/json"}};
    reply.delayMs = 0;
    const QJsonObject body = protocol == FakeProtocol::Ollama
        ? QJsonObject {{QStringLiteral("models"), list}}
        : QJsonObject {{QStringLiteral("data"), list}, {QStringLiteral("has_more"), false}};
    reply.pieces = {compact(body)};
    return reply;
}

FakeReply stall()
{
    FakeReply reply;
    reply.stall = true;
    return reply;
}

} // namespace fakellm

} // namespace lm::test
