#!/usr/bin/env bash
# What the operations server costs (BENCHMARKS.md, "What watching it costs"). Two daemons from the same jar run side
# by side on the embedded backend: one with the server (dashboard, job API, health, Prometheus metrics), one with
# reelbox.http.enabled=false. They take turns rendering the reference job of bench/render (a 60 s 1080p video from
# five stills and music), one job at a time, while the server of the first is kept busy as in real use: the dashboard
# open (GET /api/jobs every 1.5 s) and Prometheus scraping /observe/metrics every 5 s. Then both sit idle for a
# minute and their CPU time is read from /proc. Needs a built target/reelbox.jar and curl.
# Usage: bench/ops/run.sh [rounds]   (default 5)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${1:-5}
W=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$W"' EXIT
[ -f target/reelbox.jar ] || mvn -B -q -DskipTests package

unzip -q -o -j target/lib/jave-nativebin-linux64-3.5.0.jar ws/schild/jave/nativebin/ffmpeg-amd64 -d "$W/bin"
FF="$W/bin/ffmpeg-amd64"; chmod +x "$FF"
mkdir -p "$W/media"
for i in 1 2 3 4 5; do
  "$FF" -loglevel error -y -f lavfi -i "mandelbrot=s=1920x1080:start_scale=$((i+1)):end_scale=0.5" -frames:v 1 -q:v 3 "$W/media/still$i.jpg"
done
"$FF" -loglevel error -y -f lavfi -i "aevalsrc='0.1*sin(2*PI*(220+55*floor(mod(t,4)))*t)':s=44100:d=60" -ac 2 -b:a 128k "$W/media/music.mp3"
REF="combine my clips into a 60-second video with 1-second transitions, titled 'Urban Dreams', music at 35%"

# start NAME ENABLED: a daemon in $W/NAME; its pid in $W/NAME.pid.
start() {
  local d="$W/$1"
  mkdir -p "$d/inbox" "$d/outbox"
  java -Xmx256m -Dreelbox.http.enabled="$2" -Dreelbox.http.port=0 -Dreelbox.local.ffmpeg="$FF" \
    -Dreelbox.inbox="$d/inbox" -Dreelbox.outbox="$d/outbox" -Dreelbox.work-dir="$d/work" -Dreelbox.routes-dir="$d/routes" \
    -jar target/reelbox.jar > "$d.log" 2>&1 &
  echo $! > "$d.pid"
  until grep -q "Reelbox running" "$d.log"; do
    kill -0 "$(cat "$d.pid")" 2>/dev/null || { echo "daemon $1 did not start:"; tail -20 "$d.log"; exit 1; }
    sleep 0.2
  done
}

# drop NAME JOB: the reference job into daemon NAME's inbox, moved in whole; prints drop-to-outbox seconds.
drop() {
  local d="$W/$1" job=$2
  mkdir -p "$d/inbox/.staging-$job"
  cp "$W/media/"* "$d/inbox/.staging-$job/"
  printf 'prompt: "%s"\noutput: %s\n' "$REF" "$job" > "$d/inbox/.staging-$job/job.yaml"
  local t0; t0=$(date +%s.%N)
  mv "$d/inbox/.staging-$job" "$d/inbox/$job"
  until [ -f "$d/outbox/$job.json" ]; do
    [ -f "$d/inbox/.failed/$job/error.json" ] && { cat "$d/inbox/.failed/$job/error.json"; exit 1; }
    sleep 0.5
  done
  awk -v a="$(stat -c %.9Y "$d/outbox/$job.json")" -v b="$t0" 'BEGIN { printf "%.2f", a - b }'
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$(cat "$W/$1.pid")/stat"; }

start with true
start without false
URL=$(sed 's/.*"url":"\([^"]*\)".*/\1/' "$W/with/work/http.json")
echo "server: $URL"
# A dashboard left open and a Prometheus scraping, for as long as the jobs run.
( while true; do curl -s -o /dev/null "$URL/api/jobs"; sleep 1.5; done ) & WATCH1=$!
( while true; do curl -s -o /dev/null "$URL/observe/metrics"; sleep 5; done ) & WATCH2=$!

echo "warm-up: with $(drop with warm) s, without $(drop without warm) s"
: > "$W/ratios.txt"
for r in $(seq "$ROUNDS"); do
  if [ $((r % 2)) = 1 ]; then a=$(drop with "r$r"); b=$(drop without "r$r"); else b=$(drop without "r$r"); a=$(drop with "r$r"); fi
  awk -v a="$a" -v b="$b" 'BEGIN { printf "%.3f\n", a / b }' | tee -a "$W/ratios.txt" \
    | sed "s/^/round $r: with the server $a s, without $b s, ratio /"
done
echo "median ratio with / without: $(sort -n "$W/ratios.txt" | awk '{a[NR]=$1} END {print (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2)}')"
kill $WATCH1 $WATCH2

# Idle: no jobs, nobody asking. CPU time used over 60 s, in seconds (from clock ticks).
HZ=$(getconf CLK_TCK)
w0=$(cpu_ticks with); o0=$(cpu_ticks without)
sleep 60
w1=$(cpu_ticks with); o1=$(cpu_ticks without)
echo "idle for 60 s: CPU with the server $(awk -v t=$((w1 - w0)) -v hz="$HZ" 'BEGIN { printf "%.2f s (%.2f %%)", t / hz, t / hz / 60 * 100 }'), without $(awk -v t=$((o1 - o0)) -v hz="$HZ" 'BEGIN { printf "%.2f s (%.2f %%)", t / hz, t / hz / 60 * 100 }')"
echo "peak RSS: with $(grep VmHWM "/proc/$(cat "$W/with.pid")/status" | awk '{print $2}') kB, without $(grep VmHWM "/proc/$(cat "$W/without.pid")/status" | awk '{print $2}') kB"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem/{print $2}') GiB, $(java -version 2>&1 | head -1)"
