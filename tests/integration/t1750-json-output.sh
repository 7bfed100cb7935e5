#!/usr/bin/env bash
# --output json of every command that reports (docs/output.md): each
# report is validated against its schema in docs/schema/ and its values
# checked; a failing update names the changeset and the statement. Then
# the terminal: the progress line and colour on a pty, colour off with
# NO_COLOR, neither through a pipe.
. "$(dirname "$0")/../lib/test-lib.sh"
command -v pg_dump >/dev/null || skip "pg_dump not installed"
command -v script >/dev/null || skip "script (bsdutils) not installed"

# a python3 with jsonschema (Debian's python3-jsonschema)
PY=/usr/bin/python3
$PY -c 'import jsonschema' 2>/dev/null || PY=python3
$PY -c 'import jsonschema' 2>/dev/null || skip "python3-jsonschema not installed"

db=t1750
url=$(new_db $db)
work=$(mktemp -d)
at_exit "rm -rf '$work'; drop_db $db; drop_db t1750r"
cd "$work" || exit 1
mkdir reports

# check_json SCHEMA LABEL: $OUT must be valid against docs/schema/SCHEMA.json;
# kept and checked at the end by one Python (check_all)
REPORTS=()
check_json() {
    local f
    f="reports/${#REPORTS[@]}.json"
    printf '%s\n' "$OUT" >"$f"
    REPORTS+=("$1=$f")
    LABELS[${#REPORTS[@]}]="$2: a valid $1 report"
}
check_all() {
    local i=0 line
    while IFS= read -r line; do
        i=$((i + 1))
        case "$line" in
            ok\ *) pass "${LABELS[$i]}" ;;
            *) fail "${LABELS[$i]}"; echo "    $line" ;;
        esac
    done < <($PY "$MG_SRC/tests/lib/check-json.py" "$MG_SRC/docs/schema" "${REPORTS[@]}")
    [ "$i" -eq "${#REPORTS[@]}" ] || fail "every report was checked ($i of ${#REPORTS[@]})"
}

# jget EXPR prints the Python expression EXPR of the report `r` ($OUT)
jget() {
    $PY -S -c 'import json,sys; r=json.load(sys.stdin); v=eval(sys.argv[1]); print(v if isinstance(v, str) else json.dumps(v))' "$1" <<<"$OUT"
}

python3 -c "
print('id,name')
for i in range(300): print(f'{i},n{i}')" >data.csv
cat >cl.xml <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog">
  <changeSet id="t" author="me">
    <createTable tableName="t"><column name="id" type="int"/><column name="name" type="text"/></createTable>
  </changeSet>
  <changeSet id="load" author="me">
    <loadData tableName="t" file="data.csv" relativeToChangelogFile="true"/>
    <rollback><delete tableName="t"/></rollback>
  </changeSet>
  <changeSet id="tag" author="me"><tagDatabase tag="v1"/></changeSet>
  <changeSet id="mark" author="me">
    <preConditions onFail="MARK_RAN"><tableExists tableName="nope"/></preConditions>
    <sql>CREATE TABLE never (id int)</sql><rollback/>
  </changeSet>
  <changeSet id="two" author="you">
    <createTable tableName="u"><column name="id" type="int"/></createTable>
    <createIndex tableName="u" indexName="u_id"><column name="id"/></createIndex>
  </changeSet>
</databaseChangeLog>
EOF
cat >bad.xml <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog">
  <include file="cl.xml" relativeToChangelogFile="true"/>
  <changeSet id="fails" author="me">
    <sql>CREATE TABLE fine (id int); SELECT * FROM no_such_table</sql>
  </changeSet>
</databaseChangeLog>
EOF
M=("$MIGRATOR" --url="$url" --changelog-file=cl.xml)

# --- update-sql: the SQL and the report never share stdout -----------------------------
run "${M[@]}" update-sql --output json
assert_eq 2 "$RC" "update-sql --output json alone is a usage error"
check_json update "update-sql without a place for the report"
assert_contains "$(jget 'r["error"]["message"]')" "cannot share stdout" "and says why"
run "${M[@]}" update-sql --output json --output-file=update.sql
assert_eq 0 "$RC" "update-sql --output-file F --output json"
check_json update "update-sql"
assert_contains "$(cat update.sql)" "CREATE TABLE public.t" "the SQL is in the file"
assert_eq "true 5 t:printed:EXECUTED load:printed:EXECUTED tag:printed:EXECUTED mark:printed:MARK_RAN two:printed:EXECUTED" \
    "$(jget '" ".join([json.dumps(r["dryRun"]), str(r["totals"]["run"])] + [c["id"] + ":" + c["status"] + ":" + c["execType"] for c in r["changesets"]])')" \
    "update-sql reports what it printed"
run "${M[@]}" update-sql --output json --report-file=report.json
assert_contains "$OUT" "CREATE TABLE public.t" "with --report-file the SQL stays on stdout"
OUT=$(cat report.json)
check_json update "update-sql --report-file"

