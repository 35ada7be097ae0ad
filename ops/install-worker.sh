#!/usr/bin/env bash
# Prepares a Debian/Ubuntu machine to run a Cube worker from this checkout: everything
# ops/install-manager.sh does (JDK >= 21, Maven, /var/lib/cube), plus docker.io and
# busybox-static, a running dockerd, and the offline demo image cube-demo:latest.
# Safe to run twice.
set -euo pipefail
repo=$(readlink -f "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/..")

echo "checking java, maven and /var/lib/cube (ops/install-manager.sh)..."
"$repo/ops/install-manager.sh" >/dev/null
echo "java, maven and /var/lib/cube: ready"

# shellcheck source=ops/lib/ensure-docker.sh
. "$repo/ops/lib/ensure-docker.sh"
cube_ensure_docker
"$repo/ops/build-demo-image.sh"

jdk=$(bash -c '. "$1" && echo "$JAVA_HOME"' _ "$repo/ops/lib/find-java.sh")
cat <<NEXT

The worker side is ready. Next:
  cd $repo && JAVA_HOME=$jdk mvn -DskipTests package      # build
  bin/cube-worker --manager-url http://HOST:8080      # HOST: a manager (repeat --manager-url for each)
dockerd runs in the background, not as a service: after a reboot run ops/lib/ensure-docker.sh again.
NEXT
