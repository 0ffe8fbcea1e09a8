#!/usr/bin/env bash
# Upload benchmark: a 500 MB file through the daemon (-Xmx128m) to a loopback sink, next to curl doing the same
# upload. Prints throughput and the daemon's peak memory. Needs: a built target/reelbox.jar, curl.
# Usage: bench/upload/run.sh [runs]   (REELBOX_JAR=path/to/reelbox.jar runs another build; CURL=0 skips curl)
# PIN=1 runs the sink on the last core and the senders (the daemon, curl) on the others (taskset), so that the
# receiving end never shares a core with the sender being measured.
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
LAST=$(( $(nproc) - 1 ))
SINK_CPUS=$LAST; SEND_CPUS=0-$(( LAST > 0 ? LAST - 1 : 0 ))
# Called in a subshell, which it replaces (exec): "$!" is then the program's own pid, to measure and to stop.
pin() { if [ "${PIN:-0}" = 1 ]; then exec taskset -c "$@"; else shift; exec "$@"; fi; }
(pin "$SINK_CPUS" java bench/upload/UploadSink.java "$PORT" "$WORK/sink.txt" > "$WORK/sink.log" 2>&1) &
until grep -q listening "$WORK/sink.log" 2>/dev/null; do sleep 0.2; done

# A 500 MB file that passes the MP4 content check: an ftyp box, then a sparse tail.
BIG="$WORK/big.mp4"
truncate -s "$SIZE" "$BIG"
printf '\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isommp41' | dd of="$BIG" conv=notrunc status=none

# One daemon upload; prints its MB/s (as the sink timed it) and the daemon's peak RSS in kB.
daemon_upload() {
  local i=$1 D="$WORK/d$1"
  mkdir -p "$D/inbox" "$D/outbox"
  (pin "$SEND_CPUS" java -Xmx128m -Dreelbox.api.base-url="http://127.0.0.1:$PORT" -Dreelbox.api.token= \
       -Dreelbox.inbox="$D/inbox" -Dreelbox.outbox="$D/outbox" -Dreelbox.work-dir="$D/work" \
       -Dreelbox.routes-dir="$D/routes" -Dreelbox.http.port=0 \
       -jar "$JAR" > "$D/daemon.log" 2>&1) &
  local pid=$!
  until grep -aq "Reelbox running" "$D/daemon.log"; do
    kill -0 $pid 2>/dev/null || { echo "the daemon died:" >&2; tail -20 "$D/daemon.log" >&2; exit 1; }
    sleep 0.2
  done
  # A service runs for months: time the upload of a warm daemon, after one upload of the same size untimed.
  local name before
  for name in warmup big; do
    before=$(wc -l < "$WORK/sink.txt")
    # Moved in whole, as a file manager does: the daemon takes it at once.
    cp --reflink=auto --sparse=always "$BIG" "$WORK/$name-$i.mp4"
    echo "prompt: benchmark" > "$WORK/$name-$i.yaml"
    mv "$WORK/$name-$i.mp4" "$D/inbox/$name.mp4"
    mv "$WORK/$name-$i.yaml" "$D/inbox/$name.yaml"
    until [ -d "$D/inbox/.failed/$name" ] || [ -d "$D/inbox/.done/$name" ]; do
      kill -0 $pid 2>/dev/null || { echo "the daemon died:" >&2; tail -20 "$D/daemon.log" >&2; exit 1; }
      sleep 0.5
    done
  done
  local hwm; hwm=$(grep VmHWM /proc/$pid/status | awk '{print $2}')
  kill $pid; wait $pid 2>/dev/null || true
  echo "$(sed -n "$((before + 1))p" "$WORK/sink.txt" | awk '{print $3}') $hwm"
}

# One curl upload of the same file to the same sink; prints its MB/s. (curl is native code: no warm-up to pay.)
curl_upload() {
  local before; before=$(wc -l < "$WORK/sink.txt")
  (pin "$SEND_CPUS" curl -s -o /dev/null -F "files=@$BIG" "http://127.0.0.1:$PORT/api/upload-video/nemo_agent/me/s1")
  sed -n "$((before + 1))p" "$WORK/sink.txt" | awk '{print $3}'
}

[ "${CURL:-1}" = 1 ] && curl_upload > /dev/null   # untimed: curl's and the sink's first upload runs colder than the rest
echo "== the daemon (java -Xmx128m), then curl, taking turns, $RUNS rounds (MB/s as the sink timed each upload;"
[ "${PIN:-0}" = 1 ] && echo "   senders on CPUs $SEND_CPUS, the sink on CPU $SINK_CPUS)" || echo "   no pinning)"
: > "$WORK/ratios.txt"
for i in $(seq "$RUNS"); do
  read -r d hwm < <(daemon_upload "$i")
  if [ "${CURL:-1}" = 1 ]; then
    c=$(curl_upload)
    r=$(awk -v d="$d" -v c="$c" 'BEGIN { printf "%.2f", d / c }')
    echo "$r" >> "$WORK/ratios.txt"
    echo "round $i: daemon $d MB/s (peak RSS $hwm kB), curl $c MB/s, ratio $r"
  else
    echo "daemon run $i: $d MB/s; daemon peak RSS ${hwm} kB"
  fi
done
[ "${CURL:-1}" = 1 ] && echo "median ratio daemon / curl: $(sort -n "$WORK/ratios.txt" | awk '{a[NR]=$1} END {print (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2)}')"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem/{print $2}') GiB, $(java -version 2>&1 | head -1)"
