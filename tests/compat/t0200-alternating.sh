#!/usr/bin/env bash
# migrator and real Liquibase 4.28 taking turns on one database: each
# continues what the other began, both refuse an edited changeset, both
# honour validCheckSum, and runOnChange re-runs are seen by both.
. "$(dirname "$0")/../lib/test-lib.sh"
ensure_liquibase

db=c0200
url=$(new_db $db)
work=$(mktemp -d)
at_exit "rm -rf '$work'; drop_db $db"
cd "$work" || exit 1

cs() { # id, body
	printf '  <changeSet id="%s" author="alt">\n    %s\n  </changeSet>\n' "$1" "$2"
}
write() { # changeset lines...
	{ echo '<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog"'
	  echo '    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
	  echo '    xsi:schemaLocation="http://www.liquibase.org/xml/ns/dbchangelog http://www.liquibase.org/xml/ns/dbchangelog/dbchangelog-latest.xsd">'
	  printf '%s' "$@"
	  echo '</databaseChangeLog>'; } > changelog.xml
}
c1=$(cs 1 '<createTable tableName="alt"><column name="id" type="int"/></createTable>')
c2=$(cs 2 '<addColumn tableName="alt"><column name="name" type="varchar(20)"/></addColumn>')
c3=$(cs 3 '<insert tableName="alt"><column name="id" valueNumeric="1"/><column name="name" value="one"/></insert>')
c4=$(printf '  <changeSet id="4" author="alt" runOnChange="true">\n    <createView viewName="v_alt" replaceIfExists="true">SELECT id FROM alt</createView>\n  </changeSet>\n')
c4c=$(printf '  <changeSet id="4" author="alt" runOnChange="true">\n    <createView viewName="v_alt" replaceIfExists="true">SELECT id, name, 1 AS x FROM alt</createView>\n  </changeSet>\n')
c4b=$(printf '  <changeSet id="4" author="alt" runOnChange="true">\n    <createView viewName="v_alt" replaceIfExists="true">SELECT id, name FROM alt</createView>\n  </changeSet>\n')

# 1. migrator starts, Liquibase continues, migrator continues again
write "$c1"
run "$MIGRATOR" update --changelog-file=changelog.xml --url="$url"
assert_eq 0 "$RC" "migrator runs changeset 1"
write "$c1" "$c2"
run lb $db --changelog-file=changelog.xml update
assert_eq 0 "$RC" "Liquibase continues migrator's database"
assert_eq "1,2" "$(psql_q $db "SELECT string_agg(id, ',' ORDER BY orderexecuted) FROM databasechangelog")" \
    "Liquibase ran only the new changeset"
write "$c1" "$c2" "$c3" "$c4"
run "$MIGRATOR" update --changelog-file=changelog.xml --url="$url"
assert_eq 0 "$RC" "migrator continues Liquibase's database"
assert_eq "1,2,3,4" "$(psql_q $db "SELECT string_agg(id, ',' ORDER BY orderexecuted) FROM databasechangelog")" \
    "migrator ran only the new changesets"
assert_eq "3" "$(psql_q $db "SELECT count(DISTINCT deployment_id) FROM databasechangelog")" \
    "each run has its own deployment id"
run lb $db --changelog-file=changelog.xml update
assert_contains "$OUT$ERR" "Run:                          0" "Liquibase then finds nothing to run"

# 2. an edited changeset is refused by both, naming it
c2x=$(cs 2 '<addColumn tableName="alt"><column name="name" type="varchar(40)"/></addColumn>')
write "$c1" "$c2x" "$c3" "$c4"
run "$MIGRATOR" update --changelog-file=changelog.xml --url="$url"
assert_eq 3 "$RC" "migrator refuses an edited changeset with exit 3"
assert_contains "$ERR" "changelog.xml::2::alt was: 9:" "migrator names the edited changeset"
run lb $db --changelog-file=changelog.xml update
[ "$RC" != 0 ] && pass "Liquibase refuses it too" || fail "Liquibase refuses it too"
assert_contains "$OUT$ERR" "changelog.xml::2::alt was: 9:" "Liquibase names the same changeset"
old=$(psql_q $db "SELECT md5sum FROM databasechangelog WHERE id='2'")

