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
