#!/usr/bin/env bash
# The container parts, checked without Docker or Kubernetes (see docs/containers.md):
#   - docker-compose.yml against the Compose Specification's JSON schema and dclint's errors,
#     then the `migrate` service's command run as written against a database made with the
#     `postgres` service's settings;
#   - docs/k8s/*.yaml against the Kubernetes API schemas, unknown fields rejected;
#   - the Dockerfile through two linters.
# Each check is also shown to fail on a broken copy, so that a checker that accepts
# everything cannot pass for one that works.
# shellcheck source=../lib/test-lib.sh
. "$(dirname "$0")/../lib/test-lib.sh"

command -v node >/dev/null 2>&1 || skip "node not found (comes with npm, tests/install-deps.sh)"
python3 -c 'import yaml, jsonschema' 2>/dev/null ||
    skip "python3-yaml and python3-jsonschema not installed (tests/install-deps.sh)"

# the checkers, pinned; dclint also carries the Compose Specification's schema
tools=${MG_CACHE_DIR:-$MG_SRC/.cache}/containers
mg_npm_install "$tools" dclint@3.1.0 kubernetes-models@5.1.0 typescript@5.9.3 \
    dockerfile-utils@0.16.3 dockerfilelint@1.8.0
nm=$tools/node_modules
here=$MG_SRC/tests/integration/containers
compose=$MG_SRC/docker-compose.yml
work=$(mktemp -d "${TMPDIR:-/tmp}/mg-t1800.XXXXXX")
at_exit 'rm -rf "$work"'

# expect_fail DESCRIPTION NEEDLE: the last `run` failed and named NEEDLE
expect_fail() {
    if [ "$RC" -ne 0 ] && [[ "$OUT$ERR" == *"$2"* ]]; then
        pass "$1"
    else
        fail "$1 (exit $RC)"
        printf '%s\n%s\n' "$OUT" "$ERR" | head -n 20 | sed 's/^/    /'
    fi
}
# expect_ok DESCRIPTION: the last `run` succeeded
expect_ok() {
    if [ "$RC" -eq 0 ]; then
        pass "$1"
    else
        fail "$1 (exit $RC)"
        printf '%s\n%s\n' "$OUT" "$ERR" | head -n 40 | sed 's/^/    /'
    fi
}

# --- docker-compose.yml ----------------------------------------------------------------

schema=$nm/dclint/schemas/compose.schema.json
assert_eq "Compose Specification" "$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["title"])' "$schema")" \
    "dclint carries the Compose Specification's schema"
run python3 "$here/compose.py" validate "$schema" "$compose"
expect_ok "docker-compose.yml is valid against the Compose Specification"
sed 's/^    restart:/    restrat:/' "$compose" > "$work/compose-typo.yml"
run python3 "$here/compose.py" validate "$schema" "$work/compose-typo.yml"
expect_fail "a misspelt service key (restrat) is rejected" "restrat"
sed 's/condition: service_healthy/condition: healthy/' "$compose" > "$work/compose-enum.yml"
run python3 "$here/compose.py" validate "$schema" "$work/compose-enum.yml"
expect_fail "an unknown depends_on condition is rejected" "depends_on"

# dclint's errors (its warnings are style: key order, service order, a project name)
run node "$nm/dclint/bin/dclint.cjs" --quiet --color=false "$compose"
expect_ok "dclint finds no error in docker-compose.yml"
sed 's/"127.0.0.1:5432:5432"/"5432:5432"/' "$compose" > "$work/compose-port.yml"
run node "$nm/dclint/bin/dclint.cjs" --quiet --color=false "$work/compose-port.yml"
expect_fail "dclint rejects a port published on every interface" "no-unbound-port-interfaces"

# the migrate service, run as written: the postgres service's role, password and database
# on this test's server; compose.py's mapping() lists every other change (host, volumes)
mapfile -t pg < <(python3 "$here/compose.py" db "$compose")
assert_eq "3" "${#pg[@]}" "the postgres service sets POSTGRES_USER, POSTGRES_PASSWORD, POSTGRES_DB"
user=${pg[0]} password=${pg[1]} db=${pg[2]}
psql -XAtq -v ON_ERROR_STOP=1 -d postgres -c "SET client_min_messages = warning" \
    -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" -c "DROP ROLE IF EXISTS \"$user\"" \
    -c "CREATE ROLE \"$user\" LOGIN PASSWORD '$password'" \
    -c "CREATE DATABASE \"$db\" OWNER \"$user\"" >/dev/null || exit 1
at_exit 'psql -XAtq -d postgres -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" -c "DROP ROLE IF EXISTS \"$user\"" >/dev/null 2>&1'
# the bind mount ./changelogs: a copy, so that what the run writes there (the review
# artifacts) is seen without touching the work tree; the named volume backups: empty
cp -r "$MG_SRC/changelogs" "$work/changelogs"
mkdir "$work/backups"
run python3 "$here/compose.py" run "$compose" "$MIGRATOR" "$work/changelogs" "$work/backups" \
    "$MG_PG_TCP" "$PGPORT"
