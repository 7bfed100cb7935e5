#!/usr/bin/env bash
# Changelog semantics beyond the basics: includeAll ordering guard,
# property files and scoping, environment substitution opt-in, undefined
# properties, run rules (runAlways, ignore, runOrder, failOnError).
. "$(dirname "$0")/../lib/test-lib.sh"

db=t0500
url=$(new_db $db)
work=$(mktemp -d)
at_exit "rm -rf '$work'; drop_db $db"
cd "$work" || exit 1
mkdir -p migrations
cat > master.xml <<'XML'
<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog">
  <includeAll path="migrations/" relativeToChangelogFile="true"/>
</databaseChangeLog>
XML
printf -- '--liquibase formatted sql\n--changeset a:2\nCREATE TABLE two (id int);\n' > migrations/002_two.sql
printf -- '--liquibase formatted sql\n--changeset a:3\nCREATE TABLE three (id int);\n' > migrations/003_three.sql
run "$MIGRATOR" update --changelog-file=master.xml --url="$url"
assert_eq 0 "$RC" "includeAll applies the files in order"
assert_eq "migrations/002_two.sql,migrations/003_three.sql" \
    "$(psql_q $db "SELECT string_agg(filename, ',' ORDER BY orderexecuted) FROM databasechangelog")" \
    "FILENAME is the path as found"

printf -- '--liquibase formatted sql\n--changeset a:1\nCREATE TABLE one (id int);\n' > migrations/001_one.sql
run "$MIGRATOR" update --changelog-file=master.xml --url="$url" --strict-order
assert_eq 3 "$RC" "--strict-order refuses a new file sorting before applied ones"
assert_contains "$ERR" "migrations/001_one.sql::1::a" "and names it"
assert_eq "0" "$(psql_q $db "SELECT count(*) FROM pg_tables WHERE tablename='one'")" "nothing ran"
run "$MIGRATOR" update --changelog-file=master.xml --url="$url"
assert_eq 0 "$RC" "without --strict-order it runs"
assert_contains "$ERR" "will run out of order" "with a warning"

# properties: file=, scoping by dbms and context, local vs global
db2=t0500b
url2=$(new_db $db2)
at_exit "drop_db $db2"
printf 'tbl.name = from_file\n# a comment\nother: x\n' > props.properties
cat > props.xml <<'XML'
<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog">
  <property file="props.properties" relativeToChangelogFile="true"/>
  <property name="col" value="oracle_col" dbms="oracle"/>
  <property name="col" value="pg_col" dbms="postgresql"/>
  <property name="suffix" value="_dev" context="dev"/>
  <property name="suffix" value="_prod"/>
  <changeSet id="1" author="p">
    <createTable tableName="${tbl.name}${suffix}"><column name="${col}" type="int"/></createTable>
  </changeSet>
  <changeSet id="2" author="p">
    <preConditions onFail="MARK_RAN"><changeLogPropertyDefined property="other" value="x"/></preConditions>
    <sql>CREATE TABLE pre_ok (id int)</sql>
  </changeSet>
  <changeSet id="3" author="p">
    <preConditions onFail="MARK_RAN"><changeLogPropertyDefined property="missing"/></preConditions>
    <sql>CREATE TABLE pre_never (id int)</sql>
  </changeSet>
  <changeSet id="4" author="p"><comment>home is ${HOME} and ${undefined.thing}</comment><sql>SELECT 1</sql></changeSet>
</databaseChangeLog>
XML
run "$MIGRATOR" validate --changelog-file=props.xml
assert_contains "$ERR" "props.xml:18:32: property" "validate points at an undefined property"
assert_contains "$ERR" "property '\${undefined.thing}' is not defined" "and names it"
run "$MIGRATOR" update --changelog-file=props.xml --url="$url2" --contexts=dev
assert_eq 0 "$RC" "update with property files and scoped properties"
assert_eq "pg_col" "$(psql_q $db2 "SELECT column_name FROM information_schema.columns WHERE table_name='from_file_dev'")" \
    "file, dbms and context scoped properties apply"
