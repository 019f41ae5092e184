#!/usr/bin/env bash
# Durable jobs on several nodes: 10,000 no-op jobs run by 2 `dossier start` nodes (separate
# processes) on one PostgreSQL database, against a baseline measured in the same run: the same
# number of rows claimed and completed over plain JDBC by as many threads, with the job system's
# statements (SELECT … FOR UPDATE SKIP LOCKED of a batch, the claim's UPDATE, one UPDATE per job
# done) and nothing else. Prints jobs/s of each and the ratio, and checks exactly-once: every job
# done with one attempt, and the nodes' own counts (dossier_job_attempts_total, counted where the
# handler ran) adding up to the number of jobs, none lost. On demand only, not run by CI.
#
#   bench/jobs.sh [--jobs 10000] [--nodes 2] [--concurrency 16] [--poll-millis 100] [--work DIR]
#
# Uses PostgreSQL at 127.0.0.1:5432 (trust auth, user postgres), database dossier_jobs_bench, dropped
# and created anew by each run; no other database is touched. Nodes log to <work>/node-N.log
# (default ${TMPDIR:-/tmp}/dossier-jobs-bench).
#
# Needs a built server (./dossier builds server/target when sources changed; DOSSIER_SKIP_BUILD=1
# uses it as it is) and a JDK 22+ (whose source launcher compiles bench/Harness.java beside the bench):
# JAVA_HOME, else /usr/lib/jvm/temurin-25-jdk-amd64, else java on PATH.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

# shellcheck source=bench/harness.sh
source "$(dirname "${BASH_SOURCE[0]}")/harness.sh"
bench_help 18 "$@"
bench_java

bench_server jobs.sh

exec "$java" -cp "$(bench_classpath)" bench/JobsBench.java "$@"
