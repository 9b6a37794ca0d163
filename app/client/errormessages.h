// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "apireply.h"

#include <QJsonObject>
#include <QString>

namespace lm::client {

/// Turns the API's error envelope (DESIGN.md) into a sentence a reviewer understands.
/// `retryAfter` is the Retry-After header in seconds (429), or -1.
[[nodiscard]] QString errorMessageFor(
    Subject subject, int status, const QJsonObject &envelope, int retryAfter = -1);
/// The sentence for a server that could not be reached at `baseUrl`.
[[nodiscard]] QString unreachableMessage(const QString &baseUrl);
/// A field name of the API as a reviewer calls it ("selectedOption" → "option").
[[nodiscard]] QString fieldLabel(const QString &field);

} // namespace lm::client
