// SPDX-License-Identifier: GPL-3.0-or-later
#include "accountdirectory.h"

#include "store/database.h"

namespace lm::auth {

AccountDirectory::AccountDirectory(
    store::Database &db, store::UserRepository &users, const Clock &clock, Settings settings)
    : m_db(db)
    , m_users(users)
    , m_clock(clock)
    , m_settings(settings)
{ }

Result<std::optional<store::User>> AccountDirectory::find(const QString &userId) const
{
    // Taken before the read: a change committed while we read moves it on, and the entry is
    // stale at once.
    const quint64 generation = m_db.accountsGeneration();
    const qint64 now = m_clock.nowMs();
    {
        std::lock_guard lock(m_mutex);
        const auto it = m_entries.constFind(userId);
        if (it != m_entries.constEnd() && it->generation == generation
            && now - it->readAtMs < m_settings.maxAgeMs && now >= it->readAtMs)
            return std::optional<store::User>(it->user);
    }
    auto found = m_users.findAccount(userId);
    if (!found.ok())
        return found.error();
    if (!found->has_value())
        return std::optional<store::User>();
    store::User user = std::move(**found);
    user.passwordHash.clear(); // never kept in memory longer than a login needs it
    std::lock_guard lock(m_mutex);
    if (m_entries.size() >= m_settings.maxEntries)
        m_entries.clear();
    m_entries.insert(userId, Entry {user, generation, now});
    return std::optional<store::User>(std::move(user));
}

std::optional<ApiError> accountRefusal(const store::User &account)
{
    if (account.status != QLatin1String("active")) {
        const bool removed = account.status == QLatin1String("deleted");
        return ApiError {ErrorCode::Unauthorized,
            removed ? QStringLiteral("This account has been removed from its tenant")
                    : QStringLiteral("This account is not active"),
            {{QStringLiteral("account"), removed ? QStringLiteral("removed") : QStringLiteral("inactive")}}};
    }
    if (!account.tenantId.isEmpty() && account.tenantStatus != QLatin1String("active"))
        return ApiError {ErrorCode::Unauthorized,
            account.tenantStatus == QLatin1String("suspended") ? QStringLiteral("This tenant is suspended")
                                                               : QStringLiteral("This tenant is not active"),
            {{QStringLiteral("tenant"),
                account.tenantStatus.isEmpty() ? QStringLiteral("gone") : account.tenantStatus}}};
    return std::nullopt;
}

} // namespace lm::auth
