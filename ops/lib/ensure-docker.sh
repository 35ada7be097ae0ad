#!/usr/bin/env bash
# Makes sure Docker is usable: installs docker.io and busybox-static if missing (apt-get),
# starts dockerd in the background if `docker info` fails, and waits (60 s at most) for it.
#   run it:     ops/lib/ensure-docker.sh [LOG_DIR]
#   source it:  . ops/lib/ensure-docker.sh; cube_ensure_docker [LOG_DIR]
# dockerd logs to LOG_DIR/dockerd.log, or /var/log/cube-dockerd.log without LOG_DIR.
# A dockerd that is already running is left alone.

CUBE_DOCKERD_WAIT_SECONDS=${CUBE_DOCKERD_WAIT_SECONDS:-60}
CUBE_DOCKER_PIDFILE=${CUBE_DOCKER_PIDFILE:-/var/run/docker.pid}

# Runs a command as root (through sudo when not root and sudo exists).
cube_as_root() {
  if [[ $(id -u) -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    echo "error: '$*' needs root and sudo is not installed; run as root" >&2
    return 1
  fi
}

# apt-get install, with `apt-get update` only when the first attempt fails.
cube_apt_install() {
  echo "installing $* with apt-get..."
  if ! cube_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null 2>&1; then
    echo "apt-get install failed; running apt-get update and retrying..."
    cube_as_root apt-get update -q >/dev/null ||
      { echo "error: apt-get update failed (no package mirror reachable?)" >&2; return 1; }
    cube_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null ||
      { echo "error: apt-get install $* failed" >&2; return 1; }
  fi
}

cube_deb_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

cube_ensure_docker() {
  local log_dir=${1:-} log pkgs=() waited=0 started_pid=""
  if [[ -n $log_dir ]]; then
    mkdir -p "$log_dir"
    log="$log_dir/dockerd.log"
  else
    log=/var/log/cube-dockerd.log
  fi

  if ! command -v dockerd >/dev/null 2>&1 || ! command -v docker >/dev/null 2>&1; then
    pkgs+=(docker.io)
  fi
  if ! cube_deb_installed busybox-static; then
    pkgs+=(busybox-static)
  fi
  if ((${#pkgs[@]} > 0)); then
    command -v apt-get >/dev/null 2>&1 ||
      { echo "error: ${pkgs[*]} missing and apt-get not found; install them by hand" >&2; return 1; }
    cube_apt_install "${pkgs[@]}" || return 1
  fi

  if docker info >/dev/null 2>&1; then
    echo "docker: daemon is up"
    return 0
  fi

  if pgrep -x dockerd >/dev/null 2>&1; then
    echo "docker: dockerd is running but not answering yet; waiting..."
  else
    if [[ -e $CUBE_DOCKER_PIDFILE ]]; then
      echo "docker: removing stale $CUBE_DOCKER_PIDFILE (no dockerd runs)"
      cube_as_root rm -f "$CUBE_DOCKER_PIDFILE"
    fi
    echo "docker: starting dockerd in the background (log: $log)"
    if [[ $(id -u) -eq 0 ]]; then
      setsid dockerd >>"$log" 2>&1 </dev/null &
    else
      cube_as_root touch "$log"
      setsid sudo -n dockerd >>"$log" 2>&1 </dev/null &
    fi
    started_pid=$!
  fi

  until docker info >/dev/null 2>&1; do
    if [[ -n $started_pid ]] && ! kill -0 "$started_pid" 2>/dev/null; then
      echo "error: dockerd exited right after it started; last lines of $log:" >&2
      tail -n 20 "$log" >&2 2>/dev/null || true
      return 1
    fi
    if ((waited >= CUBE_DOCKERD_WAIT_SECONDS)); then
      echo "error: dockerd did not answer within ${CUBE_DOCKERD_WAIT_SECONDS} s; last lines of $log:" >&2
      tail -n 20 "$log" >&2 2>/dev/null || true
      return 1
    fi
    sleep 1
    waited=$((waited + 1))
  done
  echo "docker: daemon is up (after ${waited} s)"
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  set -euo pipefail
  cube_ensure_docker "${1:-}"
fi
