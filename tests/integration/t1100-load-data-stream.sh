#!/usr/bin/env bash
# loadData streams: a CSV of 1,000,000 rows loads with memory far below
# the file's size, update-sql prints the same batches update runs, and a
# bad row near the end rolls the whole changeset back.
. "$(dirname "$0")/../lib/test-lib.sh"

command -v python3 >/dev/null || skip "python3 not found (writes the CSV)"
db=t1100
url=$(new_db $db)
work=$(mktemp -d)
at_exit "rm -rf '$work'; drop_db $db; drop_db t1100b"
cd "$work" || exit 1
rows=${MG_T1100_ROWS:-1000000}
python3 - "$rows" <<'PY'
import sys
n = int(sys.argv[1])
with open("big.csv", "w") as f:
    f.write("id,name,amount,active\n# a comment line\n")
    for i in range(1, n + 1):
        f.write(f'{i},"row {i}, ""q""",{i % 1000}.25,{"true" if i % 2 else "false"}\n')
PY
cat > big.xml <<'XML'
<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog">
  <changeSet id="table" author="t">
    <createTable tableName="big">
      <column name="id" type="bigint"><constraints primaryKey="true"/></column>
      <column name="name" type="varchar(40)"/>
      <column name="amount" type="numeric(8,2)"/>
      <column name="active" type="boolean"/>
    </createTable>
  </changeSet>
  <changeSet id="load" author="t">
    <loadData tableName="big" file="big.csv" relativeToChangelogFile="true">
      <column name="id" type="NUMERIC"/>
      <column name="amount" type="NUMERIC"/>
      <column name="active" type="BOOLEAN"/>
    </loadData>
  </changeSet>
</databaseChangeLog>
XML
csv_kb=$(( $(stat -c %s big.csv) / 1024 ))

# update-sql: 51 rows a statement, as Liquibase batches them
run "$MIGRATOR" update-sql --changelog-file=big.xml --url="$url" --output-file="$work/big.sql"
assert_eq 0 "$RC" "update-sql of a $rows-row loadData succeeds"
assert_eq $(( (rows + 50) / 51 )) "$(grep -c '^INSERT INTO public.big ' big.sql)" \
    "update-sql prints one INSERT per 51 rows"

if command -v /usr/bin/time >/dev/null; then
    /usr/bin/time -f '%M' -o rss.txt "$MIGRATOR" update --changelog-file=big.xml --url="$url" \
        >out.txt 2>err.txt
    RC=$?
    rss_kb=$(tail -1 rss.txt)
    assert_eq 0 "$RC" "update loads $rows rows"
    # the CSV is read in pieces: peak memory stays well under the file's size
    if [ "$rss_kb" -lt 65536 ] && { [ "$csv_kb" -lt 32768 ] || [ "$rss_kb" -lt "$csv_kb" ]; }; then
        pass "peak memory ${rss_kb} KB for a ${csv_kb} KB CSV (bounded: < 64 MB)"
    else
        fail "peak memory ${rss_kb} KB for a ${csv_kb} KB CSV is not bounded"
    fi
else
    run "$MIGRATOR" update --changelog-file=big.xml --url="$url"
    assert_eq 0 "$RC" "update loads $rows rows"
    echo "# /usr/bin/time missing: peak memory not measured"
fi
assert_eq "$rows|$(( rows * (rows + 1) / 2 ))|$(( (rows + 1) / 2 ))" \
    "$(psql_q $db "SELECT count(*), sum(id), count(*) FILTER (WHERE active) FROM big")" \
    "every row arrived with its values"
assert_eq 'row 7, "q"|7.25' "$(psql_q $db "SELECT name, amount FROM big WHERE id = 7")" \
    "quoted fields and numbers are read as Liquibase reads them"
assert_eq "EXECUTED" "$(psql_q $db "SELECT exectype FROM databasechangelog WHERE id = 'load'")" \
    "the loadData changeset is recorded"

# a bad row near the end: nothing of the changeset stays
url2=$(new_db t1100b)
sed -i "$((rows - 2))s/^[0-9]*,/oops,/" big.csv
run "$MIGRATOR" update --changelog-file=big.xml --url="$url2"
assert_eq 1 "$RC" "a bad value near the end fails the run"
assert_contains "$ERR" "changeset: big.xml::load::t" "the error names the changeset"
assert_contains "$ERR" "oops" "the error shows the failing statement"
assert_eq "0" "$(psql_q t1100b "SELECT count(*) FROM big")" \
    "the rows loaded before the bad one were rolled back"
assert_eq "table" "$(psql_q t1100b "SELECT string_agg(id, ',') FROM databasechangelog")" \
    "the failed loadData is not recorded"

# a bad row in the first batch: found while the next batches are under way
url3=$(new_db t1100c)
at_exit "drop_db t1100c"
sed -i "$((rows - 2))s/^oops,/$((rows - 2)),/; 150s/^[0-9]*,/early,/" big.csv
run "$MIGRATOR" update --changelog-file=big.xml --url="$url3"
assert_eq 1 "$RC" "a bad value in the first batch fails the run"
assert_contains "$ERR" "early" "the error shows that statement"
assert_eq "0" "$(psql_q t1100c "SELECT count(*) FROM big")" "nothing of the load stays"
assert_eq "table" "$(psql_q t1100c "SELECT string_agg(id, ',') FROM databasechangelog")" \
    "the failed loadData is not recorded"
finish
