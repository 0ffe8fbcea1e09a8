#!/usr/bin/env bash
# Moving photos (BENCHMARKS.md, "Photos that move"): the reference job of shared/render-notes.md (five 1920x1080
# stills, 60 s of music, 1 s transitions, a title) rendered by the daemon on the embedded backend with its default
# slow pan, beside the same job with "static photos" (the render before photos moved), the best hand-written ffmpeg
# command for the same moving edit, and the zoompan way render-notes.md measured. Wall times, best of $RUNS, taking
# turns. Needs a built target/reelbox.jar and /usr/bin/time. Usage: bench/motion/run.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${1:-3}
W=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$W"' EXIT
[ -f target/reelbox.jar ] || mvn -B -q -DskipTests package
. bench/reference-media.sh

# The same moving edit by hand: each still framed once on a 2174x1224 canvas, looped, and a 1920x1080 window sliding
# two pixels every three frames (254 pixels over its 12.8 s), each photo the other way. $1: "pan" or "zoompan".
graph() {
  local g=""
  for i in 0 1 2 3 4; do
    if [ "$1" = pan ]; then
      local x="2*min(127,floor(n/3))"; [ $((i % 2)) = 1 ] && x="254-2*min(127,floor(n/3))"
      g+="[$i:v]scale=2174:1224:force_original_aspect_ratio=decrease,pad=2174:1224:(ow-iw)/2:(oh-ih)/2,setsar=1,format=yuv420p,loop=loop=383:size=1:start=0,setpts=N/30/TB,fps=30,crop=1920:1080:x='$x':y=72[v$i];"
    else
      g+="[$i:v]scale=1920:1080,setsar=1,zoompan=z='min(1+0.12*on/384,1.12)':x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)':d=384:s=1920x1080:fps=30,format=yuv420p,setpts=N/30/TB[v$i];"
    fi
  done
  g+="[v0][v1]xfade=transition=fade:duration=1:offset=11.8,setpts=N/30/TB[x1];[x1][v2]xfade=transition=fade:duration=1:offset=23.6,setpts=N/30/TB[x2];"
  g+="[x2][v3]xfade=transition=fade:duration=1:offset=35.4,setpts=N/30/TB[x3];[x3][v4]xfade=transition=fade:duration=1:offset=47.2,setpts=N/30/TB[x4];"
  g+="[x4]drawtext=fontfile=$W/font.ttf:textfile=$W/title.txt:fontcolor=white:fontsize=90:borderw=5:bordercolor=black@0.7:x=(w-text_w)/2:y=(h-text_h)/2:enable='between(t,0,3)'[vout];"
  g+="[5:a]aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo,atrim=duration=60,volume=0.35,afade=t=out:st=57:d=3[aout]"
  printf '%s' "$g"
}
hand() {
  /usr/bin/time -f "%e" -o "$W/hand.txt" "$FF" -loglevel error -y \
    -i "$W/media/still1.jpg" -i "$W/media/still2.jpg" -i "$W/media/still3.jpg" -i "$W/media/still4.jpg" -i "$W/media/still5.jpg" \
    -i "$W/media/music.mp3" -filter_complex "$(graph "$1")" -map "[vout]" -map "[aout]" -c:v libx264 -preset veryfast -crf 23 \
    -pix_fmt yuv420p -r 30 -c:a aac -b:a 160k -movflags +faststart "$W/hand-$1.mp4"
  cat "$W/hand.txt"
}

. bench/daemon.sh
start_daemon
REF="combine my clips into a 60-second video with 1-second transitions, titled 'Urban Dreams', music at 35%"
drop warmup "$REF" > /dev/null
best() { sort -n | head -1; }
: > "$W/moving"; : > "$W/static"; : > "$W/handpan"; : > "$W/zoompan"
for r in $(seq "$RUNS"); do
  drop "moving$r" "$REF" >> "$W/moving"; echo >> "$W/moving"
  drop "static$r" "$REF, static photos" >> "$W/static"; echo >> "$W/static"
  hand pan >> "$W/handpan"
  hand zoompan >> "$W/zoompan"
  echo "round $r: daemon moving $(tail -1 "$W/moving") s, daemon static $(tail -1 "$W/static") s, hand-written pan $(tail -1 "$W/handpan") s, zoompan $(tail -1 "$W/zoompan") s"
done
m=$(best < "$W/moving"); s=$(best < "$W/static"); h=$(best < "$W/handpan"); z=$(best < "$W/zoompan")
echo "best of $RUNS: daemon moving $m s, daemon static $s s, hand-written pan $h s, hand-written zoompan $z s"
awk -v m="$m" -v s="$s" -v h="$h" -v z="$z" 'BEGIN { printf "moving / static (target <= 1.3): %.2f\nmoving / hand-written pan (target <= 1.0): %.2f\nzoompan / hand-written pan: %.2f\n", m / s, m / h, z / h }'
for f in moving1 static1; do echo "$f: $(stat -c %s "$W/d/outbox/$f.mp4") bytes"; done
echo "hand-written pan: $(stat -c %s "$W/hand-pan.mp4") bytes; zoompan: $(stat -c %s "$W/hand-zoompan.mp4") bytes"
kill $DPID; wait $DPID 2>/dev/null || true
echo "machine: $(nproc) cores, $(free -g | awk '/Mem/{print $2}') GiB"
