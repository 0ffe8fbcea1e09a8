#!/usr/bin/env bash
# Best moments before and after (BENCHMARKS.md, "Clip analysis"; the README's frame strip): the issue's trial, three
# 20 s clips each mostly dull with a 5 s lively moment made into 12 s, planned without and with the clips' profiles,
# rendered, and measured by how many frames come from the lively moments. Writes docs/frame-strip.png and prints the
# table (also in target/moments-bench.md). Needs only the JDK and Maven.
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -B -q test -Dtest=BestMomentsBench -Dreelbox.excludedGroups= -Dsurefire.failIfNoSpecifiedTests=false > target/moments-bench.log 2>&1 \
  || { tail -40 target/moments-bench.log; exit 1; }
cat target/moments-bench.md
