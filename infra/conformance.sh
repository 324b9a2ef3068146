#!/usr/bin/env bash
# Runs the test262 conformance measure (issue 3) and writes docs/CONFORMANCE.md.
#
#   infra/conformance.sh [TEST262_DIR] [extra lazarus-conformance options…]
#
# TEST262_DIR (or $LAZARUS_TEST262) is a checkout of https://github.com/tc39/test262
# (only harness/ and test/ are read; never commit its files). Runs the straight measure and
# the same tests with --restore-every 97, writes docs/CONFORMANCE.md and the failure list
# ($LAZARUS_CONFORMANCE_FAILURES, default .build-conf/conformance-failures.txt).
set -euo pipefail

cd "$(dirname "$0")/.."

dir="${1:-${LAZARUS_TEST262:-}}"
[ $# -gt 0 ] && shift
if [ -z "$dir" ] || [ ! -d "$dir/harness" ] || [ ! -d "$dir/test" ]; then
    cat >&2 <<'MSG'
conformance.sh: no test262 checkout given.

Get one (it is not part of this repository and must never be committed):
    git clone https://github.com/tc39/test262 ../test262
then run
    infra/conformance.sh ../test262        # or: LAZARUS_TEST262=../test262 infra/conformance.sh
MSG
    exit 2
fi

commit="${LAZARUS_TEST262_COMMIT:-$(git -C "$dir" rev-parse HEAD 2>/dev/null || echo unknown)}"
engine="${LAZARUS_ENGINE_COMMIT:-$(git rev-parse --short HEAD 2>/dev/null || echo unknown)}"
if [ -z "${LAZARUS_ENGINE_COMMIT:-}" ] && ! git diff --quiet HEAD -- Shared Package.swift 2>/dev/null \
    || [ -n "$(git ls-files --others --exclude-standard -- Shared 2>/dev/null)" ]; then
    engine="$engine + uncommitted changes"
fi
failures="${LAZARUS_CONFORMANCE_FAILURES:-.build-conf/conformance-failures.txt}"
jobs="${LAZARUS_JOBS:-$(nproc 2>/dev/null || echo 2)}"

swift build -c release --scratch-path .build-conf --product lazarus-conformance
mkdir -p "$(dirname "$failures")"

.build-conf/release/lazarus-conformance \
    --root "$dir" \
    --also-restore-every 97 \
    --jobs "$jobs" \
    --test262-commit "$commit" \
    --engine-commit "$engine" \
    --command-line "infra/conformance.sh <test262> $*  # = lazarus-conformance --also-restore-every 97 --jobs $jobs" \
    --report docs/CONFORMANCE.md \
    --failures "$failures" \
    "$@"

echo "wrote docs/CONFORMANCE.md and $failures" >&2
