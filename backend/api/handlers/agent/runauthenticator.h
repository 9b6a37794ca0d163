// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "api/pipeline.h"

namespace lm::agents {
class RunExecutor;
}

namespace lm::api {

/// Run tokens (`lmr_…`) of /agent/v1, checked against the runs table through the run executor.
/// The principal carries the run's tenant and id, no user; the token itself is never kept or logged.
class RunTokenAuthenticator final : public RunAuthenticator
{
public:
    explicit RunTokenAuthenticator(agents::RunExecutor &executor)
        : m_executor(executor)
    { }

    [[nodiscard]] Result<Principal> authenticateRun(
        const QString &runId, std::string_view token) const override;
    [[nodiscard]] Result<Principal> authenticateRuntime(std::string_view token) const override;

private:
    agents::RunExecutor &m_executor;
};

} // namespace lm::api
