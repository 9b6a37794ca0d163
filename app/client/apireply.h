// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QJsonObject>
#include <QObject>
#include <QPointer>

class QNetworkReply;

namespace lm::client {

/// What a request is about, so an error reads as a person expects ("This approval no longer exists").
enum class Subject
{
    General,
    Login,
    Approval,
    Activity,
    Decision
};

/// One API call in flight. Emits exactly one of finished(), failed() or cancelled(), then deletes itself.
class ApiReply : public QObject
{
    Q_OBJECT
public:
    explicit ApiReply(Subject subject, QObject *parent = nullptr);

    /// The answer's JSON object (empty for 204 or a failure without a body).
    [[nodiscard]] QJsonObject json() const { return m_json; }
    /// HTTP status; 0 when no answer arrived (network error, cancelled).
    [[nodiscard]] int status() const { return m_status; }
    /// The envelope's error.code, "NETWORK" when the server was not reached, or empty.
    [[nodiscard]] QString errorCode() const { return m_errorCode; }
    /// A translated sentence for the user.
    [[nodiscard]] QString errorMessage() const { return m_errorMessage; }
    /// True when the server could not be reached at all.
    [[nodiscard]] bool isNetworkError() const { return m_errorCode == QLatin1String("NETWORK"); }
    [[nodiscard]] bool isDone() const { return m_done; }
    [[nodiscard]] Subject subject() const { return m_subject; }

    /// Stops the request; emits cancelled() (never finished/failed) unless it already ended.
    void abort();

Q_SIGNALS:
    void finished();
    void failed();
    void cancelled();

private:
    friend class ApiClient;
    void attach(QNetworkReply *reply);
    void succeed(int status, const QJsonObject &json);
    void fail(int status, const QString &code, const QString &message, const QJsonObject &json = {});

    Subject m_subject;
    QPointer<QNetworkReply> m_network;
    QJsonObject m_json;
    QString m_errorCode;
    QString m_errorMessage;
    int m_status = 0;
    bool m_done = false;
    bool m_retried = false; ///< already sent again after a token refresh
};

} // namespace lm::client
