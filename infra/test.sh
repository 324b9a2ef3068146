#!/usr/bin/env bash
# The whole test suite: installs and builds what is missing, then runs every test.
# Tests that need a broker or a service start the real executables themselves (one
# shared fixture) and find them through LAZARUS_BIN_DIR.
#   infra/test.sh                   everything
#   infra/test.sh --filter NAME     only tests matching NAME (swift test --filter)
set -euo pipefail
cd "$(dirname "$0")/.."

infra/setup.sh
echo "test: swift build --build-tests" >&2
swift build --build-tests 2>&1 | grep -Ev '^\[[0-9]+/[0-9]+\] (Compiling|Emitting|Write|Linking|Applying)' >&2
LAZARUS_BIN_DIR="$(swift build --show-bin-path)"
export LAZARUS_BIN_DIR

log=.build/last-test.log
set +e
# Serially: many tests start brokers and services as processes and wait on them, and on
# 2 cores a parallel run starves Swift's 2-thread cooperative pool (seen: no progress).
swift test --skip-build --no-parallel "$@" 2>&1 | tee "$log" | grep --line-buffered -Ev '^(◇|↳)'
status=${PIPESTATUS[0]}
set -e

# Swift Testing's own summary counts runs, not failures; say both plainly.
count() { grep -Ec "$1" "$log" || true; }
passed=$(($(count '^✔ Test .* passed after') - $(count '^✔ Test run with')))
failed=$(($(count '^✘ Test .* failed after') - $(count '^✘ Test run with')))
echo "$passed passed, $failed failed"
exit "$status"
