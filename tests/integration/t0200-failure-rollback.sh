#!/usr/bin/env bash
# A failing statement rolls its whole changeset back (with its
# DATABASECHANGELOG row), stops the run and says where and why.
. "$(dirname "$0")/../lib/test-lib.sh"

db=t0200
url=$(new_db $db)
work=$(mktemp -d)
at_exit "rm -rf '$work'; drop_db $db"
cd "$work" || exit 1
cat > fail.xml <<'XML'
<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog">
  <changeSet id="ok" author="t"><sql>CREATE TABLE good (id int)</sql></changeSet>
  <changeSet id="bad" author="t">
    <sql>CREATE TABLE half (id int); INSERT INTO half VALUES (1)</sql>
    <sql>INSERT INTO missing_table VALUES (1)</sql>
  </changeSet>
  <changeSet id="after" author="t"><sql>CREATE TABLE never (id int)</sql></changeSet>
</databaseChangeLog>
XML
run "$MIGRATOR" update --changelog-file=fail.xml --url="$url"
assert_eq 1 "$RC" "a database error exits 1"
assert_contains "$ERR" "changeset: fail.xml::bad::t" "the error names the changeset"
assert_contains "$ERR" "statement: INSERT INTO missing_table VALUES (1)" "the error shows the statement"
assert_contains "$ERR" "sqlstate: 42P01" "the error shows the SQLSTATE"
assert_contains "$ERR" 'relation "missing_table" does not exist' "the error shows the server message"
assert_eq "good" "$(psql_q $db "SELECT string_agg(tablename, ',') FROM pg_tables WHERE schemaname='public' AND tablename NOT LIKE 'databasechange%'")" \
    "the failed changeset left nothing behind and later ones did not run"
assert_eq "ok" "$(psql_q $db "SELECT string_agg(id, ',') FROM databasechangelog")" \
    "only the good changeset is recorded"
assert_eq "f" "$(psql_q $db "SELECT locked FROM databasechangeloglock")" "the lock is released after a failure"

# runInTransaction=false: CREATE INDEX CONCURRENTLY works
cat > conc.xml <<'XML'
<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog">
  <changeSet id="t" author="t"><sql>CREATE TABLE ci (id int)</sql></changeSet>
  <changeSet id="idx" author="t" runInTransaction="false">
    <sql>CREATE INDEX CONCURRENTLY ci_idx ON ci (id)</sql>
  </changeSet>
</databaseChangeLog>
XML
run "$MIGRATOR" update --changelog-file=conc.xml --url="$url"
assert_eq 0 "$RC" "runInTransaction=false runs CREATE INDEX CONCURRENTLY"
assert_eq "1" "$(psql_q $db "SELECT count(*) FROM pg_indexes WHERE indexname='ci_idx'")" "the index exists"

# a malformed changelog: file:line:column, exit 3, database untouched
db2=t0200b
url2=$(new_db $db2)
at_exit "drop_db $db2"
printf '<databaseChangeLog>\n  <changeSet id="1" author="a">\n    <createTable tableName="x">\n  </changeSet>\n</databaseChangeLog>\n' > broken.xml
run "$MIGRATOR" update --changelog-file=broken.xml --url="$url2"
assert_eq 3 "$RC" "malformed XML exits 3"
assert_contains "$ERR" "broken.xml:4:" "malformed XML error has file:line"
printf '<databaseChangeLog>\n  <changeSet id="1" author="a">\n    <frobTable tableName="x"/>\n  </changeSet>\n</databaseChangeLog>\n' > unknown.xml
run "$MIGRATOR" update --changelog-file=unknown.xml --url="$url2"
assert_eq 3 "$RC" "an unknown change type exits 3"
assert_contains "$ERR" "unknown.xml:3:5: unknown change type 'frobTable'" "unknown change type with file:line:col"
printf '<databaseChangeLog>\n  <changeSet id="1" author="a">\n    <createTable tableName="x" colour="red"/>\n  </changeSet>\n</databaseChangeLog>\n' > attr.xml
run "$MIGRATOR" update --changelog-file=attr.xml --url="$url2"
assert_contains "$ERR" "attr.xml:3:32: unknown attribute 'colour' for change 'createTable'" \
    "unknown attribute with file:line:col"
printf '<databaseChangeLog>\n  <changeSet id="1" author="a"><sql>SELECT 1</sql></changeSet>\n  <changeSet id="1" author="a"><sql>SELECT 2</sql></changeSet>\n</databaseChangeLog>\n' > dup.xml
run "$MIGRATOR" update --changelog-file=dup.xml --url="$url2"
assert_eq 3 "$RC" "duplicate identifiers exit 3"
assert_contains "$ERR" "dup.xml:3:3: duplicate changeset identifier" "duplicate identifier with position"
printf '<databaseChangeLog>\n  <changeSet id="1" author="a">\n    <customChange class="com.example.Fix"/>\n  </changeSet>\n</databaseChangeLog>\n' > custom.xml
run "$MIGRATOR" update --changelog-file=custom.xml --url="$url2"
assert_eq 1 "$RC" "customChange is refused before anything runs"
assert_contains "$ERR" "custom.xml:3:5: customChange runs the Java class 'com.example.Fix'" \
    "naming the Java class"
printf '<databaseChangeLog>\n  <changeSet id="1" author="a">\n    <insert tableName="x">\n      <column name="a" valueString="oops"/>\n    </insert>\n  </changeSet>\n</databaseChangeLog>\n' > col.xml
run "$MIGRATOR" update --changelog-file=col.xml --url="$url2"
assert_eq 3 "$RC" "an unknown column attribute exits 3"
assert_contains "$ERR" "col.xml:4:24: unknown attribute 'valueString' for column of 'insert'" \
    "unknown column attribute with file:line:col"
printf 'databaseChangeLog:\n  - changeSet:\n      id: 1\n      author: a\n      changes:\n        - createTable:\n            tableName: [oops\n' > bad.yaml
run "$MIGRATOR" update --changelog-file=bad.yaml --url="$url2"
assert_eq 3 "$RC" "malformed YAML exits 3"
assert_contains "$ERR" "bad.yaml:" "malformed YAML error has the file"
printf '{"databaseChangeLog": [ {"changeSet": {"id": "1", "author": "a",}} ]}\n' > bad.json
run "$MIGRATOR" update --changelog-file=bad.json --url="$url2"
assert_eq 3 "$RC" "malformed JSON exits 3"
assert_contains "$ERR" "bad.json:1:" "malformed JSON error has file:line"
assert_eq "0" "$(psql_q $db2 "SELECT count(*) FROM pg_tables WHERE schemaname='public'")" \
    "invalid changelogs never touch the database"
finish
