// SPDX-License-Identifier: GPL-3.0-or-later
#include "testhttp.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QTcpSocket>

namespace lm::test {

QJsonObject HttpReply::json() const
{
    return QJsonDocument::fromJson(body).object();
}

QString HttpReply::errorCode() const
{
    return json().value(QStringLiteral("error")).toObject().value(QStringLiteral("code")).toString();
}

TestHttp::TestHttp(QString host, quint16 port)
    : m_host(std::move(host))
    , m_port(port)
{ }

HttpReply TestHttp::parse(const QByteArray &data, qsizetype *consumed)
{
    HttpReply reply;
    const qsizetype headerEnd = data.indexOf("\r\n\r\n");
    if (headerEnd < 0)
        return reply;
    const QList<QByteArray> lines = data.left(headerEnd).split('\n');
    const QList<QByteArray> statusLine = lines.value(0).trimmed().split(' ');
    if (statusLine.size() < 2)
        return reply;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines[i].indexOf(':');
        if (colon > 0)
            reply.headers.insert(lines[i].left(colon).trimmed().toLower(), lines[i].mid(colon + 1).trimmed());
    }
    const qsizetype bodyStart = headerEnd + 4;
    const qsizetype length = reply.headers.value("content-length", "0").toLongLong();
    if (data.size() < bodyStart + length)
        return reply; // incomplete
    reply.status = statusLine[1].toInt();
    reply.body = data.mid(bodyStart, length);
    reply.closed = reply.headers.value("connection").toLower() == "close";
    if (consumed)
        *consumed = bodyStart + length;
    return reply;
}

HttpReply TestHttp::rawThenWait(const QByteArray &bytes, int timeoutMs)
{
    QTcpSocket socket;
    socket.connectToHost(m_host, m_port);
    if (!socket.waitForConnected(5000))
        return {};
    socket.write(bytes);
    socket.waitForBytesWritten(5000);
    QByteArray data;
    QElapsedTimer timer;
    timer.start();
    HttpReply reply;
    while (timer.elapsed() < timeoutMs) {
        if (socket.bytesAvailable()
            || socket.waitForReadyRead(int(std::max<qint64>(1, timeoutMs - timer.elapsed()))))
            data += socket.readAll();
        reply = parse(data);
        if (reply.status != 0)
            break;
        if (socket.state() != QAbstractSocket::ConnectedState) {
            data += socket.readAll();
            reply = parse(data);
            break;
        }
    }
    if (reply.status != 0 && socket.state() == QAbstractSocket::ConnectedState) {
        // Did the server hang up after answering?
        socket.waitForReadyRead(200);
        reply.closed = reply.closed || socket.state() != QAbstractSocket::ConnectedState;
    }
    return reply;
}

HttpReply TestHttp::raw(const QByteArray &bytes, int timeoutMs)
{
    return rawThenWait(bytes, timeoutMs);
}

HttpReply TestHttp::request(
    const QByteArray &method, const QByteArray &path, const QByteArray &body, const Headers &headers)
{
    QByteArray req
        = method + ' ' + path + " HTTP/1.1\r\nHost: " + m_host.toLatin1() + "\r\nConnection: close\r\n";
    bool hasContentType = false;
    for (const auto &[name, value] : headers) {
        req += name + ": " + value + "\r\n";
        hasContentType = hasContentType || name.toLower() == "content-type";
    }
    if (!body.isEmpty() || method == "POST" || method == "PATCH" || method == "PUT") {
        if (!hasContentType)
            req += "Content-Type: application/json\r\n";
        req += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    }
    req += "\r\n" + body;
    return raw(req);
}

HttpReply TestHttp::get(const QByteArray &path, const QByteArray &bearer)
{
    Headers h;
    if (!bearer.isEmpty())
        h.append({"Authorization", "Bearer " + bearer});
    return request("GET", path, {}, h);
}

HttpReply TestHttp::postJson(const QByteArray &path, const QJsonObject &body, const QByteArray &bearer)
{
    Headers h;
    if (!bearer.isEmpty())
        h.append({"Authorization", "Bearer " + bearer});
    return request("POST", path, QJsonDocument(body).toJson(QJsonDocument::Compact), h);
}

} // namespace lm::test
