#!/usr/bin/env bash
# Benchmark (not a test): one tenant's event stream fanned out to 2,000 then 10,000 SSE streams on
# loopback. Builds nothing: needs build/bin/lm-bench-sse-server and lm-bench-sse-client
# (LM_BUILD_TYPE=Release tools/build) and curl. Figures go to docs/benchmarks.md.
#
# For each size: lm-bench-sse-server runs the same ServerHost as leadmetrics-server (--demo, a
# fresh data dir, SQLite, the per-user stream cap raised with --sse-max-streams-per-user) and, in
# the same process, writes the events through a UnitOfWork (event row, commit, hub publish). The
# script logs in as admin@acme.demo over HTTP; lm-bench-sse-client (a separate process, so the
# server's RSS is the server's own) opens the streams with that token and times every delivery.
#   SIZES="2000 10000"   stream counts, run in turn
#   EVENTS=50            events per run
#   INTERVAL_MS=200      between events
#   CLIENT_THREADS=2     Asio threads of the client
#   IO_THREADS=          server HTTP I/O threads (default: one per core)
set -euo pipefail
cd "$(dirname "$0")/.."

server=build/bin/lm-bench-sse-server
client=build/bin/lm-bench-sse-client
sizes=${SIZES:-2000 10000}
events=${EVENTS:-50}
interval=${INTERVAL_MS:-200}

die() {
    echo "sse-fanout: $*" >&2
    exit 1
}

if [ ! -x "$server" ] || [ ! -x "$client" ]; then
    die "$server or $client is missing: run tools/build first"
fi
command -v curl >/dev/null || die "curl is missing: run tools/setup"

# Each stream is one socket in each process (plus a few): the soft fd limit must cover the largest
# size. Raise it to 65536 or, when the hard limit is lower, to the hard limit.
largest=$(tr ' ' '\n' <<<"$sizes" | sort -n | tail -n 1)
hard=$(ulimit -Hn)
want=65536
if [ "$hard" != unlimited ] && [ "$hard" -lt "$want" ]; then want=$hard; fi
ulimit -n "$want"
[ "$(ulimit -n)" -ge $((largest + 256)) ] || die "fd limit $(ulimit -n) (hard $hard) is too low for $largest streams"

tmp=$(mktemp -d /tmp/lm-bench-sse.XXXXXX)
pid=
# shellcheck disable=SC2317  # called by the trap and between runs
stop_server() {
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 1 300); do   # up to 30 s for a clean shutdown, then SIGKILL
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    fi
    pid=
}
# shellcheck disable=SC2317
cleanup() {
    stop_server
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
echo "commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown), $(nproc) cores, ${cpu:-unknown CPU}," \
    "fd limit $(ulimit -n)"

for n in $sizes; do
    data="$tmp/data-$n"
    mkdir -p "$data"
    "$server" --streams "$n" --events "$events" --interval-ms "$interval" -- \
        --demo --listen 127.0.0.1:0 --data-dir "$data" --access-log off \
        --sse-max-streams-per-user "$n" ${IO_THREADS:+--io-threads "$IO_THREADS"} \
        >"$tmp/server-$n.out" 2>"$tmp/server-$n.err" &
    pid=$!

    url=
    for _ in $(seq 1 300); do
        url=$(sed -n 's|^listening on \(http://[^ ]*\).*$|\1|p' "$tmp/server-$n.out" | head -n 1)
        [ -n "$url" ] && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if [ -z "$url" ]; then
        cat "$tmp/server-$n.out" "$tmp/server-$n.err" >&2
        die "the server did not start (its output is above)"
    fi
    token=$(curl -sf -X POST "$url/auth/v1/login" -H 'Content-Type: application/json' \
        -d '{"email":"admin@acme.demo","password":"demo-pass-2026"}' |
        sed -n 's/.*"accessToken" *: *"\([^"]*\)".*/\1/p')
    [ -n "$token" ] || die "login as admin@acme.demo failed"

    echo "== $n streams, $events events ${interval} ms apart"
    status=0
    "$client" --port "${url##*:}" --token "$token" --streams "$n" --events "$events" \
        --threads "${CLIENT_THREADS:-2}" || status=$?
    # The server prints its RSS after the events 3 s after the last one.
    for _ in $(seq 1 100); do
        grep -q '^server: done' "$tmp/server-$n.out" && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    grep '^server:' "$tmp/server-$n.out" || true
    if [ -s "$tmp/server-$n.err" ]; then
        echo "server stderr (last lines):"
        tail -n 5 "$tmp/server-$n.err"
    fi
    stop_server
    [ "$status" -eq 0 ] || echo "sse-fanout: $n streams: the client reported missing deliveries or failed streams"
done
