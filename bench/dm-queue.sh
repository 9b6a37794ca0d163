#!/usr/bin/env bash
# Benchmark (not a test): the DM console's start-up read, every tenant's pending approvals in the
# DM order (high risk first, soonest expiry, id), on a seeded store; wrk -t2 -c64 on loopback.
#   GET /dm/v1/approvals?limit=25                     (the first page: what the console shows first)
#   GET /dm/v1/approvals?limit=25&cursor=<page 200>   (a deep page: the keyset from the cursor's row)
#   GET /dm/v1/overview                               (every tenant's counts)
# Builds nothing: needs build/bin/leadmetrics-server, wrk and curl (tools/setup --test).
#   TENANTS=20 APPROVALS=1700   the seed: about 30 % pending → ~10,000 pending approvals
#   DATABASE_URL=postgres://…   seed and serve an empty PostgreSQL database instead of SQLite
#   DURATION=10s ROUNDS=2 CONNECTIONS=64
set -euo pipefail
cd "$(dirname "$0")/.."

server=build/bin/leadmetrics-server
tenants=${TENANTS:-20}
approvals=${APPROVALS:-1700}
duration=${DURATION:-10s}
rounds=${ROUNDS:-2}
connections=${CONNECTIONS:-64}

die() {
    echo "dm-queue: $*" >&2
    exit 1
}

[ -x "$server" ] || die "$server is missing: run tools/build first"
command -v wrk >/dev/null || die "wrk is missing: run tools/setup --test"
command -v curl >/dev/null || die "curl is missing: run tools/setup"

tmp=$(mktemp -d /tmp/lm-bench-dm.XXXXXX)
pid=
# shellcheck disable=SC2317  # called by the trap
cleanup() {
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 1 100); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

store=(--data-dir "$tmp/data")
[ -n "${DATABASE_URL:-}" ] && store+=(--database "$DATABASE_URL")

echo "seeding $tenants tenants × $approvals approvals…"
"$server" seed --tenants "$tenants" --approvals-per-tenant "$approvals" --activities-per-tenant 200 \
    "${store[@]}" >"$tmp/seed.out" 2>"$tmp/seed.err" || { cat "$tmp/seed.err" >&2; die "seeding failed"; }

"$server" --listen 127.0.0.1:0 "${store[@]}" --workers 0 >"$tmp/out" 2>"$tmp/err" &
pid=$!
url=
for _ in $(seq 1 600); do
    url=$(sed -n 's|^listening on \(http://[^ ]*\).*$|\1|p' "$tmp/out" | head -n 1)
    [ -n "$url" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
done
[ -n "$url" ] || { cat "$tmp/out" "$tmp/err" >&2; die "the server did not start"; }

token=$(curl -sf -X POST "$url/auth/v1/login" -H 'Content-Type: application/json' \
    -d '{"email":"dm@bench.test","password":"bench-pass-2026"}' |
    sed -n 's/.*"accessToken" *: *"\([^"]*\)".*/\1/p')
[ -n "$token" ] || die "login as dm@bench.test failed"
echo "$token" >"$tmp/tokens"

pending=$(curl -sf "$url/dm/v1/overview" -H "Authorization: Bearer $token" |
    grep -o '"totals":.*' | grep -o '"pending":[0-9]*' | head -n 1 | cut -d: -f2)
first='/dm/v1/approvals?limit=25'
cold=$(curl -sf -o /dev/null -w '%{time_total}' "$url$first" -H "Authorization: Bearer $token")
# The cursor of page 200 (item 5,000 of the queue).
cursor=
for _ in $(seq 1 200); do
    cursor=$(curl -sf "$url$first${cursor:+&cursor=$cursor}" -H "Authorization: Bearer $token" |
        sed -n 's/.*"nextCursor":"\([^"]*\)".*/\1/p')
    [ -n "$cursor" ] || die "the queue ended before page 200"
done
deep="$first&cursor=$cursor"

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
dialect=SQLite
[ -n "${DATABASE_URL:-}" ] && dialect=PostgreSQL # never the URL: it holds the password
echo "commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown), $(nproc) cores, ${cpu:-unknown CPU}," \
    "store $dialect, $pending pending approvals over $tenants tenants"
echo "first page, first request after start: ${cold}s"
run() {
    local name=$1 path=$2
    for round in $(seq 1 "$rounds"); do
        out=$(TOKENS_FILE="$tmp/tokens" wrk -t2 -c"$connections" -d"$duration" --latency -s bench/tokens.lua "$url$path")
        rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
        p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
        p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
        non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
        echo "$name (round $round): ${rps:-?} req/s, p50 ${p50:-?}, p99 ${p99:-?}${non2xx:+, non-2xx ${non2xx}}"
    done
}
run "GET /dm/v1/approvals?limit=25" "$first"
run "GET /dm/v1/approvals?limit=25&cursor=<page 200>" "$deep"
run "GET /dm/v1/overview" "/dm/v1/overview"
