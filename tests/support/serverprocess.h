// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QProcess>
#include <QStringList>

namespace lm::test {

/// The real leadmetrics-server binary in a child process, as an operator runs it: started on a
/// free loopback port, stopped with SIGTERM or killed with SIGKILL. Killed when destroyed.
class ServerProcess
{
public:
    explicit ServerProcess(QString binary);
    ~ServerProcess();
    ServerProcess(const ServerProcess &) = delete;
    ServerProcess &operator=(const ServerProcess &) = delete;

    /// Starts `binary --listen 127.0.0.1:0 args…` and waits for its "listening on" line; returns
    /// the port, or 0 (error() says why, with the server's stderr).
    quint16 start(const QStringList &args);
    /// SIGTERM and wait; true when it exited 0.
    bool stop();
    /// SIGKILL and wait: a crash, no shutdown code runs.
    void kill();
    /// Runs `binary args…` to its end (a subcommand such as seed); returns its exit code (-1 when it
    /// did not finish within `timeoutMs`).
    int runToEnd(const QStringList &args, int timeoutMs = 120000);

    [[nodiscard]] quint16 port() const { return m_port; }
    [[nodiscard]] QString error() const { return m_error; }
    /// A line of /proc/PID/status in KiB (VmRSS, VmHWM, …); -1 when the process is gone.
    [[nodiscard]] qint64 statusKib(const char *field) const;

private:
    QString m_binary;
    QProcess m_process;
    quint16 m_port = 0;
    QString m_error;
};

} // namespace lm::test
