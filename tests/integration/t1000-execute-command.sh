#!/usr/bin/env bash
# executeCommand: off unless --allow-execute-command (refused before
# anything runs), output captured, a timeout, a failing command rolls its
# changeset back.
. "$(dirname "$0")/../lib/test-lib.sh"

db=t1000
url=$(new_db $db)
work=$(mktemp -d)
at_exit "rm -rf '$work'; drop_db $db"
cd "$work" || exit 1
cat > cmd.xml <<'XML'
<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog">
  <changeSet id="1" author="x"><sql>CREATE TABLE before_cmd (id int)</sql></changeSet>
  <changeSet id="2" author="x">
    <sql>CREATE TABLE with_cmd (id int)</sql>
    <executeCommand executable="sh"><arg value="-c"/><arg value="echo hello from the command; touch ran.marker"/></executeCommand>
  </changeSet>
</databaseChangeLog>
XML
run "$MIGRATOR" update --changelog-file=cmd.xml --url="$url"
assert_eq 3 "$RC" "executeCommand is refused without --allow-execute-command"
assert_contains "$ERR" "cmd.xml:3:3: changeset cmd.xml::2::x runs a command" "with its position"
assert_eq "0" "$(psql_q $db "SELECT count(*) FROM pg_tables WHERE schemaname='public' AND tablename NOT LIKE 'databasechange%'")" \
    "before anything runs"
run "$MIGRATOR" update-sql --changelog-file=cmd.xml --url="$url"
assert_contains "$OUT" "-- sh -c echo hello from the command; touch ran.marker;" "update-sql names the command (as Liquibase's comment)"
run "$MIGRATOR" update --changelog-file=cmd.xml --url="$url" --allow-execute-command
assert_eq 0 "$RC" "with --allow-execute-command it runs"
assert_contains "$ERR" "hello from the command" "its output is captured"
[ -f ran.marker ] && pass "the command ran" || fail "the command ran"
assert_eq "2" "$(psql_q $db "SELECT count(*) FROM databasechangelog")" "both changesets are recorded"

cat > slow.xml <<'XML'
<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog">
  <changeSet id="s" author="x">
    <sql>CREATE TABLE slow_cmd (id int)</sql>
    <executeCommand executable="sleep" timeout="1s"><arg value="30"/></executeCommand>
  </changeSet>
</databaseChangeLog>
XML
run "$MIGRATOR" update --changelog-file=slow.xml --url="$url" --allow-execute-command
assert_eq 1 "$RC" "a command past its timeout fails"
assert_contains "$ERR" "did not finish within 1s" "and says so"
assert_eq "0" "$(psql_q $db "SELECT count(*) FROM pg_tables WHERE tablename='slow_cmd'")" \
    "its changeset is rolled back"
assert_eq "0" "$(psql_q $db "SELECT count(*) FROM databasechangelog WHERE id='s'")" "and not recorded"
finish
