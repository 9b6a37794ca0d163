// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/clock.h"
#include "core/result.h"
#include "store/userrepository.h"

#include <QHash>

#include <mutex>
#include <optional>

namespace lm::store {
class Database;
}

namespace lm::auth {

/// The accounts behind signed-in users as they stand now, for the check every request makes.
/// A read-through cache: an entry is used while no account of this process changed since it was
/// read (Database::accountsGeneration) and it is younger than `maxAgeMs`, which bounds how long a
/// change made by another instance on the same PostgreSQL can go unseen. Thread-safe.
class AccountDirectory
{
public:
    struct Settings
    {
        qint64 maxAgeMs = 2000;
        int maxEntries = 20000; ///< the cache starts afresh beyond this
    };

    AccountDirectory(
        store::Database &db, store::UserRepository &users, const Clock &clock, Settings settings);

    /// The account (password hash left out), or nullopt when there is no such user.
    Result<std::optional<store::User>> find(const QString &userId) const;

private:
    struct Entry
    {
        store::User user;
        quint64 generation = 0;
        qint64 readAtMs = 0;
    };

    store::Database &m_db;
    store::UserRepository &m_users;
    const Clock &m_clock;
    Settings m_settings;
    mutable std::mutex m_mutex;
    mutable QHash<QString, Entry> m_entries;
};

/// Why an account may not act now, as the error its requests get; nullopt when it may. A removed
/// or deactivated user and a suspended tenant are 401 (the token is no good), with a detail that
/// says which, so a client can tell the user rather than retry.
[[nodiscard]] std::optional<ApiError> accountRefusal(const store::User &account);

} // namespace lm::auth
