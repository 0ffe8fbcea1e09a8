#!/usr/bin/env bash
# Render benchmark (see BENCHMARKS.md). The reference job of shared/render-notes.md — five 1920x1080 stills and 60 s
# of music → a 60 s 1080p30 video with 1 s transitions, a title and the music at 35 % — measured two ways:
#   1. the best hand-written ffmpeg command for that output, alone;
#   2. drop-to-outbox through the daemon on the embedded backend (a folder job renamed into the inbox, until its
#      report appears), with ffmpeg's own time and peak memory taken by a wrapper around the same binary.
# Then render time against output length (15, 60, 240 s) and resolution (720p, 1080p, 4K).
# Needs a built target/reelbox.jar and /usr/bin/time. Usage: bench/render/run.sh [runs]
# REELBOX_JAR=path/to/reelbox.jar runs another build (bench/compare/run.sh does); SCALING=0 skips part 3.
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${1:-3}
JAR=${REELBOX_JAR:-target/reelbox.jar}
W=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$W"' EXIT
[ -f target/reelbox.jar ] || mvn -B -q -DskipTests package

# The bundled ffmpeg and the reference media; the wrapper takes ffmpeg's own time and peak memory inside the daemon.
. bench/reference-media.sh
cat > "$W/bin/ffmpeg-timed" <<WRAP
#!/usr/bin/env bash
exec /usr/bin/time -f "%e s %M kB" -a -o "$W/ffmpeg-times.txt" "$FF" "\$@"
WRAP
chmod +x "$W/bin/ffmpeg-timed"

D=12.8
graph=""
for i in 0 1 2 3 4; do
  graph+="[$i:v]scale=1920:1080:force_original_aspect_ratio=decrease,pad=1920:1080:(ow-iw)/2:(oh-ih)/2,setsar=1,format=yuv420p,loop=loop=383:size=1:start=0,setpts=N/30/TB,fps=30[v$i];"
done
graph+="[v0][v1]xfade=transition=fade:duration=1:offset=11.8,setpts=N/30/TB[x1];[x1][v2]xfade=transition=fade:duration=1:offset=23.6,setpts=N/30/TB[x2];"
graph+="[x2][v3]xfade=transition=fade:duration=1:offset=35.4,setpts=N/30/TB[x3];[x3][v4]xfade=transition=fade:duration=1:offset=47.2,setpts=N/30/TB[x4];"
graph+="[x4]drawtext=fontfile=$W/font.ttf:textfile=$W/title.txt:fontcolor=white:fontsize=90:borderw=5:bordercolor=black@0.7:x=(w-text_w)/2:y=(h-text_h)/2:enable='between(t,0,3)'[vout];"
graph+="[5:a]aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo,atrim=duration=60,volume=0.35,afade=t=out:st=57:d=3[aout]"
# One run of the hand-written command; prints its wall seconds.
hand() {
  /usr/bin/time -f "%e s %M kB" -o "$W/hand.txt" "$FF" -loglevel error -y \
    -i "$W/media/still1.jpg" -i "$W/media/still2.jpg" -i "$W/media/still3.jpg" -i "$W/media/still4.jpg" -i "$W/media/still5.jpg" \
    -i "$W/media/music.mp3" -filter_complex "$graph" -map "[vout]" -map "[aout]" -c:v libx264 -preset veryfast -crf 23 \
    -pix_fmt yuv420p -r 30 -c:a aac -b:a 160k -movflags +faststart "$W/hand.mp4"
  cut -d' ' -f1 "$W/hand.txt"
}

start_daemon() {
  mkdir -p "$W/d/inbox" "$W/d/outbox"
  java -Xmx256m -Dreelbox.api.base-url=embedded -Dreelbox.local.ffmpeg="$W/bin/ffmpeg-timed" \
    -Dreelbox.inbox="$W/d/inbox" -Dreelbox.outbox="$W/d/outbox" -Dreelbox.work-dir="$W/d/work" -Dreelbox.routes-dir="$W/d/routes" \
    -jar "$JAR" > "$W/daemon.log" 2>&1 &
  DPID=$!
  until grep -q "Reelbox running" "$W/daemon.log"; do
    kill -0 $DPID 2>/dev/null || { echo "the daemon did not start:"; tail -20 "$W/daemon.log"; exit 1; }
    sleep 0.2
  done
}

