#!/usr/bin/env bash
# loadData / loadUpdateData options, run by real Liquibase 4.28 and by migrator
# on fresh databases. For every changeset: its DATABASECHANGELOG row (MD5SUM
# included) and its update-sql statements; for every table: the loaded data.
#
# Covered: file with relativeToChangelogFile true and false, separator ';' and
# "\t", quotchar "'", encoding ISO-8859-1, commentLineStartsWith, CRLF files
# with comments, blank lines and quoted newlines (checksum), column types
# NUMERIC / BOOLEAN / DATE / DATETIME / STRING / COMPUTED / SKIP and untyped,
# header and index mapping, defaultValue* for empty cells, NULL cells (the
# word and empty), quoted fields with separators, quotes and newlines,
# loadUpdateData with a single and a composite primaryKey and onlyUpdate, a
# YAML changelog, a 120-row file (51-row INSERTs).
# The last section: usePreparedStatements, BLOB/CLOB cells,
# valueBlobFile/valueClobFile (prepared statements in Liquibase).
. "$(dirname "$0")/../lib/test-lib.sh"
ensure_liquibase

work=$(mktemp -d)
at_exit "cd /; rm -rf '$work'; drop_db c0700lb; drop_db c0700mg"
cd "$work" || exit 1

XML_HEAD='<?xml version="1.0" encoding="UTF-8"?>
<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xsi:schemaLocation="http://www.liquibase.org/xml/ns/dbchangelog http://www.liquibase.org/xml/ns/dbchangelog/dbchangelog-latest.xsd">'

# --- fixtures ------------------------------------------------------------------------
# The changelog lives in cl/; files named with relativeToChangelogFile="true" are
# under cl/, the others are found from the search path (the working directory).
# Decoys with other contents sit where a wrong resolution would look.
mkdir -p cl/data cl/yaml top data cl/top

