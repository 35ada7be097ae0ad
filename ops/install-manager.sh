#!/usr/bin/env bash
# Prepares a Debian/Ubuntu machine to run a Cube manager from this checkout.
# Installs a JDK >= 21 if none is found, Maven if `mvn` is missing, and creates /var/lib/cube.
# With --service it also builds Cube if needed and installs the systemd unit cube-manager
# (ops/systemd/cube-manager.service, config /etc/cube/manager.yaml, user cube).
# Safe to run twice.
set -euo pipefail
repo=$(readlink -f "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/..")
service=false
for arg in "$@"; do
  case $arg in
    --service) service=true ;;
    -h|--help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "usage: ops/install-manager.sh [--service]" >&2; exit 2 ;;
  esac
done
# shellcheck source=ops/lib/ensure-docker.sh
. "$repo/ops/lib/ensure-docker.sh"   # for cube_apt_install / cube_as_root (Docker is not needed here)

# A JDK >= 21 (find-java.sh exits when none: run it in a subshell to decide).
if ("$repo/ops/lib/find-java.sh" >/dev/null 2>&1); then
  echo "java: $("$repo/ops/lib/find-java.sh")"
else
  echo "java: no JDK >= 21 found; installing one with apt-get..."
  installed=""
  for pkg in openjdk-21-jdk-headless openjdk-25-jdk-headless; do
    if cube_apt_install "$pkg"; then
      installed=$pkg
      break
    fi
  done
  if [[ -z $installed ]]; then
    echo "error: neither openjdk-21-jdk-headless nor openjdk-25-jdk-headless is available from apt; install a JDK >= 21 (e.g. Temurin from adoptium.net) under /usr/lib/jvm or set JAVA_HOME, then run this again" >&2
    exit 1
  fi
  echo "java: $("$repo/ops/lib/find-java.sh")"
fi

# Maven, to build from source.
if command -v mvn >/dev/null 2>&1; then
  echo "maven: $(command -v mvn)"
else
  cube_apt_install maven
fi

# The manager's storage (Raft log and snapshots): storage.path in config/manager.yaml.
cube_as_root mkdir -p /var/lib/cube
echo "storage: /var/lib/cube"

jdk=$(bash -c '. "$1" && echo "$JAVA_HOME"' _ "$repo/ops/lib/find-java.sh")

if $service; then
  if [[ ! -f $repo/manager-node/target/manager-node-0.1.0-SNAPSHOT.jar ]]; then
    echo "build: mvn -DskipTests package"
    (cd "$repo" && JAVA_HOME=$jdk mvn -B -q -DskipTests package)
  fi
  if [[ ! -f /etc/cube/manager.yaml ]]; then
    cube_as_root mkdir -p /etc/cube
    cube_as_root cp "$repo/config/manager.yaml" /etc/cube/manager.yaml
    echo "config: /etc/cube/manager.yaml (from config/manager.yaml; edit id, addresses and managers)"
  else
    echo "config: /etc/cube/manager.yaml (kept)"
  fi
  # shellcheck source=ops/lib/install-service.sh
  . "$repo/ops/lib/install-service.sh"
  cube_install_service cube-manager
  exit 0
fi

cat <<NEXT

The manager side is ready. Next:
  cd $repo && JAVA_HOME=$jdk mvn -DskipTests package      # build
  bin/cube-manager --config config/manager.yaml
  curl -s localhost:8080/health
Or run it as a systemd service: ops/install-manager.sh --service
NEXT
