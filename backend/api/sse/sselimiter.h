// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/result.h"

#include <QString>

#include <memory>

namespace lm::api::sse {

/// Caps open SSE streams per user. A slot is a handle: the stream holds it and the slot is free
/// again when the last copy goes (the stream closed). Thread-safe; slots may outlive the limiter.
class SseLimiter
{
public:
    using Slot = std::shared_ptr<void>;

    explicit SseLimiter(int maxPerUser);
    ~SseLimiter();
    SseLimiter(const SseLimiter &) = delete;
    SseLimiter &operator=(const SseLimiter &) = delete;

    /// A slot for the user, or 429 RATE_LIMITED when the user already has the maximum open.
    Result<Slot> acquire(const QString &userKey);
    /// Streams the user has open now.
    [[nodiscard]] int openFor(const QString &userKey) const;
    [[nodiscard]] int maxPerUser() const;
    void setMaxPerUser(int maxPerUser);

private:
    struct State;
    std::shared_ptr<State> m_state;
};

} // namespace lm::api::sse
