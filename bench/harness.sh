# Sourced by the bench/*.sh scripts: the JDK they run and the server build they measure.
#
#   bench_java           sets $java: JAVA_HOME's, else the Temurin 25 this project's machines keep
#                        beside the system JDK (exported as JAVA_HOME), else java on PATH
#   bench_server NAME    builds server/target when a source is newer than the jar (./dossier
#                        --version; DOSSIER_SKIP_BUILD=1 takes the jar as it is), and stops NAME
#                        with a message when there is no jar

bench_java() {
  if [[ -z ${JAVA_HOME:-} && -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]]; then
    export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
  fi
  java=${JAVA_HOME:+$JAVA_HOME/bin/}java
}

bench_server() {
  local root
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  if [[ ${DOSSIER_SKIP_BUILD:-} != 1 ]]; then
    "$root/dossier" --version >/dev/null
  fi
  [[ -f $root/server/target/dossier.jar ]] || {
    echo "$1: no server/target/dossier.jar; run ./dossier --version first" >&2
    exit 1
  }
}
