#!/usr/bin/env bash
# Submit-to-running time of a task through Cube, next to a bare `docker run -d` of the same image,
# measured in the same run. Needs a running manager and worker (ops/quickstart.sh).
#   ops/bench-start.sh [ROUNDS]          (default 5; CUBE_URL default http://127.0.0.1:8080; CUBE_TOKEN if needed)
set -euo pipefail
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib/cube-curl.sh"   # cube_curl: sends CUBE_TOKEN when set
rounds=${1:-5}
url=${CUBE_URL:-http://127.0.0.1:8080}
image=cube-demo:latest
ms() { echo $(( $(date +%s%N) / 1000000 )); }

cube_curl -fsS "$url/health" >/dev/null || { echo "no manager answers at $url: start one (ops/quickstart.sh)" >&2; exit 1; }
cube=() docker=()
for i in $(seq 1 "$rounds"); do
  name="bench-start-$$-$i"
  t0=$(ms)
  cube_curl -fsS -XPOST "$url/tasks" -H 'content-type: application/json' \
    -d "{\"name\":\"$name\",\"image\":\"$image\",\"command\":[\"sleep\",\"300\"],\"cpus\":0.1,\"memory\":\"32m\"}" >/dev/null
  state=""
  for _ in $(seq 1 1500); do   # at most 30 s
    state=$(cube_curl -fsS "$url/tasks/$name" | grep -o '"state":"[a-z]*"' | cut -d'"' -f4)
    [[ $state == running || $state == failed ]] && break
    sleep 0.02
  done
  t1=$(ms)
  [[ $state == running ]] || { echo "task $name ended $state" >&2; exit 1; }
  cube+=($((t1 - t0)))
  cube_curl -fsS -XDELETE "$url/tasks/$name" >/dev/null

  t0=$(ms)
  id=$(docker run -d --init --cpus 0.1 --memory 32m "$image" sleep 300)
  t1=$(ms)
  docker+=($((t1 - t0)))
  docker rm -f "$id" >/dev/null
done

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "round  cube_submit_to_running_ms  docker_run_d_ms"
for i in $(seq 0 $((rounds - 1))); do printf '%5d  %25d  %15d\n' $((i + 1)) "${cube[$i]}" "${docker[$i]}"; done
echo "median cube ${rounds}x: $(median "${cube[@]}") ms; median docker run -d: $(median "${docker[@]}") ms"
