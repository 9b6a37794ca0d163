// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "apiclient.h"
#include "server/demoseed.h"

#include <QSignalSpy>
#include <QTest>

namespace lm::test {

/// How a reply ended (the reply itself deletes itself after its signal).
struct Outcome
{
    bool ended = false;
    bool ok = false;
    bool cancelled = false;
    bool network = false;
    int status = 0;
    QJsonObject json;
    QString message;
};

/// Waits for a reply to end and copies what it said.
inline Outcome waitReply(client::ApiReply *reply, int ms = 15000)
{
    auto out = std::make_shared<Outcome>();
    auto copy = [out, reply](bool ok) {
        out->ended = true;
        out->ok = ok;
        out->status = reply->status();
        out->json = reply->json();
        out->message = reply->errorMessage();
        out->network = reply->isNetworkError();
    };
    QObject::connect(reply, &client::ApiReply::finished, [copy] { copy(true); });
    QObject::connect(reply, &client::ApiReply::failed, [copy] { copy(false); });
    QObject::connect(reply, &client::ApiReply::cancelled, [out] { out->ended = out->cancelled = true; });
    if (!QTest::qWaitFor([out] { return out->ended; }, ms))
        qWarning("reply did not end within %d ms", ms);
    return *out;
}

/// Signs `api` in with a demo account's password.
inline bool signIn(client::ApiClient &api, const QString &email)
{
    return waitReply(api.login(email, QString::fromLatin1(server::DemoSeed::kPassword))).ok;
}

} // namespace lm::test
