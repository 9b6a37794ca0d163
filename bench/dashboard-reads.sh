#!/usr/bin/env bash
# Benchmark (not a test): the Dashboard's hot reads on a seeded store, wrk -t2 -c64 on loopback,
# tokens spread over every tenant (bench/tokens.lua).
#   GET /dashboard/v1/approvals?limit=25&filter[status]=pending   (pages of 25 with linked activities)
#   GET /dashboard/v1/campaigns/:id                               (each tenant's own campaign)
# Builds nothing: needs build/bin/leadmetrics-server (LM_BUILD_TYPE=Release tools/build), wrk and
# curl (tools/setup --test). Figures go to docs/benchmarks.md.
#   TENANTS=100 APPROVALS=1000 ACTIVITIES=2000   the seed (leadmetrics-server seed)
#   DATABASE_URL=postgres://…   seed and serve an empty PostgreSQL database instead of SQLite
#   DURATION=10s    how long each wrk run lasts
#   ROUNDS=2        wrk runs per endpoint (the first one also warms the caches)
set -euo pipefail
cd "$(dirname "$0")/.."

server=build/bin/leadmetrics-server
tenants=${TENANTS:-100}
approvals=${APPROVALS:-1000}
activities=${ACTIVITIES:-2000}
duration=${DURATION:-10s}
rounds=${ROUNDS:-2}

die() {
    echo "dashboard-reads: $*" >&2
    exit 1
}

[ -x "$server" ] || die "$server is missing: run tools/build first"
command -v wrk >/dev/null || die "wrk is missing: run tools/setup --test"
command -v curl >/dev/null || die "curl is missing: run tools/setup"

tmp=$(mktemp -d /tmp/lm-bench-reads.XXXXXX)
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

echo "seeding $tenants tenants × $approvals approvals, $activities activities…"
start=$(date +%s)
"$server" seed --tenants "$tenants" --approvals-per-tenant "$approvals" \
    --activities-per-tenant "$activities" "${store[@]}" >"$tmp/seed.out" 2>"$tmp/seed.err" ||
    { cat "$tmp/seed.err" >&2; die "seeding failed"; }
echo "seeded in $(($(date +%s) - start)) s"

# No job workers: the store holds still while it is measured.
"$server" --listen 127.0.0.1:0 "${store[@]}" --workers 0 --access-log "$tmp/access.log" \
    >"$tmp/out" 2>"$tmp/err" &
pid=$!
url=
for _ in $(seq 1 600); do
    url=$(sed -n 's|^listening on \(http://[^ ]*\).*$|\1|p' "$tmp/out" | head -n 1)
    [ -n "$url" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
done
[ -n "$url" ] || { cat "$tmp/out" "$tmp/err" >&2; die "the server did not start"; }

# One admin of each tenant; each token's path names that tenant's own campaign.
: >"$tmp/tokens"
: >"$tmp/campaigns"
for i in $(seq 1 "$tenants"); do
    token=$(curl -sf -X POST "$url/auth/v1/login" -H 'Content-Type: application/json' \
        -d "{\"email\":\"admin@bench-$i.test\",\"password\":\"bench-pass-2026\"}" |
        sed -n 's/.*"accessToken" *: *"\([^"]*\)".*/\1/p')
    [ -n "$token" ] || die "login as admin@bench-$i.test failed"
    campaign=$(curl -sf "$url/dashboard/v1/campaigns?limit=1" -H "Authorization: Bearer $token" |
        sed -n 's/^{"data":\[{"[^}]*"id":"\([0-9A-Z]*\)".*/\1/p')
    [ -n "$campaign" ] || campaign=$(curl -sf "$url/dashboard/v1/campaigns?limit=1" -H "Authorization: Bearer $token" |
        grep -o '"id":"[0-9A-Z]\{26\}"' | head -n 1 | cut -d'"' -f4)
    [ -n "$campaign" ] || die "no campaign for tenant $i"
    echo "$token" >>"$tmp/tokens"
    echo "/dashboard/v1/campaigns/$campaign" >>"$tmp/campaigns"
done

approvals_path='/dashboard/v1/approvals?limit=25&filter%5Bstatus%5D=pending'
bytes=$(curl -sf "$url$approvals_path" -H "Authorization: Bearer $(head -n 1 "$tmp/tokens")" | wc -c)
campaign_bytes=$(curl -sf "$url$(head -n 1 "$tmp/campaigns")" -H "Authorization: Bearer $(head -n 1 "$tmp/tokens")" | wc -c)

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
dialect=SQLite
[ -n "${DATABASE_URL:-}" ] && dialect=PostgreSQL # never the URL: it holds the password
echo "commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown), $(nproc) cores, ${cpu:-unknown CPU}," \
    "store $dialect"
run() {
    local name=$1 path=$2 paths=${3:-}
    for round in $(seq 1 "$rounds"); do
        out=$(TOKENS_FILE="$tmp/tokens" PATHS_FILE="$paths" wrk -t2 -c64 -d"$duration" --latency \
            -s bench/tokens.lua "$url$path")
        rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
        p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
        p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
        non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
        echo "$name (round $round): ${rps:-?} req/s, p50 ${p50:-?}, p99 ${p99:-?}${non2xx:+, non-2xx ${non2xx}}"
    done
}
echo "approvals page: $bytes bytes (first tenant); campaign detail: $campaign_bytes bytes"
run "GET /dashboard/v1/approvals?limit=25&filter[status]=pending" "$approvals_path"
run "GET /dashboard/v1/campaigns/:id" "/dashboard/v1/campaigns" "$tmp/campaigns"
echo "server RSS $(awk '/VmHWM/ {print $2, $3}' "/proc/$pid/status") peak"
