#!/usr/bin/env bash
# Builds the local image cube-demo:latest offline: a static busybox plus applet symlinks.
# Safe to run twice: does nothing if the image exists, unless --force is given.
set -euo pipefail

IMAGE="cube-demo:latest"
FORCE=0
for arg in "$@"; do
  case "$arg" in
    --force) FORCE=1 ;;
    -h|--help) echo "usage: $0 [--force]   (builds $IMAGE from /bin/busybox, offline)"; exit 0 ;;
    *) echo "error: unknown argument '$arg' (usage: $0 [--force])" >&2; exit 2 ;;
  esac
done

if ! command -v docker >/dev/null 2>&1; then
  echo "error: the docker CLI is not installed" >&2; exit 1
fi
if ! docker info >/dev/null 2>&1; then
  echo "error: cannot reach the Docker daemon (is dockerd running? try: setsid dockerd >/tmp/dockerd.log 2>&1 </dev/null &)" >&2
  exit 1
fi

if [[ $FORCE -eq 0 ]] && docker image inspect "$IMAGE" >/dev/null 2>&1; then
  echo "$IMAGE already exists; nothing to do (use --force to rebuild)"
  exit 0
fi

# Debian's busybox-static provides a statically linked /bin/busybox (the dynamic "busybox"
# package would need a libc inside the image).
BUSYBOX=/bin/busybox
if ! dpkg -s busybox-static >/dev/null 2>&1; then
  echo "installing busybox-static with apt-get..."
  if ! apt-get install -y busybox-static >/dev/null 2>&1; then
    apt-get update >/dev/null && apt-get install -y busybox-static >/dev/null
  fi
fi
[[ -x $BUSYBOX ]] || { echo "error: $BUSYBOX is missing (is busybox-static installed?)" >&2; exit 1; }

ROOTFS="$(mktemp -d -t cube-demo-rootfs.XXXXXX)"
trap 'rm -rf "$ROOTFS"' EXIT

mkdir -p "$ROOTFS"/{bin,tmp,etc,root,proc,sys,dev}
chmod 1777 "$ROOTFS/tmp"
cp "$BUSYBOX" "$ROOTFS/bin/busybox"
chmod 0755 "$ROOTFS/bin/busybox"

APPLETS=(sh sleep echo cat ls env true false httpd wget date hostname printf yes head tail grep
         ps kill id mkdir rm touch seq dd top uname whoami)
for applet in "${APPLETS[@]}"; do
  ln -s busybox "$ROOTFS/bin/$applet"
done

cat >"$ROOTFS/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
PASSWD
cat >"$ROOTFS/etc/group" <<'GROUP'
root:x:0:
nogroup:x:65534:
nobody:x:65534:
GROUP

echo "importing $IMAGE from $ROOTFS (${#APPLETS[@]} applets)..."
tar -C "$ROOTFS" -cf - . | docker import \
  --change 'CMD ["sh"]' \
  --change 'ENV PATH=/bin' \
  - "$IMAGE" >/dev/null
echo "built $IMAGE ($(docker image inspect --format '{{.Id}}' "$IMAGE"))"
