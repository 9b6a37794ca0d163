#!/usr/bin/env bash
# Benchmark (not a test): the console's start-up on a store with about 10,000 pending approvals.
# `leadmetrics-server seed` fills a store (20 tenants × 1,700 approvals, about 30 % pending, and the
# DM reviewer dm@bench.test); then `leadmetrics-console --screenshot queue` starts on it (embedded
# backend in process, offscreen), signs in as that reviewer, opens the queue, waits until rows are
# on screen, saves the window and exits. Its wall time is an upper bound of "start → populated
# queue" (it also includes the argon2 sign-in and writing the PNG); its peak RSS is the whole
# process, console and embedded backend together. Builds nothing: LM_BUILD_TYPE=Release tools/build.
#   TENANTS=20 APPROVALS=1700   the seed
#   RUNS=3                      console starts, one after another, on the same store
set -euo pipefail
cd "$(dirname "$0")/.."

server=build/bin/leadmetrics-server
console=build/bin/leadmetrics-console
tenants=${TENANTS:-20}
approvals=${APPROVALS:-1700}
runs=${RUNS:-3}

for b in "$server" "$console"; do
    [ -x "$b" ] || { echo "console-startup: $b is missing: run tools/build first" >&2; exit 1; }
done
[ -x /usr/bin/time ] || { echo "console-startup: /usr/bin/time is missing (Debian package time)" >&2; exit 1; }

tmp=$(mktemp -d /tmp/lm-bench-console.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

"$server" seed --tenants "$tenants" --approvals-per-tenant "$approvals" --activities-per-tenant 200 \
    --data-dir "$tmp/store" >"$tmp/seed.log" 2>&1 || { cat "$tmp/seed.log" >&2; exit 1; }
pending=$(sqlite3 "$tmp/store/leadmetrics.db" "SELECT count(*) FROM approvals WHERE status = 'pending'" 2>/dev/null || echo "?")
echo "console-startup: seeded $tenants tenants × $approvals approvals ($pending pending)"

for i in $(seq 1 "$runs"); do
    QT_QPA_PLATFORM=offscreen LM_SCREENSHOT_EMAIL=dm@bench.test LM_SCREENSHOT_PASSWORD=bench-pass-2026 \
        /usr/bin/time -f "%e %M" -o "$tmp/time" \
        "$console" --data-dir "$tmp/store" --workers 0 --screenshot queue --out "$tmp/queue-$i.png" \
        >"$tmp/console.log" 2>&1 || { cat "$tmp/console.log" >&2; exit 1; }
    read -r seconds kib <"$tmp/time"
    echo "console-startup: run $i: start → populated queue (and saved) ${seconds} s, peak RSS $((kib / 1024)) MiB"
done
