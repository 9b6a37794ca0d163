// SPDX-License-Identifier: GPL-3.0-or-later
#include "roles.h"

namespace lm {

QString roleName(Role role)
{
    switch (role) {
    case Role::Admin:
        return QStringLiteral("admin");
    case Role::Member:
        return QStringLiteral("member");
    case Role::Reviewer:
        return QStringLiteral("reviewer");
    case Role::DmReviewer:
        return QStringLiteral("dm_reviewer");
    case Role::SuperAdmin:
        return QStringLiteral("super_admin");
    }
    return {};
}

std::optional<Role> parseRole(QStringView name)
{
    for (Role r : {Role::Admin, Role::Member, Role::Reviewer, Role::DmReviewer, Role::SuperAdmin}) {
        if (name == roleName(r))
            return r;
    }
    return std::nullopt;
}

bool isPlatformRole(Role role)
{
    return role == Role::DmReviewer || role == Role::SuperAdmin;
}

QString surfaceName(Surface surface)
{
    switch (surface) {
    case Surface::Dashboard:
        return QStringLiteral("dashboard");
    case Surface::Dm:
        return QStringLiteral("dm");
    case Surface::Manage:
        return QStringLiteral("manage");
    case Surface::Cli:
        return QStringLiteral("cli");
    }
    return {};
}

std::optional<Surface> parseSurface(QStringView name)
{
    for (Surface s : {Surface::Dashboard, Surface::Dm, Surface::Manage, Surface::Cli}) {
        if (name == surfaceName(s))
            return s;
    }
    return std::nullopt;
}

QStringList SurfaceSet::names() const
{
    QStringList out;
    for (Surface s : {Surface::Manage, Surface::Dm, Surface::Cli, Surface::Dashboard}) {
        if (contains(s))
            out.append(surfaceName(s));
    }
    return out;
}

std::optional<SurfaceSet> SurfaceSet::parse(const QStringList &names)
{
    SurfaceSet set;
    for (const QString &n : names) {
        auto s = parseSurface(n);
        if (!s)
            return std::nullopt;
        set.insert(*s);
    }
    return set;
}

} // namespace lm
