#!/usr/bin/env bash
# The service benchmarks (docs/BENCHMARKS.md, "Services"). Builds release binaries, starts
# the dev broker and the four services on loopback (infra/up.sh) with their state under
# .lazarus-bench/, and runs `lazarus-bench services`: host-call round trip, throughput of
# 64 concurrent writing jobs per save-state policy (with each process's CPU ms per call),
# then — with a standby executor started beside the first — recovery after kill -9 of the
# executor running a job.
# Everything it started is stopped on exit, on failure and on Ctrl-C.
#   infra/bench.sh            run everything; the state directory is removed after success
#   infra/bench.sh --keep     keep the state directory (logs, SQLite files)
# Environment:
#   LAZARUS_SCRATCH                   SwiftPM scratch path (default .build)
#   LAZARUS_KAFKA_SESSION_TIMEOUT_MS  consumer session timeout of every service (default
#                                     4000 here; the dev broker needs more than 3000;
#                                     recovery takes about twice this)
#   LAZARUS_BENCH_ARGS                extra options for `lazarus-bench services`
#                                     (e.g. "--writes 200 --jobs 32"; not --rounds or
#                                     --policies: use the two variables below)
#   LAZARUS_BENCH_PHASES              which of "latency throughput recovery" to run (all)
#   LAZARUS_BENCH_ROUNDS              throughput rounds (3); each policy of each round
#                                     runs on a fresh stack
#   LAZARUS_BENCH_POLICIES            throughput policies ("afterWrite explicit always")
#   LAZARUS_BENCH_ONE_STACK=1         run every throughput round on one stack
#   LAZARUS_BENCH_BIN_DIR             run these release binaries instead of building
#                                     (to compare two builds side by side)
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

if [ -n "${LAZARUS_BENCH_BIN_DIR:-}" ]; then
    bin=$LAZARUS_BENCH_BIN_DIR
    [ -x "$bin/lazarus-bench" ] || { echo "bench: no lazarus-bench in LAZARUS_BENCH_BIN_DIR=$bin" >&2; exit 1; }
else
    command -v swift >/dev/null || { echo "bench: swift is not on PATH" >&2; exit 1; }
    echo "bench: swift build -c release --scratch-path $scratch" >&2
    swift build -c release --scratch-path "$scratch" 2>&1 | grep -Ev '^\[[0-9]+/[0-9]+\] (Compiling|Emitting|Write|Linking|Applying)' >&2
    bin=$(swift build -c release --scratch-path "$scratch" --show-bin-path)
fi
echo "bench: binaries from $bin" >&2

home=.lazarus-bench/run-$(date -u +%Y%m%dT%H%M%SZ)-$$
mkdir -p "$home"
stack=
cleanup() {
    local status=$?
    for dir in "$home"/*/; do
        [ -d "$dir/run" ] && LAZARUS_HOME=${dir%/} infra/down.sh >/dev/null 2>&1 || true
    done
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

# Stops the running stack (if any) and starts a new one in $home/$1.
fresh_stack() {
    [ -n "$stack" ] && { LAZARUS_HOME=$stack infra/down.sh >/dev/null 2>&1 || true; }
    stack=$home/$1
    mkdir -p "$stack"
    echo "bench: starting the dev broker and the four services (state in $stack)"
    unset LAZARUS_BROKERS LAZARUS_SNAPSHOT_KEY_FILE  # the previous stack's, from its env file: up.sh would use them
    LAZARUS_HOME=$stack LAZARUS_UP_BIN_DIR=$bin infra/up.sh
    # shellcheck source=/dev/null
    source "$stack/env"
    load
}

# CPU seconds (user + system) each process of the stack has used so far: "name seconds" lines.
stack_cpu() {
    local pidfile pid ticks
    ticks=$(getconf CLK_TCK)
    for pidfile in "$stack"/run/*.pid; do
        pid=$(cat "$pidfile")
        [ -r "/proc/$pid/stat" ] || continue
        # Fields 14 and 15 of /proc/PID/stat (utime, stime), counted after the ")" that ends
        # the command name, which may itself contain spaces.
        sed -E 's/^.*\) //' "/proc/$pid/stat" | awk -v n="$(basename "$pidfile" .pid)" -v t="$ticks" '{ print n, ($12 + $13) / t }'
    done
}

# "services cpu" line: CPU ms per host call of each process between two stack_cpu outputs.
cpu_per_call() {  # before-file after-file calls round policy
    join "$1" "$2" | awk -v c="$3" -v r="$4" -v p="$5" '
        { ms = ($3 - $2) * 1000 / c; total += ms; parts = parts sprintf(" %s=%.3f", $1, ms) }
        END { printf "services cpu round=%s policy=%s ms_per_call%s total=%.3f\n", r, p, parts, total }'
}

# Each policy of each throughput round on a fresh stack: the dev broker (librdkafka's
# mock) finds a fetch offset by walking the partition's whole log, so on one stack every
# run is slower than the one before it, round after round and policy after policy
# (docs/BENCHMARKS.md, "the decay is the dev broker"); a Kafka broker indexes its logs.
# LAZARUS_BENCH_ONE_STACK=1 runs everything on one stack instead.
throughput_rounds() {
    local rates=() r p line
    for ((r = 1; r <= rounds; r++)); do
        for p in "${policies[@]}"; do
            fresh_stack "throughput-$r-$p"
            # An unmeasured warm-up run (64 jobs × 10 writes): the first jobs on a new stack
            # meet cold caches, connections and SQLite files.
            "$bin/lazarus-bench" services --phases throughput "${extra[@]}" --rounds 1 --policies "$p" --writes 10 > "$stack/warm-up.out"
            # (set -e and pipefail: a failing bench fails the script; its one-run summary
            # lines are dropped, the runs are summarized below.)
            stack_cpu | sort > "$stack/cpu.before"
            "$bin/lazarus-bench" services --phases throughput "${extra[@]}" --rounds 1 --policies "$p" \
                | sed -u "s/ round=1 / round=$r /" | tee "$stack/throughput.out" \
                | grep -Ev --line-buffered '^services (throughput policy=|save_state_cost)'
            stack_cpu | sort > "$stack/cpu.after"
            calls=$(sed -nE 's/^services throughput round=.* calls=([0-9]+).*/\1/p' "$stack/throughput.out" | head -1)
            [ -n "$calls" ] && cpu_per_call "$stack/cpu.before" "$stack/cpu.after" "$calls" "$r" "$p" | tee -a "$home/cpu.out"
            while IFS= read -r line; do
                rates+=("$(sed -E 's/.* policy=([^ ]+) .* calls_per_s=([0-9.]+).*/\1 \2/' <<< "$line")")
            done < <(grep '^services throughput round=.* calls_per_s=' "$stack/throughput.out")
            load
        done
    done
    printf '%s\n' "${rates[@]}" | awk '
        { n[$1]++; v[$1, n[$1]] = $2; runs[$1] = runs[$1] " " $2; if (!($1 in seen)) { seen[$1] = 1; order[++k] = $1 } }
        END {
            for (i = 1; i <= k; i++) {
                p = order[i]; m = n[p]
                for (a = 1; a <= m; a++) s[a] = v[p, a]
                for (a = 1; a <= m; a++) for (b = a + 1; b <= m; b++) if (s[b] < s[a]) { t = s[a]; s[a] = s[b]; s[b] = t }
                med[p] = s[int((m + 1) / 2)]
                printf "services throughput policy=%s median_calls_per_s=%d (runs:%s; a fresh stack each run)\n", p, med[p], runs[p]
            }
            if (("explicit" in med) && ("always" in med))
                printf "services save_state_cost always_vs_explicit drop_pct=%.1f (explicit %d calls/s, always %d calls/s)\n",
                       (1 - med["always"] / med["explicit"]) * 100, med["explicit"], med["always"]
        }'
    [ -s "$home/cpu.out" ] && cpu_medians < "$home/cpu.out"
}

