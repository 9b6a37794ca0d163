// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QElapsedTimer>
#include <QMap>
#include <QTcpSocket>

namespace lm::test {

/// One message of an SSE stream as a client parsed it.
struct SseMessage
{
    qint64 id = -1;
    QByteArray event;
    QByteArray data;
    bool ping = false;
    qint64 retry = -1;
};

/// A real SSE client for tests: reads a streaming response off a socket: status, headers, de-chunked body, SSE messages.
class StreamClient
{
public:
    bool open(quint16 port, const QByteArray &path, const QByteArray &token,
        const QByteArray &lastEventId = {}, int receiveBuffer = 0)
    {
        if (receiveBuffer > 0) {
            m_socket.setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption, receiveBuffer);
            // Else the socket keeps reading into its own unbounded buffer whenever events run.
            m_socket.setReadBufferSize(receiveBuffer);
        }
        m_socket.connectToHost(QStringLiteral("127.0.0.1"), port);
        if (!m_socket.waitForConnected(5000))
            return false;
        QByteArray request = "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n";
        if (!token.isEmpty())
            request += "Authorization: Bearer " + token + "\r\n";
        if (!lastEventId.isEmpty())
            request += "Last-Event-ID: " + lastEventId + "\r\n";
        request += "\r\n";
        m_socket.write(request);
        return m_socket.waitForBytesWritten(5000);
    }

    /// The same for a POST with a JSON body whose answer is a stream (POST /dashboard/v1/chat/message).
    bool post(quint16 port, const QByteArray &path, const QByteArray &token, const QByteArray &body)
    {
        m_socket.connectToHost(QStringLiteral("127.0.0.1"), port);
        if (!m_socket.waitForConnected(5000))
            return false;
        QByteArray request = "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n"
            + "Content-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n";
        if (!token.isEmpty())
            request += "Authorization: Bearer " + token + "\r\n";
        m_socket.write(request + "\r\n" + body);
        return m_socket.waitForBytesWritten(5000);
    }

    /// Reads what is there (waiting up to `ms` for more); false when the connection is gone.
    bool pump(int ms = 50)
    {
        if (m_socket.bytesAvailable() == 0 && m_socket.state() == QAbstractSocket::ConnectedState)
            m_socket.waitForReadyRead(ms);
        m_raw += m_socket.readAll();
        decode();
        if (m_socket.state() != QAbstractSocket::ConnectedState)
            m_closed = true;
        return !m_closed;
    }

    template<typename Pred> bool waitFor(Pred pred, int timeoutMs = 5000)
    {
        QElapsedTimer timer;
        timer.start();
        while (!pred()) {
            if (timer.elapsed() > timeoutMs)
                return false;
            if (!pump(20) && !pred())
                return pred();
        }
        return true;
    }

    [[nodiscard]] QList<SseMessage> messages() const
    {
        QList<SseMessage> out;
        qsizetype start = 0;
        while (true) {
            const qsizetype end = m_body.indexOf("\n\n", start);
            if (end < 0)
                break;
            SseMessage message;
            QList<QByteArray> dataLines;
            for (const QByteArray &line : m_body.mid(start, end - start).split('\n')) {
                if (line == ": ping")
                    message.ping = true;
                else if (line.startsWith("id: "))
                    message.id = line.mid(4).toLongLong();
                else if (line.startsWith("event: "))
                    message.event = line.mid(7);
                else if (line.startsWith("data: "))
                    dataLines.append(line.mid(6));
                else if (line.startsWith("retry: "))
                    message.retry = line.mid(7).toLongLong();
            }
            message.data = dataLines.join('\n');
            out.append(message);
            start = end + 2;
        }
        return out;
    }

    /// The ids of the events (not pings or retry lines), in arrival order.
    [[nodiscard]] QList<qint64> ids() const
    {
        QList<qint64> out;
        for (const auto &m : messages()) {
            if (m.id >= 0)
                out.append(m.id);
        }
        return out;
    }
    [[nodiscard]] int pings() const
    {
        int n = 0;
        for (const auto &m : messages())
            n += m.ping ? 1 : 0;
        return n;
    }

    void abort() { m_socket.abort(); }

    int status = 0;
    QMap<QByteArray, QByteArray> headers;
    bool chunked = false;
    bool ended = false; ///< the terminating chunk arrived
    [[nodiscard]] bool closed() const { return m_closed; }
    [[nodiscard]] const QByteArray &body() const { return m_body; }
    [[nodiscard]] const QByteArray &raw() const { return m_raw; }

private:
    void decode()
    {
        if (status == 0) {
            const qsizetype end = m_raw.indexOf("\r\n\r\n");
            if (end < 0)
                return;
            const QList<QByteArray> lines = m_raw.left(end).split('\n');
            const QList<QByteArray> statusLine = lines.value(0).trimmed().split(' ');
            status = statusLine.value(1).toInt();
            for (qsizetype i = 1; i < lines.size(); ++i) {
                const qsizetype colon = lines[i].indexOf(':');
                if (colon > 0)
                    headers.insert(
                        lines[i].left(colon).trimmed().toLower(), lines[i].mid(colon + 1).trimmed());
            }
            chunked = headers.value("transfer-encoding").toLower() == "chunked";
            m_pos = end + 4;
        }
        if (!chunked) {
            m_body += m_raw.mid(m_pos);
            m_pos = m_raw.size();
            return;
        }
        while (!ended) {
            const qsizetype lineEnd = m_raw.indexOf("\r\n", m_pos);
            if (lineEnd < 0)
                return;
            bool ok = false;
            const qsizetype size = m_raw.mid(m_pos, lineEnd - m_pos).toLongLong(&ok, 16);
            if (!ok)
                return;
            if (size == 0) {
                if (m_raw.size() < lineEnd + 4)
                    return;
                ended = true;
                m_pos = lineEnd + 4;
                return;
            }
            if (m_raw.size() < lineEnd + 2 + size + 2)
                return;
            m_body += m_raw.mid(lineEnd + 2, size);
            m_pos = lineEnd + 2 + size + 2;
        }
    }

    QTcpSocket m_socket;
    QByteArray m_raw;
    QByteArray m_body;
    qsizetype m_pos = 0;
    bool m_closed = false;
};

} // namespace lm::test
