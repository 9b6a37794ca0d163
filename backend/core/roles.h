// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>

#include <optional>

namespace lm {

/// Who a user is. Tenant roles belong to one tenant; platform roles (DM reviewer, super-admin) to none.
enum class Role : quint8
{
    Admin,
    Member,
    Reviewer,
    DmReviewer,
    SuperAdmin
};

/// An API surface; a token's `appAccess` lists the surfaces it may call.
enum class Surface : quint8
{
    Dashboard,
    Dm,
    Manage,
    Cli
};

[[nodiscard]] QString roleName(Role role);
[[nodiscard]] std::optional<Role> parseRole(QStringView name);
[[nodiscard]] bool isPlatformRole(Role role);

[[nodiscard]] QString surfaceName(Surface surface);
[[nodiscard]] std::optional<Surface> parseSurface(QStringView name);

/// A set of roles as a bit mask; routes declare the roles they admit with one.
class RoleSet
{
public:
    constexpr RoleSet() = default;
    constexpr RoleSet(std::initializer_list<Role> roles)
    {
        for (Role r : roles)
            m_bits |= bit(r);
    }
    static constexpr RoleSet all()
    {
        return {Role::Admin, Role::Member, Role::Reviewer, Role::DmReviewer, Role::SuperAdmin};
    }
    [[nodiscard]] constexpr bool contains(Role r) const { return m_bits & bit(r); }
    [[nodiscard]] constexpr bool isEmpty() const { return m_bits == 0; }

private:
    static constexpr quint8 bit(Role r) { return quint8(1u << quint8(r)); }
    quint8 m_bits = 0;
};

/// A set of surfaces (a token's appAccess).
class SurfaceSet
{
public:
    constexpr SurfaceSet() = default;
    constexpr SurfaceSet(std::initializer_list<Surface> surfaces)
    {
        for (Surface s : surfaces)
            m_bits |= bit(s);
    }
    constexpr void insert(Surface s) { m_bits |= bit(s); }
    [[nodiscard]] constexpr bool contains(Surface s) const { return m_bits & bit(s); }
    [[nodiscard]] QStringList names() const;
    /// Parses names; nullopt when one of them is not a surface.
    static std::optional<SurfaceSet> parse(const QStringList &names);

private:
    static constexpr quint8 bit(Surface s) { return quint8(1u << quint8(s)); }
    quint8 m_bits = 0;
};

} // namespace lm
