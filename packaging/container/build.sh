#!/usr/bin/env bash
# Builds the Reelbox image with podman and tags it localhost/reelbox:latest (README.md, "Container").
#   packaging/container/build.sh [--base IMAGE | --base debian] [--tag NAME]
# --base IMAGE: any image with Java 17 on its PATH (default eclipse-temurin:17-jre, from a registry).
# --base debian: a base made here where no registry is reachable: Debian 12 minbase from Debian's archive (mmdebstrap,
#   no docs) with a Java 17 runtime jlinked from this machine's JDK, imported into podman as
#   localhost/reelbox-base:debian12-jre17 once and reused.
# The image is written in docker format: OCI images have no HEALTHCHECK, and podman keeps it only there.
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
    command -v jlink > /dev/null || { echo "--base debian needs a JDK 17's jlink" >&2; exit 1; }
    echo "Making $BASE (Debian 12 minbase and a Java 17 runtime of the modules Reelbox uses), once per machine..."
    B=$(mktemp -d)
    # The modules: jdeps --print-module-deps over the jar and target/lib, plus what is loaded by name at run time
    # (TLS's elliptic curves for the cloud API, zip file systems, extra charsets). 53 MB instead of the JRE's 200.
    jlink --add-modules java.base,java.compiler,java.desktop,java.net.http,java.prefs,java.rmi,java.security.jgss,java.security.sasl,java.sql.rowset,jdk.httpserver,jdk.jfr,jdk.management,jdk.unsupported,jdk.crypto.ec,jdk.zipfs,jdk.charsets \
      --strip-debug --no-header-files --no-man-pages --compress=2 --output "$B/java"
    mmdebstrap --quiet --variant=minbase --aptopt='APT::Install-Recommends "false"' \
      --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
      --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-exclude=/usr/share/info/*' \
      --customize-hook="copy-in $B/java /opt" --customize-hook='ln -s /opt/java/bin/java "$1/usr/bin/java"' \
      --customize-hook='rm -rf "$1"/var/cache/apt/* "$1"/var/lib/apt/lists/*' \
      bookworm "$B/base.tar"
    podman import --quiet --change 'ENV JAVA_HOME=/opt/java' --change 'CMD ["/bin/bash"]' "$B/base.tar" "$BASE" > /dev/null
    rm -rf "$B"
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
(cd "$CTX/bin" && jar xf "$OLDPWD/$NATIVE" ws/schild/jave/nativebin/ffmpeg-amd64 && mv ws/schild/jave/nativebin/ffmpeg-amd64 ffmpeg && chmod 0755 ffmpeg && rm -rf ws)
cp -r routes "$CTX/routes"
podman build --quiet --format docker --build-arg BASE="$BASE" -f packaging/container/Containerfile -t "$TAG" "$CTX" > /dev/null
echo "Built $TAG from $BASE: $(podman image inspect "$TAG" --format '{{.Size}}' | awk '{printf "%.0f MB", $1 / 1e6}')"
