// SPDX-License-Identifier: GPL-3.0-or-later
#include "logging.h"

Q_LOGGING_CATEGORY(lmCore, "lm.core", QtInfoMsg)
Q_LOGGING_CATEGORY(lmStore, "lm.store", QtInfoMsg)
Q_LOGGING_CATEGORY(lmApi, "lm.api", QtInfoMsg)
Q_LOGGING_CATEGORY(lmAuth, "lm.auth", QtInfoMsg)
Q_LOGGING_CATEGORY(lmServer, "lm.server", QtInfoMsg)
Q_LOGGING_CATEGORY(lmAgents, "lm.agents", QtInfoMsg)
