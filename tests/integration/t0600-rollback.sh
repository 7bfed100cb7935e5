#!/usr/bin/env bash
# Rollback commands against a real database: previews change nothing,
# each changeset is undone in one transaction with its row, a failing
# rollback stops with the changeset and statement, changesets without a
# rollback are refused before anything runs.
. "$(dirname "$0")/../lib/test-lib.sh"

db=t0600
url=$(new_db $db)
work=$(mktemp -d)
at_exit "rm -rf '$work'; drop_db $db"
cd "$work" || exit 1
cat > rb.xml <<'XML'
<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog">
  <changeSet id="1" author="r"><createTable tableName="acct"><column name="id" type="int"/></createTable></changeSet>
  <changeSet id="2" author="r"><addColumn tableName="acct"><column name="name" type="varchar(20)"/></addColumn></changeSet>
  <changeSet id="3" author="r"><tagDatabase tag="v1"/></changeSet>
  <changeSet id="4" author="r">
    <sql>INSERT INTO acct VALUES (1, 'one')</sql>
    <rollback><sql>DELETE FROM acct WHERE id = 1</sql></rollback>
  </changeSet>
  <include file="more.yaml"/>
</databaseChangeLog>
XML
cat > more.yaml <<'YAML'
databaseChangeLog:
  - changeSet:
      id: y1
      author: r
      changes:
        - createTable: {tableName: y_tab, columns: [{column: {name: id, type: int}}]}
      rollback: DROP TABLE y_tab
  - changeSet:
      id: y2
      author: r
      changes:
        - createSequence: {sequenceName: y_seq}
      rollback:
        - dropSequence: {sequenceName: y_seq}
YAML
run "$MIGRATOR" update --changelog-file=rb.xml --url="$url"
assert_eq 0 "$RC" "update"
dep=$(psql_q $db "SELECT deployment_id FROM databasechangelog LIMIT 1")

run "$MIGRATOR" future-rollback-sql --changelog-file=rb.xml --url="$url"
assert_eq 0 "$RC" "future-rollback-sql with nothing pending"

run "$MIGRATOR" rollback-count-sql --count=3 --changelog-file=rb.xml --url="$url"
assert_eq 0 "$RC" "rollback-count-sql"
assert_eq "DROP SEQUENCE public.y_seq CASCADE;
DROP TABLE y_tab;
DELETE FROM acct WHERE id = 1;" "$(grep -v '^--\|^DELETE FROM public.databasechangelog\|^UPDATE public.databasechangeloglock\|^$' <<<"$OUT")" \
    "rollback-count-sql prints YAML list, YAML text and XML <rollback> SQL, newest first"
assert_contains "$OUT" "-- Rollback 3 Change(s) Script" "with Liquibase's banner"
assert_eq "6" "$(psql_q $db "SELECT count(*) FROM databasechangelog")" "rollback-count-sql changes nothing"

run "$MIGRATOR" rollback-count --count=1 --changelog-file=rb.xml --url="$url"
assert_eq 0 "$RC" "rollback-count --count=1"
assert_eq "0" "$(psql_q $db "SELECT count(*) FROM pg_class WHERE relname='y_seq'")" "the sequence is gone"
assert_eq "5" "$(psql_q $db "SELECT count(*) FROM databasechangelog")" "and its row"

run "$MIGRATOR" rollback --tag=v1 --changelog-file=rb.xml --url="$url"
assert_eq 0 "$RC" "rollback --tag=v1"
assert_eq "1,2" "$(psql_q $db "SELECT string_agg(id, ',' ORDER BY orderexecuted) FROM databasechangelog")" \
    "rolls back everything after the tag and the tagDatabase changeset itself (Liquibase 4.28)"
assert_eq "0" "$(psql_q $db "SELECT count(*) FROM acct")" "the insert was undone"
run "$MIGRATOR" rollback --tag=nope --changelog-file=rb.xml --url="$url"
assert_eq 1 "$RC" "an unknown tag fails"
assert_contains "$ERR" "could not find tag 'nope'" "and says so"

run "$MIGRATOR" future-rollback-count-sql --count=2 --changelog-file=rb.xml --url="$url"
assert_contains "$OUT" "-- Rolling Back ChangeSet: rb.xml::4::r" "future-rollback-count-sql covers the next pending changesets"
run "$MIGRATOR" future-rollback-from-tag-sql --tag=v1 --changelog-file=rb.xml --url="$url"
assert_contains "$OUT" "DROP TABLE y_tab;" "future-rollback-from-tag-sql covers what follows the tag"

