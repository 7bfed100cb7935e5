#!/usr/bin/env bash
# Liquibase's ways of passing settings: global options before the command,
# JDBC URLs, liquibase.properties, LIQUIBASE_COMMAND_* variables, -D
# properties; and passwords never appear in output.
. "$(dirname "$0")/../lib/test-lib.sh"

db=t0400
url=$(new_db $db)
work=$(mktemp -d)
at_exit "rm -rf '$work'; drop_db $db"
cd "$work" || exit 1
cat > props.xml <<'XML'
<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog">
  <property name="table" value="from_changelog"/>
  <changeSet id="1" author="t"><createTable tableName="${table}"><column name="id" type="int"/></createTable></changeSet>
  <changeSet id="2" author="t" context="dev"><createTable tableName="dev_only"><column name="id" type="int"/></createTable></changeSet>
</databaseChangeLog>
XML
jdbc="jdbc:postgresql://$MG_PG_TCP:$PGPORT/$db?user=$PGUSER&password=s3cr3t-pw&currentSchema=public"

# global options before the command, -D after it, JDBC URL with credentials
run "$MIGRATOR" --url="$jdbc" --changelog-file=props.xml --contexts=prod update -Dtable=from_cli
assert_eq 0 "$RC" "global options before the command and a JDBC URL"
assert_eq "1" "$(psql_q $db "SELECT count(*) FROM pg_tables WHERE tablename='from_cli'")" \
    "-D overrides the changelog property"
assert_eq "0" "$(psql_q $db "SELECT count(*) FROM pg_tables WHERE tablename='dev_only'")" \
    "--contexts filters changesets"
run "$MIGRATOR" update-sql --url="$jdbc" --changelog-file=props.xml
case "$OUT$ERR" in *s3cr3t-pw*) fail "the password is printed" ;; *) pass "the password is never printed" ;; esac
assert_contains "$OUT" "password=*****" "the URL is shown with the password masked"

# liquibase.properties in the working folder
db2=t0400b
new_db $db2 >/dev/null
at_exit "drop_db $db2"
cat > liquibase.properties <<PROPS
changeLogFile: props.xml
url: jdbc:postgresql://$MG_PG_TCP:$PGPORT/$db2
username: $PGUSER
password: other-secret
parameter.table: from_defaults_file
PROPS
run "$MIGRATOR" update
assert_eq 0 "$RC" "settings from liquibase.properties"
assert_eq "1" "$(psql_q $db2 "SELECT count(*) FROM pg_tables WHERE tablename='from_defaults_file'")" \
    "parameter.* from the defaults file are changelog properties"
case "$OUT$ERR" in *other-secret*) fail "defaults-file password printed" ;; *) pass "defaults-file password not printed" ;; esac

# --defaults-file and LIQUIBASE_COMMAND_* variables (they beat the file)
db3=t0400c
new_db $db3 >/dev/null
at_exit "drop_db $db3"
mv liquibase.properties custom.properties
run env LIQUIBASE_COMMAND_URL="jdbc:postgresql://$MG_PG_TCP:$PGPORT/$db3" \
    "$MIGRATOR" --defaults-file=custom.properties update
assert_eq 0 "$RC" "--defaults-file plus LIQUIBASE_COMMAND_URL"
assert_eq "2" "$(psql_q $db3 "SELECT count(*) FROM databasechangelog")" \
    "the environment variable wins over the defaults file"

# libpq conninfo strings and PG* variables
db4=t0400d
new_db $db4 >/dev/null
at_exit "drop_db $db4"
run env PGDATABASE=$db4 "$MIGRATOR" update --changelog-file=props.xml --url="host=$PGHOST port=$PGPORT"
assert_eq 0 "$RC" "libpq conninfo with PGDATABASE from the environment"
assert_eq "2" "$(psql_q $db4 "SELECT count(*) FROM databasechangelog")" "rows written through a conninfo URL"

# --default-schema-name puts objects and bookkeeping in that schema
psql_q $db4 "CREATE SCHEMA app"
run "$MIGRATOR" update --changelog-file=props.xml --url="$(pg_url $db4)" --default-schema-name=app
assert_eq 0 "$RC" "--default-schema-name"
assert_eq "2" "$(psql_q $db4 "SELECT count(*) FROM app.databasechangelog")" \
    "DATABASECHANGELOG lives in the chosen schema"
assert_eq "1" "$(psql_q $db4 "SELECT count(*) FROM pg_tables WHERE schemaname='app' AND tablename='from_changelog'")" \
    "objects are created in the chosen schema"

# --log-level=fine shows each statement as it runs
db5=t0400e
url5=$(new_db $db5)
at_exit "drop_db $db5"
run "$MIGRATOR" update --changelog-file=props.xml --url="$url5" --log-level=FINE
assert_contains "$ERR" "[SQL] CREATE TABLE public.from_changelog" "--log-level=fine logs the SQL"
run "$MIGRATOR" update --changelog-file=props.xml --url="$url5" --log-level=info
case "$ERR" in *"[SQL]"*) fail "--log-level=info is quiet" ;; *) pass "--log-level=info is quiet" ;; esac

# usage errors
run "$MIGRATOR" update --changelog-file=props.xml --url="$url" --no-such-option=1
assert_eq 2 "$RC" "an unknown option exits 2"
assert_contains "$ERR" "unknown option" "and says so"
run "$MIGRATOR" update-count --changelog-file=props.xml --url="$url"
assert_eq 2 "$RC" "update-count without --count exits 2"
finish
