# SPDX-License-Identifier: GPL-3.0-or-later
# Sanitizer and fuzzing builds (clang-14, build dir of their own: tools/test --sanitize, tools/fuzz).
#   LM_SANITIZE  "address,undefined" or "thread"; empty (the default) for the normal build
#   LM_FUZZ      also builds the libFuzzer targets of tests/fuzz (needs LM_SANITIZE=address,undefined)
# One build serves both the sanitizer tests and the fuzzers: every object carries the sanitizers
# plus fuzzer-no-link coverage; only the fuzzers link the libFuzzer runtime (tests/fuzz).
set(LM_SANITIZE "" CACHE STRING "Sanitizers for every target: address,undefined | thread | empty")
option(LM_FUZZ "Build the libFuzzer targets (clang, with LM_SANITIZE=address,undefined)" OFF)

if(LM_FUZZ AND NOT LM_SANITIZE STREQUAL "address,undefined")
    message(FATAL_ERROR "LM_FUZZ needs LM_SANITIZE=address,undefined")
endif()

if(LM_SANITIZE)
    if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
        message(FATAL_ERROR "LM_SANITIZE needs clang (CXX=clang++-14)")
    endif()
    # Any report fails the run: no recovery, the process exits non-zero at the first finding.
    add_compile_options(-fsanitize=${LM_SANITIZE} -fno-sanitize-recover=all -fno-omit-frame-pointer)
    add_link_options(-fsanitize=${LM_SANITIZE})
    # Tests that bound a process's memory skip that bound: under a sanitizer RSS is mostly shadow
    # memory, redzones and the quarantine of freed blocks, not what the code holds.
    add_compile_definitions(LM_SANITIZED)
    if(LM_SANITIZE MATCHES "undefined")
        # vptr is off: it checks the dynamic type of polymorphic objects through their RTTI, and
        # Qt (Debian's, built with g++ and uninstrumented) hands us objects whose type information
        # lives in its own libraries; docs/testing.md explains the decision.
        add_compile_options(-fno-sanitize=vptr)
    endif()
    if(LM_FUZZ)
        add_compile_options(-fsanitize=fuzzer-no-link)
    endif()
endif()