# rollback-one-changeset needs --force; rollback-one-update
run "$MIGRATOR" update --changelog-file=rb.xml --url="$url"
run "$MIGRATOR" rollback-one-changeset --changeset-path=more.yaml --changeset-id=y1 \
    --changeset-author=r --changelog-file=rb.xml --url="$url"
assert_eq 2 "$RC" "rollback-one-changeset without --force is refused"
run "$MIGRATOR" rollback-one-changeset-sql --changeset-path=more.yaml --changeset-id=y1 \
    --changeset-author=r --changelog-file=rb.xml --url="$url"
assert_contains "$OUT" "DROP TABLE y_tab;" "rollback-one-changeset-sql previews it"
run "$MIGRATOR" rollback-one-changeset --changeset-path=more.yaml --changeset-id=y1 \
    --changeset-author=r --changelog-file=rb.xml --url="$url" --force
assert_eq 0 "$RC" "rollback-one-changeset --force"
assert_eq "0" "$(psql_q $db "SELECT count(*) FROM databasechangelog WHERE id='y1'")" "only that changeset is gone"
assert_eq "1" "$(psql_q $db "SELECT count(*) FROM databasechangelog WHERE id='y2'")" "a later one stays"
dep2=$(psql_q $db "SELECT deployment_id FROM databasechangelog WHERE id='4'")
run "$MIGRATOR" rollback-one-update --deployment-id="$dep2" --changelog-file=rb.xml --url="$url" --force
assert_eq 0 "$RC" "rollback-one-update --force"
assert_eq "0" "$(psql_q $db "SELECT count(*) FROM databasechangelog WHERE deployment_id='$dep2'")" \
    "every changeset of that run is rolled back"
assert_eq "2" "$(psql_q $db "SELECT count(*) FROM databasechangelog WHERE deployment_id='$dep'")" \
    "the first run's changesets stay"

# rollback-to-date
run "$MIGRATOR" update --changelog-file=rb.xml --url="$url"
when=$(psql_q $db "SELECT to_char(max(dateexecuted) - interval '1 microsecond', 'YYYY-MM-DD\"T\"HH24:MI:SS.US') FROM databasechangelog WHERE id='2'")
run "$MIGRATOR" rollback-to-date-sql --date="$when" --changelog-file=rb.xml --url="$url"
assert_contains "$OUT" "-- Rollback to $when Script" "rollback-to-date-sql"
run "$MIGRATOR" rollback-to-date --date="$(psql_q $db "SELECT to_char(max(dateexecuted), 'YYYY-MM-DD HH24:MI:SS.US') FROM databasechangelog WHERE id='2'")" \
    --changelog-file=rb.xml --url="$url"
assert_eq 0 "$RC" "rollback-to-date"

# no rollback known: refused before anything runs, naming changeset and change
db2=t0600b
url2=$(new_db $db2)
at_exit "drop_db $db2"
cat > norb.xml <<'XML'
<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog">
  <changeSet id="1" author="n"><createTable tableName="t"><column name="id" type="int"/></createTable></changeSet>
  <changeSet id="2" author="n"><insert tableName="t"><column name="id" valueNumeric="1"/></insert></changeSet>
  <changeSet id="3" author="n"><sql>CREATE TABLE t3 (id int)</sql><rollback>DROP TABLE t3_typo</rollback></changeSet>
  <changeSet id="4" author="n"><sql>CREATE TABLE t4 (id int)</sql><rollback>DROP TABLE t4</rollback></changeSet>
</databaseChangeLog>
XML
run "$MIGRATOR" validate --changelog-file=norb.xml --require-rollback
assert_eq 3 "$RC" "validate --require-rollback exits 3"
assert_contains "$ERR" "norb.xml:3:3: norb.xml::2::n: change 'insert'" "and lists the changeset with its position"
run "$MIGRATOR" update --changelog-file=norb.xml --url="$url2"
run "$MIGRATOR" rollback-count --count=3 --changelog-file=norb.xml --url="$url2"
assert_eq 1 "$RC" "a changeset without rollback stops rollback-count"
assert_contains "$ERR" "change 'insert' has no automatic rollback" "naming the change"
assert_contains "$ERR" "changeset: norb.xml::2::n" "and the changeset"
assert_eq "4" "$(psql_q $db2 "SELECT count(*) FROM databasechangelog")" "before anything ran"

