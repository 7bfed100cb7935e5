#!/usr/bin/env bash
# Stress (not run by CI): a generated database of at least 1 GB (jsonb,
# bytea, numeric, non-ASCII text, a few dozen applied changesets) through
# backup, verify and restore; rows compared after the restore. Prints the
# time, the sizes and the peak RSS of each migrator run.
#
#   tests/stress/backup-1gb.sh            [MG_STRESS_GB=1] [MG_STRESS_DRILL=1]
#
# Uses the cluster of MG_PG_DIR, or starts a private one (test-lib.sh).
# Needs about 3 x MG_STRESS_GB of free disk (database, dump, WAL).
. "$(dirname "$0")/../lib/test-lib.sh"
command -v pg_dump >/dev/null || skip "pg_dump not installed"
[ -x /usr/bin/time ] || skip "/usr/bin/time (GNU time) not installed"

gb=${MG_STRESS_GB:-1}
db=stress_backup
url=$(new_db $db)
work=$(mktemp -d)
at_exit "cd /; rm -rf '$work'; drop_db $db"
cd "$work" || exit 1

# measure NAME CMD...: run CMD under GNU time; keeps RC, OUT, ERR
measure() {
    local name=$1
    shift
    run /usr/bin/time -f '%e %M' -o time.txt "$@"
    read -r secs kb < time.txt
    printf '%-8s %8.1f s  peak RSS %6d KiB  exit %d\n' "$name" "$secs" "$kb" "$RC" | tee -a figures.txt
}

{
    echo '<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog">'
    for i in $(seq 1 30); do
        echo "<changeSet id=\"s$i\" author=\"stress\"><createTable tableName=\"s$i\">"
        echo "<column name=\"id\" type=\"int\"/></createTable></changeSet>"
    done
    cat <<'XML'
<changeSet id="big" author="stress"><createTable tableName="big">
  <column name="id" type="bigint"><constraints primaryKey="true"/></column>
  <column name="doc" type="jsonb"/><column name="blob" type="bytea"/>
  <column name="amount" type="numeric(20,6)"/><column name="title" type="text"/>
</createTable></changeSet>
</databaseChangeLog>
XML
} > stress.xml
run "$MIGRATOR" update --changelog-file=stress.xml --url="$url"
assert_eq 0 "$RC" "changelog applied"

target=$((gb * 1024 * 1024 * 1024))
start=0
t0=$(date +%s)
while [ "$(psql_q $db "SELECT pg_database_size(current_database())")" -lt "$target" ]; do
    psql_q $db "INSERT INTO big SELECT g,
        jsonb_build_object('n', g, 'tags', jsonb_build_array('ä', 'β', g % 97),
                           'note', repeat('ü', g % 40), 'at', now()),
        decode(md5(g::text) || md5((g * 31)::text) || md5(random()::text), 'hex'),
        g * 1.000001 + random(), 'Zürich – 東京 – ' || g || ' ✓ ' || md5(g::text)
        FROM generate_series($start + 1, $start + 500000) g" >/dev/null
    start=$((start + 500000))
done
psql_q $db "VACUUM ANALYZE big" >/dev/null
size=$(psql_q $db "SELECT pg_size_pretty(pg_database_size(current_database()))")
echo "generated $start rows, database $size, in $(( $(date +%s) - t0 )) s" | tee figures.txt

sums() { psql_q $db "SELECT count(*), sum(hashtext(b::text)::bigint), sum(hashtext(md5(b::text))::bigint) FROM big b"; }
before=$(sums)
history_before=$(dump_rows $db)

measure backup "$MIGRATOR" backup --backup-dir=bk --url="$url"
assert_eq 0 "$RC" "backup of $size"
id=$OUT
dump=$(ls bk/*-"$id".dump)
echo "dump $(du -h "$dump" | cut -f1) ($(stat -c %s "$dump") bytes)" | tee -a figures.txt
measure verify "$MIGRATOR" backup verify "$id" --backup-dir=bk
assert_eq 0 "$RC" "verify"
if [ -n "${MG_STRESS_DRILL:-}" ]; then
    measure drill "$MIGRATOR" backup drill "$id" --backup-dir=bk --url="$url"
    assert_eq 0 "$RC" "drill"
fi
psql_q $db "DELETE FROM big WHERE id % 10 = 0; UPDATE big SET title = 'x' WHERE id % 7 = 0; DELETE FROM databasechangelog WHERE id = 's3'" >/dev/null
measure restore "$MIGRATOR" restore --backup-id="$id" --force --backup-dir=bk --url="$url"
assert_eq 0 "$RC" "restore"
assert_eq "$before" "$(sums)" "every row is back after the restore"
assert_eq "$history_before" "$(dump_rows $db)" "and DATABASECHANGELOG"
echo "--- figures"
cat figures.txt
finish
