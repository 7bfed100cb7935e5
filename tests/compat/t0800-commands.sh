#!/usr/bin/env bash
# executeCommand and customChange against real Liquibase 4.28: the same
# DATABASECHANGELOG rows (checksum, description) for a command both tools
# run, and a customChange refused before anything runs by both.
. "$(dirname "$0")/../lib/test-lib.sh"
ensure_liquibase

work=$(mktemp -d)
at_exit "rm -rf '$work'; drop_db c0800lb; drop_db c0800mg"
cd "$work" || exit 1
HEAD='<?xml version="1.0" encoding="UTF-8"?>
<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xsi:schemaLocation="http://www.liquibase.org/xml/ns/dbchangelog http://www.liquibase.org/xml/ns/dbchangelog/dbchangelog-latest.xsd">'
{
    echo "$HEAD"
    cat <<'XML'
  <changeSet id="1" author="c"><createTable tableName="t"><column name="id" type="int"/></createTable></changeSet>
  <changeSet id="2" author="c">
    <executeCommand executable="sh" timeout="20s">
      <arg value="-c"/><arg value="echo ran >> marker-$TOOL"/>
    </executeCommand>
  </changeSet>
  <changeSet id="3" author="c">
    <executeCommand executable="true" os="Linux, Mac OS X"/>
    <insert tableName="t"><column name="id" valueNumeric="3"/></insert>
  </changeSet>
</databaseChangeLog>
XML
} > cmd.xml
new_db c0800lb >/dev/null
new_db c0800mg >/dev/null
TOOL=lb run lb c0800lb --changelog-file=cmd.xml update
assert_eq 0 "$RC" "Liquibase runs the commands"
TOOL=mg run "$MIGRATOR" update --changelog-file=cmd.xml --url="$(pg_url c0800mg)" --allow-execute-command
assert_eq 0 "$RC" "migrator runs them with --allow-execute-command"
assert_eq "ran" "$(cat marker-lb 2>/dev/null)" "Liquibase ran the command once"
assert_eq "ran" "$(cat marker-mg 2>/dev/null)" "migrator ran the command once"
assert_eq "$(dump_rows c0800lb)" "$(dump_rows c0800mg)" "rows (checksums, descriptions) equal Liquibase's"
assert_eq "$(psql_q c0800lb "SELECT id FROM t")" "$(psql_q c0800mg "SELECT id FROM t")" "the insert beside a command ran"

# each tool continues the other: nothing runs again
TOOL=lb run lb c0800mg --changelog-file=cmd.xml update
assert_eq 0 "$RC" "Liquibase on migrator's database"
TOOL=mg run "$MIGRATOR" update --changelog-file=cmd.xml --url="$(pg_url c0800lb)" --allow-execute-command
assert_eq 0 "$RC" "migrator on Liquibase's database"
assert_eq "ran ran" "$(cat marker-lb | tr '\n' ' ' | sed 's/ $//') $(cat marker-mg | tr '\n' ' ' | sed 's/ $//')" \
    "no command ran twice"

# customChange: a Java class; Liquibase cannot load it, migrator cannot run it
{
    echo "$HEAD"
    cat <<'XML'
  <changeSet id="1" author="c"><createTable tableName="before_custom"><column name="id" type="int"/></createTable></changeSet>
  <changeSet id="2" author="c">
    <customChange class="com.example.NoSuchChange"><param name="x" value="1"/></customChange>
  </changeSet>
</databaseChangeLog>
XML
} > custom.xml
new_db c0800lb >/dev/null
new_db c0800mg >/dev/null
run lb c0800lb --changelog-file=custom.xml update
assert_eq 1 "$RC" "Liquibase refuses the unknown class"
run "$MIGRATOR" update --changelog-file=custom.xml --url="$(pg_url c0800mg)"
assert_eq 1 "$RC" "migrator refuses the customChange (exit 1, as Liquibase)"
assert_contains "$ERR" "com.example.NoSuchChange" "naming the Java class"
for db in c0800lb c0800mg; do
    assert_eq "0" "$(psql_q $db "SELECT count(*) FROM pg_tables WHERE tablename = 'before_custom'")" \
        "$db: nothing ran before the refusal"
done
finish