# a rollback failing midway: the changesets before it are rolled back,
# the failing one is left exactly as it was
run "$MIGRATOR" rollback-count --count=2 --changelog-file=norb.xml --url="$url2"
assert_eq 1 "$RC" "a failing rollback exits 1"
assert_contains "$ERR" "changeset: norb.xml::3::n" "it names the changeset"
assert_contains "$ERR" "statement: DROP TABLE t3_typo" "and the statement"
assert_eq "1,2,3" "$(psql_q $db2 "SELECT string_agg(id, ',' ORDER BY orderexecuted) FROM databasechangelog")" \
    "changeset 4 was rolled back, 3 kept its row"
assert_eq "1" "$(psql_q $db2 "SELECT count(*) FROM pg_tables WHERE tablename='t3'")" "and its table"
assert_eq "0" "$(psql_q $db2 "SELECT count(*) FROM pg_tables WHERE tablename='t4'")" "4's table is gone"

# JSON and formatted SQL rollbacks
db6=t0600f
url6=$(new_db $db6)
at_exit "drop_db $db6"
cat > j.json <<'JSON'
{"databaseChangeLog": [
  {"changeSet": {"id": "j1", "author": "j", "changes": [{"sql": "CREATE TABLE j1 (id int)"}],
                 "rollback": "DROP TABLE j1"}},
  {"changeSet": {"id": "j2", "author": "j", "changes": [{"createTable": {"tableName": "j2",
                 "columns": [{"column": {"name": "id", "type": "int"}}]}}]}}
]}
JSON
printf -- '--liquibase formatted sql
--changeset f:1
CREATE TABLE f1 (id int);
--rollback DROP TABLE f1;
--changeset f:2
CREATE TABLE f2 (id int);
/* liquibase rollback
DROP TABLE
  f2;
*/
' > f.sql
run "$MIGRATOR" update --changelog-file=j.json --url="$url6"
run "$MIGRATOR" update --changelog-file=f.sql --url="$url6"
run "$MIGRATOR" rollback-count-sql --count=4 --changelog-file=j.json --url="$url6"
assert_eq 3 "$RC" "rows of another changelog are refused (their rollback is unknown)"
assert_contains "$ERR" "'f.sql::2::f' is in the database but not in the changelog" "naming the row"
run "$MIGRATOR" rollback-count --count=2 --changelog-file=f.sql --url="$url6"
assert_eq 0 "$RC" "formatted SQL --rollback lines and rollback blocks"
run "$MIGRATOR" rollback-count --count=2 --changelog-file=j.json --url="$url6"
assert_eq 0 "$RC" "JSON rollback text and automatic inverse"
assert_eq "0" "$(psql_q $db6 "SELECT count(*) FROM pg_tables WHERE tablename IN ('j1','j2','f1','f2')")" \
    "all four tables are gone"

# update-testing-rollback
db3=t0600c
url3=$(new_db $db3)
at_exit "drop_db $db3"
run "$MIGRATOR" update-testing-rollback --changelog-file=rb.xml --url="$url3"
assert_eq 0 "$RC" "update-testing-rollback"
assert_eq "6" "$(psql_q $db3 "SELECT count(*) FROM databasechangelog")" "ends with everything applied"
cat > hidden.xml <<'XML'
<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog">
  <changeSet id="1" author="h"><sql>CREATE TABLE h1 (id int)</sql><rollback>DROP TABLE h1; DROP TABLE IF EXISTS h2</rollback></changeSet>
  <changeSet id="2" author="h"><sql>CREATE TABLE h2 (id int)</sql><rollback>SELECT 1</rollback></changeSet>
</databaseChangeLog>
XML
db4=t0600d
url4=$(new_db $db4)
at_exit "drop_db $db4"
run "$MIGRATOR" update-testing-rollback --changelog-file=hidden.xml --url="$url4"
assert_eq 0 "$RC" "all at once, changeset 2's broken rollback is hidden by 1's"
db5=t0600e
url5=$(new_db $db5)
at_exit "drop_db $db5"
run "$MIGRATOR" update-testing-rollback --per-changeset --changelog-file=hidden.xml --url="$url5"
assert_eq 1 "$RC" "--per-changeset finds it"
assert_contains "$ERR" 'relation "h2" already exists' "when the update after its rollback fails"
finish
