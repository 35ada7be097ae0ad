#!/usr/bin/env bash
# Prepares a Debian/Ubuntu machine to run a Cube manager from this checkout.
# Installs a JDK >= 21 if none is found, Maven if `mvn` is missing, and creates /var/lib/cube.
# With --service it also builds Cube if needed and installs the systemd unit cube-manager
# (ops/systemd/cube-manager.service, config /etc/cube/manager.yaml, user cube).
# Writes /etc/cube/manager.yaml (CUBE_CONFIG) with new API tokens and a join token, unless it exists.
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

# The cluster's secrets: an operator token, a read-only token and the workers' join token, in a
# config only root can read. An existing config is kept (and its tokens with it).
config=${CUBE_CONFIG:-/etc/cube/manager.yaml}
secret() { head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
if cube_as_root test -e "$config"; then
  echo "config: $config exists; kept (its auth: section holds the tokens)"
  tokens_note="The tokens are in $config (auth:), readable by root only."
else
  operator=$(secret)
  reader=$(secret)
  join=$(secret)
  cube_as_root mkdir -p "$(dirname "$config")"
  {
    grep -v '^#' "$repo/config/manager.yaml" | grep -v '^auth:' || true
    echo "auth:"
    echo "  tokens:"
    echo "    - {name: ops, token: \"$operator\", role: operator}"
    echo "    - {name: dashboard, token: \"$reader\", role: read-only}"
    echo "  join-token: \"$join\""
  } | (umask 077 && cube_as_root tee "$config" >/dev/null)
  cube_as_root chmod 600 "$config"
  echo "config: $config written with new tokens (mode 600)"
  tokens_note="New tokens (also in $config; shown once here):
  operator (ops):        $operator
  read-only (dashboard): $reader
  join token (workers):  $join"
fi

if $service; then
  if [[ ! -f $repo/manager-node/target/manager-node-0.1.0-SNAPSHOT.jar ]]; then
    echo "build: mvn -DskipTests package"
    (cd "$repo" && JAVA_HOME=$jdk mvn -B -q -DskipTests package)
  fi
  # shellcheck source=ops/lib/install-service.sh
  . "$repo/ops/lib/install-service.sh"
  cube_install_service cube-manager "$config"
  echo "$tokens_note"
  exit 0
fi

cat <<NEXT

The manager side is ready. $tokens_note

Next:
  cd $repo && JAVA_HOME=$jdk mvn -DskipTests package      # build
  bin/cube-manager --config $config
  curl -s localhost:8080/health                            # open to all, for load balancers
  export CUBE_TOKEN=<operator token>                       # for every other call, and for ops/ tools
  curl -s -H "Authorization: Bearer \$CUBE_TOKEN" localhost:8080/tasks
Workers join with the join token:
  bin/cube-worker --manager-url http://THIS-HOST:8080 --join-token <join token>
For HTTPS and TLS between managers: ops/make-certs.sh --dir /etc/cube/tls m1 THIS-HOST, then add
  tls: {cert: /etc/cube/tls/m1.pem, key: /etc/cube/tls/m1.key, ca: /etc/cube/tls/ca.pem}
to $config, and give workers --ca-cert /etc/cube/tls/ca.pem and https:// manager URLs.
Or run it as a systemd service: ops/install-manager.sh --service
NEXT
