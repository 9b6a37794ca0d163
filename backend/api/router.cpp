// SPDX-License-Identifier: GPL-3.0-or-later
#include "router.h"

#include <QByteArray>

#include <unordered_map>

namespace lm::api {

struct Router::Node
{
    std::unordered_map<std::string, std::unique_ptr<Node>> children;
    std::unique_ptr<Node> param;
    std::string paramName;
    std::array<const RouteSpec *, kHttpMethodCount> methods {};

    [[nodiscard]] bool hasAnyMethod() const
    {
        for (const auto *r : methods) {
            if (r)
                return true;
        }
        return false;
    }
};

namespace {

// Splits "/a/b/c" into segments; false for an empty segment ("//", trailing "/") or no leading "/".
bool splitPath(std::string_view path, std::vector<std::string_view> &out)
{
    out.clear();
    if (path.empty() || path.front() != '/')
        return false;
    if (path.size() == 1)
        return true;
    std::size_t start = 1;
    while (start <= path.size()) {
        const std::size_t end = path.find('/', start);
        const std::string_view seg
            = path.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
        if (seg.empty())
            return false;
        out.push_back(seg);
        if (end == std::string_view::npos)
            break;
        start = end + 1;
    }
    return true;
}

std::string percentDecode(std::string_view s)
{
    if (s.find('%') == std::string_view::npos)
        return std::string(s);
    return QByteArray::fromPercentEncoding(QByteArray(s.data(), qsizetype(s.size()))).toStdString();
}

} // namespace

Router::Router()
    : m_root(std::make_unique<Node>())
{ }

Router::~Router() = default;

Result<void> Router::add(RouteSpec spec)
{
    const QString where = QString::fromLatin1(methodName(spec.method)) + QLatin1Char(' ')
        + QString::fromStdString(spec.pattern);
    if (!spec.access)
        return ApiError::internal(QStringLiteral("route %1 declares no access policy").arg(where));
    if (!spec.handler)
        return ApiError::internal(QStringLiteral("route %1 has no handler").arg(where));
    if (spec.method == HttpMethod::Other || spec.method == HttpMethod::Head)
        return ApiError::internal(QStringLiteral("route %1 has an unsupported method").arg(where));
    // Not left to each handler: every route of a cross-tenant surface has its reads audited.
    if (spec.access->isCrossTenant())
        spec.stages.insert(Stage::Audit);
    std::vector<std::string_view> segments;
    if (!splitPath(spec.pattern, segments))
        return ApiError::internal(QStringLiteral("route %1 has a malformed pattern").arg(where));

    Node *node = m_root.get();
    for (std::string_view seg : segments) {
        if (seg.front() == ':') {
            const std::string name(seg.substr(1));
            if (name.empty())
                return ApiError::internal(QStringLiteral("route %1 has an unnamed parameter").arg(where));
            if (!node->param) {
                node->param = std::make_unique<Node>();
                node->param->paramName = name;
            } else if (node->param->paramName != name) {
                return ApiError::internal(
                    QStringLiteral("route %1 names a parameter differently from a sibling route").arg(where));
            }
            node = node->param.get();
        } else {
            auto &child = node->children[std::string(seg)];
            if (!child)
                child = std::make_unique<Node>();
            node = child.get();
        }
    }
    auto &slot = node->methods[std::size_t(spec.method)];
    if (slot)
        return ApiError::internal(QStringLiteral("route %1 is registered twice").arg(where));
    m_routes.push_back(std::make_unique<RouteSpec>(std::move(spec)));
    slot = m_routes.back().get();
    return {};
}

Router::Lookup Router::lookup(HttpMethod method, std::string_view path) const
{
    Lookup result;
    thread_local std::vector<std::string_view> segments;
    if (!splitPath(path, segments))
        return result;

    // Depth-first: a static segment first, then the parameter, backtracking on a dead end.
    std::vector<std::pair<std::string, std::string>> params;
    const Node *found = nullptr;
    auto walk = [&](auto &self, const Node *node, std::size_t depth) -> bool {
        if (depth == segments.size()) {
            if (!node->hasAnyMethod())
                return false;
            found = node;
            return true;
        }
        const std::string_view seg = segments[depth];
        if (auto it = node->children.find(std::string(seg)); it != node->children.end()) {
            if (self(self, it->second.get(), depth + 1))
                return true;
        }
        if (node->param) {
            // An encoded slash (%2F) never makes an id: no resource of the API has one, and a
            // value with '/' must not reach a handler that builds paths or keys from it.
            std::string value = percentDecode(seg);
            if (value.find('/') != std::string::npos)
                return false;
            params.emplace_back(node->param->paramName, std::move(value));
            if (self(self, node->param.get(), depth + 1))
                return true;
            params.pop_back();
        }
        return false;
    };
    if (!walk(walk, m_root.get(), 0))
        return result;

    const HttpMethod effective = method == HttpMethod::Head ? HttpMethod::Get : method;
    if (effective != HttpMethod::Other && found->methods[std::size_t(effective)]) {
        result.outcome = Outcome::Found;
        result.route = found->methods[std::size_t(effective)];
        result.params = std::move(params);
        return result;
    }
    result.outcome = Outcome::MethodNotAllowed;
    for (std::size_t i = 0; i < kHttpMethodCount; ++i) {
        if (!found->methods[i])
            continue;
        if (!result.allow.empty())
            result.allow += ", ";
        result.allow += methodName(HttpMethod(i));
        if (HttpMethod(i) == HttpMethod::Get)
            result.allow += ", HEAD";
    }
    return result;
}

std::vector<const RouteSpec *> Router::routes() const
{
    std::vector<const RouteSpec *> out;
    out.reserve(m_routes.size());
    for (const auto &r : m_routes)
        out.push_back(r.get());
    return out;
}

} // namespace lm::api
