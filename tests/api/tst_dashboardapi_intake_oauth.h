// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A fake OAuth2 provider on 127.0.0.1 (its own thread) that speaks the authorization code grant:
// GET /authorize redirects to redirect_uri with code and state; POST /token takes a form-encoded
// body and answers JSON tokens (RFC 6749 §4.1); POST /revoke takes a form (RFC 7009).
#include <QByteArray>
#include <QMap>
#include <QMutex>
#include <QStringList>
#include <QThread>

namespace lm::test {

class FakeOAuthProvider
{
public:
    static constexpr const char *kClientId = "lm-client";
    static constexpr const char *kClientSecret = "lm-secret-&=+";

    FakeOAuthProvider();
    ~FakeOAuthProvider();
    FakeOAuthProvider(const FakeOAuthProvider &) = delete;
    FakeOAuthProvider &operator=(const FakeOAuthProvider &) = delete;

    [[nodiscard]] quint16 port() const { return m_port; }
    [[nodiscard]] QString baseUrl() const { return QStringLiteral("http://127.0.0.1:%1").arg(m_port); }

    struct Seen
    {
        QStringList tokenRequests; ///< form bodies of /token
        QStringList revoked; ///< tokens sent to /revoke
        QStringList issuedAccessTokens;
    };
    [[nodiscard]] Seen seen() const;

    /// Called on the provider's thread: the response bytes for one request.
    QByteArray handle(const QByteArray &method, const QByteArray &target, const QByteArray &body);

private:
    QThread m_thread;
    QObject *m_server = nullptr;
    quint16 m_port = 0;
    mutable QMutex m_mutex;
    Seen m_seen;
    struct Grant
    {
        QString redirectUri;
        bool used = false;
    };
    QMap<QString, Grant> m_codes;
    int m_counter = 0;
};

} // namespace lm::test
