// SPDX-License-Identifier: GPL-3.0-or-later
// The fuzzers' invariant check: a broken promise aborts, which libFuzzer reports like a crash.
#pragma once

#include <cstdio>
#include <cstdlib>

#define LM_FUZZ_CHECK(condition)                                                                             \
    do {                                                                                                     \
        if (!(condition)) {                                                                                  \
            std::fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, #condition);           \
            std::abort();                                                                                    \
        }                                                                                                    \
    } while (false)
