#!/usr/bin/env bash
# Cube on one machine, in one command: Docker, a build, the demo image, one manager, one
# worker, and an example task "hello" that runs until it reaches the state running.
#   ops/quickstart.sh [--no-build]   start (safe to run twice: what runs is left running)
#   ops/quickstart.sh status         show the processes it started
#   ops/quickstart.sh stop           stop the manager and worker it started (by their pids)
# Environment: CUBE_RUN_DIR (default <repo>/run/quickstart: config, logs, pids, data),
#   CUBE_API_PORT (8080), CUBE_RAFT_PORT (9870), CUBE_API_HOST (127.0.0.1: the API binds
#   to loopback only; 0.0.0.0 exposes it, and anyone who reaches it can run containers).
set -euo pipefail

repo=$(readlink -f "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/..")
run_dir=$(readlink -m "${CUBE_RUN_DIR:-$repo/run/quickstart}")
api_port=${CUBE_API_PORT:-8080}
raft_port=${CUBE_RAFT_PORT:-9870}
api_host=${CUBE_API_HOST:-127.0.0.1}
base="http://127.0.0.1:$api_port"
worker_name=quickstart-worker
wait_seconds=60

usage() {
  echo "usage: $0 [--no-build] | status | stop   (env: CUBE_RUN_DIR, CUBE_API_PORT, CUBE_RAFT_PORT, CUBE_API_HOST)"
}

die() {
  echo "error: $*" >&2
  exit 1
}

# pid of a role (manager, worker) if the process we started still runs, else nothing.
running_pid() {
  local role=$1 pid_file="$run_dir/$1.pid" pid
  [[ -f $pid_file ]] || return 0
  pid=$(<"$pid_file")
  [[ $pid =~ ^[0-9]+$ ]] || return 0
  # The pid must still be ours: a Cube launcher or JVM, not a recycled pid.
  if [[ -r /proc/$pid/cmdline ]] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qE "cube-$role|dev\.cube\.$role\."; then
    echo "$pid"
  fi
}

log_tail() {
  echo "--- last lines of $1:" >&2
  tail -n 25 "$1" >&2 2>/dev/null || true
}

