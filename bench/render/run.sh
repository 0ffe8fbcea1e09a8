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
DAEMON_FFMPEG="$W/bin/ffmpeg-timed"
. bench/daemon.sh

# The hand-written command makes what the daemon delivers: the keyframes, colour, container and loudness of the spec.
hand() {
  hand_render "$W/hand.mp4" all
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
