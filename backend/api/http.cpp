// SPDX-License-Identifier: GPL-3.0-or-later
#include "http.h"

#include <QUrlQuery>

#include <algorithm>
#include <strings.h>

namespace lm::api {

namespace {
constexpr std::array<std::string_view, kHttpMethodCount> kMethodNames {
    "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", ""};
}

std::string_view methodName(HttpMethod method)
{
    return kMethodNames[std::size_t(method)];
}

HttpMethod parseMethod(std::string_view name)
{
    for (std::size_t i = 0; i + 1 < kMethodNames.size(); ++i) {
        if (kMethodNames[i] == name)
            return HttpMethod(i);
    }
    return HttpMethod::Other;
}

std::string_view HttpRequest::header(std::string_view lowerName) const
{
    for (const auto &[name, value] : headers) {
        if (name == lowerName)
            return value;
    }
    return {};
}

QString HttpRequest::queryParameter(const QString &name) const
{
    if (query.empty())
        return {};
    const QUrlQuery q(QString::fromUtf8(query.data(), qsizetype(query.size())));
    return q.queryItemValue(name, QUrl::FullyDecoded);
}

void HttpResponse::setHeader(std::string name, std::string value)
{
    for (auto &[n, v] : headers) {
        if (n.size() == name.size() && strncasecmp(n.data(), name.data(), n.size()) == 0) {
            v = std::move(value);
            return;
        }
    }
    headers.emplace_back(std::move(name), std::move(value));
}

std::string_view HttpResponse::header(std::string_view name) const
{
    for (const auto &[n, v] : headers) {
        if (n.size() == name.size() && strncasecmp(n.data(), name.data(), n.size()) == 0)
            return v;
    }
    return {};
}

} // namespace lm::api
