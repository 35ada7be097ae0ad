#!/usr/bin/env bash
# Changes the membership of a running manager quorum (a Ratis membership change, through the leader).
#   ops/quorum.sh list   [--via URL]
#   ops/quorum.sh add    ID RAFT_HOST:PORT API_HOST:PORT [--via URL]
#   ops/quorum.sh remove ID [--via URL]
# --via: any manager's API (default $CUBE_URL or http://127.0.0.1:8080). CUBE_TOKEN: an operator
# token when the managers require one; CUBE_CA_CERT: the cluster CA for https:// managers.
# Before `add`, start the new manager with a config whose `managers:` lists the current members
# and itself; it waits as a follower and catches up from the leader once added.
set -euo pipefail
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib/cube-curl.sh"   # cube_curl: sends CUBE_TOKEN when set
via=${CUBE_URL:-http://127.0.0.1:8080}
args=()
while (($#)); do
  case $1 in
    --via) via=${2:?--via needs a URL}; shift 2 ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) args+=("$1"); shift ;;
  esac
done
set -- "${args[@]}"
command -v curl >/dev/null || { echo "quorum.sh: curl is needed" >&2; exit 1; }
call() { # METHOD PATH [BODY]
  local out status
  out=$(cube_curl -sS -m 70 -X "$1" "$via$2" ${3:+-H 'content-type: application/json' -d "$3"} -w '\n%{http_code}') \
    || { echo "quorum.sh: no answer from $via" >&2; exit 1; }
  status=${out##*$'\n'}
  echo "${out%$'\n'*}"
  [[ $status == 2* ]] || { echo "quorum.sh: $1 $2 answered $status" >&2; exit 1; }
}
case ${1:-} in
  list) call GET /managers ;;
  add) (($# == 4)) || { echo "usage: ops/quorum.sh add ID RAFT_HOST:PORT API_HOST:PORT [--via URL]" >&2; exit 2; }
       call POST /managers "{\"id\":\"$2\",\"raft\":\"$3\",\"api\":\"$4\"}" ;;
  remove) (($# == 2)) || { echo "usage: ops/quorum.sh remove ID [--via URL]" >&2; exit 2; }
          call DELETE "/managers/$2" ;;
  *) echo "usage: ops/quorum.sh list|add|remove ... (see --help)" >&2; exit 2 ;;
esac
