#!/usr/bin/env bash
# Installs what Lazarus needs from Debian's packages (when missing) and builds it.
#   infra/setup.sh            debug build (what the tests use)
#   infra/setup.sh --release  release build (what the demo and benchmarks use)
# Idempotent: a second run installs nothing and rebuilds only what changed.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(librdkafka-dev libsqlite3-dev kcat pkg-config)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
    echo "setup: installing ${missing[*]}" >&2
    sudo_cmd=""
    [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi

command -v swift >/dev/null || { echo "setup: swift is not on PATH (Swift 6.2 or newer is needed)" >&2; exit 1; }

config=debug
[ "${1:-}" = "--release" ] && config=release
echo "setup: swift build -c $config" >&2
swift build -c "$config" 2>&1 | grep -Ev '^\[[0-9]+/[0-9]+\] (Compiling|Emitting|Write|Linking|Applying)' >&2
