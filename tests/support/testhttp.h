// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QPair>

namespace lm::test {

/// A response as a client saw it on the wire.
struct HttpReply
{
    int status = 0; ///< 0 when no response arrived
    QMap<QByteArray, QByteArray> headers; ///< names lower-cased
    QByteArray body;
    bool closed = false; ///< the server closed the connection after this response

    [[nodiscard]] QJsonObject json() const;
    /// The envelope's error.code, or empty.
    [[nodiscard]] QString errorCode() const;
};

/// A deliberately plain HTTP/1.1 client over a blocking QTcpSocket on loopback, so tests can send
/// what a real client sends — and what a broken or hostile one sends.
class TestHttp
{
public:
    TestHttp(QString host, quint16 port);

    using Headers = QList<QPair<QByteArray, QByteArray>>;
    /// One request on a fresh connection; JSON bodies get Content-Type application/json.
    HttpReply request(const QByteArray &method, const QByteArray &path, const QByteArray &body = {},
        const Headers &headers = {});
    HttpReply get(const QByteArray &path, const QByteArray &bearer = {});
    HttpReply postJson(const QByteArray &path, const QJsonObject &body, const QByteArray &bearer = {});
    /// Sends raw bytes and reads one response (waiting up to timeoutMs).
    HttpReply raw(const QByteArray &bytes, int timeoutMs = 10000);
    /// Sends `bytes`, then stays silent and waits for whatever the server answers.
    HttpReply rawThenWait(const QByteArray &bytes, int timeoutMs);

    /// Parses one response off the front of `data` (tests and the keep-alive check use it).
    static HttpReply parse(const QByteArray &data, qsizetype *consumed = nullptr);

private:
    QString m_host;
    quint16 m_port;
};

} // namespace lm::test
