#!/usr/bin/env bash
# Benchmark (not a test): an approval_created event → its row on the console's screen, with about
# 10,000 pending approvals in the store. Seeds a store as bench/console-startup.sh does (20 tenants
# × 1,700 approvals, the DM reviewer dm@bench.test), then runs build/bin/lm-bench-console-latency on
# it offscreen: the embedded backend, the Session and the console's QML signed in as that reviewer
# with the queue open; EVENTS approvals opened one after another through the approval service (each
# GAP_MS after the previous one's row was on screen), each timed from before its write to the first
# frame swapped with its row (bench/consolelatency/approvallatency.cpp). Builds nothing:
# LM_BUILD_TYPE=Release tools/build. tools/bench runs it as `console-latency`.
#   TENANTS=20 APPROVALS=1700 EVENTS=200 GAP_MS=50
#   DATABASE_URL=postgres://…   seed and serve an empty PostgreSQL database instead of SQLite
set -euo pipefail
LM_BENCH_NAME="console-latency"
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"

bin=build/bin/lm-bench-console-latency
lm_need_binary build/bin/leadmetrics-server "$bin"
lm_bench_init
lm_machine

# DATABASE_URL=postgres://… (an empty database): the store there; keys stay in the data dir.
store=(--data-dir "$LM_TMP/store")
[ -n "${DATABASE_URL:-}" ] && store+=(--database "$DATABASE_URL")
lm_seed "${TENANTS:-20}" "${APPROVALS:-1700}" 200 "${store[@]}"
out=$(QT_QPA_PLATFORM=offscreen "$bin" --events "${EVENTS:-200}" --gap-ms "${GAP_MS:-50}" \
    -- "${store[@]}" --workers 0 --access-log off 2>"$LM_TMP/latency.err") || {
    echo "$out"
    cat "$LM_TMP/latency.err" >&2
    lm_die "lm-bench-console-latency failed (its output is above)"
}
echo "$out"
summary=$(grep '^latency: [0-9]* events, total' <<<"$out")
field() { sed -n "s/.* $1 \([0-9.]*\) .*/\1/p" <<<"$summary"; }
lm_report console-latency "$(sed -n 's/^latency: \([0-9]*\) events.*/\1/p' <<<"$summary")" events \
    "$(field p50) ms" "$(field p99) ms" "$(sed -n 's/.*peak RSS \([0-9]*\) kB$/\1/p' <<<"$summary")" \
    "$(lm_dialect), approval_created → row on screen, max $(field max) ms; peak RSS of the console"