# Drops a folder job (prompt $2) named $1, as a user's file manager does (written elsewhere, then moved in), and waits
# for its report; prints the drop-to-outbox seconds. The daemon runs with its default settings.
drop() {
  local name=$1 prompt=$2
  mkdir -p "$W/d/inbox/.staging-$name"
  cp "$W/media/"*.jpg "$W/media/music.mp3" "$W/d/inbox/.staging-$name/"
  printf 'prompt: "%s"\noutput: %s\n' "$prompt" "$name" > "$W/d/inbox/.staging-$name/job.yaml"
  local t0; t0=$(date +%s.%N)
  mv "$W/d/inbox/.staging-$name" "$W/d/inbox/$name"
  # Looked for twice a second, so the waiting shell takes no CPU from the render; the report's own time is the end.
  until [ -f "$W/d/outbox/$name.json" ] || [ -f "$W/d/inbox/.failed/$name/error.json" ]; do
    kill -0 $DPID 2>/dev/null || { echo "the daemon died:" >&2; tail -20 "$W/daemon.log" >&2; exit 1; }
    sleep 0.5
  done
  [ -f "$W/d/outbox/$name.json" ] || { echo "job $name failed:" >&2; cat "$W/d/inbox/.failed/$name/error.json" >&2; exit 1; }
  awk -v a="$(stat -c %.9Y "$W/d/outbox/$name.json")" -v b="$t0" 'BEGIN { printf "%.2f", a - b }'
}

start_daemon
# "static photos": the hand-written command shows the stills still; bench/motion/run.sh measures the default, moving ones.
REF="combine my clips into a 60-second video with 1-second transitions, titled 'Urban Dreams', music at 35%, static photos"
# A daemon's first job also pays for the JVM's warm-up (about 1 s of compiling on these 2 cores): timed once, apart.
echo "== 0. the daemon's first job (cold JVM), once: drop-to-outbox $(drop warmup "$REF") s"
echo "== 1+2. the hand-written ffmpeg command, then drop-to-outbox through the daemon (java -Xmx256m, embedded"
echo "        backend, default settings), taking turns, $RUNS rounds"
: > "$W/ratios.txt"
for r in $(seq "$RUNS"); do
  h=$(hand)
  echo "hand-written run $r: $h s (wall), ffmpeg peak RSS $(cut -d' ' -f3 "$W/hand.txt") kB"
  : > "$W/ffmpeg-times.txt"
  s=$(drop "ref$r" "$REF")
  echo "daemon run $r: drop-to-outbox ${s} s; render $(grep -o 'Local render [^ ]* done: .* in [0-9]* ms' "$W/daemon.log" | tail -1 | grep -o '[0-9]* ms$') (all its ffmpeg runs); largest ffmpeg peak RSS $(grep -o '[0-9]* kB' "$W/ffmpeg-times.txt" | sort -n | tail -1)"
  awk -v d="$s" -v h="$h" 'BEGIN { printf "%.3f\n", d / h }' | tee -a "$W/ratios.txt" | sed "s/^/round $r ratio drop-to-outbox \/ hand-written: /"
done
echo "median ratio: $(sort -n "$W/ratios.txt" | awk '{a[NR]=$1} END {print (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2)}')"
echo "daemon peak RSS: $(grep VmHWM /proc/$DPID/status | awk '{print $2}') kB"
{ "$FF" -hide_banner -i "$W/d/outbox/ref1.mp4" 2>&1 || true; } | grep -E "Duration|Stream" | sed 's/^/  /'

if [ "${SCALING:-1}" = 1 ]; then
echo "== 3. render time against output length and resolution (one run each; ffmpeg wall time, peak RSS)"
for v in "15-second 1080p" "60-second 1080p" "240-second 1080p" "60-second 720p" "60-second 4K"; do
  : > "$W/ffmpeg-times.txt"
  name=$(echo "$v" | tr -c 'a-zA-Z0-9\n' '-')
  s=$(drop "$name" "combine my clips into a $v video with transitions, titled 'Urban Dreams', music at 35%, static photos")
  echo "$v: render $(grep -o 'Local render [^ ]* done: .* in [0-9]* ms' "$W/daemon.log" | tail -1 | grep -o '[0-9]* ms$'); largest ffmpeg peak RSS $(grep -o '[0-9]* kB' "$W/ffmpeg-times.txt" | sort -n | tail -1); drop-to-outbox ${s} s; file $(stat -c %s "$W/d/outbox/$name.mp4") bytes"
done
fi
kill $DPID; wait $DPID 2>/dev/null || true
echo "machine: $(nproc) cores, $(free -g | awk '/Mem/{print $2}') GiB, $(java -version 2>&1 | head -1)"