assert_eq "EXECUTED,MARK_RAN" "$(psql_q $db2 "SELECT string_agg(exectype, ',' ORDER BY orderexecuted) FROM databasechangelog WHERE id IN ('2','3')")" \
    "changeLogPropertyDefined passes and fails as it should"
assert_eq 'home is ${HOME} and ${undefined.thing}' "$(psql_q $db2 "SELECT comments FROM databasechangelog WHERE id='4'")" \
    "the environment is not substituted by default"
db3=t0500c
url3=$(new_db $db3)
at_exit "drop_db $db3"
run env HOME=/home/test "$MIGRATOR" update --changelog-file=props.xml --url="$url3" --allow-env-substitution
assert_eq 'home is /home/test and ${undefined.thing}' "$(psql_q $db3 "SELECT comments FROM databasechangelog WHERE id='4'")" \
    "--allow-env-substitution lets the environment fill in"

# validate reports every problem at once, each with its position
cat > multi.xml <<'XML'
<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog">
  <changeSet id="1" author="m" colour="x"><sql>SELECT 1</sql></changeSet>
  <changeSet id="2" author="m"><frob/></changeSet>
  <changeSet id="3" author="m"><createTable tableName="t" bogus="1"/></changeSet>
  <include file="missing.xml"/>
</databaseChangeLog>
XML
run "$MIGRATOR" validate --changelog-file=multi.xml
assert_eq 3 "$RC" "validate with problems exits 3"
assert_contains "$ERR" "the changelog has 4 problems" "validate counts every problem"
assert_contains "$ERR" "multi.xml:2:32: unknown attribute 'colour' for changeSet" "problem 1 with position"
assert_contains "$ERR" "multi.xml:3:32: unknown change type 'frob'" "problem 2 with position"
assert_contains "$ERR" "multi.xml:4:59: unknown attribute 'bogus'" "problem 3 with position"
assert_contains "$ERR" "multi.xml:5:3: included file 'missing.xml' does not exist" "problem 4 with position"

# what Liquibase's XML schema and Java's regex syntax refuse, refused with a position
cat > schema.xml <<'XML'
<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog">
  <changeSet id="1" author="m">
    <mergeColumns tableName="t" column1Name="a" column2Name="b" finalColumnName="c" finalColumnType="text"/>
  </changeSet>
  <changeSet id="2" author="m">
    <sql>SELECT 1</sql>
    <modifySql><regExpReplace replace="(unclosed" with="x"/></modifySql>
  </changeSet>
</databaseChangeLog>
XML
run "$MIGRATOR" validate --changelog-file=schema.xml
assert_eq 3 "$RC" "schema and regex problems exit 3"
assert_contains "$ERR" "schema.xml:3:5: attribute 'joinString' must appear on element 'mergeColumns'" \
    "a required attribute of the XML schema is missing"
assert_contains "$ERR" "schema.xml:7:16: invalid regular expression '(unclosed'" \
    "a regExpReplace pattern Java refuses"

# a replacement naming a group the pattern lacks fails its changeset (Java throws on a match)
cat > badgroup.xml <<'XML'
<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog">
  <changeSet id="1" author="m">
    <createTable tableName="bg"><column name="id" type="int"/></createTable>
    <modifySql><regExpReplace replace="(bg)" with="$3"/></modifySql>
  </changeSet>
</databaseChangeLog>
XML
run "$MIGRATOR" update --changelog-file=badgroup.xml --url="$url"
assert_eq 3 "$RC" "a bad group reference fails the update (a changelog problem: exit 3)"
assert_contains "$ERR" "badgroup.xml:4:16:" "with the position of the regExpReplace"
assert_contains "$ERR" "no group 3" "and the reason"
assert_eq "0" "$(psql_q $db "SELECT count(*) FROM pg_tables WHERE tablename = 'bg'")" "nothing of it ran"

