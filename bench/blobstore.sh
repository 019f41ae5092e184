#!/usr/bin/env bash
# FolderBlobStore against cat, 1 GiB, write and read, on one disk, and against itself writing through
# the page cache (O_DIRECT off); then 100 KB blobs, 1 and 16 writers, against the least a durable write
# of a new file does and against itself through the page cache (8 s per side, twice). Not run by CI.
#
#   bench/blobstore.sh [folder on the disk to measure]      (default ${TMPDIR:-/var/tmp})
#
# Needs a JDK 22+ (JAVA_HOME, else /usr/lib/jvm/temurin-25-jdk-amd64, else java on PATH; its source launcher
# compiles bench/Harness.java beside the bench) and a built server (./dossier builds server/target when
# sources changed; DOSSIER_SKIP_BUILD=1 uses it as it is).
# Uses about 4 GiB (plus some GB of small blobs) in a temp folder under the given folder, removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=bench/harness.sh
source bench/harness.sh
bench_help 11 "$@"
bench_java
bench_server blobstore.sh

work=$(mktemp -d "${1:-${TMPDIR:-/var/tmp}}/dossier-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

echo "writing 1 GiB of random bytes to $work/source"
head -c $((1024 * 1024 * 1024)) /dev/urandom > "$work/source"

"$java" -cp "$(bench_classpath)" bench/BlobStoreBench.java "$work/source" "$work"
