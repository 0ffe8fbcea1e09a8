#!/usr/bin/env bash
# Clip analysis (BENCHMARKS.md, "Clip analysis"): how much faster than real time a 60 s clip is profiled at 1080p and
# 720p, beside ffmpeg's own full decode and scene score of the same file; and on generated clips whose lively moments
# are known, the shot cuts found and the share of what is kept that is lively. Needs only the JDK and Maven. Prints the
# tables and leaves them in target/clip-bench.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -B -q test -Dtest=ClipBench -Dreelbox.excludedGroups= -Dsurefire.failIfNoSpecifiedTests=false > target/clip-bench.log 2>&1 \
  || { tail -40 target/clip-bench.log; exit 1; }
cat target/clip-bench.md
