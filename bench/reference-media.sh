# Sourced by the render benchmarks: the bundled ffmpeg unpacked into $W/bin as $FF, the shipped font as $W/font.ttf,
# and the reference job of shared/render-notes.md in $W/media (five 1920x1080 stills, 60 s of music) with its title
# in $W/title.txt. Needs $W (a scratch folder) and a built target/lib.
unzip -q -o -j target/lib/jave-nativebin-linux64-3.5.0.jar ws/schild/jave/nativebin/ffmpeg-amd64 -d "$W/bin"
FF="$W/bin/ffmpeg-amd64"; chmod +x "$FF"
cp src/main/resources/fonts/DejaVuSans-Bold.ttf "$W/font.ttf"
mkdir -p "$W/media"
for i in 1 2 3 4 5; do
  "$FF" -loglevel error -y -f lavfi -i "mandelbrot=s=1920x1080:start_scale=$((i+1)):end_scale=0.5" -frames:v 1 -q:v 3 "$W/media/still$i.jpg"
done
"$FF" -loglevel error -y -f lavfi -i "aevalsrc='0.1*sin(2*PI*(220+55*floor(mod(t,4)))*t)':s=44100:d=60" -ac 2 -b:a 128k "$W/media/music.mp3"
printf 'Urban Dreams' > "$W/title.txt"

# The best hand-written ffmpeg command for the reference job (still photos), as a function: hand_render OUT STEPS,
# where STEPS picks what the delivery spec adds to the plain command (README, "What every video meets"): "gop" (a
# keyframe every 2 s), "colour" (BT.709 conversion and tags, no edit list, the AAC priming taken off), "loudness" (a
# first pass measuring the sound, then loudnorm applying it); "all" is all three. Prints the wall seconds of all its
# ffmpeg runs; /usr/bin/time's figures of the last run are in $W/hand.txt.
REF_SOUND="[5:a]aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo,atrim=duration=60,volume=0.35,afade=t=out:st=57:d=3"
hand_render() {
  local out=$1 steps=$2 scale="" tags=() container=(-movflags +faststart) sound="$REF_SOUND" gop=() t0 i g=""
  [[ $steps == *gop* || $steps == all ]] && gop=(-g 60)
  if [[ $steps == *colour* || $steps == all ]]; then
    scale=":out_color_matrix=bt709:out_range=tv"
    tags=(-colorspace bt709 -color_primaries bt709 -color_trc bt709 -color_range tv)
    container=(-use_editlist 0 -movflags +faststart+negative_cts_offsets)
  fi
  for i in 0 1 2 3 4; do
    g+="[$i:v]scale=1920:1080:force_original_aspect_ratio=decrease$scale,pad=1920:1080:(ow-iw)/2:(oh-ih)/2,setsar=1,format=yuv420p,loop=loop=383:size=1:start=0,setpts=N/30/TB,fps=30[v$i];"
  done
  g+="[v0][v1]xfade=transition=fade:duration=1:offset=11.8,setpts=N/30/TB[x1];[x1][v2]xfade=transition=fade:duration=1:offset=23.6,setpts=N/30/TB[x2];"
  g+="[x2][v3]xfade=transition=fade:duration=1:offset=35.4,setpts=N/30/TB[x3];[x3][v4]xfade=transition=fade:duration=1:offset=47.2,setpts=N/30/TB[x4];"
  g+="[x4]drawtext=fontfile=$W/font.ttf:textfile=$W/title.txt:fontcolor=white:fontsize=90:borderw=5:bordercolor=black@0.7:x=(w-text_w)/2:y=(h-text_h)/2:enable='between(t,0,3)'[vout];"
  t0=$(date +%s.%N)
  if [[ $steps == *loudness* || $steps == all ]]; then
    local m; m=$("$FF" -hide_banner -nostats -i "$W/media/music.mp3" -filter_complex "${REF_SOUND/\[5:a\]/[0:a]},loudnorm=I=-14:TP=-1:LRA=11:print_format=json" -f null - 2>&1)
    v() { printf '%s' "$m" | grep -o "\"$1\" : \"[^\"]*\"" | cut -d'"' -f4; }
    sound+=",loudnorm=I=-14:TP=-1:LRA=11:measured_I=$(v input_i):measured_TP=$(v input_tp):measured_LRA=$(v input_lra):measured_thresh=$(v input_thresh):offset=$(v target_offset):linear=true,aresample=48000"
  fi
  [[ $steps == *colour* || $steps == all ]] && sound+=",atrim=start_sample=1024,asetpts=PTS-STARTPTS"
  /usr/bin/time -f "%e s %M kB" -o "$W/hand.txt" "$FF" -loglevel error -y \
    -i "$W/media/still1.jpg" -i "$W/media/still2.jpg" -i "$W/media/still3.jpg" -i "$W/media/still4.jpg" -i "$W/media/still5.jpg" \
    -i "$W/media/music.mp3" -filter_complex "$g$sound[aout]" -map "[vout]" -map "[aout]" -c:v libx264 -preset veryfast -crf 23 \
    "${gop[@]}" -pix_fmt yuv420p -r 30 "${tags[@]}" -c:a aac -b:a 160k -ar 48000 "${container[@]}" "$out"
  awk -v a="$(date +%s.%N)" -v b="$t0" 'BEGIN { printf "%.2f", a - b }'
}
