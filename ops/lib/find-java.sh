#!/usr/bin/env bash
# Finds a Java >= 21 for Cube. Source it:   . ops/lib/find-java.sh
# Sets JAVA (the java binary) and JAVA_MAJOR (its feature version), and exports
# JAVA_HOME (the JDK directory, for Maven). Search order:
#   1. $JAVA_HOME/bin/java, if it is >= 21
#   2. the newest JDK >= 21 under /usr/lib/jvm/* (CUBE_JVM_DIR overrides /usr/lib/jvm)
#   3. `java` on PATH, if it is >= 21
# Otherwise it prints why and exits 1 (returns 1 when sourced from an interactive shell).
# Run it directly to see what it finds: ops/lib/find-java.sh

CUBE_MIN_JAVA=21

# Prints the feature version of a java binary (17, 21, 25; 8 for "1.8.0_x"), or nothing.
cube_java_major() {
  local bin=$1 line version
  [[ -x $bin ]] || return 0
  line=$("$bin" -version 2>&1 | grep -m1 ' version "' || true)
  version=${line#*version \"}
  version=${version%%\"*}
  [[ -n $line && -n $version ]] || return 0
  if [[ $version == 1.* ]]; then
    version=${version#1.}
  fi
  version=${version%%[!0-9]*}
  [[ -n $version ]] && echo "$version"
  return 0
}

# Sets JAVA, JAVA_MAJOR and JAVA_HOME from a JDK directory if its java is >= 21.
cube_try_jdk_dir() {
  local dir=$1 major
  [[ -n $dir && -x $dir/bin/java ]] || return 1
  major=$(cube_java_major "$dir/bin/java")
  [[ -n $major ]] && ((major >= CUBE_MIN_JAVA)) || return 1
  JAVA="$dir/bin/java"
  JAVA_MAJOR=$major
  JAVA_HOME=$dir
  return 0
}

cube_find_java() {
  local dir major best_dir="" best_major=0 on_path

  # 1. JAVA_HOME
  if cube_try_jdk_dir "${JAVA_HOME:-}"; then
    return 0
  fi

  # 2. the newest JDK under /usr/lib/jvm (symlinked duplicates resolve to the same dir)
  for dir in "${CUBE_JVM_DIR:-/usr/lib/jvm}"/*; do
    [[ -d $dir && -x $dir/bin/java ]] || continue
    dir=$(readlink -f "$dir")
    major=$(cube_java_major "$dir/bin/java")
    [[ -n $major ]] || continue
    if ((major >= CUBE_MIN_JAVA && major > best_major)); then
      best_major=$major
      best_dir=$dir
    fi
  done
  if [[ -n $best_dir ]] && cube_try_jdk_dir "$best_dir"; then
    return 0
  fi

  # 3. java on PATH (its JDK dir is two levels above the resolved binary)
  if on_path=$(command -v java 2>/dev/null); then
    on_path=$(readlink -f "$on_path")
    if cube_try_jdk_dir "$(dirname "$(dirname "$on_path")")"; then
      return 0
    fi
  fi
  return 1
}

if cube_find_java; then
  export JAVA_HOME
  export JAVA JAVA_MAJOR
  if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
    echo "JAVA=$JAVA (version $JAVA_MAJOR), JAVA_HOME=$JAVA_HOME"
  fi
else
  echo "Cube needs a JDK >= $CUBE_MIN_JAVA: none found in JAVA_HOME, /usr/lib/jvm or PATH; install one (e.g. apt-get install openjdk-21-jdk-headless, or openjdk-25-jdk-headless) or set JAVA_HOME" >&2
  if [[ ${BASH_SOURCE[0]} != "$0" && $- == *i* ]]; then
    return 1
  fi
  exit 1
fi
