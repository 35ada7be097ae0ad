#!/usr/bin/env bash
# Prepares a Debian/Ubuntu machine to run a Cube worker from this checkout: everything
# ops/install-manager.sh does (JDK >= 21, Maven, /var/lib/cube), plus docker.io and
# busybox-static, a running dockerd, and the offline demo image cube-demo:latest.
# With --service --manager-url URL [...] it also builds Cube if needed and installs the systemd
# unit cube-worker (ops/systemd/cube-worker.service, options in /etc/default/cube-worker, user cube).
# Safe to run twice.
set -euo pipefail
repo=$(readlink -f "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/..")
service=false
worker_opts=()
while (($#)); do
  case $1 in
    --service) service=true ;;
    --manager-url|--name|--label|--agent-listen|--agent-url|--cpus|--memory)
      (($# >= 2)) || { echo "error: $1 needs a value" >&2; exit 2; }
      worker_opts+=("$1" "$2"); shift ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "usage: ops/install-worker.sh [--service --manager-url URL [--manager-url URL...] [--name N] [--label k=v] [--agent-listen HOST:PORT] [--agent-url URL]]" >&2; exit 2 ;;
  esac
  shift
done
if $service && [[ " ${worker_opts[*]} " != *" --manager-url "* ]]; then
  echo "error: --service needs at least one --manager-url" >&2
  exit 2
fi

echo "checking java, maven and /var/lib/cube (ops/install-manager.sh)..."
"$repo/ops/install-manager.sh" >/dev/null
echo "java, maven and /var/lib/cube: ready"

# shellcheck source=ops/lib/ensure-docker.sh
. "$repo/ops/lib/ensure-docker.sh"
cube_ensure_docker
"$repo/ops/build-demo-image.sh"

jdk=$(bash -c '. "$1" && echo "$JAVA_HOME"' _ "$repo/ops/lib/find-java.sh")

if $service; then
  if [[ ! -f $repo/worker-node/target/worker-node-0.1.0-SNAPSHOT.jar ]]; then
    echo "build: mvn -DskipTests package"
    (cd "$repo" && JAVA_HOME=$jdk mvn -B -q -DskipTests package)
  fi
  printf '# Arguments of cube-worker (see bin/cube-worker --help); written by ops/install-worker.sh\nCUBE_WORKER_OPTS="%s"\n' \
    "${worker_opts[*]}" | cube_as_root tee /etc/default/cube-worker >/dev/null
  echo "options: /etc/default/cube-worker"
  # shellcheck source=ops/lib/install-service.sh
  . "$repo/ops/lib/install-service.sh"
  cube_install_service cube-worker
  exit 0
fi

cat <<NEXT

The worker side is ready. Next:
  cd $repo && JAVA_HOME=$jdk mvn -DskipTests package      # build
  bin/cube-worker --manager-url http://HOST:8080      # HOST: a manager (repeat --manager-url for each)
dockerd runs in the background, not as a service: after a reboot run ops/lib/ensure-docker.sh again.
Or run the worker as a systemd service: ops/install-worker.sh --service --manager-url http://HOST:8080
NEXT
