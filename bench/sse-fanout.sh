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
# tools/bench runs it as `fanout-2k` and `fanout-10k` (SIZES=2000, SIZES=10000).
#   SIZES="2000 10000"   stream counts, run in turn
#   EVENTS=50            events per run
#   INTERVAL_MS=200      between events
#   CLIENT_THREADS=1     Asio threads of the client. One: on a 2-core machine the client shares the
#                        cores with the server's two I/O threads, and a second client thread cost the
#                        client 20-45 % more CPU an event for no better latency (A/B in
#                        docs/benchmarks.md); one thread reads 10,000 streams with room to spare
#   IO_THREADS=          server HTTP I/O threads (default: one per core)
#   WORKERS=0            server job workers: none by default, as in the other benchmarks, so the
#                        store holds still (with 2, the demo's agents add a few fan-outs of their
#                        own; an A/B in docs/benchmarks.md found no difference in the figures)
#   SEND_BUFFER=         server --sse-send-buffer BYTES (0: kernel autotuning; default: the server's 64 KiB)
set -euo pipefail
LM_BENCH_NAME=sse-fanout
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"

server=build/bin/lm-bench-sse-server
client=build/bin/lm-bench-sse-client
sizes=${SIZES:-2000 10000}
events=${EVENTS:-50}
interval=${INTERVAL_MS:-200}
lm_need_binary "$server" "$client"
lm_need curl

# Each stream is one socket in each process (plus a few): the soft fd limit must cover the largest
# size. Raise it to 65536 or, when the hard limit is lower, to the hard limit.
largest=$(tr ' ' '\n' <<<"$sizes" | sort -n | tail -n 1)
hard=$(ulimit -Hn)
want=65536
if [ "$hard" != unlimited ] && [ "$hard" -lt "$want" ]; then want=$hard; fi
ulimit -n "$want"
[ "$(ulimit -n)" -ge $((largest + 256)) ] || lm_die "fd limit $(ulimit -n) (hard $hard) is too low for $largest streams"
lm_bench_init

lm_machine
echo "fd limit $(ulimit -n)"
for n in $sizes; do
    mkdir -p "$LM_TMP/data-$n"
    lm_start_server "server-$n" "$server" --streams "$n" --events "$events" --interval-ms "$interval" \
        --timeline "$LM_TMP/server-timeline-$n" -- \
        --demo --listen 127.0.0.1:0 --data-dir "$LM_TMP/data-$n" --access-log off --workers "${WORKERS:-0}" \
        --sse-max-streams-per-user "$n" ${IO_THREADS:+--io-threads "$IO_THREADS"} \
        ${SEND_BUFFER:+--sse-send-buffer "$SEND_BUFFER"}
    token=$(lm_login admin@acme.demo demo-pass-2026)

    echo "== $n streams, $events events ${interval} ms apart"
    status=0
    "$client" --port "${LM_URL##*:}" --token "$token" --streams "$n" --events "$events" \
        --threads "${CLIENT_THREADS:-1}" --timeline "$LM_TMP/client-timeline-$n" | tee "$LM_TMP/client-$n.out" || status=$?
    # The server prints its RSS 3 s after the last event.
    for _ in $(seq 1 100); do
        grep -q '^server: done' "$LM_TMP/server-$n.out" && break
        kill -0 "$LM_PID" 2>/dev/null || break
        sleep 0.1
    done
    grep '^server:' "$LM_TMP/server-$n.out" || true
    if [ -s "$LM_TMP/server-$n.err" ]; then
        echo "server stderr (last lines):"
        tail -n 5 "$LM_TMP/server-$n.err"
    fi
    # The client times each delivery from benchSentNs, taken before the event row is written; the
    # server timed each event's write + commit. Less that, it is publish -> last subscriber, as the
    # target words it (a commit that waits on the disk shows in the first figure, not this one).
    fromPublish=
    if [ -s "$LM_TMP/server-timeline-$n" ] && [ -s "$LM_TMP/client-timeline-$n" ]; then
        fromPublish=$(awk 'NR == FNR { commit[$1] = $2; next } ($1 in commit) { printf "%.3f\n", $2 - commit[$1] }' \
            "$LM_TMP/server-timeline-$n" "$LM_TMP/client-timeline-$n" | sort -n |
            awk '{ v[NR] = $1 } END {
                split("50 99 100", p, " ")
                for (i = 1; i <= 3; i++) { r = p[i] / 100 * NR; k = int(r); if (k < r) k++; if (k < 1) k = 1; printf "%.1f ", v[k] }
            }')
        # shellcheck disable=SC2086  # three numbers
        set -- $fromPublish
        echo "publish (after the write and commit) -> last subscriber: p50 $1 ms p99 $2 ms max $3 ms;" \
            "write+commit max $(sort -k2 -n "$LM_TMP/server-timeline-$n" | tail -n 1 | cut -d' ' -f2) ms"
        fromPublish="; from publish (after the commit) p50 $1 ms, p99 $2 ms"
    fi
    name=fanout-$n
    [ $((n % 1000)) -eq 0 ] && name=fanout-$((n / 1000))k
    last=$(grep 'publish -> last subscriber' "$LM_TMP/client-$n.out" || true)
    missing=$(sed -n 's/.*; \([0-9]*\) missing.*/\1/p' "$LM_TMP/client-$n.out")
    lm_report "$name" "$n" streams "$(sed -n 's/.* p50 \([0-9.]*\) ms.*/\1ms/p' <<<"$last")" \
        "$(sed -n 's/.* p99 \([0-9.]*\) ms.*/\1ms/p' <<<"$last")" "$(lm_peak_kib)" \
        "publish → last subscriber, $events events, from before the event's write; ${missing:-?} deliveries missing$fromPublish"
    lm_stop_server
    [ "$status" -eq 0 ] || echo "sse-fanout: $n streams: the client reported missing deliveries or failed streams"
done
