#!/usr/bin/env bash
# Benchmark (not a test): the console's start-up on a store with about 10,000 pending approvals.
# `leadmetrics-server seed` fills a store (20 tenants × 1,700 approvals, about 30 % pending, and the
# DM reviewer dm@bench.test); then `leadmetrics-console --screenshot queue` starts on it (embedded
# backend in process, offscreen), signs in as that reviewer, opens the queue, waits until rows are
# on screen, saves the window and exits. The console prints when each phase was reached, in ms since
# its process started ("startup: PHASE at N ms"); the figure is "queue rows on screen": the first
# frame swapped with rows of the queue. It includes the argon2 sign-in (its share is "signed in"
# minus "QML loaded"), not the PNG. The wall time (also the PNG and a settle of 400 ms) and the
# peak RSS (console and embedded backend: one process) come from /usr/bin/time. Builds nothing:
# LM_BUILD_TYPE=Release tools/build. tools/bench runs it as `console-startup`.
#   TENANTS=20 APPROVALS=1700   the seed
#   RUNS=3                      console starts, one after another, on the same store
#   DATABASE_URL=postgres://…   seed and serve an empty PostgreSQL database instead of SQLite
set -euo pipefail
LM_BENCH_NAME="console-startup"
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"

console=build/bin/leadmetrics-console
tenants=${TENANTS:-20}
approvals=${APPROVALS:-1700}
runs=${RUNS:-3}

lm_need_binary build/bin/leadmetrics-server "$console"
[ -x /usr/bin/time ] || lm_die "/usr/bin/time is missing (Debian package time)"
lm_bench_init
lm_machine

# DATABASE_URL=postgres://… (an empty database): the store there; keys stay in the data dir.
store=(--data-dir "$LM_TMP/store")
[ -n "${DATABASE_URL:-}" ] && store+=(--database "$DATABASE_URL")
lm_seed "$tenants" "$approvals" 200 "${store[@]}"
count="SELECT count(*) FROM approvals WHERE status = 'pending'"
if [ -n "${DATABASE_URL:-}" ]; then
    pending=$(psql -Atq "$DATABASE_URL" -c "$count" 2>/dev/null || echo "?")
else
    pending=$(sqlite3 "$LM_TMP/store/leadmetrics.db" "$count" 2>/dev/null || echo "?")
fi
echo "console-startup: seeded $tenants tenants × $approvals approvals ($pending pending)"

# phase NAME LOG: the ms of "startup: NAME at N ms" in LOG.
phase() { sed -n "s/^startup: $1 at \([0-9]*\) ms$/\1/p" "$2" | head -n 1; }

onscreen=()
peak=0
for i in $(seq 1 "$runs"); do
    log="$LM_TMP/console-$i.log"
    QT_QPA_PLATFORM=offscreen LM_SCREENSHOT_EMAIL=dm@bench.test LM_SCREENSHOT_PASSWORD=bench-pass-2026 \
        /usr/bin/time -f "%e %M" -o "$LM_TMP/time" \
        "$console" "${store[@]}" --workers 0 --access-log off \
        --screenshot queue --out "$LM_TMP/queue-$i.png" >"$log" 2>&1 || {
        cat "$log" >&2
        lm_die "the console failed (its output is above)"
    }
    read -r seconds kib <"$LM_TMP/time"
    rows=$(phase "queue rows on screen" "$log")
    [ -n "$rows" ] || lm_die "run $i printed no 'queue rows on screen' line: $(cat "$log")"
    onscreen+=("$rows")
    [ "$kib" -gt "$peak" ] && peak=$kib
    echo "console-startup: run $i: start → queue rows on screen ${rows} ms" \
        "(backend up $(phase "embedded backend started" "$log"), QML loaded $(phase "QML loaded" "$log")," \
        "signed in $(phase "signed in" "$log"), first page $(phase "queue first page" "$log"));" \
        "wall time with the PNG ${seconds} s, peak RSS $((kib / 1024)) MiB"
done
sorted=$(printf '%s\n' "${onscreen[@]}" | sort -n)
median=$(sed -n "$(((runs + 1) / 2))p" <<<"$sorted")
max=$(tail -n 1 <<<"$sorted")
lm_report console-startup "$pending" pending "${median} ms" "${max} ms" "$peak" \
    "$(lm_dialect), start → queue rows on screen, median and max of $runs runs; peak RSS of the console"