{
    echo "$XML_HEAD"
    cat <<'XML'
  <changeSet id="tables" author="ld">
    <createTable tableName="t_types">
      <column name="id" type="int"/><column name="name" type="varchar(40)"/>
      <column name="price" type="numeric(10,2)"/><column name="active" type="boolean"/>
      <column name="born" type="date"/><column name="seen" type="timestamp"/>
      <column name="calc" type="varchar(40)"/><column name="note" type="varchar(40)"/>
    </createTable>
    <createTable tableName="t_defaults">
      <column name="id" type="int"/><column name="name" type="varchar(40)"/>
      <column name="qty" type="int"/><column name="flag" type="boolean"/>
      <column name="made" type="date"/><column name="at" type="timestamp"/>
      <column name="calc" type="varchar(40)"/><column name="n2" type="int"/>
      <column name="b2" type="boolean"/>
    </createTable>
    <createTable tableName="t_sep"><column name="id" type="int"/><column name="a" type="varchar(40)"/><column name="b" type="varchar(40)"/></createTable>
    <createTable tableName="t_tab"><column name="id" type="int"/><column name="a" type="varchar(40)"/><column name="b" type="varchar(40)"/></createTable>
    <createTable tableName="t_quote"><column name="id" type="int"/><column name="a" type="varchar(40)"/><column name="b" type="varchar(40)"/></createTable>
    <createTable tableName="t_enc"><column name="id" type="int"/><column name="name" type="varchar(40)"/></createTable>
    <createTable tableName="t_comment"><column name="k" type="varchar(10)"/><column name="name" type="varchar(40)"/></createTable>
    <createTable tableName="t_crlf"><column name="id" type="int"/><column name="name" type="varchar(60)"/></createTable>
    <createTable tableName="t_up1">
      <column name="id" type="int"><constraints primaryKey="true"/></column>
      <column name="name" type="varchar(40)"/><column name="qty" type="int"/>
    </createTable>
    <createTable tableName="t_up2">
      <column name="k1" type="int"><constraints primaryKey="true"/></column>
      <column name="k2" type="varchar(10)"><constraints primaryKey="true"/></column>
      <column name="val" type="varchar(40)"/>
    </createTable>
    <createTable tableName="t_only">
      <column name="id" type="int"><constraints primaryKey="true"/></column>
      <column name="name" type="varchar(40)"/>
    </createTable>
    <createTable tableName="t_big"><column name="id" type="int"/><column name="name" type="varchar(20)"/></createTable>
    <createTable tableName="t_untyped">
      <column name="id" type="int"/><column name="s" type="varchar(10)"/><column name="n" type="int"/>
      <column name="b" type="boolean"/><column name="d" type="date"/><column name="q" type="varchar(10)"/>
    </createTable>
    <createTable tableName="t_psf">
      <column name="id" type="int"/><column name="name" type="varchar(20)"/>
      <column name="price" type="numeric(6,2)"/><column name="ok" type="boolean"/>
      <column name="d" type="date"/><column name="ts" type="timestamp"/>
    </createTable>
  </changeSet>

  <changeSet id="types" author="ld">
    <loadData tableName="t_types" file="data/types.csv" relativeToChangelogFile="true">
      <column name="id" type="NUMERIC"/>
      <column name="name" type="STRING"/>
      <column name="price" type="NUMERIC"/>
      <column name="active" type="BOOLEAN"/>
      <column name="born" type="DATE"/>
      <column name="seen" type="DATETIME"/>
      <column name="calc" type="COMPUTED"/>
      <column name="ignored" type="SKIP"/>
    </loadData>
  </changeSet>

  <changeSet id="defaults" author="ld">
    <loadData tableName="t_defaults" file="top/defaults.csv" relativeToChangelogFile="false">
      <column name="id" header="ID" type="NUMERIC"/>
      <column name="name" header="Full Name" type="STRING" defaultValue="anon"/>
      <column name="qty" index="2" type="NUMERIC" defaultValueNumeric="42"/>
      <column name="flag" type="BOOLEAN" defaultValueBoolean="true"/>
      <column name="made" type="DATE" defaultValueDate="2020-05-06"/>
      <column name="at" type="DATETIME" defaultValueDate="2020-05-06T07:08:09"/>
      <column name="calc" type="COMPUTED" defaultValueComputed="lower('ABC')"/>
      <column name="n2" type="NUMERIC" defaultValue="7"/>
      <column name="b2" type="BOOLEAN" defaultValue="false"/>
    </loadData>
  </changeSet>

  <changeSet id="sep" author="ld">
    <loadData tableName="t_sep" file="top/sep.csv" separator=";"/>
  </changeSet>

  <changeSet id="tab" author="ld">
    <loadData tableName="t_tab" file="top/tab.csv" separator="\t">
      <column name="id" type="NUMERIC"/>
    </loadData>
  </changeSet>

  <changeSet id="quote" author="ld">
    <loadData tableName="t_quote" file="top/quote.csv" quotchar="'">
      <column name="id" type="NUMERIC"/>
    </loadData>
  </changeSet>

  <changeSet id="enc" author="ld">
    <loadData tableName="t_enc" file="top/latin1.csv" encoding="ISO-8859-1">
      <column name="id" type="NUMERIC"/><column name="name" type="STRING"/>
    </loadData>
  </changeSet>

  <changeSet id="comment" author="ld">
    <loadData tableName="t_comment" file="top/comment.csv" commentLineStartsWith="//"/>
  </changeSet>

  <changeSet id="crlf" author="ld">
    <loadData tableName="t_crlf" file="top/crlf.csv"><column name="id" type="NUMERIC"/></loadData>
  </changeSet>

  <changeSet id="up-seed" author="ld">
    <loadData tableName="t_up1" file="top/up1a.csv"/>
    <loadData tableName="t_up2" file="top/up2a.csv"/>
    <loadData tableName="t_only" file="top/onlya.csv"/>
  </changeSet>

  <changeSet id="up1" author="ld">
    <loadUpdateData tableName="t_up1" file="top/up1b.csv" primaryKey="id">
      <column name="id" type="NUMERIC"/><column name="qty" type="NUMERIC"/>
    </loadUpdateData>
  </changeSet>

  <changeSet id="up2" author="ld">
    <loadUpdateData tableName="t_up2" file="top/up2b.csv" primaryKey="k1,k2">
      <column name="k1" type="NUMERIC"/>
    </loadUpdateData>
  </changeSet>

  <changeSet id="only" author="ld">
    <loadUpdateData tableName="t_only" file="top/onlyb.csv" primaryKey="id" onlyUpdate="true">
      <column name="id" type="NUMERIC"/>
    </loadUpdateData>
  </changeSet>

  <changeSet id="untyped" author="ld">
    <loadData tableName="t_untyped" file="top/untyped.csv"/>
  </changeSet>

  <changeSet id="ps-false" author="ld">
    <loadData tableName="t_psf" file="top/ps.csv" usePreparedStatements="false">
      <column name="id" type="NUMERIC"/><column name="name" type="STRING"/><column name="price" type="NUMERIC"/>
      <column name="ok" type="BOOLEAN"/><column name="d" type="DATE"/><column name="ts" type="DATETIME"/>
    </loadData>
  </changeSet>

  <changeSet id="big" author="ld">
    <loadData tableName="t_big" file="top/big.csv"><column name="id" type="NUMERIC"/></loadData>
  </changeSet>

  <include file="yaml/load.yaml" relativeToChangelogFile="true"/>
</databaseChangeLog>
XML
} > cl/main.xml

