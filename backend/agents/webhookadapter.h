// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "agents/agentadapter.h"

#include <QByteArray>
#include <QJsonObject>
#include <QUrl>

namespace lm {
class Clock;
}

namespace lm::agents {

/// Hands a run to an external agent runtime: POSTs the run's ids, its run token and the /agent/v1
/// callback URLs to extra.url (or baseUrl), signed with HMAC-SHA256 when extra.secret is set. A 2xx
/// means the runtime took the run (End::Handed); it then reports through /agent/v1. run() blocks
/// its (plain std::thread) caller on a local event loop; several may run at once.
class WebhookAdapter final : public AgentAdapter
{
public:
    /// Header carrying "sha256=<hex HMAC-SHA256 of the body>".
    static constexpr const char *SignatureHeader = "X-Leadmetrics-Signature";
    /// Header carrying the dispatch time in Unix seconds (also in the signed body as "timestamp").
    static constexpr const char *TimestampHeader = "X-Leadmetrics-Timestamp";

    /// `clock` stamps dispatches (the system clock when null); it must outlive the adapter.
    explicit WebhookAdapter(const Clock *clock = nullptr);

    [[nodiscard]] QString type() const override { return QStringLiteral("webhook"); }
    Result<RunOutcome> run(const RunRequest &request, RunSink &sink) override;
    QList<HealthCheck> health(const AdapterConfig &config) override;

    /// Where runs are posted: extra.url, else baseUrl; invalid when neither is an http(s) URL.
    [[nodiscard]] static QUrl endpoint(const AdapterConfig &config);
    /// The JSON body of a dispatch.
    [[nodiscard]] static QJsonObject dispatchPayload(const RunRequest &request, qint64 timestampSec);
    /// "sha256=<hex>" of HMAC-SHA256(secret, body).
    [[nodiscard]] static QByteArray signature(const QByteArray &secret, const QByteArray &body);

private:
    const Clock *m_clock;
};

} // namespace lm::agents