# Per policy, the median over rounds of each process's CPU ms per call; then what `always`
# costs beyond `explicit`, process by process (where saving state spends its CPU).
cpu_medians() {
    awk '
        function median(list,   n, a, i, j, t) {
            n = split(list, a, " ")
            for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
            return a[int((n + 1) / 2)]
        }
        {
            p = $4; sub(/^policy=/, "", p)
            if (!(p in seen)) { seen[p] = 1; order[++k] = p }
            for (f = 6; f <= NF; f++) {
                split($f, kv, "="); name = kv[1]
                if (!((p, name) in has)) { has[p, name] = 1; names[p] = names[p] " " name }
                vals[p, name] = vals[p, name] " " kv[2]
            }
        }
        END {
            for (i = 1; i <= k; i++) {
                p = order[i]; line = ""; n = split(names[p], ns, " ")
                for (j = 1; j <= n; j++) { m[p, ns[j]] = median(vals[p, ns[j]]); line = line sprintf(" %s=%.3f", ns[j], m[p, ns[j]]) }
                printf "services cpu policy=%s median_ms_per_call%s\n", p, line
            }
            if (("explicit" in seen) && ("always" in seen)) {
                line = ""; n = split(names["always"], ns, " ")
                for (j = 1; j <= n; j++) line = line sprintf(" %s=%+.3f", ns[j], m["always", ns[j]] - m["explicit", ns[j]])
                printf "services save_state_cpu always_minus_explicit_ms_per_call%s\n", line
            }
        }'
}

rounds=${LAZARUS_BENCH_ROUNDS:-3}
read -ra policies <<< "${LAZARUS_BENCH_POLICIES:-afterWrite explicit always}"
for phase in "${first[@]}"; do
    if [ "$phase" = throughput ] && [ "${LAZARUS_BENCH_ONE_STACK:-0}" != 1 ]; then
        throughput_rounds
    else
        [ -n "$stack" ] || fresh_stack main
        [ "$phase" = throughput ] && more=(--rounds "$rounds" --policies "${policies[@]}") || more=()
        "$bin/lazarus-bench" services --phases "$phase" "${extra[@]}" "${more[@]}"
        load
    fi
done
[ "$recovery" = 1 ] || exit 0

fresh_stack recovery
echo "bench: starting a standby executor (executor-2) beside executor-1"
nohup "$bin/script-executor" --instance-id executor-2 >> "$stack/logs/script-executor-2.log" 2>&1 < /dev/null &
echo $! > "$stack/run/script-executor-2.pid"
disown  # its kill -9 is the point, not news for this shell
"$bin/lazarus-bench" services --phases recovery "${extra[@]}" \
    --executor "executor-1=$(cat "$stack/run/script-executor.pid")" \
    --executor "executor-2=$(cat "$stack/run/script-executor-2.pid")"
# The killed executor's pid file must not outlive it (down.sh would signal a reused pid).
for pidfile in "$stack"/run/script-executor*.pid; do
    kill -0 "$(cat "$pidfile")" 2>/dev/null || rm -f "$pidfile"
done
load
