#!/usr/bin/env bash
# Benchmark (not a test): GET /auth/v1/me with a valid token, wrk -t2 -c64 on loopback.
# Builds nothing: needs build/bin/leadmetrics-server (LM_BUILD_TYPE=Release tools/build) and wrk
# (tools/setup --test). Figures go to docs/benchmarks.md; tools/bench runs it as `me`.
#   DURATION=10s     how long wrk runs
#   ACCESS_LOG=off   measure without the access log (on by default, as in production)
#   DATABASE_URL=postgres://…   an empty PostgreSQL database instead of SQLite
set -euo pipefail
LM_BENCH_NAME=auth-me
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"

server=build/bin/leadmetrics-server
duration=${DURATION:-10s}
lm_need_binary "$server"
lm_need wrk curl
lm_bench_init

store=(--data-dir "$LM_TMP/data")
[ -n "${DATABASE_URL:-}" ] && store+=(--database "$DATABASE_URL")
lm_start_server server "$server" --demo --listen 127.0.0.1:0 "${store[@]}" \
    --access-log "${ACCESS_LOG:-$LM_TMP/access.log}"
token=$(lm_login admin@acme.demo demo-pass-2026)
curl -sf "$LM_URL/auth/v1/me" -H "Authorization: Bearer $token" >/dev/null || lm_die "GET /auth/v1/me failed"

lm_machine
echo "wrk -t2 -c64 -d$duration --latency -H 'Authorization: Bearer …' $LM_URL/auth/v1/me"
lm_wrk me -t2 -c64 -d"$duration" -H "Authorization: Bearer $token" "$LM_URL/auth/v1/me"
