#!/usr/bin/env bash
# migrator fleet: one changelog against 20 databases of one cluster, one of
# which fails on purpose (a table in the way of the first changeset):
# bounded parallelism, continue or stop at the first failure, one JSON
# summary, a log per target, no password in any argv, report or log;
# targets as YAML (maps, a bare URL, `- url:`), as JSON, as a folder of
# properties files; --shard=I/N.
. "$(dirname "$0")/../lib/test-lib.sh"

work=$(mktemp -d)
dbs=()
for i in $(seq -w 1 20); do dbs+=("t1700_$i"); done
at_exit "rm -rf '$work'; drop_dbs ${dbs[*]}"
cd "$work" || exit 1
new_dbs "${dbs[@]}"
psql_q t1700_07 "CREATE TABLE fleet_a (x int)"   # in the way of changeset a

cat > fleet.xml <<'XML'
<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog">
  <changeSet id="a" author="f"><createTable tableName="fleet_a"><column name="id" type="int"/></createTable></changeSet>
  <changeSet id="b" author="f"><sql>SELECT pg_sleep(0.3)</sql></changeSet>
  <changeSet id="c" author="f"><createTable tableName="fleet_c"><column name="id" type="int"/></createTable></changeSet>
</databaseChangeLog>
XML
secret=Fleet-S3cret-Pw
{
    echo "targets:"
    for i in $(seq -w 1 18); do
        echo "  - name: db$i"
        echo "    url: $(pg_url t1700_$i)"
        [ "$i" = 03 ] && echo "    password: $secret"
    done
    echo "  - $(pg_url t1700_19)"
    echo "  - url: $(pg_url t1700_20)"
} > targets.yaml

# watch the cluster while the fleet runs: most sessions at once, and argvs
(
    max=0
    while [ ! -e stop-watch ]; do
        n=$(psql -XAtq -d postgres -c "SELECT count(DISTINCT datname) FROM pg_stat_activity
                                       WHERE datname LIKE 't1700_%' AND application_name = 'migrator'")
        [ "${n:-0}" -gt "$max" ] && max=$n
        ps -eo args | grep -F -- "$secret" | grep -v grep >> argv-hits
        sleep 0.05
    done
    echo "$max" > max-sessions
) &
watcher=$!

run "$MIGRATOR" fleet update --targets=targets.yaml --parallel=3 --continue-on-failure \
    --changelog-file=fleet.xml --output=json --log-dir=logs
touch stop-watch
wait $watcher
assert_eq 1 "$RC" "a target failed: exit 1"
summary=$OUT
j() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)" <<<"$summary"; }
assert_eq "migrator/fleet/v1 update 19 1 0 20" "$(j 'd["schema"], d["command"], d["ok"], d["failed"], d["skipped"], len(d["targets"])' | tr -d "(),'")" \
    "the summary: 19 ok, 1 failed, 0 skipped, 20 targets"
assert_eq "db07 failed 1" "$(j '" ".join(str(x) for t in d["targets"] if t["status"] != "ok" for x in (t["name"], t["status"], t["exit_code"]))')" \
    "the failed target is db07, exit 1"
assert_contains "$(j '[t for t in d["targets"] if t["name"] == "db07"][0]["error"]')" "fleet_a" \
    "its error names what failed"
assert_eq "migrator/update/v1 True False" \
    "$(j '[t for t in d["targets"] if t["name"] == "db01"][0]["report"]["schema"], d["targets"][0]["report"]["ok"], [t for t in d["targets"] if t["name"] == "db07"][0]["report"]["ok"]' | tr -d "(),'")" \
    "each target's own update report (migrator/update/v1) is in the summary"
assert_eq "target-019 target-020" "$(j '" ".join(t["name"] for t in d["targets"][18:])')" \
    "a bare URL and a '- url:' item are targets too"
rows=""
for db in "${dbs[@]}"; do rows+="$(psql_q "$db" "SELECT count(*) FROM databasechangelog") "; done
assert_eq "3 3 3 3 3 3 0 3 3 3 3 3 3 3 3 3 3 3 3 3 " "$rows" "every database but the failed one has its 3 changesets; that one none"
max=$(cat max-sessions)
[ "$max" -le 3 ] && [ "$max" -ge 2 ] && pass "at most 3 targets at once (--parallel=3; seen $max)" ||
    fail "sessions at once: $max (--parallel=3)"