expect_ok "the migrate service's command exits 0"
assert_contains "$ERR" "run: $MIGRATOR flow --flow-file=$work/changelogs/migrate.flow.yaml in $work/changelogs/example" \
    "it ran with the service's command and working_dir"

# what it applied: the same rows as a plain update of the same changelog
ref=mg_t1800_ref
new_db "$ref" >/dev/null
at_exit 'drop_db "$ref"'
(cd "$MG_SRC/changelogs/example" &&
    "$MIGRATOR" update --url="$(pg_url "$ref")" --changelog-file=db.changelog-master.xml) >/dev/null 2>&1 ||
    fail "the reference update failed"
expected=$(dump_rows "$ref")
[ "$(printf '%s\n' "$expected" | wc -l)" -gt 5 ] || fail "the example changelog has changesets"
assert_eq "$expected" "$(dump_rows "$db")" "the compose database holds the example changelog's changesets"
assert_eq "$user" "$(psql_q "$db" "SELECT tableowner FROM pg_tables WHERE tablename = 'databasechangelog'")" \
    "they were applied as the compose role"
assert_eq "1" "$(find "$work/backups" -name '*.manifest.json' | wc -l)" "the flow's backup is in the backups volume"
[ -s "$work/changelogs/example/artifacts/update.sql" ] &&
    pass "the review SQL is in ./changelogs/example/artifacts" ||
    fail "the review SQL is in ./changelogs/example/artifacts"

# --- docs/k8s ---------------------------------------------------------------------------

# every YAML document of every manifest, as JSON for the validator; then a broken copy
manifests=("$MG_SRC"/docs/k8s/*.yaml)
python3 - "$MG_SRC" "$work/k8s.json" "$work/k8s-broken.json" "${manifests[@]}" <<'EOF' || exit 1
import copy, json, os, sys, yaml
src, out, broken, files = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
docs = []
for f in files:
    with open(f, encoding="utf-8") as fh:
        for i, d in enumerate(yaml.safe_load_all(fh), 1):
            if d is not None:
                docs.append({"where": f"{os.path.relpath(f, src)}#{i}", "doc": d})
json.dump(docs, open(out, "w"))
# the broken copy: one misspelt field in each Job's spec, one wrong type in another
bad = copy.deepcopy([m for m in docs if m["doc"]["kind"] == "Job"])
for m in bad:
    m["doc"]["spec"]["backofLimit"] = m["doc"]["spec"].pop("backoffLimit")
ttl = copy.deepcopy(bad[0])
ttl["where"] += " (ttl)"
ttl["doc"]["spec"].update(backoffLimit=0, ttlSecondsAfterFinished="1d")
del ttl["doc"]["spec"]["backofLimit"]
json.dump(bad + [ttl], open(broken, "w"))
EOF
[ "${#manifests[@]}" -ge 2 ] || fail "docs/k8s holds the Jobs"
run node "$here/k8s-validate.mjs" "$nm" "$work/k8s.json"
expect_ok "docs/k8s/*.yaml (${#manifests[@]} files) are valid against the Kubernetes schemas"
run node "$here/k8s-validate.mjs" "$nm" "$work/k8s-broken.json"
expect_fail "a misspelt field (backofLimit) is rejected" "spec.backofLimit"
assert_contains "$OUT" "fleet-job.yaml#2: spec.backofLimit" "... in every Job"
assert_contains "$OUT" "ttlSecondsAfterFinished must be integer" "a field of the wrong type is rejected"

# --- Dockerfile -------------------------------------------------------------------------

# dockerfile-utils (the Dockerfile language server's checks): no finding, not even a warning
run node "$nm/dockerfile-utils/bin/dockerfile-utils" lint --json "$MG_SRC/Dockerfile"
assert_eq "0 []" "$RC $OUT" "dockerfile-utils finds nothing in the Dockerfile"
# dockerfilelint (best practices: tags, sudo, apt-get, ports, ...)
run node "$nm/dockerfilelint/bin/dockerfilelint" --output json "$MG_SRC/Dockerfile"
expect_ok "dockerfilelint finds nothing in the Dockerfile"
cat > "$work/Dockerfile.bad" <<'EOF'
FROM debian
RUN sudo apt-get install curl
COPY only-one-argument
FROM debian:12 AS twice
FROM debian:12 AS twice
EXPOSE 99999
EOF
run node "$nm/dockerfile-utils/bin/dockerfile-utils" lint --json "$work/Dockerfile.bad"
expect_fail "dockerfile-utils rejects a bad Dockerfile" "duplicate name twice"
assert_contains "$OUT" "COPY requires at least two arguments" "... and names each problem"
run node "$nm/dockerfilelint/bin/dockerfilelint" --output json "$work/Dockerfile.bad"
expect_fail "dockerfilelint rejects a bad Dockerfile" "sudo"
assert_contains "$OUT" "Base images should specify a tag" "... and names each problem"

finish
