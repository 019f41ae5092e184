#!/usr/bin/env bash
# LogicalDOC Document Metadata over SOAP (issue 12's performance targets). On demand only, not run by CI.
#
#   bench/logicaldoc.sh [get|list|all] [options]     (default all: get, then list)
#     get   getTemplateById (a template of 20 attributes) as a SOAP POST to
#           /logicaldoc/services/DocumentMetadata, 16 clients, against the core calls the dialect
#           makes for it (session resolved, MetadataService.kind/schema/usage) invoked in-process
#           with no HTTP, same clients, same run: both, the ratio, and what the SOAP layer adds per
#           call at p50 (target under 1 ms) and in CPU per call; then both with 1 client, where p50
#           is the call itself rather than the wait for one of the machine's cores
#     list  listTemplates over SOAP with 1,000 templates of 20 attributes each: p99 (target < 50 ms),
#           1 client calling back to back unless --list-clients says more
#
# Starts a Dossier server in-process (bench/LogicalDocBench.java, through the shared
# bench/Harness.java: one JVM holds the server and the HTTP clients) on PostgreSQL at
# 127.0.0.1:5432 (trust auth, user postgres), database dossier_logicaldoc_bench, created when
# missing and kept, so the templates (tenant logicaldoc-bench, made through core in-process, a
# few seconds) are made once; no other database is touched. Each side: --jit-warmup s unmeasured,
# then --seconds s measured in two halves, in the order A B B A, each after --warmup s and a wait (up
# to a minute) for a quiet machine. Prints
# req/s, p50/p99/max, CPU per request of this JVM and of the database's backends, foreign load.
# A full run (all, the defaults) takes ~4 min.
#
# Options:
#   --templates N     templates to keep in the tenant (default 1000; more are made, surplus deleted)
#   --clients N       get: concurrent clients (default 16)
#   --list-clients N  list: concurrent clients (default 1)
#   --seconds N       measured seconds per side (default 20); --warmup N (default 5)
#   --jit-warmup N    unmeasured seconds per side first (default 20)
#   --quiet-wait N    wait up to N s for a quiet machine before each side (default 60; 0: don't)
#   --fresh           drop and recreate the database first
#   --database NAME   another database (default dossier_logicaldoc_bench)
#   --work DIR        server log and blob folder (default ${TMPDIR:-/tmp}/dossier-logicaldoc-bench)
#
# Smoke run (a few seconds of measuring): bench/logicaldoc.sh all --templates 50 --seconds 2 --warmup 1 --jit-warmup 1 --quiet-wait 0
#
# Needs a built server (./dossier builds server/target when sources changed; DOSSIER_SKIP_BUILD=1
# uses it as it is) and a JDK 22+ (the multi-file source launcher): JAVA_HOME, else
# /usr/lib/jvm/temurin-25-jdk-amd64, else java on PATH. Extra JVM flags: LOGICALDOC_BENCH_JAVA_OPTS.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

# shellcheck source=bench/harness.sh
source "$(dirname "${BASH_SOURCE[0]}")/harness.sh"
bench_help 39 "$@"
bench_java

bench_server logicaldoc.sh

bench_work "${TMPDIR:-/tmp}/dossier-logicaldoc-bench" "$@"
mkdir -p "$work"
rm -f "$work/server.log"

# shellcheck disable=SC2086 # LOGICALDOC_BENCH_JAVA_OPTS is a list of flags
exec "$java" ${LOGICALDOC_BENCH_JAVA_OPTS:-} -cp "$(bench_classpath)" \
  bench/LogicalDocBench.java "$@" --work "$work"
