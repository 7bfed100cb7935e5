#!/usr/bin/env bash
# Faults of the database and of the disk: a statement timeout (set in the
# URL and with ALTER ROLE), the session terminated mid-changeset
# (pg_terminate_backend), a full backup folder (a small tmpfs when mount
# works, and a file size limit, ulimit -f). Each gives a clear error that
# names the changeset and statement, and leaves the database as before
# the failed changeset (DATABASECHANGELOG, the lock table, the schema, no
# advisory lock) and no backup file that passes as complete.
. "$(dirname "$0")/../lib/test-lib.sh"

db=t1210
url=$(new_db $db)
role=t1210_timeout
work=$(mktemp -d)
at_exit "rm -rf '$work'; drop_db $db; psql_q postgres 'DROP ROLE IF EXISTS $role' >/dev/null 2>&1"
cd "$work" || exit 1

cat > faults.xml <<'XML'
<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog">
  <changeSet id="base" author="f">
    <createTable tableName="base"><column name="id" type="int"/></createTable>
  </changeSet>
  <changeSet id="slow" author="f">
    <createTable tableName="half"><column name="id" type="int"/></createTable>
    <insert tableName="half"><column name="id" valueNumeric="1"/></insert>
    <sql>SELECT pg_sleep(${sleep})</sql>
    <insert tableName="base"><column name="id" valueNumeric="2"/></insert>
  </changeSet>
  <changeSet id="after" author="f">
    <createTable tableName="never_before"><column name="id" type="int"/></createTable>
  </changeSet>
</databaseChangeLog>
XML

run "$MIGRATOR" update-count --count=1 --changelog-file=faults.xml --url="$url" -Dsleep=0
assert_eq 0 "$RC" "the first changeset applied"

# the state the failed changeset must leave
state() {
    dump_schema $db
    dump_rows $db
    psql_q $db "SELECT 'lock', id, locked, lockedby IS NULL, lockgranted IS NULL FROM databasechangeloglock"
    psql_q $db "SELECT 'base rows', count(*) FROM base"
    psql_q postgres "SELECT 'advisory locks', count(*) FROM pg_locks WHERE locktype = 'advisory'
                     AND database = (SELECT oid FROM pg_database WHERE datname = '$db')"
}
before=$(state)
assert_contains "$before" "lock|1|f|t|t" "(the lock row is free to begin with)"

# 1. statement_timeout from the URL (options=-c statement_timeout=100)
jdbc="$(jdbc_url $db)?options=-c%20statement_timeout%3D100"
run "$MIGRATOR" update --changelog-file=faults.xml --url="$jdbc" --username="$PGUSER" -Dsleep=30
assert_eq 1 "$RC" "statement timeout (URL options): exit 1"
assert_contains "$ERR" "migrator: error: canceling statement due to statement timeout" "the server's message"
assert_contains "$ERR" "changeset: faults.xml::slow::f" "names the changeset"
assert_contains "$ERR" "statement: SELECT pg_sleep(30)" "and the statement"
assert_contains "$ERR" "sqlstate: 57014" "and the SQLSTATE"
assert_contains "$ERR" "note: the changeset was rolled back" "says it was rolled back"
assert_eq "$before" "$(state)" "the database is exactly as before the changeset"

# 2. statement_timeout of the role (ALTER ROLE ... SET)
psql_q postgres "DROP ROLE IF EXISTS $role; CREATE ROLE $role LOGIN;
    ALTER ROLE $role SET statement_timeout = '100ms'" >/dev/null
psql_q $db "ALTER SCHEMA public OWNER TO $role; ALTER TABLE base OWNER TO $role;
    ALTER TABLE databasechangelog OWNER TO $role; ALTER TABLE databasechangeloglock OWNER TO $role" >/dev/null
before=$(state)
run "$MIGRATOR" update --changelog-file=faults.xml --url="$(jdbc_url $db)" --username=$role -Dsleep=30
assert_eq 1 "$RC" "statement timeout (ALTER ROLE): exit 1"
assert_contains "$ERR" "canceling statement due to statement timeout" "the server's message"
assert_contains "$ERR" "changeset: faults.xml::slow::f" "names the changeset"
assert_contains "$ERR" "statement: SELECT pg_sleep(30)" "and the statement"
assert_eq "$before" "$(state)" "the database is exactly as before the changeset"