# --- update -----------------------------------------------------------------------
run "${M[@]}" update --output json
assert_eq 0 "$RC" "update --output json"
check_json update "update"
assert_eq "t:ran:EXECUTED:1 load:ran:EXECUTED:6 tag:ran:EXECUTED:0 mark:mark_ran:MARK_RAN:0 two:ran:EXECUTED:2" \
    "$(jget '" ".join("%s:%s:%s:%d" % (c["id"], c["status"], c["execType"], c["statements"]) for c in r["changesets"])')" \
    "each changeset: id, status, exec type, statements"
assert_eq "300" "$(jget 'r["changesets"][1]["rows"]')" "loadData's rows"
assert_eq "5 0 5" "$(jget '" ".join(str(r["totals"][k]) for k in ("run", "previouslyRun", "total"))')" "totals"
assert_eq "true true" "$(jget '" ".join(json.dumps(c["durationMs"] >= 0) for c in r["changesets"][:2])')" \
    "each has a duration"
assert_contains "$ERR" "migrator: update was successful; 5 changesets run" "the text goes to stderr"

# --- a failing update: exit 1, the error names the changeset and the statement ------
run "$MIGRATOR" --url="$url" --changelog-file=bad.xml update --output json
assert_eq 1 "$RC" "a failing update exits 1"
check_json update "failing update"
assert_eq "false 1 bad.xml::fails::me" "$(jget '" ".join([json.dumps(r["ok"]), str(r["exitCode"]), r["error"]["changeset"]])')" \
    "ok false, exitCode, error.changeset"
assert_eq "SELECT * FROM no_such_table 42P01" "$(jget 'r["error"]["statement"] + " " + r["error"]["sqlstate"]')" \
    "error.statement and sqlstate"
assert_eq "fails:failed" "$(jget '",".join(c["id"] + ":" + c["status"] for c in r["changesets"])')" \
    "the changeset is reported failed"
assert_contains "$ERR" "migrator: error: relation \"no_such_table\" does not exist" "and stderr has the text"

# a failure before the command runs: the envelope and the error
run "$MIGRATOR" --url="postgresql://nobody@127.0.0.1:1/none" --changelog-file=cl.xml status --output json
assert_eq 1 "$RC" "status against no server"
check_json status "status against no server"

# --- status, history, validate, list-locks ------------------------------------------
run "${M[@]}" status --output json
check_json status "status"
assert_eq "0 ran" "$(jget 'str(r["pending"]) + " " + r["changesets"][0]["state"]')" "status: nothing pending"

run "$MIGRATOR" --url="$url" history --output json
check_json history "history"
assert_eq "t load tag mark two" "$(jget '" ".join(c["id"] for c in r["changesets"])')" "history lists the rows"
assert_eq "true true true true null" \
    "$(jget '" ".join("null" if c["durationMs"] is None else json.dumps(c["durationMs"] >= 0) for c in r["changesets"])')" \
    "history: a duration for each but the last of the deployment"
run "$MIGRATOR" --url="$url" history
assert_contains "$OUT" "Took" "text history has a duration column"
assert_eq "-" "$(printf '%s\n' "$OUT" | awk '/::two::you/ {print $4}')" \
    "the last changeset of a deployment shows '-'"

run "${M[@]}" validate --output json
check_json validate "validate"
assert_eq "true 5" "$(jget 'json.dumps(r["valid"]) + " " + str(r["changesets"])')" "validate: valid, 5 changesets"
cat >norb.xml <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog">
  <changeSet id="raw" author="me"><sql>SELECT 1</sql></changeSet>
</databaseChangeLog>
EOF
run "$MIGRATOR" --changelog-file=norb.xml validate --require-rollback --output json
assert_eq 3 "$RC" "validate --require-rollback of a changeset without rollback exits 3"
check_json validate "validate --require-rollback"
assert_eq "false no-rollback norb.xml::raw::me" \
    "$(jget '" ".join([json.dumps(r["valid"]), r["problems"][0]["kind"], r["problems"][0]["changeset"]])')" \
    "and names it"

run "$MIGRATOR" --url="$url" list-locks --output json
check_json list-locks "list-locks"
assert_eq "[]" "$(jget 'r["locks"]')" "no locks held"

# --- backup create, list, verify; restore -------------------------------------------
run "$MIGRATOR" --url="$url" backup --backup-dir=bk --output json
assert_eq 0 "$RC" "backup --output json"
check_json backup-create "backup"
bid=$(jget 'r["backup"]["id"]')
assert_eq "true false" "$(jget 'json.dumps(r["verified"]) + " " + json.dumps(r["backup"]["encrypted"])')" "verified, not encrypted"
run "$MIGRATOR" backup list --backup-dir=bk --output json
check_json backup-list "backup list"
assert_eq "$bid" "$(jget '",".join(b["id"] for b in r["backups"])')" "backup list has it"
run "$MIGRATOR" backup verify "$bid" --backup-dir=bk --output json
check_json backup-verify "backup verify"
assert_eq "true" "$(jget 'r["intact"]')" "intact"
run "$MIGRATOR" backup verify nonesuch --backup-dir=bk --output json
assert_eq 1 "$RC" "backup verify of an unknown id"
check_json backup-verify "backup verify of an unknown id"

