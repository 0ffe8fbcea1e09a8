# Sourced by the benchmarks that run the daemon: start_daemon starts the jar ($JAR, default target/reelbox.jar) on the
# embedded backend in $W/d with java -Xmx256m and ffmpeg $DAEMON_FFMPEG (default $FF); drop NAME PROMPT [FILES…]
# drops a folder job (FILES from $W/media; default its stills and music.mp3) as a user's file manager does (written
# elsewhere, then moved in), waits for its report and prints the drop-to-outbox seconds.
start_daemon() {
  mkdir -p "$W/d/inbox" "$W/d/outbox"
  java -Xmx256m -Dreelbox.api.base-url=embedded -Dreelbox.local.ffmpeg="${DAEMON_FFMPEG:-$FF}" \
    -Dreelbox.inbox="$W/d/inbox" -Dreelbox.outbox="$W/d/outbox" -Dreelbox.work-dir="$W/d/work" -Dreelbox.routes-dir="$W/d/routes" \
    -jar "${JAR:-target/reelbox.jar}" > "$W/daemon.log" 2>&1 &
  DPID=$!
  until grep -q "Reelbox running" "$W/daemon.log"; do
    kill -0 $DPID 2>/dev/null || { echo "the daemon did not start:"; tail -20 "$W/daemon.log"; exit 1; }
    sleep 0.2
  done
}

drop() {
  local name=$1 prompt=$2; shift 2
  local files=("$@")
  [ ${#files[@]} -gt 0 ] || files=(still1.jpg still2.jpg still3.jpg still4.jpg still5.jpg music.mp3)
  mkdir -p "$W/d/inbox/.staging-$name"
  for f in "${files[@]}"; do cp "$W/media/$f" "$W/d/inbox/.staging-$name/"; done
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
