#!/usr/bin/env bash
# The service benchmarks (docs/BENCHMARKS.md, "Services"). Builds release binaries, starts
# the dev broker and the four services on loopback (infra/up.sh) with their state under
# .lazarus-bench/, and runs `lazarus-bench services`: host-call round trip, throughput of
# 64 concurrent writing jobs per save-state policy, then — with a standby executor started
# beside the first — recovery after kill -9 of the executor running a job.
# Everything it started is stopped on exit, on failure and on Ctrl-C.
#   infra/bench.sh            run everything; the state directory is removed after success
#   infra/bench.sh --keep     keep the state directory (logs, SQLite files)
# Environment:
#   LAZARUS_SCRATCH                   SwiftPM scratch path (default .build)
#   LAZARUS_KAFKA_SESSION_TIMEOUT_MS  consumer session timeout of every service (default
#                                     4000 here; the dev broker needs more than 3000;
#                                     recovery takes about twice this)
#   LAZARUS_BENCH_ARGS                extra options for `lazarus-bench services`
#                                     (e.g. "--rounds 5 --writes 200")
#   LAZARUS_BENCH_PHASES              which of "latency throughput recovery" to run (all)
set -euo pipefail
cd "$(dirname "$0")/.."
keep=0; [ "${1:-}" = "--keep" ] && keep=1
scratch=${LAZARUS_SCRATCH:-.build}
read -ra extra <<< "${LAZARUS_BENCH_ARGS:-}"
read -ra phases <<< "${LAZARUS_BENCH_PHASES:-latency throughput recovery}"
first=()  # the phases before recovery, which runs last with a standby executor
recovery=0
for phase in "${phases[@]}"; do
    case "$phase" in
        latency|throughput) first+=("$phase") ;;
        recovery) recovery=1 ;;
        *) echo "bench: unknown phase '$phase' in LAZARUS_BENCH_PHASES (latency, throughput, recovery)" >&2; exit 2 ;;
    esac
done

command -v swift >/dev/null || { echo "bench: swift is not on PATH" >&2; exit 1; }
echo "bench: swift build -c release --scratch-path $scratch" >&2
swift build -c release --scratch-path "$scratch" 2>&1 | grep -Ev '^\[[0-9]+/[0-9]+\] (Compiling|Emitting|Write|Linking|Applying)' >&2
bin=$(swift build -c release --scratch-path "$scratch" --show-bin-path)

home=.lazarus-bench/run-$(date -u +%Y%m%dT%H%M%SZ)-$$
mkdir -p "$home"
cleanup() {
    local status=$?
    LAZARUS_HOME=$home infra/down.sh >/dev/null 2>&1 || true
    if [ "$status" -ne 0 ] || [ "$keep" = 1 ]; then
        echo "bench: state and logs kept in $home" >&2
    else
        rm -rf "$home"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

export LAZARUS_KAFKA_SESSION_TIMEOUT_MS=${LAZARUS_KAFKA_SESSION_TIMEOUT_MS:-4000}
unset LAZARUS_BROKERS  # always the dev broker: the numbers are about it
load() { echo "bench: load average $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"; }

echo "bench: starting the dev broker and the four services (state in $home)"
LAZARUS_HOME=$home LAZARUS_UP_BIN_DIR=$bin infra/up.sh
# shellcheck source=/dev/null
source "$home/env"
load
if ((${#first[@]})); then
    "$bin/lazarus-bench" services --phases "${first[@]}" "${extra[@]}"
    load
fi
[ "$recovery" = 1 ] || exit 0

echo "bench: starting a standby executor (executor-2) beside executor-1"
nohup "$bin/script-executor" --instance-id executor-2 >> "$home/logs/script-executor-2.log" 2>&1 < /dev/null &
echo $! > "$home/run/script-executor-2.pid"
disown  # its kill -9 is the point, not news for this shell
"$bin/lazarus-bench" services --phases recovery "${extra[@]}" \
    --executor "executor-1=$(cat "$home/run/script-executor.pid")" \
    --executor "executor-2=$(cat "$home/run/script-executor-2.pid")"
# The killed executor's pid file must not outlive it (down.sh would signal a reused pid).
for pidfile in "$home"/run/script-executor*.pid; do
    kill -0 "$(cat "$pidfile")" 2>/dev/null || rm -f "$pidfile"
done
load
