#!/usr/bin/env bash
# Stops the stack infra/up.sh started: SIGTERM to the services (they leave their groups
# and flush), then to the broker; waits for each.
set -uo pipefail
cd "$(dirname "$0")/.."
home=${LAZARUS_HOME:-.lazarus}

stop() { # name
    local pidfile="$home/run/$1.pid"
    [ -f "$pidfile" ] || return 0
    local pid; pid=$(cat "$pidfile")
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
        echo "down: $1 ($pid) did not stop within 15 s; killing it" >&2
        kill -KILL "$pid"
    fi
    rm -f "$pidfile"
}

# Executors first (also extra ones, run/script-executor-N.pid), the broker last.
for pidfile in "$home"/run/script-executor*.pid; do [ -f "$pidfile" ] && stop "$(basename "$pidfile" .pid)"; done
for name in object-proxy checkpoint-service object-service lazarus-broker; do stop "$name"; done
echo "down: stopped"
