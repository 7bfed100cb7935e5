#!/usr/bin/env bash
# The classes of difference that Liquibase's own integration changelog (t1100) and our own
# changelogs found, each against real Liquibase 4.28, in every format that has the feature:
#   paths      FILENAME of changesets reached by include paths written unnormalised
#              (XML, YAML and JSON roots; XML, YAML, JSON and formatted SQL files included)
#   contexts   required contexts ("@test") with and without --contexts (all four formats)
#   dbms       dbms="PostgreSQL" in any case, on changesets and the dbms precondition (all four)
#   executed   changeSetExecuted counting a MARK_RAN changeset, and/or/not nesting (XML, YAML,
#              JSON; formatted SQL has no changeSetExecuted precondition)
#   props      property names ignore case, globals first-defined wins, locals last-defined
#              wins; Java properties files: \uXXXX, continuations, ':' and blank separators, '!'
#              comments, ISO-8859-1 bytes; the checksum uses the decoded value (XML, YAML,
#              JSON; formatted SQL has no property files). Also file by file against
#              java.util.Properties itself.
#   dupes      the same identifier under dbms="db2" and dbms="!db2" is no duplicate; a real
#              duplicate is refused by both (all four)
#   removeprop removeChangeSetProperty (XML, YAML, JSON)
#   lookup     the automatic rollback of addLookupTable (XML, YAML, JSON)
# For each format: Liquibase and migrator on fresh databases, DATABASECHANGELOG rows, schema
# and table contents compared, under three runtime context settings.
set -u
. "$(dirname "$0")/../lib/test-lib.sh"
ensure_liquibase
PROBE=${MG_PROBE:-$MG_SRC/build/probe}
[ -x "$PROBE" ] || { echo "probe not built ($PROBE)" >&2; exit 1; }

work=$(mktemp -d)
at_exit 'cd / && rm -rf "$work"'
XSD='xmlns="http://www.liquibase.org/xml/ns/dbchangelog" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.liquibase.org/xml/ns/dbchangelog http://www.liquibase.org/xml/ns/dbchangelog/dbchangelog-latest.xsd"'

# --- properties files, one by one, against java.util.Properties -----------------------------

