#!/usr/bin/env bash
# Builds the Reelbox image with podman and tags it localhost/reelbox:latest (README.md, "Container").
#   packaging/container/build.sh [--base IMAGE | --base debian] [--tag NAME]
# --base IMAGE: any image with Java 17 on its PATH (default eclipse-temurin:17-jre, from a registry).
# --base debian: a base made here from Debian 12's packages where no registry is reachable: mmdebstrap (minbase,
#   openjdk-17-jre-headless, no docs), imported into podman as localhost/reelbox-base:debian12-jre17 once and reused.
# Builds the jar first when target/reelbox.jar is missing (SKIP_PACKAGE=1 never builds). Prints the image's size.
set -euo pipefail
cd "$(dirname "$0")/../.."
BASE=eclipse-temurin:17-jre
TAG=localhost/reelbox:latest
while [ $# -gt 0 ]; do
  case $1 in
    --base) BASE=$2; shift 2 ;;
    --tag) TAG=$2; shift 2 ;;
    *) echo "usage: $0 [--base IMAGE | --base debian] [--tag NAME]" >&2; exit 2 ;;
  esac
done
command -v podman > /dev/null || { echo "podman is not installed (apt-get install podman runc)" >&2; exit 1; }

if [ "$BASE" = debian ]; then
  BASE=localhost/reelbox-base:debian12-jre17
  if ! podman image exists "$BASE"; then
    command -v mmdebstrap > /dev/null || { echo "--base debian needs mmdebstrap (apt-get install mmdebstrap)" >&2; exit 1; }
    echo "Making $BASE with mmdebstrap (once per machine)..."
    mmdebstrap --quiet --variant=minbase --include=openjdk-17-jre-headless \
      --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
      --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-exclude=/usr/share/info/*' \
      --customize-hook='rm -rf "$1"/var/cache/apt/* "$1"/var/lib/apt/lists/*' \
      bookworm - | podman import --change 'CMD ["/bin/bash"]' - "$BASE" > /dev/null
  fi
fi

if [ "${SKIP_PACKAGE:-0}" != 1 ] && [ ! -f target/reelbox.jar ]; then
  mvn -B -q -DskipTests package
fi
CTX=$(mktemp -d)
trap 'rm -rf "$CTX"' EXIT
mkdir -p "$CTX/lib" "$CTX/bin"
cp target/reelbox.jar "$CTX/"
# The bundled ffmpeg goes into the image unpacked (a read-only root works); the jar that carries it stays out.
NATIVE=$(ls target/lib/jave-nativebin-linux64-*.jar)
find target/lib -name '*.jar' ! -name "$(basename "$NATIVE")" -exec cp {} "$CTX/lib/" \;
(cd "$CTX/bin" && jar xf "$OLDPWD/$NATIVE" ws/schild/jave/nativebin/ffmpeg-amd64 && mv ws/schild/jave/nativebin/ffmpeg-amd64 ffmpeg && rm -rf ws)
cp -r routes "$CTX/routes"
podman build --quiet --build-arg BASE="$BASE" -f packaging/container/Containerfile -t "$TAG" "$CTX" > /dev/null
echo "Built $TAG from $BASE: $(podman image inspect "$TAG" --format '{{.Size}}' | awk '{printf "%.0f MB", $1 / 1e6}')"
