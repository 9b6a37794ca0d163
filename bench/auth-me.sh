#!/usr/bin/env bash
# Benchmark (not a test): GET /auth/v1/me with a valid token, wrk -t2 -c64 on loopback.
# Builds nothing: needs build/bin/leadmetrics-server (LM_BUILD_TYPE=Release tools/build) and wrk
# (tools/setup --test). Figures go to docs/benchmarks.md.
#   DURATION=10s     how long wrk runs
#   ACCESS_LOG=off   measure without the access log (on by default, as in production)
set -euo pipefail
cd "$(dirname "$0")/.."

server=build/bin/leadmetrics-server
duration=${DURATION:-10s}

die() {
    echo "auth-me: $*" >&2
    exit 1
}

[ -x "$server" ] || die "$server is missing: run tools/build first"
command -v wrk >/dev/null || die "wrk is missing: run tools/setup --test"
command -v curl >/dev/null || die "curl is missing: run tools/setup"

tmp=$(mktemp -d /tmp/lm-bench.XXXXXX)
pid=
# shellcheck disable=SC2317  # called by the trap
cleanup() {
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 1 100); do   # up to 10 s for a clean shutdown, then SIGKILL
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

"$server" --demo --listen 127.0.0.1:0 --data-dir "$tmp" \
    --access-log "${ACCESS_LOG:-$tmp/logs/access.log}" >"$tmp/out" 2>"$tmp/err" &
pid=$!

# Up to 30 s for the "listening on http://HOST:PORT" line.
url=
for _ in $(seq 1 300); do
    url=$(sed -n 's|^listening on \(http://[^ ]*\).*$|\1|p' "$tmp/out" | head -n 1)
    [ -n "$url" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
done
if [ -z "$url" ]; then
    cat "$tmp/out" "$tmp/err" >&2
    die "the server did not start (its output is above)"
fi

token=$(curl -sf -X POST "$url/auth/v1/login" -H 'Content-Type: application/json' \
    -d '{"email":"admin@acme.demo","password":"demo-pass-2026"}' |
    sed -n 's/.*"accessToken" *: *"\([^"]*\)".*/\1/p')
[ -n "$token" ] || die "login as admin@acme.demo failed"
curl -sf "$url/auth/v1/me" -H "Authorization: Bearer $token" >/dev/null || die "GET /auth/v1/me failed"

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
echo "commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown), $(nproc) cores, ${cpu:-unknown CPU}"
echo "wrk -t2 -c64 -d$duration --latency -H 'Authorization: Bearer …' $url/auth/v1/me"
out=$(wrk -t2 -c64 -d"$duration" --latency -H "Authorization: Bearer $token" "$url/auth/v1/me")
echo "$out"

rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
echo "auth-me: ${rps:-?} req/s, p99 ${p99:-?}${non2xx:+, non-2xx ${non2xx}}"