pdir=$work/props
mkdir -p "$pdir"
printf 'a=1\nb = 2\nc:3\nd 4\ne\t:\t5\n  f=6\n' >"$pdir/01-separators.properties"
printf '# comment\n! bang comment\n  # indented comment\ng=7\n!h=8\n' >"$pdir/02-comments.properties"
printf 'long=one \\\n    two \\\n\tthree\nafter=x\n' >"$pdir/03-continuation.properties"
printf 'u=caf\\u00e9 \\u20ac\nesc=tab\\there\\nnl \\\\ back\nkey\\:with\\=seps=v\n' >"$pdir/04-escapes.properties"
printf 'latin=caf\xe9\nutf8=caf\xc3\xa9\n' >"$pdir/05-bytes.properties"
printf 'dup=first\ndup=second\nempty=\nnovalue\ntrail=x  \n' >"$pdir/06-duplicates.properties"
printf 'cr=1\r\ncrlf=2\r\nlast=3' >"$pdir/07-line-endings.properties"
printf 'cont=a\\\n\ncut=b\n' >"$pdir/08-continuation-blank.properties"
printf 'odd=a\\\\\neven=b\\\\\\\nc\n' >"$pdir/09-backslashes.properties"
printf 'bad=\\u12G4\n' >"$pdir/10-bad-escape.properties"
printf 'surrogate=\\ud83d\\ude00\n' >"$pdir/11-surrogates.properties"
files=("$pdir"/*.properties)
lb_oracle PropsOracle "${files[@]}" >"$work/props.lb" ||
    { echo "the Liquibase properties oracle failed" >&2; exit 1; }
for f in "${files[@]}"; do "$PROBE" props "$f"; echo "--"; done >"$work/props.mg"
assert_eq "$(cat "$work/props.lb")" "$(cat "$work/props.mg")" \
    "${#files[@]} properties files read as java.util.Properties reads them"

# --- the changelogs ------------------------------------------------------------------------

# shared files: included targets in every format, a properties file, CSV-free
common() { # common DIR
    local d=$1
    mkdir -p "$d/odd/deep" "$d/sub"
    cat >"$d/odd/inc.xml" <<EOF
<databaseChangeLog $XSD>
  <changeSet id="inc-xml" author="t"><createTable tableName="inc_xml"><column name="id" type="int"/></createTable></changeSet>
</databaseChangeLog>
EOF
    cat >"$d/odd/inc.yaml" <<'EOF'
databaseChangeLog:
  - changeSet:
      id: inc-yaml
      author: t
      changes:
        - createTable: {tableName: inc_yaml, columns: [{column: {name: id, type: int}}]}
EOF
    cat >"$d/odd/deep/inc.json" <<'EOF'
{"databaseChangeLog": [{"changeSet": {"id": "inc-json", "author": "t", "changes": [
  {"createTable": {"tableName": "inc_json", "columns": [{"column": {"name": "id", "type": "int"}}]}}]}}]}
EOF
    printf -- '--liquibase formatted sql\n--changeset t:inc-sql\ncreate table inc_sql (id int);\n' \
        >"$d/sub/inc.sql"
    # the escapes below decode to "café €", "a b", "x:y" and "v1" (Java properties)
    printf '# per-environment settings\n! old style comment\ntable.suffix=caf\\u00e9\nremark = a \\\n   b\nkey\\:colon : x:y\nlabel.name\tv1\n' \
        >"$d/env.properties"
}

xml_tree() {
    local d=$1
    common "$d"
    cat >"$d/root.xml" <<EOF
<databaseChangeLog $XSD>
  <removeChangeSetProperty change="addColumn" dbms="PostgreSQL, postgresql" remove="afterColumn"/>
  <property file="env.properties"/>
  <property name="loc" value="first" global="false"/>
  <property name="loc" value="second" global="false"/>
  <property name="Glob" value="g1"/>
  <property name="GLOB" value="g2"/>
  <include file="./odd//deep/../inc.xml"/>
  <include file="odd/./inc.yaml"/>
  <include file="./odd/deep/./inc.json"/>
  <include file="sub//../sub/inc.sql"/>
  <changeSet id="prop-rules" author="t"><sql>create table prop_\${loc}_\${glob} (id int)</sql></changeSet>
  <changeSet id="required" author="t" context="@test"><sql>create table ctx_required (id int)</sql></changeSet>
  <changeSet id="negated" author="t" context="!test"><sql>create table ctx_negated (id int)</sql></changeSet>
  <changeSet id="plain" author="t" context="test"><sql>create table ctx_plain (id int)</sql></changeSet>
  <changeSet id="required-not" author="t" context="@!test"><sql>create table ctx_required_not (id int)</sql></changeSet>
  <changeSet id="db-upper" author="t" dbms="PostgreSQL"><sql>create table dbms_upper (id int)</sql></changeSet>
  <changeSet id="db-not" author="t" dbms="!POSTGRESQL"><sql>create table dbms_not (id int)</sql></changeSet>
  <changeSet id="db-pre" author="t">
    <preConditions onFail="MARK_RAN"><dbms type="PostgreSQL"/></preConditions>
    <sql>create table dbms_pre (id int)</sql>
  </changeSet>
  <changeSet id="twin" author="t" dbms="db2"><sql>create table twin_db2 (id int)</sql></changeSet>
  <changeSet id="twin" author="t" dbms="!db2"><sql>create table twin_pg (id int)</sql></changeSet>
  <changeSet id="marked" author="t">
    <preConditions onFail="MARK_RAN"><tableExists tableName="no_such_table"/></preConditions>
    <sql>create table never_made (id int)</sql>
  </changeSet>
  <changeSet id="after-marked" author="t">
    <preConditions onFail="MARK_RAN"><changeSetExecuted id="marked" author="t" changeLogFile="root.xml"/></preConditions>
    <sql>create table after_marked (id int)</sql>
  </changeSet>
  <changeSet id="nested" author="t">
    <preConditions onFail="MARK_RAN">
      <or>
        <and><tableExists tableName="no_such_table"/><tableExists tableName="inc_xml"/></and>
        <not><or><tableExists tableName="no_such_table"/><changeSetExecuted id="nope" author="t" changeLogFile="root.xml"/></or></not>
      </or>
    </preConditions>
    <sql>create table nested_ran (id int)</sql>
  </changeSet>
  <changeSet id="nested-fails" author="t">
    <preConditions onFail="CONTINUE">
      <not><and><tableExists tableName="inc_xml"/><changeSetExecuted id="after-marked" author="t" changeLogFile="root.xml"/></and></not>
    </preConditions>
    <sql>create table nested_not_ran (id int)</sql>
  </changeSet>
  <changeSet id="props" author="t">
    <createTable tableName="props_\${table.suffix}" remarks="\${remark}">
      <column name="id" type="int" remarks="\${key:colon} \${label.name}"/>
    </createTable>
  </changeSet>
  <changeSet id="addcol" author="t">
    <addColumn tableName="inc_xml"><column name="later" type="int" afterColumn="id"/></addColumn>
  </changeSet>
  <changeSet id="lookup-base" author="t">
    <createTable tableName="address"><column name="id" type="int"/><column name="state" type="char(2)"/></createTable>
    <insert tableName="address"><column name="id" valueNumeric="1"/><column name="state" value="NY"/></insert>
  </changeSet>
  <changeSet id="lookup" author="t">
    <addLookupTable existingTableName="address" existingColumnName="state" newTableName="state"
        newColumnName="id" newColumnDataType="char(2)" constraintName="fk_address_state"/>
  </changeSet>
</databaseChangeLog>
EOF
}

yaml_tree() {
    local d=$1
    common "$d"
    cat >"$d/root.yaml" <<'EOF'
databaseChangeLog:
  - removeChangeSetProperty: {change: addColumn, dbms: PostgreSQL, remove: afterColumn}
  - removeChangeSetProperty: {change: addColumn, dbms: postgresql, remove: afterColumn}
  - property: {file: env.properties}
  - property: {name: loc, value: first, global: false}
  - property: {name: loc, value: second, global: false}
  - property: {name: Glob, value: g1}
  - property: {name: GLOB, value: g2}
  - changeSet: {id: prop-rules, author: t, changes: [{sql: "create table prop_${loc}_${glob} (id int)"}]}
  - include: {file: ./odd//deep/../inc.xml}
  - include: {file: odd/./inc.yaml}
  - include: {file: ./odd/deep/./inc.json}
  - include: {file: sub//../sub/inc.sql}
  - changeSet: {id: required, author: t, context: "@test", changes: [{sql: create table ctx_required (id int)}]}
  - changeSet: {id: negated, author: t, context: "!test", changes: [{sql: create table ctx_negated (id int)}]}
  - changeSet: {id: plain, author: t, context: test, changes: [{sql: create table ctx_plain (id int)}]}
  - changeSet: {id: required-not, author: t, context: "@!test", changes: [{sql: create table ctx_required_not (id int)}]}
  - changeSet: {id: db-upper, author: t, dbms: PostgreSQL, changes: [{sql: create table dbms_upper (id int)}]}
  - changeSet: {id: db-not, author: t, dbms: "!POSTGRESQL", changes: [{sql: create table dbms_not (id int)}]}
  - changeSet:
      id: db-pre
      author: t
      preConditions: [{onFail: MARK_RAN}, {dbms: {type: PostgreSQL}}]
      changes: [{sql: create table dbms_pre (id int)}]
  - changeSet: {id: twin, author: t, dbms: db2, changes: [{sql: create table twin_db2 (id int)}]}
  - changeSet: {id: twin, author: t, dbms: "!db2", changes: [{sql: create table twin_pg (id int)}]}
  - changeSet:
      id: marked
      author: t
      preConditions: [{onFail: MARK_RAN}, {tableExists: {tableName: no_such_table}}]
      changes: [{sql: create table never_made (id int)}]
  - changeSet:
      id: after-marked
      author: t
      preConditions: [{onFail: MARK_RAN}, {changeSetExecuted: {id: marked, author: t, changeLogFile: root.yaml}}]
      changes: [{sql: create table after_marked (id int)}]
  - changeSet:
      id: nested
      author: t
      preConditions:
        - onFail: MARK_RAN
        - or:
            - and: [{tableExists: {tableName: no_such_table}}, {tableExists: {tableName: inc_xml}}]
            - not:
                - or: [{tableExists: {tableName: no_such_table}}, {changeSetExecuted: {id: nope, author: t, changeLogFile: root.yaml}}]
      changes: [{sql: create table nested_ran (id int)}]
  - changeSet:
      id: nested-fails
      author: t
      preConditions:
        - onFail: CONTINUE
        - not:
            - and: [{tableExists: {tableName: inc_xml}}, {changeSetExecuted: {id: after-marked, author: t, changeLogFile: root.yaml}}]
      changes: [{sql: create table nested_not_ran (id int)}]
  - changeSet:
      id: props
      author: t
      changes:
        - createTable:
            tableName: props_${table.suffix}
            remarks: ${remark}
            columns: [{column: {name: id, type: int, remarks: "${key:colon} ${label.name}"}}]
  - changeSet:
      id: addcol
      author: t
      changes: [{addColumn: {tableName: inc_xml, columns: [{column: {name: later, type: int, afterColumn: id}}]}}]
  - changeSet:
      id: lookup-base
      author: t
      changes:
        - createTable: {tableName: address, columns: [{column: {name: id, type: int}}, {column: {name: state, type: char(2)}}]}
        - insert: {tableName: address, columns: [{column: {name: id, valueNumeric: 1}}, {column: {name: state, value: NY}}]}
  - changeSet:
      id: lookup
      author: t
      changes:
        - addLookupTable: {existingTableName: address, existingColumnName: state, newTableName: state, newColumnName: id, newColumnDataType: char(2), constraintName: fk_address_state}
EOF
}

json_tree() {
    local d=$1
    common "$d"
    cat >"$d/root.json" <<'EOF'
{"databaseChangeLog": [
  {"removeChangeSetProperty": {"change": "addColumn", "dbms": "PostgreSQL,postgresql", "remove": "afterColumn"}},
  {"property": {"file": "env.properties"}},
  {"property": {"name": "loc", "value": "first", "global": false}},
  {"property": {"name": "loc", "value": "second", "global": false}},
  {"property": {"name": "Glob", "value": "g1"}},
  {"property": {"name": "GLOB", "value": "g2"}},
  {"changeSet": {"id": "prop-rules", "author": "t", "changes": [{"sql": "create table prop_${loc}_${glob} (id int)"}]}},
  {"include": {"file": "./odd//deep/../inc.xml"}},
  {"include": {"file": "odd/./inc.yaml"}},
  {"include": {"file": "./odd/deep/./inc.json"}},
  {"include": {"file": "sub//../sub/inc.sql"}},
  {"changeSet": {"id": "required", "author": "t", "context": "@test", "changes": [{"sql": "create table ctx_required (id int)"}]}},
  {"changeSet": {"id": "negated", "author": "t", "context": "!test", "changes": [{"sql": "create table ctx_negated (id int)"}]}},
  {"changeSet": {"id": "plain", "author": "t", "context": "test", "changes": [{"sql": "create table ctx_plain (id int)"}]}},
  {"changeSet": {"id": "required-not", "author": "t", "context": "@!test", "changes": [{"sql": "create table ctx_required_not (id int)"}]}},
  {"changeSet": {"id": "db-upper", "author": "t", "dbms": "PostgreSQL", "changes": [{"sql": "create table dbms_upper (id int)"}]}},
  {"changeSet": {"id": "db-not", "author": "t", "dbms": "!POSTGRESQL", "changes": [{"sql": "create table dbms_not (id int)"}]}},
  {"changeSet": {"id": "db-pre", "author": "t", "preConditions": [{"onFail": "MARK_RAN"}, {"dbms": {"type": "PostgreSQL"}}],
    "changes": [{"sql": "create table dbms_pre (id int)"}]}},
  {"changeSet": {"id": "twin", "author": "t", "dbms": "db2", "changes": [{"sql": "create table twin_db2 (id int)"}]}},
  {"changeSet": {"id": "twin", "author": "t", "dbms": "!db2", "changes": [{"sql": "create table twin_pg (id int)"}]}},
  {"changeSet": {"id": "marked", "author": "t", "preConditions": [{"onFail": "MARK_RAN"}, {"tableExists": {"tableName": "no_such_table"}}],
    "changes": [{"sql": "create table never_made (id int)"}]}},
  {"changeSet": {"id": "after-marked", "author": "t",
    "preConditions": [{"onFail": "MARK_RAN"}, {"changeSetExecuted": {"id": "marked", "author": "t", "changeLogFile": "root.json"}}],
    "changes": [{"sql": "create table after_marked (id int)"}]}},
  {"changeSet": {"id": "nested", "author": "t", "preConditions": [{"onFail": "MARK_RAN"}, {"or": [
      {"and": [{"tableExists": {"tableName": "no_such_table"}}, {"tableExists": {"tableName": "inc_xml"}}]},
      {"not": [{"or": [{"tableExists": {"tableName": "no_such_table"}},
                       {"changeSetExecuted": {"id": "nope", "author": "t", "changeLogFile": "root.json"}}]}]}]}],
    "changes": [{"sql": "create table nested_ran (id int)"}]}},
  {"changeSet": {"id": "nested-fails", "author": "t", "preConditions": [{"onFail": "CONTINUE"}, {"not": [{"and": [
      {"tableExists": {"tableName": "inc_xml"}},
      {"changeSetExecuted": {"id": "after-marked", "author": "t", "changeLogFile": "root.json"}}]}]}],
    "changes": [{"sql": "create table nested_not_ran (id int)"}]}},
  {"changeSet": {"id": "props", "author": "t", "changes": [{"createTable": {"tableName": "props_${table.suffix}",
    "remarks": "${remark}", "columns": [{"column": {"name": "id", "type": "int", "remarks": "${key:colon} ${label.name}"}}]}}]}},
  {"changeSet": {"id": "addcol", "author": "t", "changes": [{"addColumn": {"tableName": "inc_xml",
    "columns": [{"column": {"name": "later", "type": "int", "afterColumn": "id"}}]}}]}},
  {"changeSet": {"id": "lookup-base", "author": "t", "changes": [
    {"createTable": {"tableName": "address", "columns": [{"column": {"name": "id", "type": "int"}}, {"column": {"name": "state", "type": "char(2)"}}]}},
    {"insert": {"tableName": "address", "columns": [{"column": {"name": "id", "valueNumeric": 1}}, {"column": {"name": "state", "value": "NY"}}]}}]}},
  {"changeSet": {"id": "lookup", "author": "t", "changes": [{"addLookupTable": {"existingTableName": "address",
    "existingColumnName": "state", "newTableName": "state", "newColumnName": "id", "newColumnDataType": "char(2)",
    "constraintName": "fk_address_state"}}]}}
]}
EOF
}

# formatted SQL has contexts, dbms and the duplicate rule (no includes, property files,
# changeSetExecuted, removeChangeSetProperty or addLookupTable)
sql_tree() {
    local d=$1
    mkdir -p "$d"
    cat >"$d/root.sql" <<'EOF'
--liquibase formatted sql
--changeset t:required context:@test
create table ctx_required (id int);
--changeset t:negated context:!test
create table ctx_negated (id int);
--changeset t:plain context:test
create table ctx_plain (id int);
--changeset t:required-not context:@!test
create table ctx_required_not (id int);
--changeset t:db-upper dbms:PostgreSQL
create table dbms_upper (id int);
--changeset t:db-not dbms:!POSTGRESQL
create table dbms_not (id int);
--changeset t:twin dbms:db2
create table twin_db2 (id int);
--changeset t:twin dbms:!db2
create table twin_pg (id int);
--changeset t:marked
--precondition-table-exists table:no_such_table
--preconditions onFail:MARK_RAN
create table never_made (id int);
EOF
}

# a real duplicate: refused by both
dup_tree() {
    local d=$1
    mkdir -p "$d"
    cat >"$d/dup.xml" <<EOF
<databaseChangeLog $XSD>
  <changeSet id="twin" author="t" dbms="postgresql"><sql>select 1</sql></changeSet>
  <changeSet id="twin" author="t" dbms="PostgreSQL,oracle"><sql>select 2</sql></changeSet>
</databaseChangeLog>
EOF
}

rows() { dump_rows "$1"; }
compare_dbs() { # compare_dbs A B WHAT
    assert_eq "$(rows "$1")" "$(rows "$2")" "$3: rows identical"
    assert_eq "$(dump_schema "$1")" "$(dump_schema "$2")" "$3: schema identical"
    assert_eq "$(dump_data "$1")" "$(dump_data "$2")" "$3: table contents identical"
}

for fmt in xml yaml json sql; do
    d=$work/$fmt
    "${fmt}_tree" "$d"
    root=root.$fmt
    for ctx in none test dev; do
        cargs=()
        [ "$ctx" = none ] || cargs=(--contexts="$ctx")
        a=mg_cls_lb b=mg_cls_mg
        new_db "$a" >/dev/null && new_db "$b" >/dev/null || exit 1
        cd "$d" || exit 1
        run lb "$a" --changelog-file="$root" "${cargs[@]}" update
        [ "$RC" = 0 ] || { fail "$fmt, contexts $ctx: Liquibase update"; printf '%s\n' "$OUT$ERR" | grep -i error | head -5; }
        run "$MIGRATOR" --url="$(pg_url "$b")" --changelog-file="$root" "${cargs[@]}" update
        [ "$RC" = 0 ] || { fail "$fmt, contexts $ctx: migrator update"; printf '%s\n' "$ERR" | tail -n 5; }
        compare_dbs "$a" "$b" "$fmt, contexts $ctx"
        if [ "$ctx" = none ]; then
            n=$(psql_q "$a" "SELECT count(*) FROM databasechangelog")
            [ "$n" -gt 5 ] || fail "$fmt: Liquibase applied only $n changesets"
            # the cases the comparison relies on did happen
            want="ctx_negated ctx_required_not dbms_upper"
            [ "$fmt" = sql ] || want="$want after_marked nested_ran prop_second_g1 props_café"
            for t in $want; do
                [ "$(psql_q "$b" "SELECT count(*) FROM pg_tables WHERE tablename = '$t'")" = 1 ] ||
                    fail "$fmt: migrator made no table $t"
            done
        fi
    done
    # addLookupTable rolls back automatically: each tool undoes it on the other's database
    if [ "$fmt" != sql ]; then
        run lb "$a" --changelog-file="$root" rollback-count --count=1
        assert_eq 0 "$RC" "$fmt: Liquibase rolls back addLookupTable"
        run "$MIGRATOR" --url="$(pg_url "$b")" --changelog-file="$root" rollback-count --count=1
        assert_eq 0 "$RC" "$fmt: migrator rolls back addLookupTable"
        [ "$RC" = 0 ] || printf '%s\n' "$ERR" | tail -n 3
        compare_dbs "$a" "$b" "$fmt, after rolling back addLookupTable"
    fi
done

# a real duplicate
dup_tree "$work/dup"
new_db mg_cls_lb >/dev/null && new_db mg_cls_mg >/dev/null || exit 1
cd "$work/dup" || exit 1
run lb mg_cls_lb --changelog-file=dup.xml update
assert_eq 1 "$RC" "Liquibase refuses a real duplicate identifier"
assert_contains "$OUT$ERR" "dup.xml::twin::t" "Liquibase names it"
run "$MIGRATOR" --url="$(pg_url mg_cls_mg)" --changelog-file=dup.xml update
assert_eq 3 "$RC" "migrator refuses it too (invalid changelog)"
assert_contains "$ERR" "duplicate changeset identifier 'dup.xml::twin::t'" "migrator names it"
cd "$work" || exit 1
drop_db mg_cls_lb
drop_db mg_cls_mg

finish
