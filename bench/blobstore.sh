#!/usr/bin/env bash
# FolderBlobStore against cat, 1 GiB, write and read, on one disk; then 100 KB blobs, 1 and 16
# writers, against the least a durable write of a new file does (8 s per side, twice). Not run by CI.
#
#   bench/blobstore.sh [folder on the disk to measure]      (default ${TMPDIR:-/var/tmp})
#
# Needs Java 21+ (JAVA_HOME or PATH) and a built server (./dossier builds server/target); with no
# server build it falls back to core/ and store/ target/classes (mvn -pl core,store install).
# Uses about 3 GiB (plus some GB of small blobs) in a temp folder under the given folder, removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

java=${JAVA_HOME:+$JAVA_HOME/bin/}java
if [[ -f server/target/dossier.jar ]]; then
  classpath="server/target/dossier.jar:server/target/lib/*"
elif [[ -d core/target/classes && -d store/target/classes ]]; then
  classpath="core/target/classes:store/target/classes"
else
  echo "blobstore.sh: nothing built yet; run ./dossier (or mvn -pl core,store install) first" >&2
  exit 1
fi

work=$(mktemp -d "${1:-${TMPDIR:-/var/tmp}}/dossier-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

echo "writing 1 GiB of random bytes to $work/source"
head -c $((1024 * 1024 * 1024)) /dev/urandom > "$work/source"

"$java" -cp "$classpath" bench/BlobStoreBench.java "$work/source" "$work"
