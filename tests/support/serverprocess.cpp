// SPDX-License-Identifier: GPL-3.0-or-later
#include "serverprocess.h"

#include <QFile>
#include <QRegularExpression>

#include <csignal>

namespace lm::test {

ServerProcess::ServerProcess(QString binary)
    : m_binary(std::move(binary))
{
    m_process.setProcessChannelMode(QProcess::SeparateChannels);
}

ServerProcess::~ServerProcess()
{
    if (m_process.state() != QProcess::NotRunning)
        kill();
}

quint16 ServerProcess::start(const QStringList &args)
{
    m_port = 0;
    m_error.clear();
    m_process.setProgram(m_binary);
    m_process.setArguments(QStringList {QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")} + args);
    m_process.start();
    if (!m_process.waitForStarted(5000)) {
        m_error = m_process.errorString();
        return 0;
    }
    static const QRegularExpression line(
        QStringLiteral("^listening on http://127\\.0\\.0\\.1:(\\d+)$"), QRegularExpression::MultilineOption);
    QByteArray out;
    // Migrations and a seed can take a while on a loaded machine: up to 60 s for the line.
    for (int waited = 0; waited < 60; ++waited) {
        if (m_process.waitForReadyRead(1000))
            out += m_process.readAllStandardOutput();
        if (const auto m = line.match(QString::fromUtf8(out)); m.hasMatch()) {
            m_port = quint16(m.captured(1).toUInt());
            return m_port;
        }
        if (m_process.state() == QProcess::NotRunning)
            break;
    }
    m_error = QStringLiteral("no \"listening on\" line; stderr: ")
        + QString::fromUtf8(m_process.readAllStandardError().right(2000));
    kill();
    return 0;
}

bool ServerProcess::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return false;
    ::kill(pid_t(m_process.processId()), SIGTERM);
    if (!m_process.waitForFinished(30000)) {
        kill();
        return false;
    }
    return m_process.exitStatus() == QProcess::NormalExit && m_process.exitCode() == 0;
}

void ServerProcess::kill()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    ::kill(pid_t(m_process.processId()), SIGKILL);
    m_process.waitForFinished(30000);
}

int ServerProcess::runToEnd(const QStringList &args, int timeoutMs)
{
    QProcess process;
    process.start(m_binary, args);
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
        return -1;
    }
    if (process.exitCode() != 0)
        m_error = QString::fromUtf8(process.readAllStandardError().right(2000));
    return process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
}

qint64 ServerProcess::statusKib(const char *field) const
{
    if (m_process.state() == QProcess::NotRunning)
        return -1;
    QFile status(QStringLiteral("/proc/%1/status").arg(m_process.processId()));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray prefix = QByteArray(field) + ':';
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith(prefix))
            return line.mid(prefix.size()).simplified().split(' ').value(0).toLongLong();
    }
    return -1;
}

} // namespace lm::test
