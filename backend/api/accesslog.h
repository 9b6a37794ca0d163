// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <cstdio>
#include <mutex>
#include <string>

namespace lm::api {

/// One JSON line per request: time, request id, method, path (never the query: it may hold an
/// access token), status, duration, bytes, client ip, user. Buffered; flushed every second by
/// the host and on close.
class AccessLog
{
public:
    /// `path` empty: disabled; "-": stderr; otherwise appended to that file.
    explicit AccessLog(const QString &path);
    ~AccessLog();
    AccessLog(const AccessLog &) = delete;
    AccessLog &operator=(const AccessLog &) = delete;

    [[nodiscard]] bool isEnabled() const { return m_file != nullptr; }
    void write(const std::string &line);
    void flush();

private:
    std::FILE *m_file = nullptr;
    bool m_ownsFile = false;
    std::mutex m_mutex;
};

/// JSON string escaping for log lines.
[[nodiscard]] std::string jsonEscape(std::string_view text);

} // namespace lm::api