# http METHOD PATH [JSON]: sets http_code (000 when nothing answers) and http_body.
http_code=000
http_body=""
http() {
  local method=$1 path=$2 data=${3:-} out
  local args=(-s -m 10 -X "$method" -w '\n%{http_code}')
  if [[ -n $data ]]; then
    args+=(-H 'content-type: application/json' --data "$data")
  fi
  out=$(curl "${args[@]}" "$base$path" 2>/dev/null) || true
  [[ -n $out ]] || out=$'\n000'
  http_code=${out##*$'\n'}
  http_body=${out%$'\n'*}
}

# json_field KEY: the first string value of "KEY" in http_body (no nesting awareness).
json_field() {
  grep -o "\"$1\" *: *\"[^\"]*\"" <<<"$http_body" | head -n 1 | sed 's/^.*: *"//; s/"$//' || true
}

stop_role() {
  local role=$1 pid waited=0
  pid=$(running_pid "$role")
  if [[ -z $pid ]]; then
    echo "$role: not running"
    rm -f "$run_dir/$role.pid"
    return 0
  fi
  echo "$role: stopping pid $pid..."
  kill "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null; do
    if ((waited >= 15)); then
      echo "$role: still running after 15 s; sending SIGKILL to pid $pid"
      kill -9 "$pid" 2>/dev/null || true
      break
    fi
    sleep 1
    waited=$((waited + 1))
  done
  rm -f "$run_dir/$role.pid"
  echo "$role: stopped"
}

cmd_stop() {
  stop_role worker
  stop_role manager
  echo "Containers of Cube tasks keep running; list them: docker ps --filter label=cube.task.id"
  echo "To start afresh: docker rm -f \$(docker ps -aq --filter label=cube.task.id); rm -rf $run_dir"
}

cmd_status() {
  local role pid
  for role in manager worker; do
    pid=$(running_pid "$role")
    if [[ -n $pid ]]; then
      echo "$role: running (pid $pid, log $run_dir/$role.log)"
    else
      echo "$role: not running"
    fi
  done
}

# start_role ROLE COMMAND...: starts it in the background unless our pid for it still runs.
start_role() {
  local role=$1 pid
  shift
  pid=$(running_pid "$role")
  if [[ -n $pid ]]; then
    echo "$role: already running (pid $pid)"
    return 0
  fi
  echo "=== ops/quickstart.sh started the $role at $(date -u +%FT%TZ)" >>"$run_dir/$role.log"
  setsid "$@" >>"$run_dir/$role.log" 2>&1 </dev/null &
  echo $! >"$run_dir/$role.pid"
  echo "$role: started (pid $!, log $run_dir/$role.log)"
}

# wait_for ROLE WHAT CHECK_FUNCTION: polls CHECK_FUNCTION every second, 60 s at most.
wait_for() {
  local role=$1 what=$2 check=$3 waited=0
  echo "waiting for $what..."
  until "$check"; do
    if [[ -z $(running_pid "$role") ]]; then
      log_tail "$run_dir/$role.log"
      die "the $role exited while waiting for $what (log: $run_dir/$role.log)"
    fi
    if ((waited >= wait_seconds)); then
      log_tail "$run_dir/$role.log"
      die "no $what after $wait_seconds s (log: $run_dir/$role.log)"
    fi
    sleep 1
    waited=$((waited + 1))
  done
}

manager_healthy() {
  http GET /health
  [[ $http_code == 200 ]]
}

worker_registered() {
  http GET /workers
  [[ $http_code == 200 && $http_body == *"\"$worker_name\""* ]]
}

cmd_start() {
  local build=$1 state error reason waited=0
  local task='{"name":"hello","image":"cube-demo:latest","command":["sh","-c","while true; do echo hello from cube; sleep 5; done"],"cpus":0.1,"memory":"32m"}'
  mkdir -p "$run_dir/worker"

  # shellcheck source=ops/lib/ensure-docker.sh
  . "$repo/ops/lib/ensure-docker.sh"
  command -v curl >/dev/null 2>&1 || cube_apt_install curl
  cube_ensure_docker "$run_dir"
  # shellcheck source=ops/lib/find-java.sh
  . "$repo/ops/lib/find-java.sh"
  echo "java: $JAVA (version $JAVA_MAJOR)"

  local manager_pid worker_pid
  manager_pid=$(running_pid manager)
  worker_pid=$(running_pid worker)
  if [[ $build == 1 && -n $manager_pid && -n $worker_pid ]]; then
    echo "build: skipped, the manager and worker already run (ops/quickstart.sh stop first to rebuild)"
  elif [[ $build == 1 ]]; then
    echo "build: mvn -B -q -DskipTests package (JAVA_HOME=$JAVA_HOME; the first build downloads dependencies)..."
    (cd "$repo" && mvn -B -q -DskipTests package) || die "the build failed (see the Maven output above)"
  fi
  "$repo/ops/build-demo-image.sh"

  # The manager: a single-manager quorum with its storage under the run directory.
  if [[ -z $manager_pid ]] && manager_healthy; then
    die "something else already answers on port $api_port; stop it or set CUBE_API_PORT (and CUBE_RAFT_PORT)"
  fi
  cat >"$run_dir/manager.yaml" <<YAML
# Generated by ops/quickstart.sh: a single-manager quorum on this machine.
id: m1
api:   {host: $api_host, port: $api_port}
raft:  {host: 127.0.0.1, port: $raft_port}
managers:            # the whole quorum, this manager included
  - {id: m1, raft: 127.0.0.1:$raft_port, api: 127.0.0.1:$api_port}
storage: {path: "$run_dir/manager-data"}   # Raft log and snapshots live under it
YAML
  start_role manager "$repo/bin/cube-manager" --config "$run_dir/manager.yaml"
  wait_for manager "the manager's GET /health on $base" manager_healthy
  echo "manager: healthy on $base"

  start_role worker "$repo/bin/cube-worker" --manager-url "$base" --name "$worker_name" --data-dir "$run_dir/worker"
  wait_for worker "worker $worker_name in GET /workers" worker_registered
  echo "worker: $worker_name registered"

  # The example task, unless one named hello is already on its way or running.
  http GET /tasks/hello
  state=$(json_field state)
  if [[ $http_code == 200 && $state =~ ^(pending|scheduled|running)$ ]]; then
    echo "task hello: already submitted (state $state); not submitting again"
  else
    http POST /tasks "$task"
    if [[ $http_code != 201 ]]; then
      echo "POST /tasks answered HTTP $http_code: $http_body" >&2
      if [[ $http_code == 409 ]]; then
        die "the name hello is taken by an earlier task (state ${state:-unknown}); to start afresh: ops/quickstart.sh stop; rm -rf $run_dir"
      fi
      die "could not submit the task hello"
    fi
    echo "task hello: submitted"
  fi

  echo "waiting for task hello to run..."
  while :; do
    http GET /tasks/hello
    state=$(json_field state)
    [[ $state == running ]] && break
    if [[ $state =~ ^(completed|failed|stopped|lost)$ ]] || ((waited >= wait_seconds)); then
      error=$(json_field error)
      reason=$(json_field reason)
      echo "task hello: state ${state:-unknown} (HTTP $http_code)${error:+, error: $error}${reason:+, reason: $reason}" >&2
      echo "task JSON: $http_body" >&2
      log_tail "$run_dir/worker.log"
      die "task hello did not reach the state running (waited $waited s)"
    fi
    sleep 1
    waited=$((waited + 1))
  done
  echo "task hello: running on $(json_field workerName)"

  cat <<NEXT

Cube runs: one manager ($base) and one worker ($worker_name); files in $run_dir.
Try:
  curl -s $base/workers
  curl -s $base/tasks
  curl -s $base/tasks/hello
  curl -s $base/tasks/hello/logs # the task's output (or: bin/cube logs hello)
  curl -s -XDELETE $base/tasks/hello        # stops the task (state stopped)
  curl -s $base/metrics
Stop the manager and worker: ops/quickstart.sh stop
NEXT
}

case "${1:-}" in
  "") cmd_start 1 ;;
  --no-build) cmd_start 0 ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  -h | --help) usage ;;
  *) usage >&2; exit 2 ;;
esac