# --- rollbacks --------------------------------------------------------------------
run "${M[@]}" rollback-count --count=1 --output json
assert_eq 0 "$RC" "rollback-count --output json"
check_json rollback "rollback-count"
assert_eq "1 two:rolled_back:2" \
    "$(jget 'str(r["rolledBack"]) + " " + ",".join(c["id"] + ":" + c["status"] + ":" + str(c["statements"]) for c in r["changesets"])')" \
    "rollback-count undoes the last changeset"
run "${M[@]}" rollback --tag=v1 --output json
check_json rollback "rollback --tag"
assert_eq "mark,tag" "$(jget '",".join(c["id"] for c in r["changesets"])')" \
    "rollback --tag undoes what ran after the tag, and the tagging changeset"
run "${M[@]}" rollback-one-changeset --changeset-id=load --changeset-author=me \
    --changeset-path=cl.xml --force --output json
check_json rollback "rollback-one-changeset"
assert_eq "load:rolled_back" "$(jget '",".join(c["id"] + ":" + c["status"] for c in r["changesets"])')" \
    "rollback-one-changeset"
run "${M[@]}" rollback-to-date --date=2000-01-01 --output json
check_json rollback "rollback-to-date"
assert_eq "t" "$(jget '",".join(c["id"] for c in r["changesets"])')" "rollback-to-date undoes the rest"
run "${M[@]}" rollback-count-sql --count=1 --output json
assert_eq 2 "$RC" "a -sql rollback's report cannot share stdout with its SQL either"
run "${M[@]}" rollback-count --count=1 --output json
assert_eq 0 "$RC" "rollback-count of nothing"
assert_eq "0" "$(jget 'r["rolledBack"]')" "rolls back nothing"

# restore the backup (taken with every changeset applied)
run "$MIGRATOR" --url="$url" restore --backup-dir=bk --backup-id="$bid" --force --output json
assert_eq 0 "$RC" "restore --output json"
check_json restore "restore"
assert_eq "$bid 5" "$(jget 'r["backup"]["id"]') $(psql_q $db 'SELECT count(*) FROM databasechangelog')" \
    "restore brings the history back"

# --- flow -------------------------------------------------------------------------
cat >ok.flow.yaml <<'EOF'
stages:
  Check:
    actions:
      - type: migrator
        command: status
  Fail:
    actions:
      - type: shell
        command: "false"
  Never:
    actions:
      - type: shell
        command: "true"
EOF
run "${M[@]}" flow --flow-file=ok.flow.yaml --output json
assert_eq 1 "$RC" "a flow with a failing stage"
check_json flow "flow"
assert_eq "Check:passed Fail:failed Never:skipped failed" \
    "$(jget '" ".join(s["name"] + ":" + s["result"] for s in r["stages"]) + " " + r["result"]')" \
    "flow reports every stage"

# --- the terminal: progress and colour on a pty only --------------------------------
cat >slow.xml <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog">
  <changeSet id="slow" author="me"><sql>SELECT pg_sleep(0.6)</sql>
    <rollback><sql>SELECT pg_sleep(0.6)</sql></rollback></changeSet>
</databaseChangeLog>
EOF
rurl=$(new_db t1750r)
on_pty() { TERM=xterm script -qec "$(printf '%q ' "$@")" /dev/null; }
pty=$(unset NO_COLOR; on_pty "$MIGRATOR" --url="$rurl" --changelog-file=slow.xml update 2>&1)
assert_contains "$pty" "[1/1] 0:00 slow::me (slow.xml)" "on a pty: the progress line"
assert_contains "$pty" $'\e[32mupdate was successful' "on a pty: success in green"
pty=$(NO_COLOR=1 on_pty "$MIGRATOR" --url="$rurl" --changelog-file=slow.xml rollback-count --count=1 2>&1)
assert_contains "$pty" "[1/1] 0:00 slow::me (slow.xml)" "with NO_COLOR: rollback's progress line"
case "$pty" in *$'\e['3*) fail "with NO_COLOR: no colour" ;; *) pass "with NO_COLOR: no colour" ;; esac
pty=$(unset NO_COLOR; on_pty "$MIGRATOR" --url="$rurl" --changelog-file=slow.xml update --output json 2>&1)
case "$pty" in *"[1/1]"*) fail "--output json: no progress line" ;; *) pass "--output json: no progress line" ;; esac
run "$MIGRATOR" --url="$rurl" --changelog-file=slow.xml rollback-count --count=1
case "$ERR" in *"[1/1]"* | *$'\e'*) fail "through a pipe: no progress, no colour" ;;
    *) pass "through a pipe: no progress, no colour" ;; esac
assert_contains "$ERR" "Running Changeset: slow.xml::slow::me" "through a pipe: the plain log line"

check_all
finish
