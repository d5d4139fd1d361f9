#!/usr/bin/env bash
# How long `bwctl run` takes to be ready again (the projector caught up with the ledger) after a
# SIGKILL, beside a first start and a restart after SIGTERM, all on one state directory. Builds
# what it needs through bin/bwctl. Run from anywhere: lab/bench/recovery-after-kill.sh [SETTLE_SECONDS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="$(mktemp -d)"
trap 'kill -9 $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
"$root/bin/bwctl" --version >/dev/null   # builds on first use

run() {
  "$root/bin/bwctl" run --state-dir "$work/state" --http-port 0 --extender-port 0 > "$work/$1.log" 2>&1 &
  echo $!
}

# Seconds from now until the projector says it caught up, in the log named $1.
ready_after() {
  local start
  start=$(date +%s%N)
  until grep -q "caught up with .*: ready" "$work/$1.log"; do sleep 0.1; done
  awk -v start="$start" -v end="$(date +%s%N)" 'BEGIN { printf "%.1f", (end - start) / 1e9 }'
}

stop() {
  kill -TERM "$1"
  while kill -0 "$1" 2>/dev/null; do sleep 0.2; done
}

pid=$(run first)
echo "first start:    ready after $(ready_after first) s"
sleep "${1:-20}"
kill -9 "$pid"
while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
pid=$(run killed)
echo "after SIGKILL:  ready after $(ready_after killed) s"
sleep 5
stop "$pid"
pid=$(run stopped)
echo "after SIGTERM:  ready after $(ready_after stopped) s"
stop "$pid"
