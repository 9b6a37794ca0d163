#!/usr/bin/env bash
# Benchmark (not a test): GET /auth/v1/me with a valid token, wrk -t2 -c64 on loopback.
# Needs build/bin/leadmetrics-server (tools/build) and wrk (tools/setup --test).
#   bench/auth-me.sh            DURATION=10s by default
set -euo pipefail
cd "$(dirname "$0")/.."
server=build/bin/leadmetrics-server
[ -x "$server" ] || { echo "build first: tools/build" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk missing: tools/setup --test" >&2; exit 1; }

tmp=$(mktemp -d /tmp/lm-bench.XXXXXX)
pid=
cleanup() {
    if [ -n "$pid" ]; then kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
    rm -rf "$tmp"
}
trap cleanup EXIT

# The access log is on, as in production; ACCESS_LOG=off measures without it.
"$server" --demo --listen 127.0.0.1:0 --data-dir "$tmp" --access-log "${ACCESS_LOG:-$tmp/logs/access.log}" >"$tmp/out" 2>"$tmp/err" &
pid=$!
url=
for _ in $(seq 1 300); do
    url=$(sed -n 's/^listening on \(http:\/\/.*\)$/\1/p' "$tmp/out")
    [ -n "$url" ] && break
    sleep 0.1
done
[ -n "$url" ] || { echo "server did not start:" >&2; cat "$tmp/err" >&2; exit 1; }

token=$(curl -sf -X POST "$url/auth/v1/login" -H 'Content-Type: application/json' \
    -d '{"email":"admin@acme.demo","password":"demo-pass-2026"}' | sed -n 's/.*"accessToken":"\([^"]*\)".*/\1/p')
[ -n "$token" ] || { echo "login failed" >&2; exit 1; }
curl -sf "$url/auth/v1/me" -H "Authorization: Bearer $token" >/dev/null

echo "commit $(git rev-parse --short HEAD), $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)"
echo "wrk -t2 -c64 -d${DURATION:-10s} --latency -H 'Authorization: Bearer …' $url/auth/v1/me"
out=$(wrk -t2 -c64 -d"${DURATION:-10s}" --latency -H "Authorization: Bearer $token" "$url/auth/v1/me")
echo "$out"
rps=$(echo "$out" | awk '/^Requests\/sec:/ {print $2}')
p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
non2xx=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
echo "auth-me: ${rps} req/s, p99 ${p99}${non2xx:+, non-2xx ${non2xx}}"
