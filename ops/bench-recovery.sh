#!/usr/bin/env bash
# Recovery after a worker dies: on a local cluster of one manager and two real workers, N tasks
# run; the worker holding most of them is killed with SIGKILL; the time is measured until every
# task runs again on the other worker, and where it went (detection, placement, container starts).
# Prints the figures last as one JSON line. Needs curl and jq.
#   ops/bench-recovery.sh [--tasks 10] [--heartbeat-timeout DURATION (default: the managers' default)]
#                         [--cpus C] [--memory M] (each task's limits; default: the managers' task defaults)
# The cluster lives in run/bench-recovery (API port 18280, Raft 20070; CUBE_BENCH_API_PORT and
# CUBE_BENCH_RAFT_PORT move them) and is removed afterwards (CUBE_BENCH_KEEP_LOGS=DIR keeps the logs).
set -euo pipefail
repo=$(readlink -f "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/..")
tasks=10 timeout= cpus= memory=
while (($#)); do
  case $1 in
    --tasks) tasks=${2:?}; shift 2 ;;
    --heartbeat-timeout) timeout=${2:?}; shift 2 ;;
    --cpus) cpus=${2:?}; shift 2 ;;
    --memory) memory=${2:?}; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "bench-recovery: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
export CUBE_RUN_DIR="$repo/run/bench-recovery" CUBE_CLUSTER_API_PORT=${CUBE_BENCH_API_PORT:-18280}
export CUBE_CLUSTER_RAFT_PORT=${CUBE_BENCH_RAFT_PORT:-20070} CUBE_CLUSTER_HEARTBEAT_TIMEOUT=$timeout
url=http://127.0.0.1:$CUBE_CLUSTER_API_PORT
cluster() { "$repo/ops/cluster.sh" "$@"; }
finish() {
  [[ -z ${CUBE_BENCH_KEEP_LOGS:-} ]] || { mkdir -p "$CUBE_BENCH_KEEP_LOGS" && cp "$CUBE_RUN_DIR"/*.log "$CUBE_BENCH_KEEP_LOGS"/ 2>/dev/null; } || true
  cluster down --purge >/dev/null 2>&1 || true
  docker ps -aq --filter label=cube.bench=recovery | xargs -r docker rm -f >/dev/null 2>&1 || true
}
trap finish EXIT
ms() { echo $(( $(date +%s%N) / 1000000 )); }
# "state":"running","workerId":"ID" pairs, one per line (fields come in this order in a task's JSON)
placements() { curl -fsS "$url/tasks" | grep -o '"state":"[a-z]*","workerId":"[^"]*"' || true; }

cluster down --purge >/dev/null 2>&1 || true
cluster up --managers 1 --workers 2 >/dev/null
limits=${cpus:+,\"cpus\":$cpus}${memory:+,\"memory\":\"$memory\"}
for i in $(seq 1 "$tasks"); do
  curl -fsS -o /dev/null -XPOST "$url/tasks" -H 'content-type: application/json' \
    -d "{\"name\":\"recover-$i\",\"image\":\"cube-demo:latest\",\"command\":[\"sleep\",\"600\"]$limits}"
done
for _ in $(seq 1 600); do   # at most 60 s
  (( $(placements | grep -c '"state":"running"') == tasks )) && break
  sleep 0.1
done
(( $(placements | grep -c '"state":"running"') == tasks )) || { echo "bench-recovery: the $tasks tasks did not all start" >&2; exit 1; }

victim_id=$(placements | sed 's/.*"workerId":"\([^"]*\)"/\1/' | sort | uniq -c | sort -rn | head -1 | awk '{print $2}')
moved=$(placements | grep -c "\"$victim_id\"")
victim=$(cluster describe | awk -v id="$victim_id" '$1 == "worker" && $4 == id {print $2}')
killed=$(cluster kill "$victim")   # "w2: killed (SIGKILL to pid N at SECONDS.MICROS)"
t0=$(sed 's/.* at \([0-9]*\)\.\([0-9]\{3\}\).*/\1\2/' <<<"$killed")
for _ in $(seq 1 1200); do   # at most 120 s
  p=$(placements)
  if (( $(grep -c '"state":"running"' <<<"$p") == tasks )) && ! grep -q "\"$victim_id\"" <<<"$p"; then break; fi
  sleep 0.1
done
t1=$(ms)
p=$(placements)
if (( $(grep -c '"state":"running"' <<<"$p") != tasks )) || grep -q "\"$victim_id\"" <<<"$p"; then
  echo "bench-recovery: the tasks did not all run again within 120 s" >&2; exit 1
fi
# Where the time went, from the moved tasks' own times: declared down (the lost attempt's end),
# placed again (scheduledAt), running (startedAt, the last of them).
read -r down placed running < <(curl -fsS "$url/tasks" | jq -r --arg w "$victim_id" '
  def ms: capture("^(?<s>[^.Z]+)(?:[.](?<f>[0-9]+))?Z$")
    | (((.s + "Z") | fromdateiso8601) * 1000) + (((.f // "") + "000")[0:3] | tonumber);
  [.[] | select(.history | length > 0) | select(.history[-1].workerId == $w)]
  | [(map(.history[-1].finishedAt | ms) | max), (map(.scheduledAt | ms) | max), (map(.startedAt | ms) | max)]
  | map(floor) | @tsv')
# The same starts without Cube, for scale: $moved bare `docker run -d` at once, as the worker does,
# with the limits the tasks got (a tiny CPU quota slows a container's own start: runc and its init
# run inside the quota).
read -r task_cpus task_memory < <(curl -fsS "$url/tasks" | jq -r '.[0].spec | [.cpus, .memoryBytes] | @tsv')
b0=$(ms)
for i in $(seq 1 "$moved"); do
  docker run -d --init --label cube.bench=recovery --cpus "$task_cpus" --memory "${task_memory}b" \
    cube-demo:latest sleep 600 >/dev/null &
done
wait
bare=$(( $(ms) - b0 ))
docker ps -aq --filter label=cube.bench=recovery | xargs -r docker rm -f >/dev/null
echo "killed $victim running $moved of $tasks tasks ($task_cpus CPU, $((task_memory >> 20)) MiB each); all $tasks running again after $((t1 - t0)) ms (heartbeat timeout ${timeout:-default})"
echo "  declared down after $((down - t0)) ms; placed again $((placed - down)) ms later; the last container ran $((running - placed)) ms after that"
echo "  (for scale: $moved bare 'docker run -d' at once took $bare ms just after)"
echo "{\"tasks\":$tasks,\"moved\":$moved,\"heartbeat_timeout\":\"${timeout:-default}\",\"cpus\":$task_cpus,\"memory_bytes\":$task_memory,\"recovery_ms\":$((t1 - t0)),\"detect_ms\":$((down - t0)),\"place_ms\":$((placed - down)),\"start_ms\":$((running - placed)),\"bare_docker_ms\":$bare}"
