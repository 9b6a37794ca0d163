#!/usr/bin/env bash
# Benchmark (not a test): job-queue throughput with 2 workers, on SQLite and on a throwaway
# PostgreSQL cluster. Needs build/bin/lm-bench-queue (tools/build) and PostgreSQL 15 (tools/setup --test).
#   JOBS=5000 WORKERS=2 bench/queue.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bin=build/bin/lm-bench-queue
[ -x "$bin" ] || { echo "build first: tools/build" >&2; exit 1; }
tmp=$(mktemp -d /tmp/lm-bench-queue.XXXXXX)
pgdir=
cleanup() {
    if [ -n "$pgdir" ]; then tools/pg-cluster stop "$pgdir" || true; fi
    rm -rf "$tmp"
}
trap cleanup EXIT
echo "commit $(git rev-parse --short HEAD), $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)"
"$bin" --database "sqlite:$tmp/queue.db" --jobs "${JOBS:-5000}" --workers "${WORKERS:-2}"
pgdir=$(mktemp -d /tmp/lm-pg.XXXXXX)
dsn=$(tools/pg-cluster start "$pgdir")
"$bin" --database "$dsn" --jobs "${JOBS:-5000}" --workers "${WORKERS:-2}"
