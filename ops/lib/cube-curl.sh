#!/usr/bin/env bash
# Sourced by the ops scripts. cube_curl ARGS...: curl, plus the API token of CUBE_TOKEN (when set)
# as "Authorization: Bearer ...", and the CA of CUBE_CA_CERT (when set) for https:// managers.
# The token goes through a file descriptor, so it never shows in `ps` or in a log.
cube_curl() {
  local extra=()
  [[ -n ${CUBE_CA_CERT:-} ]] && extra+=(--cacert "$CUBE_CA_CERT")
  if [[ -n ${CUBE_TOKEN:-} ]]; then
    curl "${extra[@]}" -H @<(printf 'Authorization: Bearer %s\n' "$CUBE_TOKEN") "$@"
  else
    curl "${extra[@]}" "$@"
  fi
}
