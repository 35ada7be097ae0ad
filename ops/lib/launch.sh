#!/usr/bin/env bash
# Shared by bin/cube-manager and bin/cube-worker: finds java and runs a module's main class
# from the checkout. Usage (sourced, then): cube_launch MODULE MAIN_CLASS DEFAULT_XMX [ARGS...]
#   DEFAULT_XMX: e.g. 512m, applied unless CUBE_JAVA_OPTS sets -Xmx; empty for the JVM default.
#   CUBE_JAVA_OPTS: extra JVM options, split on spaces (e.g. "-Xmx1g -Dfoo=bar").
#   DEFAULT_JAVA_OPTS (set by the launcher): JVM options placed before CUBE_JAVA_OPTS, which can
#   override each (the JVM takes the last value of an -XX option).
#   FIXED_HEAP=1 (set by the launcher): the initial heap is the maximum (-Xms = the last -Xmx)
#   unless CUBE_JAVA_OPTS sets -Xms.

cube_launch() {
  local module=$1 main_class=$2 default_xmx=$3
  shift 3
  local repo jar opts=()
  repo=$(readlink -f "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../..")  # ops/lib/ -> repo root
  jar="$repo/$module/target/$module-0.1.0-SNAPSHOT.jar"

  # shellcheck source=ops/lib/find-java.sh
  . "$repo/ops/lib/find-java.sh"

  if [[ ! -f $jar ]]; then
    echo "error: $jar is missing; build first: (cd $repo && mvn -DskipTests package) with a JDK >= 21" >&2
    exit 1
  fi

  local defaults=()
  read -r -a defaults <<<"${DEFAULT_JAVA_OPTS:-}"
  read -r -a opts <<<"${CUBE_JAVA_OPTS:-}"
  opts=("${defaults[@]}" "${opts[@]}")
  if [[ -n $default_xmx && " ${CUBE_JAVA_OPTS:-} " != *" -Xmx"* ]]; then
    opts=("-Xmx$default_xmx" "${opts[@]}")
  fi
  if [[ ${FIXED_HEAP:-} == 1 && " ${CUBE_JAVA_OPTS:-} " != *" -Xms"* ]]; then
    local o xmx=
    for o in "${opts[@]}"; do [[ $o == -Xmx* ]] && xmx=${o#-Xmx}; done
    [[ -n $xmx ]] && opts+=("-Xms$xmx")
  fi
  # JDK 24+ warns about sun.misc.Unsafe use in dependencies; older JDKs reject the option.
  if ((JAVA_MAJOR >= 24)); then
    opts=(--sun-misc-unsafe-memory-access=allow "${opts[@]}")
  fi

  exec "$JAVA" "${opts[@]}" -cp "$jar:$repo/$module/target/lib/*" "$main_class" "$@"
}
