#!/usr/bin/env bash
# Upload benchmark: a 500 MB file through the daemon (-Xmx128m) to a loopback sink, next to curl doing the same
# upload. Prints throughput and the daemon's peak memory. Needs: a built target/reelbox.jar, curl.
# Usage: bench/upload/run.sh [runs]   (REELBOX_JAR=path/to/reelbox.jar runs another build; CURL=0 skips curl)
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${1:-3}
JAR=${REELBOX_JAR:-target/reelbox.jar}
WORK=$(mktemp -d)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
SIZE=500000000
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT

[ -f target/reelbox.jar ] || mvn -B -q -DskipTests package
touch "$WORK/sink.txt"
java bench/upload/UploadSink.java "$PORT" "$WORK/sink.txt" > "$WORK/sink.log" 2>&1 &
until grep -q listening "$WORK/sink.log" 2>/dev/null; do sleep 0.2; done

# A 500 MB file that passes the MP4 content check: an ftyp box, then a sparse tail.
BIG="$WORK/big.mp4"
truncate -s "$SIZE" "$BIG"
printf '\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isommp41' | dd of="$BIG" conv=notrunc status=none

echo "== daemon (java -Xmx128m), $RUNS runs"
for i in $(seq "$RUNS"); do
  D="$WORK/d$i"; mkdir -p "$D/inbox" "$D/outbox"
  java -Xmx128m -Dreelbox.api.base-url="http://127.0.0.1:$PORT" -Dreelbox.api.token= \
       -Dreelbox.inbox="$D/inbox" -Dreelbox.outbox="$D/outbox" -Dreelbox.work-dir="$D/work" \
       -Dreelbox.routes-dir="$D/routes" -Dreelbox.inbox.stable-for=200ms \
       -jar "$JAR" > "$D/daemon.log" 2>&1 &
  PID=$!
  cp --reflink=auto --sparse=always "$BIG" "$D/inbox/big.mp4"
  echo "prompt: benchmark" > "$D/inbox/big.yaml"
  before=$(wc -l < "$WORK/sink.txt" 2>/dev/null || echo 0)
  until [ -d "$D/inbox/.failed/big" ] || [ -d "$D/inbox/.done/big" ]; do
    kill -0 $PID 2>/dev/null || { echo "the daemon died:"; tail -20 "$D/daemon.log"; exit 1; }
    sleep 0.2
  done
  hwm=$(grep VmHWM /proc/$PID/status | awk '{print $2}')
  kill $PID; wait $PID 2>/dev/null || true
  line=$(sed -n "$((before + 1))p" "$WORK/sink.txt")
  echo "daemon run $i: bytes/seconds/MBps = $line; daemon peak RSS ${hwm} kB"
done

[ "${CURL:-1}" = 1 ] || exit 0
echo "== curl, $RUNS runs"
for i in $(seq "$RUNS"); do
  before=$(wc -l < "$WORK/sink.txt")
  curl -s -o /dev/null -F "files=@$BIG" "http://127.0.0.1:$PORT/api/upload-video/nemo_agent/me/s1"
  echo "curl run $i: bytes/seconds/MBps = $(sed -n "$((before + 1))p" "$WORK/sink.txt")"
done
echo "machine: $(nproc) cores, $(free -g | awk '/Mem/{print $2}') GiB, $(java -version 2>&1 | head -1)"
