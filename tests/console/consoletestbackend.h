// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QVariantMap>

namespace lm::test {

class TestServer;

/// What the QML tests ask the real backend behind the console: where it listens, and what an
/// approval looks like in the store after the console decided it.
class ConsoleTestBackend : public QObject
{
    Q_OBJECT
    Q_PROPERTY(QString serverUrl READ serverUrl CONSTANT)
    Q_PROPERTY(QString error READ error CONSTANT)

public:
    explicit ConsoleTestBackend(TestServer *server, QObject *parent = nullptr);

    [[nodiscard]] QString serverUrl() const;
    /// Why the backend did not start; empty when it runs.
    [[nodiscard]] QString error() const;
    /// `{status, resolution, note, selectedOption, resolvedBy}` of an approval as stored; empty if unknown.
    Q_INVOKABLE QVariantMap approval(const QString &approvalId) const;
    /// How many approvals are pending in the store.
    Q_INVOKABLE int pendingCount() const;
    /// A pending approval of a campaign (the first by id); empty if none.
    Q_INVOKABLE QString pendingCampaignApproval() const;
    /// Sets the cap of the approval's campaign; a negative cap removes it.
    Q_INVOKABLE bool setCampaignCap(const QString &approvalId, double capUsd);
    /// A new pending approval of Acme outside any campaign; its id.
    Q_INVOKABLE QString addApprovalWithoutCampaign();

private:
    TestServer *m_server;
};

} // namespace lm::test
