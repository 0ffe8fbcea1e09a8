#!/usr/bin/env bash
# This build against an earlier one, side by side in one run (BENCHMARKS.md, "This build against the previous"):
# the reference job from drop to outbox, with the hand-written ffmpeg command beside it, and the 500 MB upload at
# -Xmx128m, with curl beside it. The two builds take turns, round after round, so a busy moment of the shared machine
# hits both alike. Usage: bench/compare/run.sh [base-revision] [rounds]   (default: the last commit before the
# Camel-native pipeline, 7748935; 3 rounds). Needs git, /usr/bin/time and curl.
set -euo pipefail
cd "$(dirname "$0")/../.."
BASE=${1:-7748935}
ROUNDS=${2:-3}
W=$(mktemp -d)
trap 'git worktree remove --force "$W/base-src" >/dev/null 2>&1 || true; rm -rf "$W"' EXIT

mvn -B -q -DskipTests package
mkdir -p "$W/new" && cp -r target/reelbox.jar target/lib "$W/new/"
git worktree add -q --detach "$W/base-src" "$BASE"
(cd "$W/base-src" && mvn -B -q -DskipTests package && mkdir -p "$W/base" && cp -r target/reelbox.jar target/lib "$W/base/")

for r in $(seq "$ROUNDS"); do
  for v in base new; do
    echo "== round $r, $v ($( [ $v = base ] && echo "$BASE" || git rev-parse --short HEAD))"
    REELBOX_JAR="$W/$v/reelbox.jar" SCALING=0 bench/render/run.sh 1 | grep -E "run 1|peak RSS:|ratio" | sed "s/^/$v /"
    REELBOX_JAR="$W/$v/reelbox.jar" CURL=$([ $v = new ] && echo 1 || echo 0) bench/upload/run.sh 1 | grep -E "run 1|round 1" | sed "s/^/$v /"
  done
done
echo "machine: $(nproc) cores, $(free -g | awk '/Mem/{print $2}') GiB, $(java -version 2>&1 | head -1)"