# 3. validCheckSum with the stored value is honoured by both
c2v=$(cs 2 "<validCheckSum>$old</validCheckSum><addColumn tableName=\"alt\"><column name=\"name\" type=\"varchar(40)\"/></addColumn>")
write "$c1" "$c2v" "$c3" "$c4"
run "$MIGRATOR" update --changelog-file=changelog.xml --url="$url"
assert_eq 0 "$RC" "migrator accepts the edit with validCheckSum"
run lb $db --changelog-file=changelog.xml update
assert_eq 0 "$RC" "Liquibase accepts it too"
assert_eq "$old" "$(psql_q $db "SELECT md5sum FROM databasechangelog WHERE id='2'")" \
    "the stored checksum is kept (as Liquibase keeps it)"

# 4. runOnChange: migrator re-runs, Liquibase agrees it is done
write "$c1" "$c2v" "$c3" "$c4b"
run "$MIGRATOR" update --changelog-file=changelog.xml --url="$url"
assert_eq 0 "$RC" "migrator re-runs a changed runOnChange changeset"
assert_eq "RERAN" "$(psql_q $db "SELECT exectype FROM databasechangelog WHERE id='4'")" \
    "its row says RERAN"
assert_eq "1" "$(psql_q $db "SELECT count(*) FROM databasechangelog WHERE id='4'")" \
    "the row is updated in place"
run lb $db --changelog-file=changelog.xml update
assert_contains "$OUT$ERR" "Run:                          0" "Liquibase finds nothing to re-run"

# 5. Liquibase's runOnChange re-run is accepted by migrator
write "$c1" "$c2v" "$c3" "$c4c"
run lb $db --changelog-file=changelog.xml update
assert_eq 0 "$RC" "Liquibase re-runs the view"
run "$MIGRATOR" update --changelog-file=changelog.xml --url="$url"
assert_contains "$ERR" "Run:                          0" "migrator finds nothing to re-run"

# 6. rollbacks across tools: Liquibase undoes migrator's changeset and the
#    other way round; the rows and schema agree with each tool's view
run lb $db --changelog-file=changelog.xml rollback-count --count=1
assert_eq 0 "$RC" "Liquibase rolls back migrator's last changeset"
run "$MIGRATOR" status --verbose --changelog-file=changelog.xml --url="$url"
assert_contains "$OUT" "changelog.xml::4::alt" "migrator sees it pending again"
run "$MIGRATOR" update --changelog-file=changelog.xml --url="$url"
assert_eq 0 "$RC" "migrator re-applies it"
lbsql=$(lb $db --changelog-file=changelog.xml rollback-count-sql --count=1 2>/dev/null | norm_sql /dev/stdin)
mgsql=$("$MIGRATOR" rollback-count-sql --count=1 --changelog-file=changelog.xml --url="$url" 2>/dev/null | norm_sql /dev/stdin)
assert_eq "$(grep -v '^--' <<<"$lbsql")" "$(grep -v '^--' <<<"$mgsql")" \
    "rollback-count-sql prints the same statements as Liquibase's"
run "$MIGRATOR" rollback-count --count=2 --changelog-file=changelog.xml --url="$url"
assert_eq 1 "$RC" "migrator refuses to roll back an insert without rollback, like Liquibase"
assert_eq "4" "$(psql_q $db "SELECT count(*) FROM databasechangelog")" "and changes nothing"
run "$MIGRATOR" rollback-count --count=1 --changelog-file=changelog.xml --url="$url"
assert_eq 0 "$RC" "migrator rolls back the view changeset"
run lb $db --changelog-file=changelog.xml status --verbose
assert_contains "$OUT$ERR" "1 changeset has not been applied" "Liquibase sees it pending"
run lb $db --changelog-file=changelog.xml update
assert_eq 0 "$RC" "Liquibase re-applies it"
assert_eq "1,2,3,4" "$(psql_q $db "SELECT string_agg(id, ',' ORDER BY orderexecuted) FROM databasechangelog")" \
    "the history is whole again"
finish
