#!/usr/bin/env bash
# The Lazarus demo, from a fresh clone: installs what is missing, builds (release), starts
# the dev broker and the four services, runs examples/invoice-run.js (300 invoices in
# batches, a checkpoint after each), kill -9's the script executor in the middle, starts
# a new one, and shows the job resume from its last snapshot, finish, and leave exactly
# 300 invoices. Logs: .lazarus/demo/logs/. Pass --keep to leave the stack running.
set -euo pipefail
cd "$(dirname "$0")/.."
keep=0; [ "${1:-}" = "--keep" ] && keep=1

export LAZARUS_HOME=.lazarus/demo
rm -rf "$LAZARUS_HOME"
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

say "Setting up and building (release)"
infra/setup.sh --release
bin=$(swift build -c release --show-bin-path)
lazarus() { "$bin/lazarus" "$@"; }

say "Starting the dev broker and the four services"
unset LAZARUS_BROKERS
LAZARUS_SKIP_BUILD=1 infra/up.sh
source "$LAZARUS_HOME/env"
cleanup() { [ "$keep" = 1 ] || infra/down.sh >/dev/null; }
trap cleanup EXIT

tenant="demo-$(date +%s)"
say "Submitting examples/invoice-run.js for tenant $tenant"
job=$(lazarus submit examples/invoice-run.js --tenant "$tenant" --policy afterWrite)
echo "job $job"

say "Waiting for checkpoint batch-8, then kill -9 of the script executor"
timeout 300 "$bin/lazarus" watch "$job" | while read -r line; do
    echo "  $line"
    case "$line" in *checkpointed*batch-8*) break ;; esac
done || true
executor_pid=$(cat "$LAZARUS_HOME/run/script-executor.pid")
kill -9 "$executor_pid"
echo "killed script-executor (pid $executor_pid) with SIGKILL"
before=$(lazarus status "$job" | awk '/^snapshot/ {print $3}')
echo "latest snapshot before the crash: seq ${before:-none}"

say "Starting a new script executor; the job resumes from its latest snapshot"
nohup "$bin/script-executor" --instance-id executor-2 >> "$LAZARUS_HOME/logs/script-executor-2.log" 2>&1 < /dev/null &
echo $! > "$LAZARUS_HOME/run/script-executor.pid"
timeout 300 "$bin/lazarus" watch "$job" | sed 's/^/  /' | grep -E 'resumed|completed|failed' || true

say "Result"
lazarus status "$job" | sed -n '1,8p'
resumed_seq=$(lazarus status "$job" | awk '/ resumed / { for (i = 1; i <= NF; i++) if ($i ~ /^seq=/) { sub("seq=", "", $i); print $i } }' | tail -1)
status=$(lazarus status "$job" | awk '/^status/ {print $2}')
[ "$status" = completed ] || { echo "demo: the job ended '$status'; see $LAZARUS_HOME/logs/" >&2; exit 1; }
if [ -n "$resumed_seq" ] && [ "$resumed_seq" -gt 0 ]; then
    echo "The job resumed from snapshot seq $resumed_seq — not from the start — and finished."
else
    echo "demo: the job finished but no resumption from a snapshot was recorded" >&2
    exit 1
fi

say "Counting invoices (a second job, same tenant)"
counts=$(lazarus submit examples/count-invoices.js --tenant "$tenant" --wait 2>/dev/null | tail -1)
echo "$counts"
case "$counts" in
    *'"invoices":300'*'"duplicates":0'*) echo "Exactly 300 invoices exist, none doubled." ;;
    *) echo "demo: expected 300 invoices and no duplicates, got $counts" >&2; exit 1 ;;
esac
if [ "$keep" = 1 ]; then
    echo "The stack is still up: source $LAZARUS_HOME/env; infra/down.sh stops it."
fi
