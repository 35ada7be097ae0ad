#!/usr/bin/env bash
# Recovery after a worker dies: on a local cluster of one manager and two real workers, N tasks
# run; the worker holding most of them is killed with SIGKILL; the time is measured until every
# task runs again on the other worker. Prints the figures last as one JSON line.
#   ops/bench-recovery.sh [--tasks 10] [--heartbeat-timeout 10s]
# The cluster lives in run/bench-recovery (API port 18280, Raft 20070) and is removed afterwards.
set -euo pipefail
repo=$(readlink -f "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/..")
tasks=10 timeout=10s
while (($#)); do
  case $1 in
    --tasks) tasks=${2:?}; shift 2 ;;
    --heartbeat-timeout) timeout=${2:?}; shift 2 ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) echo "bench-recovery: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
export CUBE_RUN_DIR="$repo/run/bench-recovery" CUBE_CLUSTER_API_PORT=18280 CUBE_CLUSTER_RAFT_PORT=20070
export CUBE_CLUSTER_HEARTBEAT_TIMEOUT=$timeout
url=http://127.0.0.1:18280
cluster() { "$repo/ops/cluster.sh" "$@"; }
trap 'cluster down --purge >/dev/null 2>&1 || true' EXIT
ms() { echo $(( $(date +%s%N) / 1000000 )); }
# "state":"running","workerId":"ID" pairs, one per line (fields come in this order in a task's JSON)
placements() { curl -fsS "$url/tasks" | grep -o '"state":"[a-z]*","workerId":"[^"]*"' || true; }

cluster down --purge >/dev/null 2>&1 || true
cluster up --managers 1 --workers 2 >/dev/null
for i in $(seq 1 "$tasks"); do
  curl -fsS -o /dev/null -XPOST "$url/tasks" -H 'content-type: application/json' \
    -d "{\"name\":\"recover-$i\",\"image\":\"cube-demo:latest\",\"command\":[\"sleep\",\"600\"],\"cpus\":0.01,\"memory\":\"8m\"}"
done
for _ in $(seq 1 600); do   # at most 60 s
  (( $(placements | grep -c '"state":"running"') == tasks )) && break
  sleep 0.1
done
(( $(placements | grep -c '"state":"running"') == tasks )) || { echo "bench-recovery: the $tasks tasks did not all start" >&2; exit 1; }

victim_id=$(placements | sed 's/.*"workerId":"\([^"]*\)"/\1/' | sort | uniq -c | sort -rn | head -1 | awk '{print $2}')
moved=$(placements | grep -c "\"$victim_id\"")
victim=$(cluster describe | awk -v id="$victim_id" '$1 == "worker" && $4 == id {print $2}')
t0=$(ms)
cluster kill "$victim" >/dev/null
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
echo "killed $victim running $moved of $tasks tasks; all $tasks running again after $((t1 - t0)) ms (heartbeat timeout $timeout)"
echo "{\"tasks\":$tasks,\"moved\":$moved,\"heartbeat_timeout\":\"$timeout\",\"recovery_ms\":$((t1 - t0))}"