cat > cl/yaml/load.yaml <<'YAML'
databaseChangeLog:
  - changeSet:
      id: y1
      author: ld
      changes:
        - createTable:
            tableName: t_yaml
            columns:
              - column: {name: id, type: int, constraints: {primaryKey: true}}
              - column: {name: name, type: varchar(40)}
              - column: {name: ok, type: boolean}
        - loadData:
            tableName: t_yaml
            file: y.csv
            relativeToChangelogFile: true
            separator: ";"
            columns:
              - column: {name: id, type: NUMERIC}
              - column: {name: name, type: STRING, defaultValue: none}
              - column: {name: ok, type: BOOLEAN}
  - changeSet:
      id: y2
      author: ld
      changes:
        - loadUpdateData:
            tableName: t_yaml
            file: y2.csv
            relativeToChangelogFile: true
            primaryKey: id
            columns:
              - column: {name: id, type: NUMERIC}
              - column: {name: ok, type: BOOLEAN}
  # commentLineStartsWith "" turns comments off (the XML schema refuses an empty value)
  - changeSet:
      id: y3
      author: ld
      changes:
        - createTable:
            tableName: t_nocomment
            columns:
              - column: {name: k, type: varchar(10)}
              - column: {name: name, type: varchar(40)}
        - loadData:
            tableName: t_nocomment
            file: top/nocomment.csv
            commentLineStartsWith: ""
YAML
printf 'id;name;ok\n1;"a;b";true\n2;;0\n' > cl/yaml/y.csv
printf 'id,name,ok\n2,two,t\n3,three,false\n' > cl/yaml/y2.csv

# typed columns, NULL cells (the word, any case, and empty), quoted separators,
# doubled quotes, a quoted newline, a SKIP column, an untyped column (note)
cat > cl/data/types.csv <<'CSV'
id,name,price,active,born,seen,calc,ignored,note
1,alpha,1.50,true,2024-01-02,2024-01-02T03:04:05,upper('x'),zzz,n1
2,NULL,NULL,NULL,NULL,NULL,NULL,zzz,null
3,,,,,,,,n3
4,"with, comma",-3,0,1999-12-31,1999-12-31 23:59:59,1+2,zzz,"say ""hi"""
5,"multi
line",12.345,yes,2000-02-29,2000-02-29 12:00:00,'lit',zzz, padded 
6,Null,1e3,bogus,2024-02-03,2024-02-03,'a''b',zzz,NULL
7,"  spaced  ",+4.5,Y,2024-02-04,2024-02-04T05:06:00,3,zzz,x
8,'q',0.005,2,2024-02-05,2024-02-05T05:06:07.5,2,zzz,y
9,"",-0,f,2024-02-06,2024-02-06 00:00:00,0,zzz,"q9"
CSV
printf 'id,name\n99,decoy\n' > data/types.csv

