#!/usr/bin/env bash
# Install what migrator needs, build it, start a throwaway PostgreSQL in a
# temporary folder, apply the example changelog and show status and
# history. Nothing outside the temporary folder and build/ is touched
# (apart from the Debian packages).
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"

bash tests/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" >/dev/null

pgdir=$(mktemp -d /tmp/migrator-demo.XXXXXX)
trap '"$top/tests/lib/pg-cluster.sh" stop "$pgdir" >/dev/null 2>&1 || true' EXIT
tests/lib/pg-cluster.sh start "$pgdir" >/dev/null
# shellcheck disable=SC1091
. "$pgdir/env"
url="host=$PGHOST port=$PGPORT dbname=postgres user=postgres"

cd changelogs/example
m="$top/build/migrator"
echo "== update-sql (dry run, first lines; the whole script: build/demo-update.sql)"
"$m" update-sql --changelog-file=db.changelog-master.xml --url="$url" \
	--output-file="$top/build/demo-update.sql"
head -n 30 "$top/build/demo-update.sql"
echo "== update"
"$m" update --changelog-file=db.changelog-master.xml --url="$url"
echo "== status --verbose"
"$m" status --verbose --changelog-file=db.changelog-master.xml --url="$url"
echo "== history"
"$m" history --url="$url"
