#!/usr/bin/env bash
# The Youforce dialect's performance against baselines measured in the same run (issue 13,
# "Performance"). On demand only, not run by CI.
#
#   bench/youforce.sh import [options]  N persons (default 1,000,000) as NDJSON lines through the admin
#                                       HR import (POST /admin/api/tenants/yf-bench-import/hr/import, one
#                                       streamed request) vs PostgreSQL COPY of the very rows the import
#                                       stored (person table + its collection tables, exported, deleted
#                                       and copied back in one transaction): lines/s, ratio (target >= 0.3),
#                                       and where the import's time goes (jOOQ statements per line, by kind,
#                                       counted on 1,000 lines into tenant yf-bench-diag after the run)
#   bench/youforce.sh walk [options]    N persons of tenant yf-bench walked with take=1000 through
#                                       /youforce/learning/v1.0/persons and nextLink (OAuth token from
#                                       /youforce/connect/token for a client made for the run) vs the same
#                                       walk over plain JDBC (keyset on the change feed's (writer_transaction,
#                                       position) below the snapshot's horizon, joined to rec_hr_person at
#                                       the change's version, plus the page's collection items; the tables
#                                       are ANALYZEd first; each side first walks 1,000 pages unmeasured, for
#                                       the JIT): the server's statements for one page and their
#                                       times, records/s and CPU a page (this JVM, PostgreSQL), ratio (target >= 0.7), and heap used / RSS sampled
#                                       every 100 ms while the server walks, by quarter of the walk (flat?)
#   bench/youforce.sh intake [options]  16 clients (each its own OAuth client) upload 100 KB PDFs
#                                       (multipart/form-data, v1.1 .../documents/diploma) to 1,000 persons of
#                                       tenant yf-bench-intake, closed loop, 5 s warm-up + 30 s measured;
#                                       every ticket's status polled every 100 ms until Complete: accepted
#                                       uploads/s, upload latency, and p50/p99/max from upload to Complete
#
# Full runs: bench/youforce.sh import && bench/youforce.sh walk && bench/youforce.sh intake
# Each 1M import goes through the HR import (50,000- and 200,000-person runs on the shared, loaded
# 2-core machine did 1,600-2,500 lines/s with COPY: 7-10 minutes a million): `import` imports 1M each run, `walk` loads its
# tenant that way once and keeps it.
#
# The server runs in-process (io.dossier.server.Server, as bench/ows.sh does: one JVM holds the
# server, the HTTP clients and the JDBC baselines, so they share the machine's cores, and the heap and
# RSS reported are this JVM's) on PostgreSQL at 127.0.0.1:5432 (trust auth, user postgres), database
# dossier_youforce_bench, created when missing and kept across runs; no other database is touched.
# The rate limiter is off. The tenants are yf-bench (walk, N persons; a different N reloads it),
# yf-bench-import (emptied and vacuumed before each import run; while importing, where PostgreSQL's
# autovacuum is off, the bench analyzes the tables as its auto-analyze would), yf-bench-diag and
# yf-bench-intake (1,000 persons; its personal files grow with each intake run). The generated lines
# are cached in the work folder (persons-N.ndjson, ~0.9 KB a person).
#
# Options (after import|walk|intake):
#   --fresh            drop and recreate dossier_youforce_bench first (reloads everything)
#   --persons N        persons to import / walk (default 1000000)
#   --clients N        intake: concurrent clients (default 16)
#   --seconds N        intake: measured seconds (default 30); --warmup N (default 5)
#   --pdf-kb N         intake: PDF size in KB (default 100)
#   --poll-millis N    intake: how often a pending ticket's status is asked for (default 100)
#   --database NAME    use this database instead of dossier_youforce_bench (created when missing)
#   --work DIR         server log, blobs and generated lines (default ${TMPDIR:-/tmp}/dossier-youforce-bench)
#
# Needs a built server (./dossier builds server/target when sources changed; DOSSIER_SKIP_BUILD=1
# uses it as it is) and a JDK 22+ (whose source launcher compiles bench/Harness.java beside the bench):
# JAVA_HOME, else /usr/lib/jvm/temurin-25-jdk-amd64, else java on PATH. The JVM gets the memory bounds ./dossier gives a server (-Xms32m -Xmx256m and the rest, see ./dossier), so
# heap and RSS are what a server's would be: without them the JVM may grow its heap to a quarter of the
# machine's RAM (an import of 50,000 persons reached 887 MB resident on 24 GB, though what it held after
# a full collection mid-import was ~35 MB). Extra JVM flags: YOUFORCE_BENCH_JAVA_OPTS (they win, e.g.
# -Xmx2g). The server's log goes to <work>/server.log.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

case ${1:-} in
  import | walk | intake) ;;
  *)
    sed -n '2,59p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
    ;;
esac

# shellcheck source=bench/harness.sh
source "$(dirname "${BASH_SOURCE[0]}")/harness.sh"
bench_java

bench_server youforce.sh

bench_work "${TMPDIR:-/tmp}/dossier-youforce-bench" "$@"
mkdir -p "$work"
rm -rf "$work/server.log"

server_flags=(-Xms32m -Xmx256m -XX:MaxDirectMemorySize=64m -XX:ReservedCodeCacheSize=96m -XX:MaxMetaspaceSize=192m)
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
# shellcheck disable=SC2086 # YOUFORCE_BENCH_JAVA_OPTS is a list of flags
exec "$java" "${server_flags[@]}" ${YOUFORCE_BENCH_JAVA_OPTS:-} -cp "$(bench_classpath)" \
  bench/YouforceBench.java "$@" --work "$work"
