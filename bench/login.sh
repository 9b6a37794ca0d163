#!/usr/bin/env bash
# Benchmark (not a test): POST /auth/v1/login with the right password — the argon2id cost (19 MiB,
# 2 iterations, on the server's hashing pool) plus the refresh token and audit row it writes.
# wrk -t2 -c8 on loopback against --demo: a login takes tens of milliseconds of CPU, so 64
# connections would only measure the queue in front of the hashing pool. Successful logins are
# never throttled (only failures are). Needs build/bin/leadmetrics-server, wrk and curl; tools/bench
# runs it as `login`.
#   DURATION=10s   how long wrk runs
#   CONNECTIONS=8  wrk connections
#   DATABASE_URL=postgres://…   an empty PostgreSQL database instead of SQLite
set -euo pipefail
LM_BENCH_NAME=login
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"

server=build/bin/leadmetrics-server
duration=${DURATION:-10s}
connections=${CONNECTIONS:-8}
lm_need_binary "$server"
lm_need wrk curl
lm_bench_init

store=(--data-dir "$LM_TMP/data")
[ -n "${DATABASE_URL:-}" ] && store+=(--database "$DATABASE_URL")
lm_start_server server "$server" --demo --listen 127.0.0.1:0 "${store[@]}" \
    --access-log "$LM_TMP/access.log"
lm_login admin@acme.demo demo-pass-2026 >/dev/null

lm_machine
echo "wrk -t2 -c$connections -d$duration --latency -s bench/login.lua $LM_URL/auth/v1/login"
lm_wrk login -t2 -c"$connections" -d"$duration" -s bench/login.lua "$LM_URL/auth/v1/login"