# header / index mapping and defaults for empty cells
cat > top/defaults.csv <<'CSV'
ID,Full Name,amount,flag,made,at,calc,n2,b2
1,Ann,5,false,2021-01-01,2021-01-01 10:00:00,upper('q'),1,true
2,,,,,,,,
3,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL
CSV
printf 'ID,Full Name\n99,decoy\n' > cl/top/defaults.csv

printf 'id;a;b\n1;x,y;"p;q"\n2; ;NULL\n3;"say ""x""";z\n' > top/sep.csv
printf 'id\ta\tb\n1\tx y\t"t\tq"\n2\t,\tNULL\n' > top/tab.csv
printf "id,a,b\n1,'a,b','it''s'\n2,\"dq\",'multi\nline'\n" > top/quote.csv
printf 'id,name\n1,caf\xe9\n2,na\xefve\n' > top/latin1.csv
# with "//" a record is a comment when its first field (quotes removed) starts
# with "//"; the checksum skips the lines starting with its first character ("/")
printf 'k,name\n// comment\na,one\n/b,slash\n#c,hash\n"//q",quoted\n' > top/comment.csv
printf 'k,name\n#x,hash\ny,why\n' > top/nocomment.csv
# CRLF line ends, '#' comments, blank lines, a whitespace-only line, quoted newlines
printf 'id,name\r\n# a comment\r\n\r\n1,"multi\r\nline"\r\n\r\n2,"x\r\n#not a comment\r\n\r\ny"\r\n   \r\n#c2\r\n3,plain\r\n\r\n' > top/crlf.csv
printf 'id,name,qty\n1,a,1\n2,b,2\n' > top/up1a.csv
printf 'id,name,qty\n2,B,20\n3,c,30\n' > top/up1b.csv
printf 'k1,k2,val\n1,x,old\n1,y,old\n' > top/up2a.csv
printf 'k1,k2,val\n1,y,new\n2,x,"n,2"\n' > top/up2b.csv
printf 'id,name\n1,a\n' > top/onlya.csv
printf 'id,name\n1,A\n9,ignored\n' > top/onlyb.csv
# empty cells of columns without a <column> type
printf 'id,s,n,b,d,q\n1,,,,,""\n2,NULL,null,NULL,NULL,x\n3,a,5,true,2024-01-01,y\n' > top/untyped.csv
printf 'id,name,price,ok,d,ts\n1,apple,1.5,true,2024-01-02,2024-01-02T03:04:05\n2,,NULL,false,,\n3,"a, b",7,1,2023-12-31,2023-12-31 23:59:59\n' > top/ps.csv
{
    echo id,name
    for i in $(seq 1 120); do echo "$i,n$i"; done
} > top/big.csv

# --- helpers -------------------------------------------------------------------------

# dump_table DB TABLE: the rows in COPY text format (newlines escaped), sorted
dump_table() {
    psql -X -q -v ON_ERROR_STOP=1 -d "$1" -c "COPY (SELECT * FROM $2 ORDER BY 1, 2) TO STDOUT"
}

# cs_row ROWS ID: the dump_rows line of changeset ID
cs_row() {
    printf '%s\n' "$1" | awk -F'\t' -v id="$2" '$1 == id'
}

# cs_sql FILE ID: the update-sql statements of changeset ID (after norm_sql),
# comment lines dropped
cs_sql() {
    norm_sql "$1" | awk -v id="$2" '
        /^-- Changeset / { n = split($3, p, "::"); on = (p[n - 1] == id); next }
        on && !/^--/'
}

