#!/usr/bin/env bash
# Benchmark (not a test): job-queue throughput with 2 workers, on SQLite and on a throwaway
# PostgreSQL cluster (fsync off: an upper bound). Needs build/bin/lm-bench-queue (tools/build) and
# PostgreSQL 15 (tools/setup --test). tools/bench runs it as `queue`.
#   JOBS=5000 WORKERS=2 bench/queue.sh
set -euo pipefail
LM_BENCH_NAME=queue
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"

bin=build/bin/lm-bench-queue
lm_need_binary "$bin"
lm_bench_init
pgdir=
# shellcheck disable=SC2317  # called by the trap
cleanup() {
    if [ -n "$pgdir" ]; then tools/pg-cluster stop "$pgdir" >/dev/null || true; fi
    lm_cleanup
}
trap cleanup EXIT

run() {
    local label=$1 out
    shift
    out=$("$bin" --jobs "${JOBS:-5000}" --workers "${WORKERS:-2}" "$@")
    echo "$out"
    lm_report queue "$(sed -n 's/.* \([0-9]*\) jobs\/s.*/\1/p' <<<"$out")" jobs/s — — \
        "$(sed -n 's/^queue: peak \([0-9]*\) kB$/\1/p' <<<"$out")" "$label, ${WORKERS:-2} workers, peak of the benchmark process"
}
lm_machine
run SQLite --database "sqlite:$LM_TMP/queue.db"
pgdir=$(mktemp -d /tmp/lm-pg.XXXXXX)
run "PostgreSQL, fsync off" --database "$(tools/pg-cluster start "$pgdir")"