# a file included twice is refused, as Liquibase 4.28 does
printf '<databaseChangeLog>\n <changeSet id="1" author="d"><sql>SELECT 1</sql></changeSet>\n</databaseChangeLog>\n' > child.xml
printf '<databaseChangeLog>\n <include file="child.xml"/>\n <include file="child.xml"/>\n</databaseChangeLog>\n' > twice.xml
run "$MIGRATOR" validate --changelog-file=twice.xml
assert_eq 3 "$RC" "a file included twice is refused"
assert_contains "$ERR" "duplicate changeset identifier 'child.xml::1::d'" "naming the duplicate"
printf '<databaseChangeLog>\n <includeAll path="migrations/" filter="com.example.MyFilter"/>\n</databaseChangeLog>\n' > filter.xml
run "$MIGRATOR" validate --changelog-file=filter.xml
assert_contains "$ERR" "filter.xml:2:2: includeAll filter 'com.example.MyFilter' names a Java class" \
    "an includeAll filter class is refused with a clear message"

# a checksum mismatch is explained: stored, computed, per change
db5=t0500e
url5=$(new_db $db5)
at_exit "drop_db $db5"
printf '<databaseChangeLog>\n <changeSet id="1" author="e"><createTable tableName="e"><column name="id" type="int"/></createTable></changeSet>\n</databaseChangeLog>\n' > edit.xml
run "$MIGRATOR" update --changelog-file=edit.xml --url="$url5"
printf '<databaseChangeLog>\n <changeSet id="1" author="e"><createTable tableName="e2"><column name="id" type="int"/></createTable></changeSet>\n</databaseChangeLog>\n' > edit.xml
run "$MIGRATOR" status --verbose --changelog-file=edit.xml --url="$url5"
assert_eq 3 "$RC" "status reports a checksum mismatch with exit 3"
assert_contains "$ERR" "edit.xml::1::e was: 9:" "with stored and computed checksums"
assert_contains "$ERR" "changes were: createTable tableName=e; now: createTable tableName=e2" \
    "and what changed"
assert_contains "$ERR" "change 1 (createTable, edit.xml:2): 9:" "and each change's checksum"

# run rules
db4=t0500d
url4=$(new_db $db4)
at_exit "drop_db $db4"
cat > rules.xml <<'XML'
<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog">
  <changeSet id="t" author="r"><sql>CREATE TABLE hits (n int)</sql></changeSet>
  <changeSet id="last" author="r" runOrder="last"><sql>INSERT INTO hits VALUES (100)</sql></changeSet>
  <changeSet id="always" author="r" runAlways="true"><sql>INSERT INTO hits VALUES (1)</sql></changeSet>
  <changeSet id="ignored" author="r" ignore="true"><sql>INSERT INTO hits VALUES (-1)</sql></changeSet>
  <changeSet id="soft" author="r" failOnError="false"><sql>INSERT INTO nowhere VALUES (1)</sql></changeSet>
  <changeSet id="after" author="r"><sql>INSERT INTO hits VALUES (2)</sql></changeSet>
</databaseChangeLog>
XML
run "$MIGRATOR" update --changelog-file=rules.xml --url="$url4"
assert_eq 0 "$RC" "failOnError=false does not stop the run"
assert_eq "t,always,after,last" "$(psql_q $db4 "SELECT string_agg(id, ',' ORDER BY orderexecuted) FROM databasechangelog")" \
    "runOrder=last runs last; ignored and failed changesets leave no row"
run "$MIGRATOR" update --changelog-file=rules.xml --url="$url4"
assert_eq "2" "$(psql_q $db4 "SELECT count(*) FROM hits WHERE n = 1")" "runAlways runs on every update"
assert_eq "RERAN" "$(psql_q $db4 "SELECT exectype FROM databasechangelog WHERE id='always'")" "as RERAN"
assert_eq "5" "$(psql_q $db4 "SELECT orderexecuted FROM databasechangelog WHERE id='always'")" \
    "with a new ORDEREXECUTED"
finish