# check_changeset ID MSG: row and update-sql statements of changeset ID equal Liquibase's
check_changeset() {
    assert_eq "$(cs_row "$LB_ROWS" "$1")" "$(cs_row "$MG_ROWS" "$1")" "$2: DATABASECHANGELOG row"
    assert_eq "$(cs_sql lb.sql "$1")" "$(cs_sql mg.sql "$1")" "$2: update-sql statements"
}

check_table() {
    assert_eq "$(dump_table c0700lb "$1")" "$(dump_table c0700mg "$1")" "$2: data in $1"
}

# run_both CHANGELOG: update-sql on fresh databases into lb.sql / mg.sql, then update
# on fresh databases c0700lb / c0700mg (their rows in LB_ROWS / MG_ROWS)
run_both() {
    local cl=$1
    new_db c0700lb >/dev/null
    new_db c0700mg >/dev/null
    lb c0700lb --changelog-file="$cl" update-sql --output-file="$work/lb.sql" >"$work/lb-sql.log" 2>&1 ||
        { fail "Liquibase update-sql $cl"; grep -v '^\s*at ' "$work/lb-sql.log" | head -20 | sed 's/^/    | /'; }
    "$MIGRATOR" update-sql --changelog-file="$cl" --url="$(pg_url c0700mg)" \
        --output-file="$work/mg.sql" 2>"$work/mg-sql.log" ||
        { fail "migrator update-sql $cl"; head -20 "$work/mg-sql.log" | sed 's/^/    | /'; }
    new_db c0700lb >/dev/null
    new_db c0700mg >/dev/null
    run lb c0700lb --changelog-file="$cl" update
    assert_eq 0 "$RC" "Liquibase runs $cl"
    [ "$RC" = 0 ] || printf '%s\n' "$OUT" "$ERR" | grep -v '^\s*at ' | head -20 | sed 's/^/    | /'
    run "$MIGRATOR" update --changelog-file="$cl" --url="$(pg_url c0700mg)"
    assert_eq 0 "$RC" "migrator runs $cl"
    [ "$RC" = 0 ] || printf '%s\n' "$ERR" | head -20 | sed 's/^/    | /'
    LB_ROWS=$(dump_rows c0700lb)
    MG_ROWS=$(dump_rows c0700mg)
    # the same changesets in the same order
    assert_eq "$(printf '%s\n' "$LB_ROWS" | cut -f1-3)" "$(printf '%s\n' "$MG_ROWS" | cut -f1-3)" \
        "$cl: the same changesets ran"
    assert_eq "$(norm_sql lb.sql | grep '^-- Changeset ')" "$(norm_sql mg.sql | grep '^-- Changeset ')" \
        "$cl: update-sql has the same changesets"
}

# --- main changelog ------------------------------------------------------------------

run_both cl/main.xml

check_changeset tables "createTable (13 tables)"
check_changeset types "loadData typed columns, NULL cells, SKIP, relativeToChangelogFile=true"
check_table t_types "typed columns"
check_changeset defaults "loadData header/index mapping and defaultValue*, relativeToChangelogFile=false"
check_table t_defaults "defaults"
check_changeset sep "loadData separator ';'"
check_table t_sep "separator ';'"
check_changeset tab "loadData separator \\t"
check_table t_tab "separator \\t"
check_changeset quote "loadData quotchar \"'\""
check_table t_quote "quotchar"
check_changeset enc "loadData encoding ISO-8859-1"
check_table t_enc "encoding"
check_changeset comment "loadData commentLineStartsWith '//'"
check_table t_comment "commentLineStartsWith"
check_changeset crlf "loadData CRLF, comments, blank lines, quoted newlines"
check_table t_crlf "CRLF file"
check_changeset up-seed "loadData untyped columns (three tables)"
check_changeset up1 "loadUpdateData primaryKey=id"
check_table t_up1 "loadUpdateData single key"
check_changeset up2 "loadUpdateData composite primaryKey"
check_table t_up2 "loadUpdateData composite key"
# Liquibase wraps each onlyUpdate UPDATE in a plpgsql block too
#   (InsertOrUpdateGeneratorPostgres, without the IF not found part):
#     DO / $$ / BEGIN / UPDATE public.t_only SET name = 'A' WHERE id = 1; / END; / $$ / LANGUAGE plpgsql;
check_changeset only "loadUpdateData onlyUpdate=true"
check_table t_only "loadUpdateData onlyUpdate"
check_changeset untyped "loadData empty cells of untyped columns"
# On update the types of columns without a <column type> come from the table
#   (retrieveMissingColumnLoadTypes): an empty cell of a varchar column then loads ''
#   (empty string), of int/boolean/date columns NULL (row 1: s and q).
#   (update-sql on an empty database writes NULL for both.)
check_table t_untyped "empty cells of untyped columns"
check_changeset ps-false "loadData usePreparedStatements=false"
check_table t_psf "usePreparedStatements=false"
check_changeset big "loadData 120 rows"
check_table t_big "120 rows"
assert_eq "51 51 18" "$(cs_sql mg.sql big | grep '^INSERT INTO public.t_big ' | awk -F'),\\(' '{printf "%s%d", s, NF; s=" "}')" \
    "120 rows: INSERTs of 51, 51 and 18 rows"
