# SPDX-License-Identifier: GPL-3.0-or-later
# Project-wide warning set; LM_WERROR (on in CI) turns warnings into errors.
function(lm_set_warnings target)
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wnon-virtual-dtor
                                             -Woverloaded-virtual -Wimplicit-fallthrough)
    if(LM_WERROR)
        target_compile_options(${target} PRIVATE -Werror)
    endif()
endfunction()