# 3. the session is terminated mid-changeset (during its pg_sleep)
"$MIGRATOR" update --changelog-file=faults.xml --url="$url" -Dsleep=600 >out.txt 2>err.txt &
pid=$!
for _ in $(seq 1 600); do
    n=$(psql_q postgres "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
                         WHERE datname = '$db' AND query = 'SELECT pg_sleep(600)'")
    [ "$n" = 1 ] && break
    sleep 0.1
done
assert_eq 1 "$n" "(the changeset's session was found and terminated)"
wait $pid
RC=$?
ERR=$(cat err.txt)
assert_eq 1 "$RC" "terminated session: exit 1"
assert_contains "$ERR" "migrator: error: terminating connection due to administrator command" "the server's message"
assert_contains "$ERR" "changeset: faults.xml::slow::f" "names the changeset"
assert_contains "$ERR" "statement: SELECT pg_sleep(600)" "and the statement"
assert_contains "$ERR" "sqlstate: 57P01" "and the SQLSTATE"
assert_contains "$ERR" "it did not commit (DATABASECHANGELOG has no row for it)" \
    "says the changeset did not commit (checked on the lock's session)"
case "$ERR" in
    *"UPDATE"*databasechangeloglock*) fail "the error is the unlock's, not the changeset's" ;;
    *) pass "the error reported is the changeset's, not the unlock's" ;;
esac
assert_eq "$before" "$(state)" \
    "the database is exactly as before the changeset (lock row cleared on the lock's session)"
run "$MIGRATOR" update --changelog-file=faults.xml --url="$url" -Dsleep=0
assert_eq 0 "$RC" "the next update runs the changesets"
assert_eq "base,slow,after" "$(psql_q $db "SELECT string_agg(id, ',' ORDER BY orderexecuted) FROM databasechangelog")" \
    "and records each once"

# 4. a full backup folder: the dump does not fit
psql_q $db "CREATE TABLE filler AS SELECT g, md5(g::text) || md5((g * 3)::text) AS t
            FROM generate_series(1, 50000) g" >/dev/null
# no backup file may pass as complete: nothing left in the folder, and
# `backup list` finds nothing
check_no_backup() {
    assert_eq "" "$(ls -A "$1")" "$2: nothing is left in the folder"
    run "$MIGRATOR" backup list --backup-dir="$1"
    assert_eq "no backups in '$1'" "$OUT" "$2: backup list finds no backup"
}
mkdir small
if mount -t tmpfs -o size=256k,mode=0700 migrator-t1210 small 2>/dev/null; then
    at_exit "umount '$work/small' 2>/dev/null"
    echo "# full disk: a 256 KiB tmpfs"
    run timeout 120 "$MIGRATOR" backup --backup-dir=small --url="$url"
    assert_eq 1 "$RC" "full tmpfs: exit 1"
    assert_contains "$ERR" "No space left on device" "the error says the disk is full"
    assert_contains "$ERR" "cannot write 'small/$db-" "and names the file"
    check_no_backup small "full tmpfs"
    umount small
else
    echo "# full disk: mount -t tmpfs not permitted here; only the ulimit -f case runs"
fi
mkdir limited
run timeout 120 bash -c 'ulimit -f 128; exec "$@"' - "$MIGRATOR" backup --backup-dir=limited --url="$url"
assert_eq 1 "$RC" "file size limit (ulimit -f): exit 1, not a signal (SIGXFSZ)"
assert_contains "$ERR" "File too large" "the error says the file is too large"
check_no_backup limited "ulimit -f"
run "$MIGRATOR" backup --backup-dir=limited --url="$url"
assert_eq 0 "$RC" "with room, the same backup works"
# 6. the engine's first query fails right after the connection is made (a
# schema name that is not UTF-8, refused by the server): a clear error, and
# the connection is closed once (it was closed twice: a use-after-free that
# tests/stress/chaos.py found when the server died at that moment)
pre=$(state)
run "$MIGRATOR" status --changelog-file=faults.xml --url="$url" --default-schema-name=$'\xff'
assert_eq 1 "$RC" "the engine's first query fails: exit 1"
assert_contains "$ERR" 'invalid byte sequence for encoding "UTF8"' "the server's message"
case "$ERR" in
    *AddressSanitizer* | *"double free"* | *"free():"*) fail "the connection was freed twice: $ERR" ;;
    *) pass "no double free of the connection" ;;
esac
assert_eq "$pre" "$(state)" "and the database is as before"

finish