check_changeset y1 "YAML createTable + loadData"
check_changeset y2 "YAML loadUpdateData"
check_table t_yaml "YAML changelog"
check_changeset y3 "YAML loadData commentLineStartsWith '' (comments off)"
check_table t_nocomment "commentLineStartsWith ''"

# update-sql when the tables exist: Liquibase looks the untyped columns up (in the
# update-sql above they did not exist yet, so their values were written as strings)
cat > cl/again.xml <<XML
$XML_HEAD
  <changeSet id="again" author="ld">
    <loadData tableName="t_sep" file="top/sep.csv" separator=";"/>
    <loadData tableName="t_up1" file="top/up1a.csv"/>
    <loadData tableName="t_untyped" file="top/untyped.csv"/>
  </changeSet>
</databaseChangeLog>
XML
lb c0700lb --changelog-file=cl/again.xml update-sql --output-file="$work/lb.sql" >/dev/null 2>&1
"$MIGRATOR" update-sql --changelog-file=cl/again.xml --url="$(pg_url c0700mg)" \
    --output-file="$work/mg.sql" 2>/dev/null
# The tables exist, so the column types are known:
#   INSERT INTO public.t_up1 (id, name, qty) VALUES (1, 'a', 1),(2, 'b', 2);
#   INSERT INTO public.t_untyped (...) VALUES (1, '', NULL, NULL, NULL, ''),...,(3, 'a', 5, TRUE, '2024-01-01', 'y');
assert_eq "$(cs_sql lb.sql again)" "$(cs_sql mg.sql again)" \
    "update-sql of untyped columns of existing tables"

