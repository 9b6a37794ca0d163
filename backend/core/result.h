// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "apierror.h"

#include <utility>
#include <variant>

namespace lm {

/// A value or an ApiError. g++ 12 has no std::expected, so this is ours; it never throws.
template<typename T> class [[nodiscard]] Result
{
public:
    Result(T value)
        : m_state(std::move(value))
    { }
    Result(ApiError error)
        : m_state(std::move(error))
    { }

    [[nodiscard]] bool ok() const { return std::holds_alternative<T>(m_state); }
    explicit operator bool() const { return ok(); }

    [[nodiscard]] T &value() & { return std::get<T>(m_state); }
    [[nodiscard]] const T &value() const & { return std::get<T>(m_state); }
    [[nodiscard]] T &&value() && { return std::get<T>(std::move(m_state)); }
    T *operator->() { return &value(); }
    const T *operator->() const { return &value(); }
    T &operator*() & { return value(); }
    const T &operator*() const & { return value(); }

    /// The error; an empty INTERNAL error on success (so diagnostics built eagerly never throw).
    [[nodiscard]] const ApiError &error() const
    {
        static const ApiError none;
        const auto *e = std::get_if<ApiError>(&m_state);
        return e ? *e : none;
    }

private:
    std::variant<T, ApiError> m_state;
};

/// Result without a value: success, or an ApiError.
template<> class [[nodiscard]] Result<void>
{
public:
    Result() = default;
    Result(ApiError error)
        : m_error(std::move(error))
        , m_failed(true)
    { }

    [[nodiscard]] bool ok() const { return !m_failed; }
    explicit operator bool() const { return ok(); }
    [[nodiscard]] const ApiError &error() const { return m_error; }

private:
    ApiError m_error;
    bool m_failed = false;
};

} // namespace lm
