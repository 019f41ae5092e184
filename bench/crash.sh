#!/usr/bin/env bash
# kill -9 under load: does every acknowledged write survive? On demand only; CI runs the short
# versions (it/…/durability/CrashIT, MultiNodeIT).
#
#   bench/crash.sh [--storage embedded|postgres-s3] [--rounds 20] [--writers 8] [--nodes 1]
#                  [--load-ms 2000-8000] [--seed N] [--takeover] [--setting key=value]… [--limit 3600]
#
# Each round: W writer threads send what real clients send (OWS
# loginByUid, POST /ows/fileService.php then AttachedDocumentsService.add to a candidate; File API
# token, multipart publication, resumable publication as chunk 0 + PUT position=1..n + close=true;
# Opus 2 POST /opus2/projects, a folder, then multipart document uploads into it; HR imports of new
# persons through the admin API), recording every acknowledged write with the SHA-256 of its bytes,
# while a Youforce client walks the persons changed in the last 3 s, 5 a page through nextLink, one
# walk after another, and goes on with the same nextLink after a kill once the next round's writers
# are at work (a walk must give every person acknowledged before it read past it). After a random
# --load-ms one node is killed with SIGKILL (the java process itself), started again on the same
# storage, and every write acknowledged in the round is looked up through the HTTP APIs: a session
# or token still accepted, a candidate, attachment or person still there, a file downloading with
# the same SHA-256. After the last round everything is checked again, the nodes are stopped, and
# the storage is searched. Prints per round and at the end: acknowledged (per kind) / lost
# (missing) / corrupt (other bytes, a 5xx, a body cut off) / persons a walk of the change feed
# skipped / leftovers (blobs no row refers to, temp files, tickets of resumable uploads whose close
# was acknowledged) and the restart time after each kill (launch to ready).
#
#   --storage embedded      `dossier dev --data <fresh folder>` (H2 + blob folder; the first start
#                           seeds the demo tenant, its demo-credentials.json gives the credentials)
#   --storage postgres-s3   `dossier start` on a fresh database of the PostgreSQL server named by
#                           DOSSIER_TEST_POSTGRES (default jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres)
#                           and a fresh bucket of an s3proxy process; credentials from
#                           `dossier admin-token create` and the admin REST API
#   --nodes K               (postgres-s3) K `start` nodes on the same database and bucket, writers
#                           spread over them; the killed node's writes are checked on the others,
#                           each write on a node other than the one that acknowledged it
#   --takeover              (with --nodes > 1) before the first kill, leave an unbound upload and an
#                           open resumable ticket on the victim and wait for a survivor to collect
#                           them; use with --setting upload.unbound-hours=0.01 --setting background.period-seconds=2
#   --setting key=value     a setting of every `start` node (config-file key)
#
# Builds the it module's test classes with the reactor (no install), then runs
# io.dossier.it.durability.CrashRun on their test classpath. Exit 0 when nothing was lost or
# corrupt and no walk skipped a person, 1 otherwise. The nodes and the Java part are killed after
# --limit seconds. Node logs go to a temp folder printed at the start; a round whose verification
# (or whose writers' stop) runs over 90 s leaves jcmd thread dumps of the nodes there, and the
# report says "stalled". Needs a JDK 21+ (JAVA_HOME, else /usr/lib/jvm/temurin-25-jdk-amd64,
# else java on PATH) and Maven; postgres-s3 needs PostgreSQL.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

limit=3600 args=()
while (($#)); do
  case $1 in
    --limit) limit=$2; shift 2 ;;
    --takeover) args+=("$1"); shift ;;
    --storage | --rounds | --writers | --nodes | --load-ms | --seed | --setting | --logs) args+=("$1" "$2"); shift 2 ;;
    -h | --help) sed -n '2,45p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
    *) echo "crash.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

# shellcheck source=bench/harness.sh
source "$(dirname "${BASH_SOURCE[0]}")/harness.sh"
bench_java
export DOSSIER_TEST_POSTGRES=${DOSSIER_TEST_POSTGRES:-jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres}

work=$(mktemp -d "${TMPDIR:-/tmp}/dossier-crash.XXXXXX")
java_pid=""
cleanup() {
  local code=$?
  # SIGTERM lets the Java part's shutdown hook SIGKILL the nodes it started
  [[ -n $java_pid ]] && kill -TERM "$java_pid" 2>/dev/null && wait "$java_pid" 2>/dev/null || true
  rm -rf "$work"
  exit "$code"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "crash.sh: building the it test classes and their classpath…" >&2
mvn -B -q -pl it -am test-compile dependency:build-classpath -DskipTests \
  -Dmdep.includeScope=test -Dmdep.outputFile="$work/classpath" >"$work/build.log" 2>&1 \
  || { cat "$work/build.log" >&2; echo "crash.sh: build failed" >&2; exit 1; }

timeout -k 15 "$limit" "$java" -Xmx512m -cp "$root/it/target/test-classes:$(cat "$work/classpath")" \
  io.dossier.it.durability.CrashRun "${args[@]}" &
java_pid=$!
set +e
wait "$java_pid"
code=$?
set -e
java_pid=""
((code == 124)) && { echo "crash.sh: stopped after --limit $limit s" >&2; exit 1; }
exit "$code"