# --- LOBs and prepared statements ------------------------------------------------------
# Liquibase runs these as JDBC prepared statements: update-sql writes only
#   WARNING: This statement uses a prepared statement which cannot be execute directly by this script. Only works in 'update' mode
# (and a blank line) per statement, no SQL. Files named by valueBlobFile /
# valueClobFile and by BLOB / CLOB cells are resolved against the changelog's
# directory (not the CSV's, whatever relativeToChangelogFile says); a BLOB cell
# that looks like base64 is decoded instead (Liquibase binds it with setBlob: a large
# object oid, which a bytea column refuses, so it is not tested); a CLOB file is
# read as UTF-8 unless the insert column has encoding=.
# When some rows of a loadData need a prepared statement (a BLOB/CLOB file cell) and
# others do not, Liquibase 4.28 on PostgreSQL runs only the prepared ones and drops
# the others (LoadDataChange.generateStatementsFromRows); migrator loads every row (a
# deliberate difference, docs/compatibility.md): lob-mixed pins both.
# migrator runs plain SQL with the values as literals ('\x..' bytea input, quoted text)
# and, after Liquibase's WARNING line, shows that statement commented out.
{
    mkdir -p lob/csv
    {
        echo "$XML_HEAD"
        cat <<'XML'
  <changeSet id="lob-tables" author="ld">
    <createTable tableName="t_ps">
      <column name="id" type="int"/><column name="name" type="varchar(20)"/>
      <column name="price" type="numeric(6,2)"/><column name="ok" type="boolean"/>
      <column name="d" type="date"/><column name="ts" type="timestamp"/>
    </createTable>
    <createTable tableName="t_lob"><column name="id" type="int"/><column name="b" type="bytea"/><column name="c" type="text"/></createTable>
    <createTable tableName="t_lobmix"><column name="id" type="int"/><column name="b" type="bytea"/><column name="c" type="text"/></createTable>
    <createTable tableName="t_lobins"><column name="id" type="int"/><column name="b" type="bytea"/><column name="c" type="text"/></createTable>
  </changeSet>
  <changeSet id="ps" author="ld">
    <loadData tableName="t_ps" file="ps.csv" relativeToChangelogFile="true" usePreparedStatements="true">
      <column name="id" type="NUMERIC"/><column name="name" type="STRING"/><column name="price" type="NUMERIC"/>
      <column name="ok" type="BOOLEAN"/><column name="d" type="DATE"/><column name="ts" type="DATETIME"/>
    </loadData>
  </changeSet>
  <changeSet id="lob" author="ld">
    <loadData tableName="t_lob" file="csv/lob.csv" relativeToChangelogFile="true">
      <column name="id" type="NUMERIC"/><column name="b" type="BLOB"/><column name="c" type="CLOB"/>
    </loadData>
  </changeSet>
  <changeSet id="lob-mixed" author="ld">
    <loadData tableName="t_lobmix" file="csv/mixed.csv" relativeToChangelogFile="true">
      <column name="id" type="NUMERIC"/><column name="b" type="BLOB"/><column name="c" type="CLOB"/>
    </loadData>
  </changeSet>
  <changeSet id="ins-blob" author="ld">
    <insert tableName="t_lobins"><column name="id" valueNumeric="1"/><column name="b" valueBlobFile="data.bin"/></insert>
  </changeSet>
  <changeSet id="ins-clob" author="ld">
    <insert tableName="t_lobins"><column name="id" valueNumeric="2"/><column name="c" valueClobFile="text.txt"/></insert>
    <insert tableName="t_lobins"><column name="id" valueNumeric="3"/><column name="c" valueClobFile="latin1.txt" encoding="ISO-8859-1"/></insert>
  </changeSet>
  <changeSet id="upd-lob" author="ld">
    <update tableName="t_lobins"><column name="b" valueBlobFile="data.bin"/><column name="c" valueClobFile="text.txt"/><where>id = 1</where></update>
  </changeSet>
XML
        echo '</databaseChangeLog>'
    } > lob/lob.xml
    cp top/ps.csv lob/ps.csv
    printf '\000\001\002\377\376LOB' > lob/data.bin
    printf 'clob text\nline 2 \303\251\n' > lob/text.txt
    printf 'caf\351\n' > lob/latin1.txt
    printf 'CSVDIR' > lob/csv/data.bin
    printf 'csv dir text\n' > lob/csv/text.txt
    # cells: file names (relative to lob/, the changelog's directory); a NULL CLOB
    printf 'id,b,c\n1,data.bin,text.txt\n2,data.bin,NULL\n3,data.bin,\n' > lob/csv/lob.csv
    # row 2 needs no prepared statement: Liquibase drops it
    printf 'id,b,c\n1,data.bin,text.txt\n2,NULL,NULL\n' > lob/csv/mixed.csv

    run_both lob/lob.xml
    check_changeset lob-tables "LOB tables"
    check_changeset ps "loadData usePreparedStatements=true"
    check_table t_ps "usePreparedStatements"
    check_changeset lob "loadData BLOB/CLOB file cells"
    check_table t_lob "BLOB/CLOB file cells"
    assert_eq "$(cs_row "$LB_ROWS" lob-mixed)" "$(cs_row "$MG_ROWS" lob-mixed)" \
        "loadData rows with and without LOB files: DATABASECHANGELOG row"
    assert_eq "$(cs_sql lb.sql lob-mixed | grep -v '^INSERT INTO public.t_lobmix ')" \
        "$(cs_sql mg.sql lob-mixed | grep -v '^INSERT INTO public.t_lobmix ')" \
        "loadData rows with and without LOB files: the same prepared statement warning"
    assert_eq "INSERT INTO public.t_lobmix (id, b, c) VALUES (2, NULL, NULL);" \
        "$(cs_sql mg.sql lob-mixed | grep '^INSERT INTO public.t_lobmix ')" \
        "migrator's update-sql also shows the row without files (Liquibase drops it)"
    assert_eq "1" "$(psql_q c0700lb "SELECT string_agg(id::text, ',') FROM t_lobmix")" \
        "Liquibase 4.28 drops the row without files"
    assert_eq "$(dump_table c0700lb t_lobmix | head -1)" "$(dump_table c0700mg t_lobmix | head -1)" \
        "the row with files is the same"
    assert_eq "1,2" "$(psql_q c0700mg "SELECT string_agg(id::text, ',' ORDER BY id) FROM t_lobmix")" \
        "migrator loads every row"
    check_changeset ins-blob "insert valueBlobFile"
    check_changeset ins-clob "insert valueClobFile (with encoding)"
    check_changeset upd-lob "update valueBlobFile/valueClobFile"
    check_table t_lobins "insert/update with LOB files"
    assert_contains "$(cat mg.sql)" "-- migrator runs: INSERT INTO public.t_lobins (id, b) VALUES (1, '\\x000102fffe4c4f42')" \
        "update-sql shows what migrator runs for a prepared statement"
}

