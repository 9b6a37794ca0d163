// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QLoggingCategory>

// One category per backend area (lm.<area>), switchable with QT_LOGGING_RULES.
Q_DECLARE_LOGGING_CATEGORY(lmCore)
Q_DECLARE_LOGGING_CATEGORY(lmStore)
Q_DECLARE_LOGGING_CATEGORY(lmApi)
Q_DECLARE_LOGGING_CATEGORY(lmAuth)
Q_DECLARE_LOGGING_CATEGORY(lmServer)
Q_DECLARE_LOGGING_CATEGORY(lmAgents)
