#!/usr/bin/env bash
# Re-takes the README's pictures from the example job: docs/example-strip.jpg (one frame every 7.5 s of
# outbox/lakeside.mp4) and docs/dashboard.png (the dashboard in headless Chromium once the job is done).
# Needs a built target/reelbox.jar and Debian's chromium. Usage: docs/take-pictures.sh
set -euo pipefail
cd "$(dirname "$0")/.."
W=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$W"' EXIT
[ -f target/reelbox.jar ] || mvn -B -q -DskipTests package
unzip -q -o -j target/lib/jave-nativebin-linux64-3.5.0.jar ws/schild/jave/nativebin/ffmpeg-amd64 -d "$W/bin"
FF="$W/bin/ffmpeg-amd64"; chmod +x "$FF"
mkdir -p "$W/inbox" "$W/outbox"
java -Dreelbox.inbox="$W/inbox" -Dreelbox.outbox="$W/outbox" -Dreelbox.work-dir="$W/work" -Dreelbox.routes-dir="$W/routes" \
  -Dreelbox.local.ffmpeg="$FF" -Dreelbox.http.port=8791 -jar target/reelbox.jar > "$W/daemon.log" 2>&1 &
until grep -q "Reelbox running" "$W/daemon.log"; do sleep 0.3; done
cp -r inbox-example/lakeside "$W/inbox/.staging" && mv "$W/inbox/.staging" "$W/inbox/lakeside"
until [ -f "$W/outbox/lakeside.json" ]; do sleep 1; done
args=(); filter=""
for i in 0 1 2 3 4 5 6 7; do
  args+=(-ss "$((i * 15 / 2 + 1))" -i "$W/outbox/lakeside.mp4"); filter+="[$i:v]scale=240:135,setsar=1[f$i];"
done
"$FF" -v error "${args[@]}" -filter_complex "${filter}[f0][f1][f2][f3][f4][f5][f6][f7]hstack=inputs=8" -frames:v 1 -q:v 4 -y docs/example-strip.jpg
chromium --headless=new --no-sandbox --disable-gpu --hide-scrollbars --window-size=1280,860 --virtual-time-budget=4000 \
  --screenshot="$PWD/docs/dashboard.png" http://127.0.0.1:8791/ 2> /dev/null
echo "docs/example-strip.jpg and docs/dashboard.png re-taken"
