#!/usr/bin/env bash
# Benchmark (not a test): the Dashboard's hot paths on a seeded store, wrk -t2 -c64 on loopback,
# tokens spread over every tenant. tools/bench runs it as `approvals`, `campaign` and `resolve`.
#   approvals  GET /dashboard/v1/approvals?limit=25&filter[status]=pending (bench/tokens.lua)
#   campaign   GET /dashboard/v1/campaigns/:id, each tenant's own campaign (bench/tokens.lua)
#   resolve    POST /dashboard/v1/approvals/:id/resolve, the durable write path: every request
#              rejects (with a note) a different pending approval, tenants taken in turn
#              (bench/resolve.lua); one round, so every approval is still pending when it is asked
# Builds nothing: needs build/bin/leadmetrics-server (LM_BUILD_TYPE=Release tools/build), wrk, curl
# and jq (tools/setup --test). Figures go to docs/benchmarks.md.
#   BENCHES="approvals campaign resolve"   which to run (in this order)
#   TENANTS=100 APPROVALS=1000 ACTIVITIES=2000   the seed (leadmetrics-server seed)
#   DATABASE_URL=postgres://…   seed and serve an empty PostgreSQL database instead of SQLite
#   DURATION=10s    how long each wrk run lasts
#   ROUNDS=2        wrk runs per read endpoint (the first one also warms the caches)
set -euo pipefail
LM_BENCH_NAME=dashboard-reads
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"

server=build/bin/leadmetrics-server
benches=${BENCHES:-approvals campaign resolve}
tenants=${TENANTS:-100}
duration=${DURATION:-10s}
rounds=${ROUNDS:-2}
lm_need_binary "$server"
lm_need wrk curl jq
lm_bench_init

store=(--data-dir "$LM_TMP/data")
[ -n "${DATABASE_URL:-}" ] && store+=(--database "$DATABASE_URL")
lm_seed "$tenants" "${APPROVALS:-1000}" "${ACTIVITIES:-2000}" "${store[@]}"

# No job workers: the store holds still while it is measured (resolve's woken activities stay queued).
lm_start_server server "$server" --listen 127.0.0.1:0 "${store[@]}" --workers 0 \
    --access-log "$LM_TMP/access.log"

# One admin of each tenant; each token's path names that tenant's own campaign.
: >"$LM_TMP/tokens"
: >"$LM_TMP/campaigns"
for i in $(seq 1 "$tenants"); do
    token=$(lm_login "admin@bench-$i.test" bench-pass-2026)
    campaign=$(curl -sf "$LM_URL/dashboard/v1/campaigns?limit=1" -H "Authorization: Bearer $token" |
        jq -r '.data[0].id // empty')
    [ -n "$campaign" ] || lm_die "no campaign for tenant $i"
    echo "$token" >>"$LM_TMP/tokens"
    echo "/dashboard/v1/campaigns/$campaign" >>"$LM_TMP/campaigns"
done

lm_machine
echo "store $(lm_dialect), $tenants tenants"
read_bench() {
    local name=$1 path=$2 paths=${3:-}
    for round in $(seq 1 "$rounds"); do
        echo "== $name, round $round of $rounds"
        TOKENS_FILE="$LM_TMP/tokens" PATHS_FILE="$paths" \
            lm_wrk "$name" -t2 -c64 -d"$duration" -s bench/tokens.lua "$LM_URL$path"
    done
}

# resolve: every pending approval of every tenant as "token path" lines, tenants interleaved.
pending_approvals() {
    local i=0 token cursor page
    while read -r token; do
        i=$((i + 1))
        cursor=
        : >"$LM_TMP/pending-$i"
        while :; do
            page=$(curl -sf "$LM_URL/dashboard/v1/approvals?limit=100&filter%5Bstatus%5D=pending${cursor:+&cursor=$cursor}" \
                -H "Authorization: Bearer $token") || lm_die "listing tenant $i's approvals failed"
            jq -r --arg t "$token" '.data[] | "\($t) /dashboard/v1/approvals/\(.id)/resolve"' <<<"$page" \
                >>"$LM_TMP/pending-$i"
            cursor=$(jq -r '.pagination.nextCursor // empty' <<<"$page")
            [ -n "$cursor" ] || break
        done
    done <"$LM_TMP/tokens"
    # Round-robin over the tenants: line k of every tenant's file, then line k+1, …
    paste -d '\n' "$LM_TMP"/pending-* | sed '/^$/d' >"$LM_TMP/resolve"
    dups=$(cut -d' ' -f2 "$LM_TMP/resolve" | sort | uniq -d | wc -l)
    [ "$dups" -eq 0 ] || lm_die "$dups approvals listed twice"
}

for bench in $benches; do
    case $bench in
    approvals)
        bytes=$(curl -sf "$LM_URL/dashboard/v1/approvals?limit=25&filter%5Bstatus%5D=pending" \
            -H "Authorization: Bearer $(head -n 1 "$LM_TMP/tokens")" | wc -c)
        echo "approvals page: $bytes bytes (first tenant)"
        read_bench approvals '/dashboard/v1/approvals?limit=25&filter%5Bstatus%5D=pending'
        ;;
    campaign)
        bytes=$(curl -sf "$LM_URL$(head -n 1 "$LM_TMP/campaigns")" \
            -H "Authorization: Bearer $(head -n 1 "$LM_TMP/tokens")" | wc -c)
        echo "campaign detail: $bytes bytes (first tenant)"
        read_bench campaign /dashboard/v1/campaigns "$LM_TMP/campaigns"
        ;;
    resolve)
        pending_approvals
        echo "== resolve: $(wc -l <"$LM_TMP/resolve") pending approvals over $tenants tenants"
        # More requests than pending approvals would answer 409: lm_wrk reports them as non-2xx.
        RESOLVE_FILE="$LM_TMP/resolve" lm_wrk resolve -t2 -c64 -d"$duration" -s bench/resolve.lua "$LM_URL/"
        left=$(curl -sf "$LM_URL/dashboard/v1/approvals/stats" \
            -H "Authorization: Bearer $(head -n 1 "$LM_TMP/tokens")" | jq -r '.pending')
        echo "resolve: the first tenant has $left pending approvals left"
        ;;
    *) lm_die "unknown benchmark $bench (approvals, campaign, resolve)" ;;
    esac
done