# --- NOW and TODAY in date columns (NowAndTodayUtil), taken when the SQL is made --------
mkdir -p now
{
    echo "$XML_HEAD"
    cat <<'XML'
  <changeSet id="now" author="ld">
    <createTable tableName="t_now"><column name="id" type="int"/><column name="d" type="date"/><column name="ts" type="timestamp"/></createTable>
    <loadData tableName="t_now" file="now.csv" relativeToChangelogFile="true">
      <column name="id" type="NUMERIC"/><column name="d" type="DATE"/><column name="ts" type="DATETIME"/>
    </loadData>
  </changeSet>
XML
    echo '</databaseChangeLog>'
} > now/now.xml
printf 'id,d,ts\n1,TODAY,NOW\n2,today-1,now+2d\n3,TODAY+7,NOW-3h\n' > now/now.csv
new_db c0700lb >/dev/null
new_db c0700mg >/dev/null
run lb c0700lb --changelog-file=now/now.xml update
run "$MIGRATOR" update --changelog-file=now/now.xml --url="$(pg_url c0700mg)"
assert_eq 0 "$RC" "migrator loads NOW and TODAY cells"
now_check="SELECT string_agg(id || ':' || (d - current_date) || ':' ||
    round(extract(epoch FROM ts - localtimestamp) / 3600), ' ' ORDER BY id) FROM t_now"
assert_eq "1:0:0 2:-1:48 3:7:-3" "$(psql_q c0700lb "$now_check")" "Liquibase: TODAY, TODAY-1, TODAY+7, NOW, NOW+2d, NOW-3h"
assert_eq "$(psql_q c0700lb "$now_check")" "$(psql_q c0700mg "$now_check")" "migrator: the same dates and times"
assert_eq "$(dump_rows c0700lb)" "$(dump_rows c0700mg)" "NOW/TODAY loadData: rows equal Liquibase's"
printf 'id,d,ts\n1,TODAY+x,NOW\n' > now/now.csv
new_db c0700mg >/dev/null
run "$MIGRATOR" update --changelog-file=now/now.xml --url="$(pg_url c0700mg)"
assert_contains "$ERR" "improper value in 'TODAY' value: TODAY+x" "a malformed TODAY is refused"

finish