assert_eq "" "$(cat argv-hits 2>/dev/null)" "no password in any process's argv"
! grep -rqF -- "$secret" logs && ! grep -qF -- "$secret" <<<"$summary$ERR" &&
    pass "no password in the logs or the summary" || fail "a password in the logs or the summary"
[ -s logs/db07.log ] && [ -e logs/db01.out ] && [ "$(ls logs | wc -l)" -eq 40 ] &&
    pass "a log (stderr) and an out (stdout) file a target" || fail "logs: $(ls logs | head)"

# stop at the first failure: one target at a time, those after db07 skipped
run "$MIGRATOR" fleet update --targets=targets.yaml --parallel=1 --changelog-file=fleet.xml \
    --output=json --log-dir=logs2
summary=$OUT
assert_eq 1 "$RC" "stop at the first failure: exit 1"
assert_eq "6 1 13" "$(j 'd["ok"], d["failed"], d["skipped"]' | tr -d "(),")" "6 ok (nothing to do), db07 failed, 13 skipped"

# text output, JSON targets, status
printf '{"targets": [{"name": "j1", "url": "%s"}, {"name": "j2", "url": "%s"}]}\n' \
    "$(pg_url t1700_01)" "$(pg_url t1700_02)" > targets.json
run "$MIGRATOR" fleet status --targets=targets.json --changelog-file=fleet.xml --log-dir=logs3
assert_eq 0 "$RC" "fleet status over a JSON targets file: exit 0"
assert_contains "$ERR" "fleet: [2/2]" "a line a target as it ends"
assert_contains "$ERR" "fleet status: 2 targets: 2 ok, 0 failed, 0 skipped" "and a summary line"
assert_contains "$(cat logs3/j1.out)" "is up to date" "each target's own output is in its .out file"

# fleet backup: a verified backup of each target into the one folder
run "$MIGRATOR" fleet backup --targets=targets.json --backup-dir="$work/backups" --output=json --log-dir=logs6
summary=$OUT
assert_eq 0 "$RC" "fleet backup of two targets: exit 0"
assert_eq "2 0" "$(j 'd["ok"], d["failed"]' | tr -d "(),")" "both backed up"
run "$MIGRATOR" backup list --backup-dir="$work/backups" --output=json
assert_eq "t1700_01 t1700_02" "$(python3 -c 'import json,sys; d=json.load(sys.stdin); print(" ".join(sorted(b["database"] for b in d["backups"])))' <<<"$OUT")" \
    "backup list shows one backup of each target's database"

# a folder of properties files
mkdir props
for i in 04 05 06; do
    printf 'url: %s\nchangelog-file: fleet.xml\n' "$(pg_url t1700_$i)" > props/p$i.properties
done
run "$MIGRATOR" fleet status --targets=props --output=json --log-dir=logs4
summary=$OUT
assert_eq 0 "$RC" "fleet over a folder of properties files: exit 0"
assert_eq "p04 p05 p06" "$(j '" ".join(t["name"] for t in d["targets"])')" "one target a properties file, by name"

# --shard=I/N
run "$MIGRATOR" fleet status --targets=targets.yaml --shard=1/3 --output=json \
    --changelog-file=fleet.xml --log-dir=logs5 --continue-on-failure
summary=$OUT
assert_eq "db02 db05 db08 db11 db14 db17 target-020" "$(j '" ".join(t["name"] for t in d["targets"])')" \
    "--shard=1/3 keeps the targets 1, 4, 7, ... (0-based)"
run "$MIGRATOR" fleet status --targets=targets.yaml --shard=3/3
assert_eq 2 "$RC" "a shard out of range is a usage error"
assert_contains "$ERR" "--shard=3/3" "that names the option"
run "$MIGRATOR" fleet rollback --targets=targets.yaml
assert_eq 2 "$RC" "fleet runs update, status or backup only"
printf 'targets:\n  - name: x\n' > bad.yaml
run "$MIGRATOR" fleet update --targets=bad.yaml --changelog-file=fleet.xml
assert_eq 3 "$RC" "a target without url or defaults-file: exit 3"
assert_contains "$ERR" "bad.yaml:2:" "with the file and line"
finish
