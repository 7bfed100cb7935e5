#!/usr/bin/env bash
# Change types beyond the shared vectors, run by real Liquibase 4.28 and by
# migrator on fresh databases: rows and resulting schema compared.
. "$(dirname "$0")/../lib/test-lib.sh"
ensure_liquibase

work=$(mktemp -d)
at_exit "rm -rf '$work'; drop_db c0500lb; drop_db c0500mg"
cd "$work" || exit 1
cat > changelog.xml <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xsi:schemaLocation="http://www.liquibase.org/xml/ns/dbchangelog http://www.liquibase.org/xml/ns/dbchangelog/dbchangelog-latest.xsd">
  <changeSet id="1" author="ct">
    <createTable tableName="parent_a"><column name="id" type="int"><constraints primaryKey="true"/></column></createTable>
    <createTable tableName="parent_b"><column name="id" type="int"><constraints primaryKey="true"/></column></createTable>
    <createTable tableName="child">
      <column name="id" type="int"/>
      <column name="a_id" type="int"><constraints foreignKeyName="fk_child_a" references="parent_a(id)"/></column>
      <column name="b_id" type="int"><constraints foreignKeyName="fk_child_b" references="parent_b(id)"/></column>
    </createTable>
  </changeSet>
  <changeSet id="2" author="ct">
    <dropAllForeignKeyConstraints baseTableName="child"/>
  </changeSet>
  <changeSet id="3" author="ct">
    <createTable tableName="fruit"><column name="id" type="int"><constraints primaryKey="true"/></column><column name="name" type="varchar(20)"/><column name="price" type="numeric(5,2)"/></createTable>
    <loadData tableName="fruit" file="fruit.csv"><column name="id" type="NUMERIC"/><column name="price" type="NUMERIC"/></loadData>
  </changeSet>
  <changeSet id="4" author="ct">
    <loadUpdateData tableName="fruit" file="fruit2.csv" primaryKey="id"><column name="id" type="NUMERIC"/><column name="price" type="NUMERIC"/></loadUpdateData>
  </changeSet>
</databaseChangeLog>
XML
printf 'id,name,price\n1,apple,1.5\n2,pear,\n' > fruit.csv
printf 'id,name,price\n2,pear,2.25\n3,"plum, red",0.5\n' > fruit2.csv
new_db c0500lb >/dev/null
new_db c0500mg >/dev/null
run lb c0500lb --changelog-file=changelog.xml update
assert_eq 0 "$RC" "Liquibase runs dropAllForeignKeyConstraints"
run "$MIGRATOR" update --changelog-file=changelog.xml --url="$(pg_url c0500mg)"
assert_eq 0 "$RC" "migrator runs it"
assert_eq "$(dump_rows c0500lb)" "$(dump_rows c0500mg)" "rows equal Liquibase's"
assert_eq "$(dump_schema c0500lb)" "$(dump_schema c0500mg)" "the schema equals Liquibase's"
assert_eq "0" "$(psql_q c0500mg "SELECT count(*) FROM pg_constraint WHERE contype = 'f'")" \
    "no foreign key is left"
assert_eq "$(psql_q c0500lb "SELECT id, name, price FROM fruit ORDER BY id")" \
    "$(psql_q c0500mg "SELECT id, name, price FROM fruit ORDER BY id")" \
    "loadData then loadUpdateData leave the same data"

# update-sql on empty databases: the same statements
new_db c0500lb >/dev/null
new_db c0500mg >/dev/null
lb c0500lb --changelog-file=changelog.xml update-sql --output-file="$work/lb.sql" >/dev/null 2>&1
"$MIGRATOR" update-sql --changelog-file=changelog.xml --url="$(pg_url c0500mg)" \
    --output-file="$work/mg.sql" 2>/dev/null
assert_eq "$(norm_sql "$work/lb.sql" | grep -v '^--')" "$(norm_sql "$work/mg.sql" | grep -v '^--')" \
    "update-sql statements equal Liquibase's (loadData, loadUpdateData)"

# modifySql with applyToRollback also changes the rollback statements
cat > ms.xml <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xsi:schemaLocation="http://www.liquibase.org/xml/ns/dbchangelog http://www.liquibase.org/xml/ns/dbchangelog/dbchangelog-latest.xsd">
  <changeSet id="1" author="m">
    <createTable tableName="ms"><column name="id" type="int"/></createTable>
    <modifySql applyToRollback="true"><append value=" /* rb */"/></modifySql>
  </changeSet>
  <changeSet id="2" author="m">
    <createTable tableName="ms2"><column name="id" type="int"/></createTable>
    <modifySql><append value=" /* fwd only */"/></modifySql>
  </changeSet>
</databaseChangeLog>
XML
new_db c0500lb >/dev/null
new_db c0500mg >/dev/null
run lb c0500lb --changelog-file=ms.xml update
run "$MIGRATOR" update --changelog-file=ms.xml --url="$(pg_url c0500mg)"
lb c0500lb --changelog-file=ms.xml rollback-count-sql --count=2 --output-file="$work/lbr.sql" >/dev/null 2>&1
"$MIGRATOR" rollback-count-sql --count=2 --changelog-file=ms.xml --url="$(pg_url c0500mg)" \
    --output-file="$work/mgr.sql" 2>/dev/null
assert_eq "$(norm_sql "$work/lbr.sql" | grep -v '^--')" "$(norm_sql "$work/mgr.sql" | grep -v '^--')" \
    "rollback SQL with modifySql applyToRollback equals Liquibase's"

# regExpReplace with java.util.regex syntax: \b, \w, (?i), lazy quantifiers, lookahead,
# $1 groups and an escaped \$ in the replacement
cat > rx.xml <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xsi:schemaLocation="http://www.liquibase.org/xml/ns/dbchangelog http://www.liquibase.org/xml/ns/dbchangelog/dbchangelog-latest.xsd">
  <changeSet id="rx1" author="m">
    <createTable tableName="rx"><column name="id" type="int"/><column name="n" type="varchar(5)"/></createTable>
    <modifySql>
      <regExpReplace replace="\bINTEGER\b" with="BIGINT"/>
      <regExpReplace replace="(?i)varchar\((\d+)\)" with="VARCHAR($1$1)"/>
      <regExpReplace replace="\((\w+) (?=BIGINT)" with="($1 "/>
    </modifySql>
  </changeSet>
  <changeSet id="rx2" author="m">
    <insert tableName="rx"><column name="id" valueNumeric="1"/><column name="n" value="a.b.c"/></insert>
    <modifySql>
      <regExpReplace replace="'(.*?)\.(.*?)'" with="'$2\$$1'"/>
    </modifySql>
  </changeSet>
</databaseChangeLog>
XML
new_db c0500lb >/dev/null
new_db c0500mg >/dev/null
run lb c0500lb --changelog-file=rx.xml update
assert_eq 0 "$RC" "Liquibase runs the Java regular expressions"
run "$MIGRATOR" update --changelog-file=rx.xml --url="$(pg_url c0500mg)"
assert_eq 0 "$RC" "migrator runs them"
assert_eq "$(dump_rows c0500lb)" "$(dump_rows c0500mg)" "regExpReplace: rows equal Liquibase's"
assert_eq "$(dump_schema c0500lb)" "$(dump_schema c0500mg)" "regExpReplace: the schema equals Liquibase's"
assert_eq "$(psql_q c0500lb "SELECT id, n FROM rx")" "$(psql_q c0500mg "SELECT id, n FROM rx")" \
    "regExpReplace: the data equals Liquibase's"
finish
