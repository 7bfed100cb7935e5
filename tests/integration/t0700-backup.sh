#!/usr/bin/env bash
# Backups as a stage of their own: backup -> verify -> drill -> damage the
# database -> restore -> identical schema and rows; encryption round trip;
# tampered files and wrong keys refused; prune; update --require-backup;
# a database bigger than a pipe's buffer (40 changesets, 20,000 rows of
# jsonb, bytea, numeric and non-ASCII text) by JDBC URL and --password.
. "$(dirname "$0")/../lib/test-lib.sh"
command -v pg_dump >/dev/null || skip "pg_dump not installed"

db=t0700
url=$(new_db $db)
work=$(mktemp -d)
at_exit "rm -rf '$work'; drop_db $db; drop_db t0700b; drop_db t0700c"
cp -r "$MG_SRC/changelogs/example/." "$work/"
cd "$work" || exit 1
cl=db.changelog-master.xml

run "$MIGRATOR" update --changelog-file=$cl --url="$url" --require-backup=1h
assert_eq 1 "$RC" "--require-backup refuses when there is no backup"
assert_contains "$ERR" "no backup 'latest'" "and says so"

run "$MIGRATOR" update-count --count=3 --changelog-file=$cl --url="$url"
run "$MIGRATOR" backup --url="$url"
assert_eq 0 "$RC" "backup"
id=$OUT
dump=$(ls backups/*-"$id".dump)
assert_eq "600" "$(stat -c %a "$dump")" "the dump is created with mode 0600"
assert_eq "600" "$(stat -c %a "${dump%.dump}.manifest.json")" "and so is its manifest"
assert_contains "$(cat "${dump%.dump}.manifest.json")" '"sha256": "'"$(sha256sum "$dump" | cut -d' ' -f1)"'"' \
    "the manifest holds the file's SHA-256"
assert_contains "$(cat "${dump%.dump}.manifest.json")" '"changeset": "changes/orders.yaml::orders-1::shop"' \
    "and the history state"
run "$MIGRATOR" backup list --output=json
assert_contains "$OUT" "\"id\": \"$id\"" "backup list"
run "$MIGRATOR" backup verify "$id"
assert_eq 0 "$RC" "backup verify"
run "$MIGRATOR" backup drill "$id" --url="$url"
assert_eq 0 "$RC" "backup drill restores into a scratch database and compares"
assert_contains "$OUT" "0 differences" "with no difference"
assert_eq "0" "$(psql_q postgres "SELECT count(*) FROM pg_database WHERE datname LIKE 'migrator_drill_%'")" \
    "and drops the scratch database"

run "$MIGRATOR" update-count --count=1 --changelog-file=$cl --url="$url"
run "$MIGRATOR" update --changelog-file=$cl --url="$url" --require-backup=1h
assert_eq 1 "$RC" "--require-backup refuses a backup older than the history"
assert_contains "$ERR" "was taken before changesets that have run since" "and says why"
run "$MIGRATOR" backup --url="$url"
id2=$OUT
run "$MIGRATOR" update --changelog-file=$cl --url="$url" --require-backup=1h
assert_eq 0 "$RC" "--require-backup accepts a fresh verified backup at the current state"

# damage, then restore: identical schema and rows
schema_before=$(dump_schema $db)
state() { echo "$(psql_q $db "SELECT count(*) FROM product") $(dump_rows $db | md5sum)"; }
rows_before=$(state)
run "$MIGRATOR" backup --url="$url"
id3=$OUT
psql_q $db "DROP TABLE orders CASCADE; CREATE TABLE junk (id int); CREATE SCHEMA extra; DELETE FROM product; DELETE FROM databasechangelog WHERE id = 'seed-1'" >/dev/null 2>&1
run "$MIGRATOR" restore --backup-id=latest --url="$url"
assert_eq 2 "$RC" "restore without --force is refused"
run "$MIGRATOR" restore --backup-id=latest --force --url="$url"
assert_eq 0 "$RC" "restore --force"
assert_eq "$schema_before" "$(dump_schema $db)" "the schema is identical after restore"
assert_eq "$rows_before" "$(state)" "rows and DATABASECHANGELOG are as at the backup"
assert_eq "f" "$(psql_q $db "SELECT locked FROM databasechangeloglock")" "the lock is released"

# restore into another database
new_db t0700b >/dev/null
run "$MIGRATOR" restore --backup-id="$id3" --force --url="$url" --into="$(pg_url t0700b)"
assert_eq 0 "$RC" "restore --into another database"
assert_eq "$schema_before" "$(dump_schema t0700b)" "gives the same schema there"

# encryption
echo "correct horse battery staple" > key.txt
run "$MIGRATOR" backup --encrypt --key-file=key.txt --url="$url"
assert_eq 0 "$RC" "an encrypted backup"
eid=$OUT
edump=$(ls backups/*-"$eid".dump)
if grep -q "PGDMP" "$edump"; then fail "the encrypted dump is readable"; else pass "the dump is not plain text"; fi
run "$MIGRATOR" backup verify "$eid"
assert_eq 3 "$RC" "verify without the key is refused"
run env MIGRATOR_BACKUP_KEY="correct horse battery staple" "$MIGRATOR" backup drill "$eid" --url="$url"
assert_eq 0 "$RC" "the key from the environment decrypts it (drill)"
echo wrong > wrong.txt
run "$MIGRATOR" backup verify "$eid" --key-file=wrong.txt
assert_eq 3 "$RC" "a wrong key is refused"
assert_contains "$ERR" "wrong key, or the file was changed" "with a clear message"
cp "$edump" "$edump.orig"
# flip a bit of byte 200 (writing a fixed byte left the file as it was
# whenever the ciphertext already had that byte there: 1 run in 256)
byte=$(od -An -tu1 -j200 -N1 "$edump" | tr -d ' ')
printf "\\$(printf '%03o' $((byte ^ 1)))" | dd of="$edump" bs=1 seek=200 conv=notrunc 2>/dev/null
cmp -s "$edump" "$edump.orig" && fail "the dump was changed" || pass "the dump was changed"
run "$MIGRATOR" backup verify "$eid" --key-file=key.txt
assert_eq 3 "$RC" "a tampered file is refused"
assert_contains "$ERR" "is damaged" "because its SHA-256 changed"
run "$MIGRATOR" restore --backup-id="$eid" --force --key-file=key.txt --url="$url"
assert_eq 3 "$RC" "and never restored"
assert_eq "$schema_before" "$(dump_schema $db)" "the database is untouched"
mv "$edump.orig" "$edump"

# prune
n=$(ls backups/*.dump | wc -l)
run "$MIGRATOR" backup prune --keep=2
assert_eq 0 "$RC" "backup prune --keep=2"
assert_eq "2" "$(ls backups/*.dump | wc -l)" "leaves the two newest (of $n)"
assert_eq "2" "$(ls backups/*.manifest.json | wc -l)" "with their manifests"
run "$MIGRATOR" backup prune --max-age=0s
assert_eq "0" "$(ls backups/*.dump 2>/dev/null | wc -l)" "--max-age removes old ones"

# A few dozen changesets and a 20,000-row table: the dump is far bigger than
# a pipe's buffer (this backup used to die of SIGPIPE, exit 141, because
# verify's pg_restore --list stopped reading after the table of contents).
new_db t0700c >/dev/null
mkdir big && cd big || exit 1
{
    echo '<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog">'
    for i in $(seq 1 38); do
        echo "<changeSet id=\"t$i\" author=\"b\"><createTable tableName=\"t$i\">"
        echo "<column name=\"id\" type=\"int\"/></createTable></changeSet>"
    done
    cat <<'XML'
<changeSet id="doc" author="b"><createTable tableName="doc">
  <column name="id" type="int"><constraints primaryKey="true"/></column>
  <column name="body" type="jsonb"/><column name="blob" type="bytea"/>
  <column name="amount" type="numeric(20,6)"/><column name="title" type="text"/>
</createTable></changeSet>
<changeSet id="doc-rows" author="b"><sql>
  INSERT INTO doc SELECT g, jsonb_build_object('n', g, 'tags',
      jsonb_build_array('ä', 'β', g), 'text', repeat('ü', g % 50)),
    decode(md5(g::text) || md5((g * 7)::text), 'hex'), g * 1.000001,
    'Zürich – 東京 – ' || g || ' ✓'
  FROM generate_series(1, 20000) g
</sql></changeSet>
</databaseChangeLog>
XML
} > big.xml
jdbc=$(jdbc_url t0700c)
conn=(--url="$jdbc" --username="$PGUSER" --password="${PGPASSWORD:-unused}")
run "$MIGRATOR" update --changelog-file=big.xml "${conn[@]}"
assert_eq 0 "$RC" "40 changesets and 20,000 rows applied"
docs() { psql_q t0700c "SELECT count(*) || ' ' || md5(string_agg(d::text, '|' ORDER BY id)) FROM doc d"; }
docs_before=$(docs)
big_schema=$(dump_schema t0700c)
big_rows=$(dump_rows t0700c)
run "$MIGRATOR" backup --backup-dir=bk "${conn[@]}"
assert_eq 0 "$RC" "backup of the bigger database (was: exit 141, SIGPIPE)"
bid=$OUT
assert_eq "1" "$(ls bk/*.manifest.json 2>/dev/null | wc -l)" "one manifest"
run "$MIGRATOR" backup verify "$bid" --backup-dir=bk
assert_eq 0 "$RC" "backup verify reads the whole dump"
run "$MIGRATOR" backup drill "$bid" --backup-dir=bk "${conn[@]}"
assert_eq 0 "$RC" "backup drill"
assert_contains "$OUT" "0 differences" "the drill finds no difference"
psql_q t0700c "UPDATE doc SET title = 'x' WHERE id % 3 = 0; DELETE FROM doc WHERE id > 15000; DELETE FROM databasechangelog WHERE id = 't7'" >/dev/null
run "$MIGRATOR" restore --backup-id="$bid" --force --backup-dir=bk "${conn[@]}"
assert_eq 0 "$RC" "restore"
assert_eq "$docs_before" "$(docs)" "every row of doc is back, byte for byte"
assert_eq "$big_schema" "$(dump_schema t0700c)" "and the schema"
assert_eq "$big_rows" "$(dump_rows t0700c)" "and DATABASECHANGELOG"

# A pg_restore that stops reading: an error naming it, with its stderr.
mkdir fake
printf '#!/bin/sh\necho "pg_restore: error: simulated failure" >&2\nexit 1\n' > fake/pg_restore
chmod +x fake/pg_restore
run env PATH="$PWD/fake:$PATH" "$MIGRATOR" backup verify "$bid" --backup-dir=bk
assert_eq 1 "$RC" "a pg_restore that fails without reading: exit 1, not a signal"
assert_contains "$ERR" "pg_restore failed (exit status 1)" "the error names pg_restore"
assert_contains "$ERR" "detail: pg_restore: error: simulated failure" "with its stderr"
printf '#!/bin/sh\nexit 0\n' > fake/pg_restore
run env PATH="$PWD/fake:$PATH" "$MIGRATOR" backup verify "$bid" --backup-dir=bk
assert_eq 1 "$RC" "a pg_restore that exits 0 without reading is a failure too"
assert_contains "$ERR" "pg_restore stopped reading its input" "and says so"
finish
