// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QMutex>
#include <QPair>
#include <QStringList>
#include <QThread>

#include <deque>

namespace lm::test {

/// The wire protocol a fake provider speaks.
enum class FakeProtocol
{
    OpenAi, ///< chat completions, SSE data: lines, data: [DONE]
    Anthropic, ///< messages, SSE event:/data: pairs, message_stop
    Ollama, ///< /api/chat, NDJSON, done:true
};

/// One scripted answer of the fake provider.
struct FakeReply
{
    int status = 200;
    QList<QPair<QByteArray, QByteArray>> headers; ///< besides Transfer-Encoding and Connection
    QList<QByteArray> pieces; ///< the body, each piece its own TCP write (chunked encoding)
    int delayMs = 15; ///< pause before each piece, so the client sees a real stream
    bool cutOff = false; ///< close the connection after the pieces, without ending the body
    bool stall = false; ///< read the request and never answer
};

/// A request as the fake provider saw it.
struct FakeRequest
{
    QByteArray method;
    QByteArray path; ///< with its query
    QMap<QByteArray, QByteArray> headers; ///< names lower-cased
    QByteArray body;

    [[nodiscard]] QJsonObject json() const;
};

/// One tool call of a scripted reply.
struct FakeToolCall
{
    QString id;
    QString name;
    QStringList argumentPieces; ///< the arguments' JSON text, in streamed fragments
};

class FakeLlmWorker;

/// A fake model provider on 127.0.0.1, port 0, on its own thread: it records each request and
/// answers with the next scripted reply (500 when the script is empty). One request per connection.
class FakeLlmServer
{
public:
    FakeLlmServer();
    ~FakeLlmServer();
    FakeLlmServer(const FakeLlmServer &) = delete;
    FakeLlmServer &operator=(const FakeLlmServer &) = delete;

    [[nodiscard]] quint16 port() const { return m_port; }
    /// http://127.0.0.1:port
    [[nodiscard]] QString baseUrl() const;
    /// Appends a reply to the script.
    void enqueue(const FakeReply &reply);
    /// Requests seen so far, in arrival order.
    [[nodiscard]] QList<FakeRequest> requests() const;
    /// Forgets the script and the requests.
    void reset();

    /// Called on the server thread.
    FakeReply takeReply(const FakeRequest &request);

private:
    QThread m_thread;
    FakeLlmWorker *m_worker = nullptr;
    quint16 m_port = 0;
    mutable QMutex m_mutex;
    std::deque<FakeReply> m_script;
    QList<FakeRequest> m_requests;
};

/// Scripted replies in each provider's real protocol.
namespace fakellm {
/// A streamed answer made of `pieces`, then usage and the end marker.
FakeReply text(FakeProtocol protocol, const QStringList &pieces, qint64 inputTokens, qint64 outputTokens);
/// A streamed tool call (arguments streamed in fragments where the protocol does), after `lead` text.
FakeReply toolCall(FakeProtocol protocol, const QString &lead, const QString &id, const QString &name,
    const QStringList &argumentPieces, qint64 inputTokens, qint64 outputTokens);
/// Several tool calls in one answer (OpenAI: fragments of the calls interleaved).
FakeReply toolCalls(FakeProtocol protocol, const QString &lead, const QList<FakeToolCall> &calls,
    qint64 inputTokens, qint64 outputTokens);
/// Text pieces, then the connection closes before the end marker.
FakeReply broken(FakeProtocol protocol, const QStringList &pieces);
/// One good piece, then a chunk that is not JSON.
FakeReply malformed(FakeProtocol protocol);
/// One good piece, then the provider's in-stream error.
FakeReply streamError(FakeProtocol protocol);
/// An HTTP error with the provider's error body.
FakeReply error(FakeProtocol protocol, int status, const QString &message,
    const QList<QPair<QByteArray, QByteArray>> &headers = {});
/// The provider's models list.
FakeReply models(FakeProtocol protocol, const QStringList &names);
/// Never answers.
FakeReply stall();
} // namespace fakellm

} // namespace lm::test
