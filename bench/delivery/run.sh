#!/usr/bin/env bash
# What delivering to spec costs (BENCHMARKS.md, "Ready to post"): the reference job's hand-written ffmpeg command as it
# was before the spec (x264's default GOP, BT.601 untagged, an edit list, the sound as mixed), then with each thing the
# spec added (a keyframe every 2 s; BT.709 conversion, tags and no edit list; the two loudness passes), taking turns,
# $RUNS rounds, medians and ratios against the plain command. Then ducking, through the daemon: a job whose 20 s clip
# has its own sound, rendered with the music ducking under it and with "no ducking", taking turns.
# Needs a built target/reelbox.jar and /usr/bin/time. Usage: bench/delivery/run.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${1:-3}
W=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$W"' EXIT
[ -f target/reelbox.jar ] || mvn -B -q -DskipTests package
. bench/reference-media.sh
. bench/daemon.sh
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2)}'; }

echo "== 1. the hand-written reference command, plain and with what the spec adds, taking turns, $RUNS rounds"
STEPS=(plain gop gop+colour all)
for r in $(seq "$RUNS"); do
  for s in "${STEPS[@]}"; do
    t=$(hand_render "$W/hand-$s.mp4" "$s")
    echo "$t" >> "$W/t-$s"
    echo "round $r $s: $t s"
  done
done
base=$(median < "$W/t-plain")
for s in "${STEPS[@]}"; do
  m=$(median < "$W/t-$s")
  echo "median $s: $m s, ratio to plain $(awk -v a="$m" -v b="$base" 'BEGIN { printf "%.3f", a / b }'), file $(stat -c %s "$W/hand-$s.mp4") bytes"
done

echo "== 2. ducking, through the daemon: 4 stills, a 20 s clip with its own sound, music; $RUNS rounds taking turns"
# Speech-like: a 180 Hz voice in 0.4 s syllables with pauses, at about -20 dBFS.
"$FF" -loglevel error -y -f lavfi -i "testsrc2=s=1920x1080:r=30" -f lavfi \
  -i "aevalsrc='0.3*sin(2*PI*180*t)*sin(2*PI*2.5*t)*gt(sin(2*PI*0.3*t),-0.3)':s=48000:d=20" -t 20 -c:v libx264 \
  -preset veryfast -pix_fmt yuv420p -c:a aac -ac 2 "$W/media/talk.mp4"
start_daemon
FILES=(still1.jpg still2.jpg talk.mp4 still3.jpg still4.jpg music.mp3)
P="combine my clips into a 60-second video with 1-second transitions, music at 35%, static photos"
drop warmup "$P" "${FILES[@]}" > /dev/null
render_ms() { grep -o "Local render [^ ]* done: .* in [0-9]* ms" "$W/daemon.log" | tail -1 | grep -o '[0-9]* ms$' | cut -d' ' -f1; }
for r in $(seq "$RUNS"); do
  drop "duck$r" "$P" "${FILES[@]}" > /dev/null; render_ms >> "$W/duck"
  drop "level$r" "$P, no ducking" "${FILES[@]}" > /dev/null; render_ms >> "$W/level"
  echo "round $r: ducking $(tail -1 "$W/duck") ms, no ducking $(tail -1 "$W/level") ms"
done
d=$(median < "$W/duck"); l=$(median < "$W/level")
echo "median render: ducking $d ms, no ducking $l ms, ratio $(awk -v a="$d" -v b="$l" 'BEGIN { printf "%.3f", a / b }')"
grep -o '"delivery":{[^}]*"passed":[a-z]*' "$W/d/outbox/duck1.json" | head -1 || true
kill $DPID; wait $DPID 2>/dev/null || true
echo "machine: $(nproc) cores, $(free -g | awk '/Mem/{print $2}') GiB, $(java -version 2>&1 | head -1)"
