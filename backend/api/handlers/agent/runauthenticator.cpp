// SPDX-License-Identifier: GPL-3.0-or-later
#include "runauthenticator.h"

#include "agents/runexecutor.h"

namespace lm::api {

namespace {
constexpr std::size_t kMaxToken = 128;

Principal principalOf(const store::Run &run)
{
    Principal p;
    p.tenantId = run.tenantId;
    p.runId = run.id;
    return p;
}

QString tokenText(std::string_view token)
{
    return QString::fromLatin1(token.data(), qsizetype(std::min(token.size(), kMaxToken + 1)));
}
} // namespace

Result<Principal> RunTokenAuthenticator::authenticateRun(const QString &runId, std::string_view token) const
{
    auto run = m_executor.authenticateRun(runId, tokenText(token));
    if (!run.ok())
        return run.error();
    // The token proved this run: only now may the caller learn that it has ended, and how (a
    // runtime retrying a result whose answer it lost sees its own "completed").
    if (run->status != QLatin1String("running"))
        return ApiError {
            ErrorCode::Conflict, QStringLiteral("the run has ended"), {{QStringLiteral("run"), run->status}}};
    return principalOf(*run);
}

Result<Principal> RunTokenAuthenticator::authenticateRuntime(std::string_view token) const
{
    auto run = m_executor.authenticateRunningToken(tokenText(token));
    if (!run.ok())
        return run.error();
    return principalOf(*run);
}

} // namespace lm::api
