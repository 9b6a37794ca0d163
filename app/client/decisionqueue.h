// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QList>
#include <QObject>
#include <QString>

namespace lm::client {

class ApiClient;

/// A reviewer's decision on an approval, as taken (possibly while offline).
struct Decision
{
    /// The Idempotency-Key: a UUID made when the decision was taken, the same for every attempt.
    QString key;
    QString approvalId;
    QString title; ///< for the UI only
    QString resolution; ///< approved | rejected | revision_requested
    QString note;
    QString optionId;
    QDateTime takenAt;
    bool sending = false;
};

/// Decisions wait here, persisted to a JSON file, until the server takes them — in the order taken.
/// Each ends as applied, resolvedElsewhere (the server's 409: someone else decided first) or failed.
class DecisionQueue : public QObject
{
    Q_OBJECT
public:
    enum class Outcome
    {
        Applied,
        ResolvedElsewhere,
        Failed
    };
    Q_ENUM(Outcome)

    /// Loads what `filePath` holds (decisions left by an earlier run are sent again with their keys).
    DecisionQueue(ApiClient *api, QString filePath, QObject *parent = nullptr);

    /// Queues a decision and, when online, sends it at once; returns its key.
    QString enqueue(const QString &approvalId, const QString &resolution, const QString &note,
        const QString &optionId, const QString &title = {});
    /// Sends what waits, one at a time in order, until done or the server is unreachable.
    void flush();
    [[nodiscard]] QList<Decision> pending() const { return m_items; }
    [[nodiscard]] int count() const { return int(m_items.size()); }
    [[nodiscard]] QString filePath() const { return m_filePath; }
    /// The error of the last save, or empty.
    [[nodiscard]] QString saveError() const { return m_saveError; }

Q_SIGNALS:
    void countChanged(int count);
    /// A decision is being sent (its approval shows "sending").
    void sending(const QString &approvalId, const QString &key);
    /// Sending found no server (or no session): the decision waits again; `message` says why.
    void requeued(const QString &approvalId, const QString &key, const QString &message);
    /// A decision ended; `resolution` is the one taken, `message` explains a failure.
    void decided(const QString &approvalId, const QString &key, lm::client::DecisionQueue::Outcome outcome,
        const QString &resolution, const QString &message);

private:
    void load();
    void save();
    void finish(const Decision &d, Outcome outcome, const QString &message);

    ApiClient *m_api;
    QString m_filePath;
    QString m_saveError;
    QList<Decision> m_items;
    bool m_inFlight = false;
};

} // namespace lm::client
