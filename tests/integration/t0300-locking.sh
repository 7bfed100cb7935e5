#!/usr/bin/env bash
# Two runners exclude each other; a killed runner blocks nobody.
. "$(dirname "$0")/../lib/test-lib.sh"

db=t0300
url=$(new_db $db)
work=$(mktemp -d)
at_exit "rm -rf '$work'; drop_db $db"
cd "$work" || exit 1
cat > slow.xml <<'XML'
<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog">
  <changeSet id="slow" author="t"><sql>SELECT pg_sleep(4)</sql></changeSet>
</databaseChangeLog>
XML

"$MIGRATOR" update --changelog-file=slow.xml --url="$url" >"$work/first.log" 2>&1 &
first=$!
sleep 1.5
run "$MIGRATOR" update --changelog-file=slow.xml --url="$url" --lock-wait-timeout=1
assert_eq 4 "$RC" "a second runner gives up with exit 4"
assert_contains "$ERR" "could not acquire the migration lock" "it says it could not get the lock"
assert_contains "$ERR" "migrator" "and names the holder"
run "$MIGRATOR" list-locks --url="$url"
assert_contains "$OUT" "advisory" "list-locks shows the advisory lock holder"
run "$MIGRATOR" update --changelog-file=slow.xml --url="$url" --lock-wait-timeout=30
assert_eq 0 "$RC" "a runner that waits long enough succeeds"
wait $first
assert_eq 0 "$?" "the first runner succeeded"
assert_eq "1" "$(psql_q $db "SELECT count(*) FROM databasechangelog")" "the changeset ran once"

# SIGKILL in the middle of a changeset
db2=t0300b
url2=$(new_db $db2)
at_exit "drop_db $db2"
"$MIGRATOR" update --changelog-file=slow.xml --url="$url2" >/dev/null 2>&1 &
victim=$!
sleep 1.5
kill -9 $victim
wait $victim 2>/dev/null
assert_eq "t" "$(psql_q $db2 "SELECT locked FROM databasechangeloglock")" \
    "the killed runner left the Liquibase lock row set"
start=$(date +%s)
run "$MIGRATOR" update --changelog-file=slow.xml --url="$url2" --lock-wait-timeout=2
assert_eq 0 "$RC" "a new run proceeds at once after a SIGKILL"
assert_eq "1" "$(psql_q $db2 "SELECT count(*) FROM databasechangelog")" "and applies the changeset once"
assert_eq "f" "$(psql_q $db2 "SELECT locked FROM databasechangeloglock")" "and releases the lock row"

# a lock row held by someone else (a Java Liquibase) is respected
psql_q $db2 "UPDATE databasechangeloglock SET locked = TRUE, lockedby = 'javahost (10.0.0.1)', lockgranted = now()"
run "$MIGRATOR" update --changelog-file=slow.xml --url="$url2" --lock-wait-timeout=1
assert_eq 4 "$RC" "a Liquibase-held lock row makes migrator wait and give up"
assert_contains "$ERR" "javahost (10.0.0.1)" "naming the Liquibase holder"
# another client (Liquibase does this before it takes any lock) creates a bookkeeping table in
# a transaction still open when migrator creates the same table
creating() { # DB SQL: run SQL then sleep 1.5 s in one transaction, in the background
    PGAPPNAME=t0300-creator psql -XAtq -d "$1" -c "BEGIN; $2; SELECT pg_sleep(1.5); COMMIT" >/dev/null &
    creator=$!
    for _ in $(seq 100); do
        [ "$(psql_q "$1" "SELECT count(*) FROM pg_stat_activity WHERE application_name = 't0300-creator' AND wait_event = 'PgSleep'")" = 1 ] && return
        sleep 0.05
    done
}
cat > one.xml <<'XML'
<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog">
  <changeSet id="one" author="t"><sql>SELECT 1</sql></changeSet>
</databaseChangeLog>
XML
db3=t0300c
url3=$(new_db $db3)
at_exit "drop_db $db3"
creating $db3 "CREATE TABLE databasechangeloglock (ID INTEGER NOT NULL, LOCKED BOOLEAN NOT NULL,
    LOCKGRANTED TIMESTAMP, LOCKEDBY VARCHAR(255), CONSTRAINT databasechangeloglock_pkey PRIMARY KEY (ID));
    INSERT INTO databasechangeloglock VALUES (1, FALSE)"
run "$MIGRATOR" update --changelog-file=one.xml --url="$url3" --lock-wait-timeout=10
wait $creator
assert_eq 0 "$RC" "a lock table created meanwhile by another client is used"
assert_eq "1 f" "$(psql_q $db3 "SELECT count(*) || ' ' || bool_or(locked)::char FROM databasechangeloglock")" \
    "it has one row, unlocked"
db4=t0300d
url4=$(new_db $db4)
at_exit "drop_db $db4"
psql_q $db4 "CREATE TABLE IF NOT EXISTS databasechangeloglock (ID INTEGER NOT NULL PRIMARY KEY, LOCKED BOOLEAN NOT NULL,
    LOCKGRANTED TIMESTAMP, LOCKEDBY VARCHAR(255))"
creating $db4 "CREATE TABLE databasechangelog (ID VARCHAR(255) NOT NULL, AUTHOR VARCHAR(255) NOT NULL,
    FILENAME VARCHAR(255) NOT NULL, DATEEXECUTED TIMESTAMP NOT NULL, ORDEREXECUTED INTEGER NOT NULL,
    EXECTYPE VARCHAR(10) NOT NULL, MD5SUM VARCHAR(35), DESCRIPTION VARCHAR(255), COMMENTS VARCHAR(255),
    TAG VARCHAR(255), LIQUIBASE VARCHAR(20), CONTEXTS VARCHAR(255), LABELS VARCHAR(255),
    DEPLOYMENT_ID VARCHAR(10))"
run "$MIGRATOR" update --changelog-file=one.xml --url="$url4" --lock-wait-timeout=10
wait $creator
assert_eq 0 "$RC" "a DATABASECHANGELOG created meanwhile by another client is used"
assert_eq "1" "$(psql_q $db4 "SELECT count(*) FROM databasechangelog")" "and the changeset is recorded in it"
finish
