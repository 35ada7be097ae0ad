#!/usr/bin/env bash
# The test command: prepares what the tests need, then runs `mvn -B test`.
#   ops/test.sh                       all modules
#   ops/test.sh -pl raft-statemachine  extra arguments go to Maven
# Prepares: docker.io, busybox-static and chromium (for the web console's end-to-end test),
# installed with apt-get if missing; a running dockerd (started in the background if needed;
# log in /var/log/cube-dockerd.log), the offline image cube-demo:latest, and JAVA_HOME pointing at a JDK >= 21.
# Exits with Maven's status.
set -euo pipefail
repo=$(readlink -f "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/..")
cd "$repo"

# shellcheck source=ops/lib/ensure-docker.sh
. ops/lib/ensure-docker.sh
cube_ensure_docker
# shellcheck source=ops/lib/find-java.sh
. ops/lib/find-java.sh
echo "java: JAVA_HOME=$JAVA_HOME (version $JAVA_MAJOR)"
ops/build-demo-image.sh
command -v mvn >/dev/null 2>&1 || cube_apt_install maven
# The web console's end-to-end test (WebConsoleTest) drives a headless Chromium.
command -v chromium >/dev/null 2>&1 || cube_apt_install chromium

echo "running: mvn -B test $*"
status=0
mvn -B test "$@" || status=$?
if ((status != 0)); then
  echo "ops/test.sh: mvn test failed (exit $status)" >&2
fi
exit "$status"
