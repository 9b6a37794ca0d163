// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace lm::client {

/// One event of a text/event-stream.
struct SseEvent
{
    QString id; ///< empty when the event carried none
    QString type = QStringLiteral("message");
    QByteArray data;
};

/// Incremental text/event-stream parser (the WHATWG rules: event/id/data/retry fields, comments, CR/LF/CRLF).
class SseParser
{
public:
    /// Feeds bytes as they arrive; returns the events they completed.
    QList<SseEvent> feed(const QByteArray &bytes);
    /// The last `retry:` value in ms, or -1.
    [[nodiscard]] int retryMs() const { return m_retryMs; }
    /// The last event id seen (it persists across events, as the standard says).
    [[nodiscard]] QString lastEventId() const { return m_lastEventId; }
    /// Comments (pings) seen so far.
    [[nodiscard]] int comments() const { return m_comments; }
    /// Drops a partial line and event (a new connection begins).
    void reset();

private:
    void line(const QByteArray &l, QList<SseEvent> &out);

    QByteArray m_buffer;
    QByteArray m_data;
    QString m_type;
    QString m_lastEventId;
    bool m_hasData = false;
    bool m_skipLf = false;
    int m_retryMs = -1;
    int m_comments = 0;
};

} // namespace lm::client
