#!/usr/bin/env bash
# The beat tracker against Debian's aubiotrack (BENCHMARKS.md, "Beats"): accuracy on generated click and drum tracks
# from 70 to 180 BPM, agreement on real music (Debian's free game music, hyperrogue-music), and speed. Both peers come
# from Debian: sudo apt-get install aubio-tools hyperrogue-music. Prints the tables and leaves them in
# target/beat-bench.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v aubiotrack > /dev/null || { echo "needs aubiotrack: sudo apt-get install aubio-tools hyperrogue-music"; exit 1; }
mvn -B -q test -Dtest=BeatBench -Dreelbox.excludedGroups= -Dsurefire.failIfNoSpecifiedTests=false > target/beat-bench.log 2>&1 \
  || { tail -40 target/beat-bench.log; exit 1; }
cat target/beat-bench.md
