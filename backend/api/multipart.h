// SPDX-License-Identifier: GPL-3.0-or-later
// multipart/form-data bodies (RFC 7578): the uploads of skills and lead imports.
#pragma once

#include "core/result.h"

#include <QString>

#include <string>
#include <string_view>
#include <vector>

namespace lm::api {

/// One part of a form. `data` points into the request body: the body must outlive the part.
struct MultipartPart
{
    QString name; ///< the form field name
    QString filename; ///< set for a file part (may be empty for a text field)
    bool hasFilename = false;
    std::string contentType; ///< the part's Content-Type, lower-cased, or empty
    std::string_view data;
};

/// A parsed form: the parts in body order.
class MultipartForm
{
public:
    /// Parses `body` sent with `contentType` (the request's Content-Type header). A wrong content
    /// type, a missing boundary, or a malformed body → 400 VALIDATION_ERROR on field "body"; more
    /// than `maxParts` parts → the same.
    [[nodiscard]] static Result<MultipartForm> parse(
        std::string_view contentType, std::string_view body, int maxParts = 32);

    /// The first part of that name, or nullptr.
    [[nodiscard]] const MultipartPart *part(const QString &name) const;
    /// A text field decoded as UTF-8; empty when absent.
    [[nodiscard]] QString text(const QString &name) const;
    [[nodiscard]] bool has(const QString &name) const { return part(name) != nullptr; }
    [[nodiscard]] const std::vector<MultipartPart> &parts() const { return m_parts; }

private:
    std::vector<MultipartPart> m_parts;
};

/// The value of a parameter (`boundary`, `name`, `filename` …) of a header value such as
/// `form-data; name="file"; filename="a.md"`; quotes removed. Empty when absent.
[[nodiscard]] std::string headerParameter(std::string_view value, std::string_view parameter);

} // namespace lm::api
