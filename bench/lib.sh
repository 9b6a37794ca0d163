# SPDX-License-Identifier: GPL-3.0-or-later
# shellcheck shell=bash
# What every benchmark script shares; sourced, never run. Before sourcing set LM_BENCH_NAME (for
# messages); afterwards call lm_bench_init once. Each script then starts servers with
# lm_start_server, and reports figures with lm_report, which also appends them to $BENCH_RESULTS
# (tab-separated, one row a figure) when tools/bench set it. KEEP_TMP=1 keeps the scratch dir (the
# server's logs, the seed's output) for a look afterwards.
cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1

lm_die() {
    echo "${LM_BENCH_NAME:-bench}: $*" >&2
    exit 1
}

# lm_need CMD…: each command must be on PATH.
lm_need() {
    local c
    for c in "$@"; do
        command -v "$c" >/dev/null || lm_die "$c is missing: run tools/setup --test"
    done
}

# lm_need_binary PATH…: each must be built.
lm_need_binary() {
    local b
    for b in "$@"; do
        [ -x "$b" ] || lm_die "$b is missing: run tools/build first"
    done
}

LM_PID=
LM_URL=
LM_TMP=

# shellcheck disable=SC2317  # called by the trap and between runs
lm_stop_server() {
    if [ -n "$LM_PID" ] && kill -0 "$LM_PID" 2>/dev/null; then
        kill -TERM "$LM_PID" 2>/dev/null || true
        for _ in $(seq 1 300); do # up to 30 s for a clean shutdown, then SIGKILL
            kill -0 "$LM_PID" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$LM_PID" 2>/dev/null || true
        wait "$LM_PID" 2>/dev/null || true
    fi
    LM_PID=
    LM_URL=
}

# shellcheck disable=SC2317
lm_cleanup() {
    lm_stop_server
    if [ -n "$LM_TMP" ] && [ -z "${KEEP_TMP:-}" ]; then rm -rf "$LM_TMP"; fi
}

# lm_bench_init: a scratch dir in $LM_TMP, removed (with the server stopped) on exit.
lm_bench_init() {
    LM_TMP=$(mktemp -d "/tmp/lm-bench-${LM_BENCH_NAME:-x}.XXXXXX")
    trap lm_cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
}

# lm_start_server LOGNAME BINARY ARGS…: starts BINARY ARGS… in the background (stdout/stderr in
# $LM_TMP/LOGNAME.out/.err), waits up to 60 s for its "listening on http://HOST:PORT" line and sets
# LM_PID and LM_URL.
lm_start_server() {
    local log=$1
    shift
    "$@" >"$LM_TMP/$log.out" 2>"$LM_TMP/$log.err" &
    LM_PID=$!
    LM_URL=
    for _ in $(seq 1 600); do
        LM_URL=$(sed -n 's|^listening on \(http://[^ ]*\).*$|\1|p' "$LM_TMP/$log.out" | head -n 1)
        [ -n "$LM_URL" ] && return 0
        kill -0 "$LM_PID" 2>/dev/null || break
        sleep 0.1
    done
    cat "$LM_TMP/$log.out" "$LM_TMP/$log.err" >&2
    lm_die "the server did not start (its output is above)"
}

# lm_login EMAIL PASSWORD: prints an access token from $LM_URL (dies when the login fails).
lm_login() {
    local token
    token=$(curl -sf -X POST "$LM_URL/auth/v1/login" -H 'Content-Type: application/json' \
        -d "{\"email\":\"$1\",\"password\":\"$2\"}" |
        sed -n 's/.*"accessToken" *: *"\([^"]*\)".*/\1/p')
    [ -n "$token" ] || lm_die "login as $1 failed"
    echo "$token"
}

# lm_peak_kib: the running server's peak resident memory (VmHWM) in KiB, or "?".
lm_peak_kib() {
    awk '/^VmHWM:/ {print $2; found = 1} END {if (!found) print "?"}' "/proc/$LM_PID/status" 2>/dev/null ||
        echo "?"
}

# lm_machine: one line naming the commit and the machine.
lm_machine() {
    local cpu
    cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
    echo "commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown), $(nproc) cores," \
        "${cpu:-unknown CPU}, load average $(cut -d' ' -f1-3 /proc/loadavg)"
}

# lm_dialect: the store the HTTP benchmarks run on (never the URL: it holds the password).
lm_dialect() {
    if [ -n "${DATABASE_URL:-}" ]; then echo PostgreSQL; else echo SQLite; fi
}

# lm_report NAME RATE UNIT P50 P99 PEAK_KIB [NOTE]: prints one figure and appends it to $BENCH_RESULTS.
lm_report() {
    local name=$1 rate=$2 unit=$3 p50=$4 p99=$5 peak=$6 note=${7:-}
    echo "$name: $rate $unit, p50 $p50, p99 $p99, server peak RSS $peak KiB${note:+ ($note)}"
    if [ -n "${BENCH_RESULTS:-}" ]; then
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$rate" "$unit" "$p50" "$p99" "$peak" "$note" \
            >>"$BENCH_RESULTS"
    fi
}

# lm_wrk NAME WRK_ARGS…: runs wrk --latency with WRK_ARGS, prints its output, and reports req/s,
# p50, p99 and the server's peak memory under NAME (non-2xx answers, if any, as the note).
lm_wrk() {
    local name=$1 out rps p50 p99 non2xx
    shift
    out=$(wrk --latency "$@")
    echo "$out"
    rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
    p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
    non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
    lm_report "$name" "${rps:-?}" req/s "${p50:-?}" "${p99:-?}" "$(lm_peak_kib)" \
        "$(lm_dialect)${non2xx:+, non-2xx $non2xx}"
}

# lm_seed TENANTS APPROVALS ACTIVITIES STORE_ARGS…: leadmetrics-server seed into the store.
lm_seed() {
    local tenants=$1 approvals=$2 activities=$3 start
    shift 3
    echo "seeding $tenants tenants × $approvals approvals, $activities activities ($(lm_dialect))…"
    start=$(date +%s)
    build/bin/leadmetrics-server seed --tenants "$tenants" --approvals-per-tenant "$approvals" \
        --activities-per-tenant "$activities" "$@" >"$LM_TMP/seed.out" 2>"$LM_TMP/seed.err" ||
        {
            cat "$LM_TMP/seed.err" >&2
            lm_die "seeding failed"
        }
    echo "seeded in $(($(date +%s) - start)) s"
}
