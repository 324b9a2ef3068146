#!/usr/bin/env bash
# Starts a local Lazarus stack that stays up: the dev broker (unless LAZARUS_BROKERS names
# a cluster) and the four services. State and logs live under $LAZARUS_HOME (.lazarus/).
#   infra/up.sh            then: source .lazarus/env; lazarus submit …
#   infra/down.sh          stops it
set -euo pipefail
cd "$(dirname "$0")/.."
home=${LAZARUS_HOME:-.lazarus}
mkdir -p "$home/logs" "$home/run"

# LAZARUS_UP_BIN_DIR: run the executables found there (already built) instead of building
# (not LAZARUS_BIN_DIR, which tests export for debug builds).
if [ -n "${LAZARUS_UP_BIN_DIR:-}" ]; then
    bin=$LAZARUS_UP_BIN_DIR
else
    [ "${LAZARUS_SKIP_BUILD:-}" = 1 ] || infra/setup.sh --release
    bin=$(swift build -c release --show-bin-path)
fi

for pidfile in "$home"/run/*.pid; do
    if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
        echo "up: a stack is already running (infra/down.sh stops it)" >&2
        exit 1
    fi
done
rm -f "$home"/run/*.pid

# start NAME ARGS…: runs a service in the background; its pid goes to run/NAME.pid.
start() {
    local name=$1; shift
    nohup "$bin/$name" "$@" >> "$home/logs/$name.log" 2>&1 < /dev/null &
    echo $! > "$home/run/$name.pid"
}

if [ -z "${LAZARUS_BROKERS:-}" ]; then
    : > "$home/logs/lazarus-broker.log"
    nohup "$bin/lazarus-broker" --partitions 12 > "$home/run/broker.addr" 2>> "$home/logs/lazarus-broker.log" < /dev/null &
    echo $! > "$home/run/lazarus-broker.pid"
    for _ in $(seq 100); do [ -s "$home/run/broker.addr" ] && break; sleep 0.1; done
    LAZARUS_BROKERS=$(head -1 "$home/run/broker.addr")
    [ -n "$LAZARUS_BROKERS" ] || { echo "up: lazarus-broker did not start; see $home/logs/lazarus-broker.log" >&2; exit 1; }
fi
export LAZARUS_BROKERS
echo "export LAZARUS_BROKERS=$LAZARUS_BROKERS" > "$home/env"
echo "export PATH=\"$bin:\$PATH\"" >> "$home/env"

# Executors sign the continuations they write with this stack's key and refuse any they
# did not sign (docs/SNAPSHOT.md, "Authenticated snapshots"). Made once and kept: the
# snapshots stored under $home must stay resumable. An exported LAZARUS_SNAPSHOT_KEY_FILE wins.
if [ -z "${LAZARUS_SNAPSHOT_KEY_FILE:-}" ]; then
    LAZARUS_SNAPSHOT_KEY_FILE=$(cd "$home" && pwd)/snapshot.key
    [ -s "$LAZARUS_SNAPSHOT_KEY_FILE" ] || (umask 077 && head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$LAZARUS_SNAPSHOT_KEY_FILE")
fi
export LAZARUS_SNAPSHOT_KEY_FILE
echo "export LAZARUS_SNAPSHOT_KEY_FILE=$LAZARUS_SNAPSHOT_KEY_FILE" >> "$home/env"

# Logs are appended across runs: only lines after this mark speak of this run.
recover_mark=0
[ -f "$home/logs/checkpoint-service.log" ] && recover_mark=$(wc -l < "$home/logs/checkpoint-service.log")
start object-service --database "$home/objects.sqlite"
start checkpoint-service --database "$home/checkpoints.sqlite"
start object-proxy
start script-executor --instance-id executor-1

# Ready when every consumer has its partitions (the dev broker holds a first join ~3 s).
for name in object-service checkpoint-service object-proxy script-executor; do
    for _ in $(seq 600); do
        grep -q "partitions assigned" "$home/logs/$name.log" 2>/dev/null && break
        sleep 0.1
    done
    grep -q "partitions assigned" "$home/logs/$name.log" || { echo "up: $name did not join its group; see $home/logs/$name.log" >&2; exit 1; }
done
# The executor asks for the jobs of its new partitions once it joined; a job submitted
# before that answer would be started twice (harmlessly, thanks to the journal, but the
# second start begins from scratch), so the stack is ready once the answer is out.
executor_recovered() {
    tail -n "+$((recover_mark + 1))" "$home/logs/checkpoint-service.log" 2>/dev/null | grep -q "requested.by=executor-1 .*recover"
}
for _ in $(seq 600); do executor_recovered && break; sleep 0.1; done
executor_recovered || { echo "up: the checkpoint service never answered executor-1's recover request; see $home/logs/" >&2; exit 1; }
echo "up: brokers $LAZARUS_BROKERS; logs in $home/logs; \`source $home/env\` to use the lazarus CLI"
